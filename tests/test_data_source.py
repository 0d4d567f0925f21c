"""Guard the bundled reference data against the one document it comes from.

Every number, name and place in data/ must be traceable to the Movisie text on
preventing loneliness, stored (as text extracted from the PDF) in
../shared/bron/000_857a77e85d368171.txt relative to the project root. These
tests read that text and check the data as the library compiles it:

1. the monitor table (Afbeelding 3) row by row, and the whole-population row;
2. every figure and comparison: its printed text is in the source and its
   number matches its value;
3. a pinned list of every figure the source gives, with its comparison,
   source and age condition;
4. the factors the source requires, their categories (section 3.1) and
   directions;
5. the signals of Afbeelding 4;
6. the bibliography: authors as the source spells them, years next to them;
7. every paragraph reference points at a heading, figure, footnote or box
   that exists in the source.

A failure here means the data and the source disagree: fix the data (or
explain the difference in the data), never loosen the test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from eenzaam_cli.core.loading import load_reference
from eenzaam_cli.core.model import Figure, Reference

SOURCE_PATH = Path(__file__).resolve().parents[2] / "shared" / "bron" / "000_857a77e85d368171.txt"


# --- helpers --------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Join words hyphenated across line breaks and collapse all whitespace.

    "eenzaam-\\n\\nheid" -> "eenzaamheid"; tabs, newlines and runs of spaces
    become one space. A hyphen inside a line ("niet-westerse") is kept.
    """
    text = re.sub(r"(\w)-[ \t]*\n\s*(?=\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def raw_source() -> str:
    if not SOURCE_PATH.is_file():
        pytest.fail(f"source document not found at {SOURCE_PATH}", pytrace=False)
    return SOURCE_PATH.read_text(encoding="utf-8")


@cache
def source() -> str:
    """The normalised source text."""
    return normalise(raw_source())


def in_source(fragment: str, text: str | None = None) -> bool:
    """Whether `fragment` occurs (case-insensitive, whitespace-normalised) in the source."""
    haystack = source() if text is None else text
    return normalise(fragment).casefold() in haystack.casefold()


@cache
def reference() -> Reference:
    return load_reference(use_cache=False)


# Figures the source gives in words only.
WORD_NUMBERS = {"een kwart": Decimal(25)}


def number_in(text: str) -> Decimal:
    """The number a printed figure states: "Eén derde (36%)" -> 36, "een kwart" -> 25."""
    numbers = re.findall(r"\d+(?:,\d+)?", text)
    if len(numbers) == 1:
        return Decimal(numbers[0].replace(",", "."))
    if not numbers and text.strip().casefold() in WORD_NUMBERS:
        return WORD_NUMBERS[text.strip().casefold()]
    raise AssertionError(f"cannot read one number from the printed figure {text!r}")


def decimal_comma(value: Decimal) -> str:
    """A monitor value as the source prints it: one decimal, decimal comma."""
    return f"{value:.1f}".replace(".", ",")


# Section and chapter headings start a line: "3.2 \t Individuele factoren", " 4.\t Aanbevelingen".
HEADING = re.compile(r"^[ \t]*(\d\.\d|\d(?=\.))\.?[ \t]+(?=[A-Z])", re.MULTILINE)


@cache
def headings() -> dict[str, int]:
    """Section number ("3.2", or "4" for a chapter) -> offset of its heading in the raw source."""
    found: dict[str, int] = {}
    for match in HEADING.finditer(raw_source()):
        found.setdefault(match.group(1), match.start())
    return found


def section_text(number: str) -> str:
    """Normalised text from the heading of `number` to the next heading (in print order)."""
    start = headings()[number]
    following = [offset for offset in headings().values() if offset > start]
    return normalise(raw_source()[start : min(following, default=len(raw_source()))])


def all_figures() -> list[tuple[str, Figure]]:
    """(readable id, figure) for every figure of every factor level."""
    figures = []
    for factor in reference().factors.values():
        for level in factor.levels:
            for figure in level.figures:
                figures.append((f"{factor.id}/{level.value}/{figure.measure}={figure.value}", figure))
    return figures


FIGURES = all_figures()
COMPARED = [(name, figure) for name, figure in FIGURES if figure.compared_with is not None]
IN_SECTION = [(name, figure) for name, figure in FIGURES if re.fullmatch(r"\d(\.\d)?", figure.paragraph)]


# --- 1. the monitor table (Afbeelding 3) ------------------------------------------------------

MONITOR_ROW = re.compile(r"(\d{2}-\d{2} jaar|\d{2}\+) (\d+,\d) (\d+,\d) (\d+,\d) (\d+,\d)(?![\d,])")
MONITOR_COLUMNS = ("eenzaam", "ernstig", "emotioneel", "sociaal")


@cache
def monitor_rows() -> dict[str, tuple[str, ...]]:
    """Age-band label -> the four printed values, in source order."""
    return {match.group(1): match.groups()[1:] for match in MONITOR_ROW.finditer(source())}


def test_monitor_source_has_the_expected_table():
    assert in_source("Afbeelding 3: Eenzaamheid naar leeftijd 2016")
    assert in_source("Leeftijd Eenzaam (Zeer) ernstig Emotioneel Sociaal"), "column order of Afbeelding 3 changed"
    assert len(monitor_rows()) == 6, f"expected six age rows in Afbeelding 3, parsed {list(monitor_rows())}"


def test_monitor_measures_are_the_table_columns():
    assert reference().monitor.measures == MONITOR_COLUMNS


def test_monitor_bands_are_exactly_the_source_rows():
    labels = [band.label for band in reference().monitor.bands]
    assert labels == list(monitor_rows()), "monitor bands differ from the rows of Afbeelding 3 (or their order)"


@pytest.mark.parametrize("band", reference().monitor.bands, ids=lambda band: band.label)
def test_monitor_band_matches_source_row(band):
    printed = monitor_rows().get(band.label)
    assert printed is not None, f"monitor band {band.label!r} has no row in Afbeelding 3"
    ages = re.fullmatch(r"(\d+)(?:-(\d+) jaar|\+)", band.label)
    assert ages, f"unexpected band label {band.label!r}"
    expected_max = int(ages.group(2)) if ages.group(2) else None
    assert (band.min_age, band.max_age) == (int(ages.group(1)), expected_max), f"{band.label}: age bounds"
    for column, text in zip(MONITOR_COLUMNS, printed):
        value = band.values.get(column)
        assert value is not None, f"{band.label}: {column} missing, source prints {text}"
        assert value == Decimal(text.replace(",", ".")) and decimal_comma(value) == text, (
            f"{band.label}: {column} is {value}, Afbeelding 3 prints {text}"
        )


def test_monitor_total_row():
    total = reference().monitor.total
    assert total is not None, "the whole-population row is missing"
    assert total.values["eenzaam"] == 43 and in_source("43% van de algemene Nederlandse bevolking"), (
        f"total eenzaam is {total.values['eenzaam']}; source: '43% van de algemene Nederlandse bevolking'"
    )
    assert total.values["ernstig"] == 10 and in_source("10% van de Nederlandse bevolking"), (
        f"total ernstig is {total.values['ernstig']}; source: '10% van de Nederlandse bevolking'"
    )
    # The source gives no national figure for emotional or social loneliness.
    assert total.values.get("emotioneel") is None and total.values.get("sociaal") is None


# --- 2. every figure as printed ---------------------------------------------------------------


@pytest.mark.parametrize("name, figure", FIGURES, ids=[name for name, _ in FIGURES])
def test_figure_text_occurs_in_source(name, figure):
    assert in_source(figure.text), f"{name}: text {figure.text!r} does not occur in the source"


@pytest.mark.parametrize("name, figure", FIGURES, ids=[name for name, _ in FIGURES])
def test_figure_value_matches_its_text(name, figure):
    assert number_in(figure.text) == figure.value, f"{name}: value {figure.value} but text {figure.text!r}"


@pytest.mark.parametrize("name, figure", COMPARED, ids=[name for name, _ in COMPARED])
def test_comparison_matches_source(name, figure):
    compared = figure.compared_with
    assert in_source(compared.text), f"{name}: comparison text {compared.text!r} does not occur in the source"
    assert number_in(compared.text) == compared.value, (
        f"{name}: comparison value {compared.value} but text {compared.text!r}"
    )


@pytest.mark.parametrize("name, figure", IN_SECTION, ids=[name for name, _ in IN_SECTION])
def test_figure_text_occurs_in_its_section(name, figure):
    assert in_source(figure.text, section_text(figure.paragraph)), (
        f"{name}: {figure.text!r} does not occur in section {figure.paragraph} of the source"
    )


# --- 3. the figures the source gives, pinned ----------------------------------------------------

# (factor, level, measure, value, compared value or None, source id, min_age of the condition or None)
# "movisie" is the document itself: the source cites no study for these figures.
PINNED = [
    ("opleiding", "laag", "eenzaam", 63, 36, "gm_2016", 19),
    ("rondkomen", "moeite", "eenzaam", 55, 34, "gm_2012", None),
    ("werk", "geen_betaald", "eenzaam", 48, 33, "gm_2012", None),
    ("mantelzorger", "ja", "ernstig", 43, 10, "movisie", None),
    ("transgender", "ja", "ernstig", 25, 10, "movisie", None),
    ("migratie", "niet_westers", "eenzaam", 64, 39, "gm_2016", None),
    ("migratie", "westers", "eenzaam", 51, 39, "gm_2016", None),
    ("migratie", "turks", "eenzaam", 67, 38, "uysal_bozkir_2017", 55),
    ("migratie", "marokkaans", "eenzaam", 55, 38, "uysal_bozkir_2017", 55),
    ("migratie", "surinaams", "eenzaam", 47, 38, "uysal_bozkir_2017", 55),
    ("leeftijd", "vanaf_85", "eenzaam", 63, 43, "gm_2016", 85),
    ("verstandelijke_beperking", "ja", "weleens_eenzaam", 36, None, "nivel_2014", None),
    ("dak_thuisloos", "ja", "ernstig", 40, 10, "van_amelsfort_2013", None),
    ("burgerlijke_staat", "gescheiden", "eenzaam", 60, 43, "gm_2016", None),
    ("burgerlijke_staat", "gescheiden", "ernstig", 22, 10, "gm_2016", None),
    ("burgerlijke_staat", "verweduwd", "eenzaam", 60, 43, "gm_2016", None),
    ("burgerlijke_staat", "verweduwd", "ernstig", 17, 10, "gm_2016", None),
    # The groups the source compares with, kept as figures of their own reference level.
    ("opleiding", "hoog", "eenzaam", 36, None, "gm_2016", 19),
    ("rondkomen", "geen_moeite", "eenzaam", 34, None, "gm_2012", None),
    ("werk", "betaald", "eenzaam", 33, None, "gm_2012", None),
    ("migratie", "nederlands", "eenzaam", 39, None, "gm_2016", None),
    ("migratie", "nederlands", "eenzaam", 38, None, "uysal_bozkir_2017", 55),
]


def pinned_id(entry: tuple) -> str:
    return f"{entry[0]}/{entry[1]}/{entry[2]}={entry[3]}"


@pytest.mark.parametrize("entry", PINNED, ids=pinned_id)
def test_pinned_figure(entry):
    factor_id, level_value, measure, value, compared, source_id, min_age = entry
    name = pinned_id(entry)
    factor = reference().factors.get(factor_id)
    assert factor is not None, f"{name}: factor {factor_id!r} missing"
    level = factor.level(level_value)
    assert level is not None, f"{name}: level {level_value!r} missing"
    matches = [f for f in level.figures if f.measure == measure and f.value == value]
    assert len(matches) == 1, f"{name}: expected one figure, found {[(f.measure, f.value) for f in level.figures]}"
    figure = matches[0]
    actual_compared = figure.compared_with.value if figure.compared_with else None
    assert actual_compared == compared, f"{name}: compared with {actual_compared}, source says {compared}"
    assert figure.source == source_id, f"{name}: source {figure.source!r}, expected {source_id!r}"
    actual_min_age = figure.condition.min_age if figure.condition else None
    assert actual_min_age == min_age, f"{name}: condition min_age {actual_min_age}, expected {min_age}"
    assert figure.condition is None or figure.condition.max_age is None, f"{name}: unexpected max_age"


def test_every_figure_is_pinned():
    pinned = {(f, lv, m, Decimal(v), s) for f, lv, m, v, _, s, _ in PINNED}
    unpinned = [
        name
        for factor in reference().factors.values()
        for level in factor.levels
        for figure in level.figures
        if (factor.id, level.value, figure.measure, figure.value, figure.source) not in pinned
        for name in [f"{factor.id}/{level.value}/{figure.measure}={figure.value} ({figure.source})"]
    ]
    assert not unpinned, f"figures not in the pinned list (check them against the source, then pin): {unpinned}"


# --- 4. the factors the source requires ------------------------------------------------------

RISK_FACTORS = [
    "opleiding", "rondkomen", "werk", "psychische_problemen", "partner_gezondheidsproblemen",
    "mantelzorger", "lhbti", "transgender", "migratie", "leeftijd", "persoonskenmerken",
    "verstandelijke_beperking", "dak_thuisloos", "burgerlijke_staat", "geen_contact_kinderen",
    "verlies_broer_zus", "alleen_familienetwerk", "culturele_normen", "sociaaleconomische_context",
    "alleenwonend", "opeenstapeling_gebeurtenissen",
]  # fmt: skip
PROTECTIVE_FACTORS = [
    "netwerk", "belangrijke_relaties", "veerkracht", "emotionele_steun", "partner_vertrouwenspersoon",
    "dagelijks_contact", "kerkbezoek_wekelijks", "buurtcontacten", "vrijwilligerswerk", "sport",
    "verbondenheid_gemeenschap",
]  # fmt: skip

# The three categories of section 3.1, and the section that treats each.
CATEGORY_SECTIONS = {"leefomstandigheden": "3.2", "sociale_integratie": "3.3", "macro": "3.4"}
DIRECTIONS = {"risico", "beschermend", "referentie", "neutraal"}


@pytest.mark.parametrize("factor_id", RISK_FACTORS + PROTECTIVE_FACTORS)
def test_required_factor_exists(factor_id):
    assert factor_id in reference().factors, f"factor {factor_id!r}, named in the source, is missing"


@pytest.mark.parametrize("factor_id", RISK_FACTORS)
def test_risk_factor_has_a_risk_level(factor_id):
    factor = reference().factors[factor_id]
    assert any(level.direction == "risico" for level in factor.levels), f"{factor_id}: no level 'risico'"


@pytest.mark.parametrize("factor_id", PROTECTIVE_FACTORS)
def test_protective_factor_has_a_protective_level(factor_id):
    factor = reference().factors[factor_id]
    assert any(level.direction == "beschermend" for level in factor.levels), f"{factor_id}: no level 'beschermend'"


def test_source_names_three_categories():
    for category in (
        "individuele factoren met betrekking tot leefomstandigheden",
        "individuele factoren met betrekking tot de mate van sociale integratie",
        "macrofactoren",
    ):
        assert in_source(category), f"category {category!r} not in section 3.1"


@pytest.mark.parametrize("factor", reference().factors.values(), ids=lambda factor: factor.id)
def test_factor_category_and_directions(factor):
    assert factor.category in CATEGORY_SECTIONS, f"{factor.id}: category {factor.category!r} is not one of 3.1"
    # A factor from sections 3.2-3.4 belongs to the category that section treats.
    for category, section in CATEGORY_SECTIONS.items():
        if factor.paragraph == section:
            assert factor.category == category, f"{factor.id}: in {section} but category {factor.category!r}"
    for level in factor.levels:
        assert level.direction in DIRECTIONS, f"{factor.id}/{level.value}: direction {level.direction!r}"


def test_network_has_the_five_types_of_the_source():
    assert in_source(
        "een divers netwerk, een vriendgericht netwerk, een buurgericht netwerk, "
        "een kindgericht netwerk en een beperkt netwerk"
    )
    levels = [level.value for level in reference().factors["netwerk"].levels]
    # 'buurtgericht' is the data's spelling of the source's 'buurgericht'.
    assert sorted(levels) == sorted(["divers", "vriendgericht", "buurtgericht", "kindgericht", "beperkt"]), levels


# --- 5. signals (Afbeelding 4) ------------------------------------------------------------------

SIGNAL_COUNTS = (6, 9, 4, 11)


@cache
def figure_4() -> dict[str, list[str]]:
    """Category heading ("Lichamelijke signalen") -> its bullets, as printed in Afbeelding 4."""
    block = re.search(r"Afbeelding 4: Signalen die kunnen wijzen op eenzaamheid (.*?) Bron: Sleutels", source())
    assert block, "Afbeelding 4 not found in the source"
    parts = re.split(r"(\w+ signalen):", block.group(1))
    return {
        heading: [bullet.strip() for bullet in bullets.split("•") if bullet.strip()]
        for heading, bullets in zip(parts[1::2], parts[2::2])
    }


def test_signal_categories_and_counts():
    categories = reference().signals.categories
    counts = tuple(len(category.signals) for category in categories)
    assert counts == SIGNAL_COUNTS, f"signals per category {counts}, expected {SIGNAL_COUNTS}"
    assert [c.label.nl for c in categories] == list(figure_4()), "categories differ from Afbeelding 4"


@pytest.mark.parametrize("category", reference().signals.categories, ids=lambda category: category.id)
def test_signals_are_the_bullets_of_figure_4(category):
    bullets = figure_4().get(category.label.nl)
    assert bullets is not None, f"{category.id}: heading {category.label.nl!r} not in Afbeelding 4"
    for signal in category.signals:
        assert in_source(signal.label.nl, " • ".join(bullets)), (
            f"{category.id}/{signal.id}: {signal.label.nl!r} is not a signal of Afbeelding 4"
        )
    labels = [normalise(signal.label.nl).casefold() for signal in category.signals]
    assert labels == [bullet.casefold() for bullet in bullets], f"{category.id}: signals differ from Afbeelding 4"


# --- 6. bibliography ----------------------------------------------------------------------------

# Sources whose authors string is not printed verbatim: id -> the wording the source uses instead.
# The check still requires that wording to occur in the source.
AUTHORS_AS_PRINTED = {
    # "onderzoek van de Vrije Universiteit en het NIDI": the data drops the articles.
    "vu_nidi": "de Vrije Universiteit en het NIDI",
}
# Years in the source that are not citations.
NON_CITATION_YEARS = {
    2019,  # "vanaf 2019 met het Kwaliteitskompas" (box on the GGD Amsterdam)
}

# Sources the source document cites; public sources outside it (the De Jong Gierveld scoring) have no
# `vermeld_in` and carry a url instead.
SOURCES = [s for s in reference().sources.values() if s.cited_in]
EXTERNAL = [s for s in reference().sources.values() if not s.cited_in]


@pytest.mark.parametrize("entry", EXTERNAL, ids=lambda source: source.id)
def test_external_sources_have_a_url_and_are_not_in_the_source_text(entry):
    assert entry.url and entry.url.startswith("https://")
    assert not in_source(entry.title or entry.id), f"{entry.id} is cited by the source: give it vermeld_in"


def first_author(authors: str) -> str:
    """The first author's name: "C. van Campen, F. Vonk, en T. Van Tilburg" -> "van Campen"."""
    first = re.split(r",| & | en ", authors)[0]
    first = re.sub(r"\b[A-Z]\.\s*", "", first)  # initials
    return re.sub(r"\s+(et al\.|e\.a\.)$", "", first).strip()


@pytest.mark.parametrize("entry", [s for s in SOURCES if s.authors], ids=lambda source: source.id)
def test_source_authors_as_printed(entry):
    printed = AUTHORS_AS_PRINTED.get(entry.id, entry.authors)
    assert in_source(printed), f"bronnen.yaml {entry.id}: authors {printed!r} do not occur in the source"


@pytest.mark.parametrize("entry", [s for s in SOURCES if s.authors and s.year], ids=lambda source: source.id)
def test_source_year_next_to_first_author(entry):
    name = first_author(entry.authors)
    text = source()
    positions = [m.start() for m in re.finditer(re.escape(name), text, re.IGNORECASE)]
    assert positions, f"bronnen.yaml {entry.id}: first author {name!r} not in the source"
    assert any(str(entry.year) in text[p : p + 200] for p in positions), (
        f"bronnen.yaml {entry.id}: year {entry.year} not within 200 characters after {name!r}"
    )


def test_every_cited_year_is_in_the_bibliography():
    years = {int(year) for year in re.findall(r"\b(?:19|20)\d\d\b", source())}
    known = {s.year for s in SOURCES if s.year}
    missing = sorted(years - known - NON_CITATION_YEARS)
    assert not missing, f"years cited in the source without a bibliography entry: {missing}"


def test_source_titles_occur_in_source():
    for entry in SOURCES:
        if entry.title:
            assert in_source(entry.title), f"bronnen.yaml {entry.id}: title {entry.title!r} not in the source"


@pytest.mark.parametrize("name, figure", FIGURES, ids=[name for name, _ in FIGURES])
def test_figure_source_and_year(name, figure):
    entry = reference().sources.get(figure.source)
    assert entry is not None, f"{name}: source {figure.source!r} not in bronnen.yaml"
    assert figure.year == entry.year, f"{name}: year {figure.year}, but {figure.source} is from {entry.year}"


# --- 7. paragraph references --------------------------------------------------------------------


def paragraph_references() -> list[tuple[str, str]]:
    """(where, paragraph) for every place reference in the data."""
    ref = reference()
    refs = [(f"risicofactoren {f.id}", f.paragraph) for f in ref.factors.values()]
    refs += [(f"risicofactoren {name}", figure.paragraph) for name, figure in FIGURES]
    refs += [(f"interventies {i.id}", i.paragraph) for i in ref.interventions.values()]
    refs += [(f"levensfasen {s.id}", s.paragraph) for s in ref.life_stages.values()]
    refs += [(f"niveaus {t.id}", t.paragraph) for t in ref.tiers.tiers]
    refs += [("niveaus preventiemodel", ref.tiers.model.paragraph), ("signalen", ref.signals.paragraph)]
    refs += [(f"bronnen {s.id} vermeld_in", place) for s in SOURCES for place in s.cited_in]
    return refs


PARAGRAPHS = paragraph_references()


@pytest.mark.parametrize("where, paragraph", PARAGRAPHS, ids=[f"{w}: {p}" for w, p in PARAGRAPHS])
def test_paragraph_exists_in_source(where, paragraph):
    kind, _, name = paragraph.partition(" ")
    if re.fullmatch(r"\d(\.\d)?", paragraph):
        assert paragraph in headings(), f"{where}: no heading {paragraph!r} in the source"
    elif paragraph == "inleiding":
        assert raw_source().lstrip().startswith("Inleiding"), f"{where}: the source has no Inleiding"
    elif kind == "afbeelding":
        assert re.search(rf"Afbeelding {re.escape(name)}[.:]", source()), f"{where}: no Afbeelding {name}"
    elif kind == "voetnoot":
        assert re.search(rf"^{re.escape(name)}(?!\d)", raw_source(), re.MULTILINE), f"{where}: no footnote {name}"
    elif kind == "kader":
        assert name and in_source(name), f"{where}: box {name!r} not found in the source"
    else:
        pytest.fail(f"{where}: {paragraph!r} is not a section, afbeelding, kader, voetnoot or inleiding")
