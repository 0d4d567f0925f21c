"""`eenzaam data …`: check data files and publish their JSON Schema."""

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import ExitCode
from ..app import FormatOption, LanguageOption, data_app, guarded


@data_app.command("valideer")
@guarded
def data_valideer(
    paden: Annotated[list[Path], typer.Argument(metavar="PAD...", help="Mappen of gegevensbestanden om te controleren.")],
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
) -> None:
    """Controleer gegevensbestanden: één regel per probleem, met bestand, regel en veld.

    Bestanden die u niet opgeeft, komen uit de meegeleverde gegevens, zodat ook
    verwijzingen tussen bestanden worden gecontroleerd. Exitcode 3 bij problemen.
    """
    from ...core.loading import compile_files, find_files
    from ..text import t

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
@guarded
def data_schema(
    uit: Annotated[Path | None, typer.Option("--uit", "-o", metavar="MAP",
                                             help="Schrijf één <bestand>.schema.json per gegevensbestand in MAP.")] = None,
) -> None:
    """Het JSON Schema van de gegevensbestanden (zoals in de map schema/ van het project)."""
    from ...core.schema import json_schemas
    from ..output import to_json

    schemas = json_schemas()
    if uit is None:
        typer.echo(to_json(schemas))
        return
    uit.mkdir(parents=True, exist_ok=True)
    for name, document in schemas.items():
        (uit / f"{name}.schema.json").write_text(to_json(document) + "\n", encoding="utf-8")
    typer.echo(f"{len(schemas)} schema's geschreven in {uit}", err=True)
