"""Pydantic models of the data files: the contract users' own files must meet.

These models are only imported when data files are validated (a cache miss,
`eenzaam data valideer`, `eenzaam data schema`); the compiled reference used at
run time is made of the immutable `Record` classes in `model.py` (a small base
class of their own, not dataclasses), which start fast.

Field names are Dutch because they are the keys users write in their files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)


def _exact_decimal(value: object) -> Decimal:
    """Numbers arrive as YAML ints/floats; keep exactly the digits written."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError("moet een getal zijn")
    return value if isinstance(value, Decimal) else Decimal(str(value))


Percentage = Annotated[
    Decimal,
    BeforeValidator(_exact_decimal),
    Field(ge=0, le=100, json_schema_extra={"type": "number"}),
]
Id = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", description="kleine letters, cijfers en _")]
Paragraph = Annotated[StrictStr, Field(description="paragraaf of afbeelding in de brontekst, bijv. '3.2'")]
Age = Annotated[StrictInt, Field(ge=0, le=120)]
Year = Annotated[StrictInt, Field(ge=1900, le=2100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A label or explanation in Dutch and English."""

    nl: StrictStr = Field(min_length=1)
    en: StrictStr = Field(min_length=1)


# --- bronnen.yaml -----------------------------------------------------------------


class Source(Strict):
    id: Id
    auteurs: StrictStr = Field(description="auteurs of organisatie, zoals de brontekst ze noemt")
    jaar: Year | None = Field(default=None, description="jaar; leeg als de bron er geen noemt")
    titel: StrictStr | None = Field(default=None, description="alleen als de brontekst de titel noemt")
    vermeld_in: list[Paragraph] = Field(default_factory=list, description="waar de brontekst deze bron noemt; leeg: een openbare bron buiten de brontekst")
    url: StrictStr | None = Field(default=None, pattern=r"^https?://", description="verplicht voor een bron buiten de brontekst")
    notitie: Text | None = None

    @model_validator(mode="after")
    def _traceable(self) -> Source:
        if not self.vermeld_in and not self.url:
            raise ValueError(f"bron {self.id!r}: een bron die de brontekst niet noemt (vermeld_in leeg) heeft een url nodig")
        return self


class SourcesFile(Strict):
    bronnen: list[Source] = Field(min_length=1)


# --- maten.yaml ---------------------------------------------------------------------


class PopulationFigure(Strict):
    """The whole population's figure for a measure: the footing of risk stacking."""

    waarde: Percentage
    tekst: StrictStr = Field(description="het getal zoals de brontekst het drukt")
    groep: Text
    bron: Id
    jaar: Year | None = Field(default=None, description="leeg als de brontekst bij dit cijfer geen jaar noemt")
    paragraaf: Paragraph
    notitie: Text | None = None


class Measure(Strict):
    id: Id
    label: Text
    uitleg: Text
    stapelbaar: StrictBool = Field(description="cijfers van deze maat mogen gecombineerd worden (risicostapeling)")
    bevolking: PopulationFigure | None = Field(
        default=None, description="het cijfer van de hele bevolking; de grondslag 'bevolking' verschuift ten opzichte hiervan")
    deel_van: Id | None = Field(
        default=None, description="een ruimere maat die iedereen met deze maat ook heeft (ernstig eenzaam is ook eenzaam)")


class MeasuresFile(Strict):
    maten: list[Measure] = Field(min_length=1)


# --- risicofactoren.yaml --------------------------------------------------------------


class AgeCondition(Strict):
    leeftijd_min: Age | None = None
    leeftijd_max: Age | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeCondition:
        if self.leeftijd_min is not None and self.leeftijd_max is not None and self.leeftijd_min > self.leeftijd_max:
            raise ValueError("leeftijd_min is groter dan leeftijd_max")
        return self


class Comparison(Strict):
    """What the source compares a figure with (e.g. 36% of the highly educated)."""

    waarde: Percentage
    tekst: StrictStr = Field(description="het getal zoals de brontekst het drukt")
    groep: Text
    notitie: Text | None = None


class Figure(Strict):
    waarde: Percentage
    tekst: StrictStr = Field(description="het getal zoals de brontekst het drukt, bijv. '63%' of 'een kwart'")
    benadering: Literal["ruim", "bijna"] | None = Field(
        default=None, description="de brontekst geeft het getal als 'ruim X' (iets meer) of 'bijna X' (iets minder)")
    maat: Id = Field(description="id uit maten.yaml")
    groep: Text
    voorwaarde: AgeCondition | None = None
    vergeleken_met: Comparison | None = None
    grondslag: Literal["bevolking", "vergelijkingsgroep"] | None = Field(
        default=None, description=(
            "waartegen dit cijfer in een risicostapeling verschuift: 'bevolking' (het bevolkingscijfer van de maat, "
            "maten.yaml) of 'vergelijkingsgroep' (vergeleken_met, alleen voor een cijfer met een leeftijdsvoorwaarde "
            "waarvan de vergelijkingsgroep de leeftijdsgenoten vertegenwoordigt); leeg: niet gestapeld"))
    bron: Id
    jaar: Year | None = Field(default=None, description="leeg als de brontekst bij dit cijfer geen jaar noemt")
    paragraaf: Paragraph
    notitie: Text | None = None

    @model_validator(mode="after")
    def _footing(self) -> Figure:
        if self.grondslag == "vergelijkingsgroep" and (self.vergeleken_met is None or self.voorwaarde is None):
            raise ValueError("grondslag 'vergelijkingsgroep' vraagt om vergeleken_met en een voorwaarde (leeftijd)")
        return self


Direction = Literal["risico", "beschermend", "referentie", "neutraal"]


class Range(Strict):
    min: StrictInt | None = Field(default=None, ge=0)
    max: StrictInt | None = Field(default=None, ge=0)


class Level(Strict):
    waarde: Id
    label: Text | None = None
    richting: Direction
    valt_onder: Id | None = Field(default=None, description="ruimer niveau van dezelfde factor, bijv. turks -> niet_westers")
    bereik: Range | None = Field(default=None, description="alleen bij invoer 'aantal'")
    voorwaarde: AgeCondition | None = Field(
        default=None, description="de richting geldt alleen bij deze leeftijd; daarbuiten telt het niveau als neutraal")
    bron: Id | None = Field(default=None, description="de bron van dit niveau, als die afwijkt van die van de factor")
    uitleg: Text | None = None
    cijfers: list[Figure] = Field(default_factory=list)


Category = Literal["leefomstandigheden", "sociale_integratie", "macro"]


class Factor(Strict):
    id: Id
    categorie: Category
    thema: Text | None = None
    label: Text
    uitleg: Text
    invoer: Literal["keuze", "ja_nee", "aantal"]
    stapelen: StrictBool = Field(default=True, description="false: de cijfers van deze factor zijn het startpunt (leeftijd) en worden niet gestapeld")
    bron: list[Id] = Field(min_length=1)
    paragraaf: Paragraph
    niveaus: list[Level] = Field(min_length=1)

    @model_validator(mode="after")
    def _levels_fit_input(self) -> Factor:
        values = [level.waarde for level in self.niveaus]
        if len(set(values)) != len(values):
            raise ValueError(f"dubbele niveaus in factor {self.id!r}")
        if self.invoer == "ja_nee" and sorted(values) != ["ja", "nee"]:
            raise ValueError("een ja_nee-factor heeft precies de niveaus 'ja' en 'nee'")
        for level in self.niveaus:
            if (self.invoer == "aantal") != (level.bereik is not None):
                raise ValueError(f"niveau {level.waarde!r}: 'bereik' hoort bij invoer 'aantal', en alleen daar")
            if level.valt_onder is not None and level.valt_onder not in values:
                raise ValueError(f"niveau {level.waarde!r}: valt_onder {level.valt_onder!r} is geen niveau van deze factor")
        return self


Selector = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*(=[a-z0-9_]+)?$",
                                      description="'factor' of 'factor=niveau'")]


class Overlap(Strict):
    """Factors the source says partly explain one another: their shifts are not added in full."""

    id: Id
    groep: list[Selector] = Field(min_length=1, description="de groep waarvan het verschil deels verklaard wordt")
    door: list[Selector] = Field(min_length=1, description="de factoren die het deels verklaren")
    kleinste_zijde_telt: Decimal = Field(ge=0, le=1, description=(
        "welk deel van de kleinste van de twee verschuivingen meetelt in de illustratie: 0 is alleen de grootste "
        "zijde (volledige overlap), 1 is beide volledig (geen overlap); 'deels' ligt daartussen"))
    uitleg: Text
    bron: Id
    paragraaf: Paragraph


class FactorsFile(Strict):
    factoren: list[Factor] = Field(min_length=1)
    overlap: list[Overlap] = Field(default_factory=list)


# --- levensfasen.yaml -------------------------------------------------------------------


class LifeStage(Strict):
    id: Id
    label: Text
    leeftijd_min: Age
    leeftijd_max: Age | None = None
    toelichting: Text
    bron: Id
    paragraaf: Paragraph


class LifeStagesFile(Strict):
    levensfasen: list[LifeStage] = Field(min_length=1)


# --- niveaus.yaml (prevention tiers) ------------------------------------------------------------


class Tier(Strict):
    nummer: Literal[1, 2, 3]
    id: Id
    naam: Text
    doelgroep: Text
    doel: Text
    focus: Literal["collectief", "collectief_en_individueel", "individueel"]
    bron: Id
    paragraaf: Paragraph


TierCondition = Literal["eenzaamheid_vastgesteld", "risicofactor_aanwezig", "altijd"]


class TierRule(Strict):
    niveau: Literal[1, 2, 3]
    als: TierCondition
    indicator: Id | None = Field(
        default=None, description="bij eenzaamheid_vastgesteld: de De Jong Gierveld-indicator (djg.yaml) die het vaststelt")
    reden: Text = Field(description="de reden in woorden; {factoren} wordt vervangen door de factoren die besliste")
    onderbouwing: Text | None = Field(default=None, description="waarom deze regel zo is, met de passage uit de brontekst")
    bron: Id | None = None
    paragraaf: Paragraph | None = None

    @model_validator(mode="after")
    def _indicator(self) -> TierRule:
        if (self.als == "eenzaamheid_vastgesteld") != (self.indicator is not None):
            raise ValueError("'indicator' hoort bij 'als: eenzaamheid_vastgesteld', en alleen daar")
        return self


class Phase(Strict):
    nummer: Annotated[StrictInt, Field(ge=1)]
    naam: Text
    onderdelen: list[Text] = Field(min_length=1)


class PreventionModel(Strict):
    naam: Text
    voor_wie: Text
    bron: Id
    paragraaf: Paragraph
    fasen: list[Phase] = Field(min_length=1)


class TiersFile(Strict):
    niveaus: list[Tier] = Field(min_length=3, max_length=3)
    regels: list[TierRule] = Field(min_length=1)
    preventiemodel: PreventionModel

    @model_validator(mode="after")
    def _complete(self) -> TiersFile:
        if sorted(t.nummer for t in self.niveaus) != [1, 2, 3]:
            raise ValueError("de niveaus 1, 2 en 3 moeten elk precies één keer voorkomen")
        if self.regels[-1].als != "altijd":
            raise ValueError("de laatste regel moet 'als: altijd' zijn, zodat iedereen een niveau krijgt")
        return self


# --- signalen.yaml ------------------------------------------------------------------------------


class Signal(Strict):
    id: Id
    label: Text


class SignalCategory(Strict):
    id: Id
    label: Text
    signalen: list[Signal] = Field(min_length=1)


class SignalsFile(Strict):
    bron: Id
    paragraaf: Paragraph
    advies: Text = Field(description="wat te doen met een signaal")
    categorieen: list[SignalCategory] = Field(min_length=1)


# --- interventies.yaml --------------------------------------------------------------------------


class Intervention(Strict):
    id: Id
    naam: Text
    beschrijving: Text
    niveaus: list[Literal[1, 2, 3]] = Field(min_length=1, description="preventieniveaus waarbij de interventie past")
    levensfasen: list[Id] = Field(default_factory=list, description="leeg: alle levensfasen")
    risicogroepen: list[Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*=[a-z0-9_]+$")]] = Field(
        default_factory=list, description="'factor=niveau' waarvoor de brontekst deze interventie noemt"
    )
    uitvoerders: list[Literal["gemeente", "professionals", "inwoners", "scholen"]] = Field(default_factory=list)
    leeftijd: AgeCondition | None = None
    bron: list[Id] = Field(min_length=1)
    paragraaf: Paragraph


class InterventionsFile(Strict):
    interventies: list[Intervention] = Field(min_length=1)


# --- djg.yaml (the De Jong Gierveld scale's scoring key) ----------------------------------------


class Answer(Strict):
    id: Id
    label: Text
    varianten: list[StrictStr] = Field(min_length=1, description="hoe het antwoord geschreven mag worden, bijv. 'ja!' en 'ja'")


class Coding(Strict):
    id: Id
    uitleg: Text
    codes: dict[StrictStr, Id] = Field(description="code -> antwoord-id, bijv. '1': nee")
    bron: Id


class Subscale(Strict):
    id: Id
    label: Text
    items: list[Annotated[StrictInt, Field(ge=1)]] = Field(min_length=1)
    scoort_bij: list[Id] = Field(min_length=1, description="antwoorden die 1 punt geven op deze items")


class Missing(Strict):
    totaal_max: Annotated[StrictInt, Field(ge=0)] = Field(description="hoogstens zoveel ontbrekende items; die tellen als niet eenzaam en de score heet onvolledig")
    subschaal_max: Annotated[StrictInt, Field(ge=0)]
    bron: Id
    notitie: Text | None = None


class ScoreCategory(Strict):
    id: Id
    label: Text
    van: Annotated[StrictInt, Field(ge=0)]
    tot: Annotated[StrictInt, Field(ge=0)]


class ItemOrder(Strict):
    items: list[Annotated[StrictInt, Field(ge=1)]] = Field(
        min_length=1, description="de items van de schaal, elk één keer, in de volgorde waarin antwoorden zonder itemnummer gelezen worden")
    bron: Id
    notitie: Text | None = None


class Indicator(Strict):
    id: Id
    label: Text
    score: Id = Field(description="'totaal' of een subschaal-id")
    drempel: Annotated[StrictInt, Field(ge=0)] = Field(description="eenzaam bij een score van minstens de drempel")
    maat: Id = Field(description="de maat uit maten.yaml die deze indicator meet")
    bron: Id
    notitie: Text | None = None


class Scale(Strict):
    id: Id
    naam: Text
    items: list[Annotated[StrictInt, Field(ge=1)]] = Field(min_length=1)
    subschalen: list[Subscale] = Field(min_length=1)
    ontbrekend: Missing
    categorieen: list[ScoreCategory] = Field(min_length=1)
    categorieen_bron: Id
    indicatoren: list[Indicator] = Field(default_factory=list)
    volgorde: ItemOrder | None = Field(
        default=None, description="de volgorde van antwoorden zonder itemnummer (ANTWOORDEN, --djg); zonder volgorde: die van items")
    bron: Id

    @model_validator(mode="after")
    def _consistent(self) -> Scale:
        covered = sorted(i for sub in self.subschalen for i in sub.items)
        if covered != sorted(self.items):
            raise ValueError(f"schaal {self.id!r}: de subschalen moeten samen precies de items {sorted(self.items)} dekken")
        if self.volgorde is not None and sorted(self.volgorde.items) != sorted(self.items):
            raise ValueError(f"schaal {self.id!r}: volgorde moet de items {sorted(self.items)} elk één keer noemen, "
                             f"niet {self.volgorde.items}")
        expected = 0
        for category in self.categorieen:
            if category.van != expected or category.tot < category.van:
                raise ValueError(f"schaal {self.id!r}: categorie {category.id!r} moet bij {expected} beginnen")
            expected = category.tot + 1
        if expected != len(self.items) + 1:
            raise ValueError(f"schaal {self.id!r}: de categorieën moeten 0 tot en met {len(self.items)} dekken")
        scores = {"totaal", *(sub.id for sub in self.subschalen)}
        for indicator in self.indicatoren:
            if indicator.score not in scores:
                raise ValueError(f"indicator {indicator.id!r}: score {indicator.score!r} bestaat niet (toegestaan: {', '.join(sorted(scores))})")
        return self


class DjgFile(Strict):
    bron: Id
    antwoorden: list[Answer] = Field(min_length=1)
    ontbrekend_waarden: list[StrictStr] = Field(description="wat als 'geen antwoord' telt (naast een leeg veld)")
    coderingen: list[Coding] = Field(default_factory=list)
    schalen: list[Scale] = Field(min_length=1)


# --- voorbeelden.yaml (ready-made examples for trainers) ----------------------------------------

StepText = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*=[a-z0-9_]+$",
                                      description="'factor=waarde', zoals op de opdrachtregel van `eenzaam stapel`")]


class Example(Strict):
    """A ready-made demonstration of risk stacking: an illustration, not a real person."""

    id: Id
    label: Text
    beschrijving: Text = Field(description="één regel: wie dit voorbeeld is")
    stappen: list[StepText] = Field(min_length=1, description="de factoren in de volgorde waarin ze worden toegevoegd; "
                                                               "de eerste is de leeftijd (het startpunt)")
    bron: list[Id] = Field(min_length=1, description="waar de brontekst de combinatie of groep beschrijft")
    paragraaf: Paragraph
    notitie: Text | None = Field(default=None, description="wat dit voorbeeld laat zien")

    @model_validator(mode="after")
    def _one_line(self) -> Example:
        for name in ("label", "beschrijving"):
            text = getattr(self, name)
            if "\n" in text.nl or "\n" in text.en:
                raise ValueError(f"{name} moet één regel zijn")
        return self


class ExamplesFile(Strict):
    voorbeelden: list[Example] = Field(min_length=1)


# --- monitor_2016.csv (one row) -----------------------------------------------------------------


class MonitorRow(Strict):
    groep: StrictStr = Field(min_length=1, description="leeftijdsband zoals gedrukt, of 'totaal'")
    leeftijd_van: Age | None = None
    leeftijd_tot: Age | None = Field(default=None, description="leeg bij de open bovenste band (85+)")
    waarden: dict[Id, Percentage | None] = Field(description="per maat uit maten.yaml; leeg = niet gegeven")
    bron: Id
    jaar: Year
    gebied: StrictStr | None = Field(default=None, min_length=1, description=(
        "het gebied van de tabel, bijv. 'Hollands Midden'; in elke rij hetzelfde; leeg: een landelijke tabel "
        "('Landelijk 2016')"))
    notitie: StrictStr | None = None

    @model_validator(mode="after")
    def _band(self) -> MonitorRow:
        if self.leeftijd_van is None and self.leeftijd_tot is not None:
            raise ValueError("leeftijd_tot zonder leeftijd_van")
        if self.leeftijd_tot is not None and self.leeftijd_van is not None and self.leeftijd_tot < self.leeftijd_van:
            raise ValueError("leeftijd_tot is kleiner dan leeftijd_van")
        return self


# --- a koppeling file (`--koppeling`): an analyst's column names and codes -> the tool's keys ------------

Code = Annotated[StrictStr | StrictInt, Field(description="een code zoals het bestand haar bevat (een getal of een "
                                                            "waardelabel)")]


class MappingFile(Strict):
    """The analyst's names, codes and missing codes, for every command that reads respondent or segment files."""

    kolommen: dict[StrictStr, StrictStr] = Field(default_factory=dict, description=(
        "doelsleutel (leeftijd, burgerlijke_staat, djg_1, gewicht, gebied, …) -> de kolom in het bestand"))
    codes: dict[StrictStr, dict[StrictStr, StrictStr | StrictInt]] = Field(
        default_factory=dict, description="per doelsleutel: code -> de waarde die het hulpmiddel kent (een niveau, ja/nee, …)")
    ontbrekend: list[Code] | dict[StrictStr, list[Code]] = Field(default_factory=list, description=(
        "codes die een ontbrekend antwoord zijn: een lijst voor elke kolom, of per doelsleutel een lijst"))


# One entry per data file: file name -> root model. The order is the load order.
FILE_MODELS: dict[str, type[BaseModel]] = {
    "bronnen.yaml": SourcesFile,
    "maten.yaml": MeasuresFile,
    "levensfasen.yaml": LifeStagesFile,
    "risicofactoren.yaml": FactorsFile,
    "niveaus.yaml": TiersFile,
    "signalen.yaml": SignalsFile,
    "interventies.yaml": InterventionsFile,
    "djg.yaml": DjgFile,
    "voorbeelden.yaml": ExamplesFile,
}


def json_schemas() -> dict[str, dict]:
    """The JSON Schema of every data file, keyed by file name (monitor: one row), and of a koppeling file."""
    schemas = {name: model.model_json_schema(mode="validation") for name, model in FILE_MODELS.items()}
    schemas["monitor.csv"] = MonitorRow.model_json_schema(mode="validation")
    schemas["koppeling"] = MappingFile.model_json_schema(mode="validation")
    return schemas
