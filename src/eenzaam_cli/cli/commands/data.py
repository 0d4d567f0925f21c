"""`eenzaam data …`: check data files, publish their JSON Schema, start a folder of one's own, show the bundled files."""

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import ExitCode, InputError
from ..app import DataOption, FormatOption, LanguageOption, data_app


@data_app.command("valideer")
def data_valideer(
    paden: Annotated[list[Path], typer.Argument(metavar="PAD...", help="Mappen of gegevensbestanden om te controleren.")],
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
) -> None:
    """Controleer gegevensbestanden: één regel per probleem, met bestand, regel en veld.

    Bestanden die u niet opgeeft, komen uit de meegeleverde gegevens, zodat ook
    verwijzingen tussen bestanden worden gecontroleerd. Exitcode 3 bij problemen.
    """
    from ...core.reference.loading import compile_files, find_files
    from ...core.text import t

    files = find_files(paden)
    _, problems = compile_files(files)
    if fmt == "json":
        from ..output import to_json

        typer.echo(to_json([{"bestand": p.file, "regel": p.line, "veld": p.field, "melding": p.message} for p in problems]))
    else:
        for problem in problems:
            typer.echo(str(problem))
    if problems:
        typer.echo(t("invalid", taal, n=len(problems)), err=True)
        raise typer.Exit(ExitCode.DATA)
    if fmt != "json":
        typer.echo(t("valid", taal, n=len(files), files=", ".join(sorted(p.name for p in files.values()))))


@data_app.command("schema")
def data_schema(
    uit: Annotated[Path | None, typer.Option("--uit", "-o", metavar="MAP",
                                             help="Schrijf één <bestand>.schema.json per gegevensbestand in MAP.")] = None,
) -> None:
    """Het JSON Schema van de gegevensbestanden (zoals in de map schema/ van het project)."""
    from ...core.reference.schema import json_schemas
    from ..output import to_json

    schemas = json_schemas()
    if uit is None:
        typer.echo(to_json(schemas))
        return
    _write_schemas(uit, {f"{name}.schema.json": to_json(document) + "\n" for name, document in schemas.items()})
    typer.echo(f"{len(schemas)} schema's geschreven in {uit}", err=True)


def _write_schemas(folder: Path, files: dict[str, str]) -> None:
    """Write every file, or none: each goes to a temporary file first (`OutputFile`) and all are renamed at the end.

    An existing file is replaced only when it is an earlier version of the same schema (a JSON
    object with the same title); anything else in the way is refused, never overwritten.
    """
    import json

    if folder.exists() and not folder.is_dir():
        raise InputError(f"--uit: {folder} is een bestand, geen map")
    for name, text in files.items():
        target = folder / name
        if not target.exists() and not target.is_symlink():
            continue
        try:
            existing = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else None
        except (OSError, ValueError):
            existing = None
        if not isinstance(existing, dict) or existing.get("title") != json.loads(text).get("title"):
            raise InputError(f"--uit: {target} bestaat al en is geen schema van dit bestand; verwijder het of kies "
                             "een andere map")
    _write_all(folder, files)


def _write_all(folder: Path, files: dict[str, str]) -> None:
    """Write every file in `folder` (made if missing), or none: each through a temporary file (`OutputFile`),
    all renamed at the end."""
    from ..output import OutputError, OutputFile

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(error, str(folder)) from None
    written: list[OutputFile] = []
    try:
        for name, text in files.items():
            written.append(OutputFile(str(folder / name)))
            written[-1].write(text)
        for file in written:
            file.commit()
    except BaseException:
        for file in written:
            file.abandon()
        raise


@data_app.command("koppeling")
def data_koppeling(
    invoer: Annotated[str, typer.Argument(metavar="INVOER", help="Een respondenten- of segmentenbestand: CSV, SPSS "
                                                                 "(.sav) of Excel (.xlsx).")],
    uitvoer: Annotated[str | None, typer.Option(
        "--uitvoer", "-o", metavar="KOPPELING.yaml", help="Schrijf de koppeling hierheen (standaard: standaarduitvoer).")] = None,
    data: DataOption = None,
) -> None:
    """Begin een koppeling (--koppeling) uit de kopregel en de waardelabels van een bestand.

    Kolommen die eenzaam aan hun naam of hun waardelabels herkent, staan erin; elke andere kolom staat
    erin als '# TODO: KOLOM', om aan te vullen.
    """
    from ...core.files.tabular import open_table
    from ...core.mapping import starter
    from ..app import reference
    from ..output import OutputFile, check_outputs

    check_outputs([("--uitvoer", uitvoer)], [("INVOER", invoer)], data)
    ref = reference(data)
    with open_table(invoer) as table:
        text = starter(ref, table.file, table.header, getattr(table, "labels", {}))
    with OutputFile(uitvoer) as target:
        target.write(text)


@data_app.command("pad")
def data_pad() -> None:
    """De map met de meegeleverde gegevensbestanden (na pip install in het geïnstalleerde pakket)."""
    from ...core.reference.loading import bundled_data_dir

    typer.echo(str(bundled_data_dir()))


STARTER_MONITOR = "monitor_eigen.csv"
STARTER_SOURCE = "mijn_monitor"


@data_app.command("start")
def data_start(
    map_: Annotated[Path, typer.Argument(metavar="MAP", help="Een nieuwe of lege map voor uw eigen gegevens.")],
) -> None:
    """Begin een map voor --data: een monitortabel om in te vullen, een bronnenbestand en een LEESMIJ.txt.

    De tabel heeft de banden en maten van de meegeleverde tabel, met lege cijfers; bestaande
    bestanden worden nooit overschreven (exitcode 2).
    """
    from ...core.reference.loading import bundled_data_dir, load_reference

    if map_.exists() and not map_.is_dir():
        raise InputError(f"{map_}: is een bestand, geen map; kies een nieuwe of lege map")
    monitor = load_reference().monitor  # the bundled table: its bands and measures, never its figures
    files = {"LEESMIJ.txt": _README.format(folder=map_, bundled=bundled_data_dir(), monitor=STARTER_MONITOR,
                                           source=STARTER_SOURCE),
             "bronnen.yaml": _SOURCES.format(source=STARTER_SOURCE),
             STARTER_MONITOR: _monitor_template(monitor)}
    for name in files:
        target = map_ / name
        if target.exists() or target.is_symlink():
            raise InputError(f"{target}: bestaat al; eenzaam data start overschrijft niets (kies een nieuwe of lege map)")
    _write_all(map_, files)
    typer.echo(f"{len(files)} bestanden geschreven in {map_}: {', '.join(files)}; vul ze aan (zie LEESMIJ.txt) en "
               f"controleer met: eenzaam data valideer {map_}", err=True)


def _monitor_template(monitor: object) -> str:
    """The bundled table's header and bands with every figure, the year and the area empty."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["groep", "leeftijd_van", "leeftijd_tot", *monitor.measures, "bron", "jaar", "gebied", "notitie"])
    for band in monitor.bands:
        writer.writerow([band.label, band.min_age, "" if band.max_age is None else band.max_age,
                         *("" for _ in monitor.measures), STARTER_SOURCE, "", "", ""])
    return out.getvalue()


_SOURCES = """\
# Uw eigen bronnen. Ze komen bij de meegeleverde bronnen (eenzaam bronnen toont ze allemaal);
# u hoeft die niet te kopiëren. Een id die al meegeleverd is, vervangt die bron.
# id: kleine letters, cijfers en _; noem hem in de kolom 'bron' van uw monitortabel.
# Een bron die de Movisie-tekst niet noemt, heeft een url nodig, zodat elk cijfer na te gaan is.
bronnen:
  - id: {source}
    auteurs: "Vul in: de organisatie die de cijfers publiceerde"
    titel: "Vul in: de titel van het rapport of de tabel"
    url: "https://www.example.org/vul-in"
    # jaar: 2022
"""

_README = """\
Uw eigen gegevens voor eenzaam
==============================

Gebruik deze map met --data {folder} (of EENZAAM_DATA={folder}).
De meegeleverde bestanden staan in {bundled} (eenzaam data pad).

1. {monitor}: uw monitortabel. De banden en maten zijn die van de meegeleverde
   tabel; de cijfers zijn leeg. Vul per band het percentage in zoals uw bron het
   geeft (decimale punt; of ; als scheidingsteken met decimale komma). Een cijfer
   dat uw bron niet geeft, blijft leeg; verzin er geen.
   - jaar: het jaar van de tabel, in elke rij hetzelfde. Een tabel van 2016
     vervangt de meegeleverde.
   - bron: de id van de bron in bronnen.yaml ({source}), in elke rij.
   - gebied: bij een regionale tabel de naam van het gebied (bijv. Hollands
     Midden), in elke rij hetzelfde; dan heet de tabel 'Hollands Midden 2022'.
     Leeg: een landelijke tabel ('Landelijk 2022').
   - Andere banden mogen ook: aansluitend, zonder overlap, alleen de hoogste open.
     Een rij zonder leeftijden is de totaalrij van de tabel.
   - Hernoem het bestand gerust, bijv. monitor_2022.csv: elk bestand monitor*.csv
     is een tabel van een eigen jaar.
2. bronnen.yaml: uw eigen bronnen, bij de meegeleverde. Vervang het voorbeeld
   door uw bron.
3. Controleer: eenzaam data valideer {folder}
4. Gebruik: eenzaam prevalentie --data {folder}
   (--jaar kiest een tabel; zonder --jaar uw nieuwste eigen tabel)

Andere gegevensbestanden (risicofactoren.yaml, maten.yaml, ...) vervangen het
meegeleverde bestand met dezelfde naam: kopieer het uit de map hierboven.
"""
