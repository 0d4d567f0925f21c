"""Guard the bundled reference data against the one document it comes from.

Every number, name and place in data/ must be traceable to the Movisie text on
preventing loneliness, stored (as text extracted from the PDF) outside the
repository. tests/bron.py finds it: EENZAAM_BRON, or by default
../shared/bron/000_857a77e85d368171.txt relative to the project root. A test that
needs the text is skipped when it is absent, and fails when EENZAAM_BRON names a
missing file. These tests read that text and check the checkout's data/ as the
library compiles it (an installed copy must equal it byte for byte):

1. the monitor table (Afbeelding 3) row by row, and the whole-population row;
2. every figure in its place: pinned to the sentence it comes from, with its
   group's words next to its number, and its comparison in the same sentence;
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
from typing import NamedTuple

import pytest

import bron
from bron import in_source, normalise, raw_source, source
from eenzaam_cli.core.reference.loading import load_reference
from eenzaam_cli.core.reference.model import Figure, Reference

# --- helpers --------------------------------------------------------------------------------


@cache
def reference() -> Reference:
    """The checkout's data/ (every file replaces the installed copy's), so an edit is checked before reinstalling."""
    return load_reference([bron.CHECKOUT_DATA], use_cache=False)


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


def test_population_figures():
    """The whole population's figures live with their measure (maten.yaml), each with the source the text gives."""
    measures = reference().measures
    assert reference().monitor.total is None, "Afbeelding 3 has no whole-population row"
    expected = {"eenzaam": (43, "gm_2016", "43% van de algemene Nederlandse bevolking"),
                "ernstig": (10, "movisie", "10% van de Nederlandse bevolking"),
                "soms_eenzaam": (40, "movisie", "In Nederland voelt 40% van de bevolking zich soms eenzaam")}
    for measure, (value, source_id, sentence) in expected.items():
        population = measures[measure].population
        assert population is not None and population.value == value and population.source == source_id, measure
        assert in_source(sentence), sentence
    # The source gives no national figure for emotional or social loneliness.
    assert measures["emotioneel"].population is None and measures["sociaal"].population is None


# --- 2. every figure in its place ---------------------------------------------------------------


class Citation(NamedTuple):
    """Where the source prints a figure: its sentence, and the words that tie the number to its group.

    - `sentence`: a fragment of the source, as printed (whitespace is normalised), containing the
      figure's printed text.
    - `group`: words of the figure's group. Each must occur in the figure's `groep` (nl) and in `sentence`
      within NEAR characters of the printed figure.
    - `compared`: the same for the group the figure is compared with (`vergeleken_met`), whose printed
      text must also be in `sentence`. These words must not occur in the figure's own group.
    - `compared_in`: only for a sentence that refers to its comparison without printing it ("dan
      gemiddeld"): the source fragment that prints the comparison. `sentence` must still contain the
      `compared` words.
    """

    sentence: str
    group: tuple[str, ...]
    compared: tuple[str, ...] = ()
    compared_in: str | None = None


# How far (in characters of normalised text) a group's words may be from the printed figure.
NEAR = 60

_SES = (
    "Van de laagopgeleiden boven de 19 jaar voelt 63% zich eenzaam, ten opzichte van 36% van de "
    "hoogopgeleiden"
)
_INCOME = (
    "van de mensen die geen moeite hebben om rond te komen, een op de drie (34%) zich eenzaam voelt, "
    "terwijl van degenen die wel moeite hebben om rond te komen 55 procent aangeeft zich eenzaam te voelen"
)
_WORK = "de mensen met betaald werk (33%) zich minder eenzaam voelen dan mensen zonder betaald werk (48%)"
_MIGRATION = (
    "(Ernstige) eenzaamheid komt meer voor onder mensen met een niet-westerse migratieachtergrond (64%) "
    "dan onder mensen met een westerse migratieachtergrond (51%) en Nederlanders (39%)"
)
_OLDER_MIGRANTS = (
    "Terwijl 38% van de autochtone ouderen eenzaamheid rapporteerde, gaf 47%van de Surinaamse, 55% van de "
    "Marokkaanse en maar liefst 67% van de Turkse ouderen aan eenzaam te zijn"
)
_DIVORCED_WIDOWED = (
    "Ruim 60% van de gescheiden mensen en weduwen of weduwnaars voelt zich eenzaam, ten opzichte van 43% "
    "van de algemene Nederlandse bevolking"
)
_SEVERE = (
    "Ernstige eenzaamheid komt onder beide groepen ook aanzienlijk vaker voor dan gemiddeld: gescheiden "
    "mensen (22%) en weduwen of weduwnaars (17%)"
)
# The national average of severe loneliness, as 3.2 prints it (the sentence on homelessness). The sentence
# on divorced and widowed people compares with it ("dan gemiddeld") without repeating the number.
_SEVERE_AVERAGE = "ernstige eenzaamheid ervaart ten opzichte van het landelijke gemiddelde van 10%"

# (factor id, figure text as printed) -> the citation. Keyed by the printed text, not by level or measure, so
# a figure keeps its place when its level or measure is renamed; a figure moved to another factor, or a
# new figure, has no citation until someone finds its sentence and pins it here.
PLACEMENT: dict[tuple[str, str], Citation] = {
    ("opleiding", "63%"): Citation(_SES, ("laagopgeleiden",), ("hoogopgeleiden",)),
    ("opleiding", "36%"): Citation(_SES, ("hoogopgeleiden",)),
    ("rondkomen", "55 procent"): Citation(_INCOME, ("moeite hebben om rond te komen",), ("geen moeite",)),
    ("rondkomen", "een op de drie (34%)"): Citation(_INCOME, ("geen moeite",)),
    ("werk", "48%"): Citation(_WORK, ("zonder betaald werk",), ("met betaald werk",)),
    ("werk", "33%"): Citation(_WORK, ("met betaald werk",)),
    ("mantelzorger", "43%"): Citation(
        "Maar liefst 43% van de mantelzorgers voelt zich sterk eenzaam, ten opzichte van 10% van de "
        "Nederlandse bevolking",
        ("mantelzorgers",),
        ("Nederlandse bevolking",),
    ),
    ("transgender", "een kwart"): Citation(
        "Een kwart van de transgenders is sterk eenzaam ten opzichte van 10% van de algemene Nederlandse "
        "bevolking",
        ("transgenders",),
        ("algemene Nederlandse bevolking",),
    ),
    ("migratie", "64%"): Citation(_MIGRATION, ("niet-westerse",), ("Nederlanders",)),
    ("migratie", "51%"): Citation(_MIGRATION, ("een westerse",), ("Nederlanders",)),
    ("migratie", "39%"): Citation(_MIGRATION, ("Nederlanders",)),
    ("migratie", "67%"): Citation(_OLDER_MIGRANTS, ("Turkse",), ("autochtone",)),
    ("migratie", "55%"): Citation(_OLDER_MIGRANTS, ("Marokkaanse",), ("autochtone",)),
    ("migratie", "47%"): Citation(_OLDER_MIGRANTS, ("Surinaamse",), ("autochtone",)),
    ("migratie", "38%"): Citation(_OLDER_MIGRANTS, ("autochtone",)),
    ("leeftijd", "Bijna twee derde (63%)"): Citation(
        "Bijna twee derde (63%) van de 85 plussers voelt zich eenzaam ten opzichte van 43% van de algemene "
        "Nederlandse bevolking",
        ("85", "plussers"),
        ("algemene Nederlandse bevolking",),
    ),
    ("verstandelijke_beperking", "Eén derde (36%)"): Citation(
        "Eén derde (36%) van de mensen met een verstandelijke beperking voelt zich weleens eenzaam of alleen",
        ("verstandelijke beperking",),
    ),
    ("dak_thuisloos", "bijna 40%"): Citation(
        "onderzoek onder Utrechtse ex-dak- en thuislozen dat bijna 40% ernstige eenzaamheid ervaart ten "
        "opzichte van het landelijke gemiddelde van 10%",
        ("Utrechtse", "ex-dak- en thuislozen"),
        ("landelijke gemiddelde",),
    ),
    ("burgerlijke_staat", "Ruim 60%"): Citation(
        _DIVORCED_WIDOWED, ("gescheiden", "weduwen"), ("algemene Nederlandse bevolking",)
    ),
    ("burgerlijke_staat", "22%"): Citation(_SEVERE, ("gescheiden",), ("gemiddeld",), _SEVERE_AVERAGE),
    ("burgerlijke_staat", "17%"): Citation(_SEVERE, ("weduwen",), ("gemiddeld",), _SEVERE_AVERAGE),
}


def spans(fragment: str, text: str) -> list[tuple[int, int]]:
    """Where `fragment` occurs in `text` (case-insensitive, normalised), not as the tail of a longer word
    or number ("5%" is not found in "55%")."""
    pattern = r"(?<![\w,])" + re.escape(normalise(fragment))
    return [match.span() for match in re.finditer(pattern, normalise(text), re.IGNORECASE)]


def distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 if they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def placed(what: str, text: str, value: Decimal, group: str, words: tuple[str, ...], sentence: str) -> list[str]:
    """Problems with one printed number in its sentence: the text is there, states `value`, and the
    group's `words` are in `group` and next to the number."""
    problems = []
    at = spans(text, sentence)
    if not at:
        problems.append(f"{what} {text!r} is not in its pinned sentence {sentence!r}")
    try:
        stated = number_in(text)
    except AssertionError as error:
        problems.append(f"{what}: {error}")
    else:
        if stated != value:
            problems.append(f"{what} value is {value}, but {text!r} states {stated}")
    if not words:
        problems.append(f"{what}: the pinned citation names no words of its group")
    for word in words:
        if not spans(word, group):
            problems.append(f"{what} group {group!r} lacks {word!r}, the group the sentence gives this number")
        near = spans(word, sentence)
        if not near:
            problems.append(f"{what}: {word!r} is not in the pinned sentence")
        elif at and min(distance(a, b) for a in at for b in near) > NEAR:
            problems.append(f"{what}: {word!r} is more than {NEAR} characters from {text!r} in the pinned sentence")
    return problems


def figure_problems(factor_id: str, figure: Figure) -> list[str]:
    """Problems with one figure's place in the source (empty if it is where its pinned citation says)."""
    citation = PLACEMENT.get((factor_id, figure.text))
    if citation is None:
        return ["no pinned citation: find the sentence that prints this figure for this factor and pin it in PLACEMENT"]
    problems = []
    for fragment in filter(None, (citation.sentence, citation.compared_in)):
        if not in_source(fragment):
            problems.append(f"pinned sentence not in the source: {fragment!r}")
    problems += placed("figure", figure.text, figure.value, figure.group.nl, citation.group, citation.sentence)
    compared = figure.compared_with
    if compared is None:
        if citation.compared:
            problems.append(f"the source compares it with {citation.compared}, the data gives no comparison")
        return problems
    where = citation.compared_in or citation.sentence
    problems += placed("comparison", compared.text, compared.value, compared.group.nl, citation.compared, where)
    for word in citation.compared:
        if spans(word, figure.group.nl):
            problems.append(f"figure group {figure.group.nl!r} has {word!r}, which names the group it is compared with")
        if citation.compared_in and not spans(word, citation.sentence):
            problems.append(f"comparison: {word!r} is not in the figure's own sentence, which should refer to it")
    return problems


def placement_problems(ref: Reference) -> list[str]:
    """Every problem with the placement of every figure of every factor level of `ref`, plus pinned
    citations that no figure uses. Each starts with "<factor id> '<printed text>'"."""
    problems, seen = [], set()
    for factor in ref.factors.values():
        for level in factor.levels:
            for figure in level.figures:
                seen.add((factor.id, figure.text))
                problems += [
                    f"{factor.id} {figure.text!r} (niveau {level.value}): {problem}"
                    for problem in figure_problems(factor.id, figure)
                ]
    problems += [
        f"{factor_id} {text!r}: pinned in PLACEMENT, but the data has no such figure"
        for factor_id, text in PLACEMENT
        if (factor_id, text) not in seen
    ]
    return problems


PLACED = [
    (f"{factor.id}/{level.value}/{figure.text}", factor.id, figure)
    for factor in reference().factors.values()
    for level in factor.levels
    for figure in level.figures
]


@pytest.mark.parametrize("name, factor_id, figure", PLACED, ids=[name for name, _, _ in PLACED])
def test_figure_is_in_its_sentence(name, factor_id, figure):
    problems = figure_problems(factor_id, figure)
    assert not problems, f"{name}: " + "; ".join(problems)


def test_placement_of_the_bundled_data():
    assert placement_problems(reference()) == []


def swap(edit, first: str, second: str) -> None:
    """Swap two fragments of risicofactoren.yaml in the data copy (each must occur; the first is used)."""
    edit("risicofactoren.yaml", first, "@@swap@@")
    edit("risicofactoren.yaml", second, first)
    edit("risicofactoren.yaml", "@@swap@@", second)


def problems_of(problems: list[str], factor_id: str, text: str) -> list[str]:
    return [problem for problem in problems if problem.startswith(f"{factor_id} {text!r} ")]


LOW_EDUCATION = 'waarde: 63\n            tekst: "63%"'
MONEY_TROUBLE = 'waarde: 55\n            tekst: "55 procent"'


def test_figures_swapped_between_factors_are_caught(data_copy):
    source()  # skips (or fails) like every test here that needs the source text
    swap(data_copy, LOW_EDUCATION, MONEY_TROUBLE)
    problems = placement_problems(load_reference([data_copy.dir], use_cache=False))
    assert problems_of(problems, "opleiding", "55 procent"), problems
    assert problems_of(problems, "rondkomen", "63%"), problems


def test_values_swapped_under_their_printed_text_are_caught(data_copy):
    source()
    data_copy("risicofactoren.yaml", LOW_EDUCATION, 'waarde: 55\n            tekst: "63%"')
    data_copy("risicofactoren.yaml", MONEY_TROUBLE, 'waarde: 63\n            tekst: "55 procent"')
    problems = placement_problems(load_reference([data_copy.dir], use_cache=False))
    assert any("states 63" in p for p in problems_of(problems, "opleiding", "63%")), problems
    assert any("states 55" in p for p in problems_of(problems, "rondkomen", "55 procent")), problems


def test_figures_swapped_between_groups_of_one_sentence_are_caught(data_copy):
    source()
    swap(data_copy, 'waarde: 64\n            tekst: "64%"', 'waarde: 51\n            tekst: "51%"')
    problems = placement_problems(load_reference([data_copy.dir], use_cache=False))
    assert any("lacks 'niet-westerse'" in p for p in problems_of(problems, "migratie", "64%")), problems
    assert any("lacks 'een westerse'" in p for p in problems_of(problems, "migratie", "51%")), problems


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
    ("mantelzorger", "ja", "sterk_eenzaam", 43, 10, "movisie", None),
    ("transgender", "ja", "sterk_eenzaam", 25, 10, "movisie", None),
    ("migratie", "niet_westers", "eenzaam", 64, 39, "gm_2016", None),
    ("migratie", "westers", "eenzaam", 51, 39, "gm_2016", None),
    ("migratie", "turks", "eenzaam", 67, 38, "uysal_bozkir_2017", 55),
    ("migratie", "marokkaans", "eenzaam", 55, 38, "uysal_bozkir_2017", 55),
    ("migratie", "surinaams", "eenzaam", 47, 38, "uysal_bozkir_2017", 55),
    ("leeftijd", "vanaf_85", "eenzaam", 63, 43, "gm_2016", 85),
    ("verstandelijke_beperking", "ja", "weleens_eenzaam", 36, None, "nivel_2014", None),
    ("dak_thuisloos", "geweest", "ernstig", 40, 10, "van_amelsfort_2013", None),
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


# --- 8. finding the source text (these run without it) -------------------------------------------


def test_missing_source_skips_saying_what_to_do(tmp_path, monkeypatch):
    """The reason names the variable and the place beside the checkout, never this machine's path."""
    monkeypatch.delenv(bron.ENV, raising=False)
    monkeypatch.setattr(bron, "DEFAULT_PATH", tmp_path / "shared" / "bron" / bron.FILE_NAME)
    with pytest.raises(pytest.skip.Exception) as skipped:
        bron.require_source()
    reason = str(skipped.value)
    assert bron.ENV in reason and "../shared/bron/000_857a77e85d368171.txt" in reason
    assert str(tmp_path) not in reason


@pytest.mark.parametrize("value", ["/nonexistent/bron.txt", ""], ids=["missing", "empty"])
def test_source_named_by_the_variable_must_exist(value, monkeypatch):
    monkeypatch.setenv(bron.ENV, value)
    with pytest.raises(pytest.fail.Exception) as failed:
        bron.require_source()
    assert bron.ENV in str(failed.value)


def test_source_named_by_the_variable_is_read(tmp_path, monkeypatch):
    text = tmp_path / "bron.txt"
    text.write_text("Inleiding\neenzaam-\nheid", encoding="utf-8")
    monkeypatch.setenv(bron.ENV, str(text))
    assert bron.require_source() == text
    assert bron.source() == "Inleiding eenzaamheid"


# --- item 5: the checkout's data, and an installed copy equal to it ---


@pytest.fixture
def data_copy(tmp_path):
    """As conftest's `data_copy`, but a copy of the checkout's data/, the data these tests check."""
    from conftest import editable_copy

    return editable_copy(bron.CHECKOUT_DATA, tmp_path / "data")


def test_the_checkouts_data_is_checked_not_an_installed_copy(tmp_path, monkeypatch):
    """An installed copy that an edit has not reached (63% for low education read as 62) is not what is checked."""
    import shutil

    from eenzaam_cli.core.reference import loading

    stale = tmp_path / "installed"
    shutil.copytree(bron.CHECKOUT_DATA, stale)
    path = stale / "risicofactoren.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(LOW_EDUCATION, LOW_EDUCATION.replace("63", "62", 1), 1),
                    encoding="utf-8")
    monkeypatch.setattr(loading, "bundled_data_dir", lambda: stale)
    reference.cache_clear()
    try:
        assert reference().factors["opleiding"].level("laag").figures[0].value == 63
    finally:
        reference.cache_clear()


def test_the_installed_data_equals_the_checkouts():
    """A non-editable install (CI: pip install '.[test,spss,excel]') ships data/ as eenzaam_cli/data: the same bytes."""
    from pathlib import Path

    import eenzaam_cli

    installed = Path(eenzaam_cli.__file__).resolve().parent / "data"
    if not installed.is_dir():
        pytest.skip(f"no installed copy of the data at {installed} (an editable install reads {bron.CHECKOUT_DATA})")

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts}

    ours, theirs = files(bron.CHECKOUT_DATA), files(installed)
    assert sorted(theirs) == sorted(ours), f"{installed} holds other files than {bron.CHECKOUT_DATA}: reinstall"
    differ = [name for name in ours if ours[name] != theirs[name]]
    assert not differ, f"{installed} differs from {bron.CHECKOUT_DATA} in {differ}: reinstall the package"
