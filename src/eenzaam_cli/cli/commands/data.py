"""`eenzaam data …`: check data files and publish their JSON Schema."""

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import ExitCode, InputError
from ..app import FormatOption, LanguageOption, data_app


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

    from ..output import OutputError, OutputFile

    if folder.exists() and not folder.is_dir():
        raise InputError(f"--uit: {folder} is een bestand, geen map")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(error, str(folder)) from None
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
