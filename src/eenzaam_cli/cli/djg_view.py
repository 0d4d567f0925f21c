"""De Jong Gierveld scores: one score as a View, and whole files streamed row by row."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from operator import attrgetter
from typing import Any

from ..core.contract import DJG_PREFIX as PREFIX
from ..core.contract import SCORE_FIELDS, djg_data, score_columns, score_data, score_rows, sources_line
from ..core.djg import TOTAL, DjgScore, RowScorer, Scorer
from ..core.errors import InputError
from ..core.reference.model import Reference
from ..core.files.table import RowError
from ..core.files.tabular import Block, open_table
from ..core.text import t
from .output import FORMATS, Column, OutputFile, Section, View, csv_text, render, verbatim


def _open(value: object, base: object, language: str) -> str | None:
    """'onbepaald' for an outcome that is None while the score it rests on is known; None otherwise."""
    return t("undetermined", language) if value is None and base is not None else None


def score_view(score: DjgScore, reference: Reference, language: str) -> View:
    scale = score.scale
    rows = score_rows(score, language)
    intro = []
    if score.category is not None:
        intro.append(f"{t('category', language)}: {score.category.label(language)}")
    elif score.total is not None:
        between = f" {t('or', language)} ".join(c.label(language) for c in score.categories)
        intro.append(f"{t('category', language)}: {t('undetermined', language)} ({between})")
    if score.total is None:
        intro.append(t("djg_no_score", language, reason=score.reason))
    elif score.missing:
        intro.append(t("djg_incomplete", language, items=", ".join(f"djg_{i}" for i in score.missing)))
        if score.reason:
            answers = (t("missing_one", language) if len(score.missing) == 1
                       else t("missing_many", language, n=len(score.missing)))
            intro.append(t("djg_open", language, answers=answers, low=score.total,
                            high=score.total + len(score.missing)))
    scores = {TOTAL: score.total, **score.subscales}
    indicator_rows = []
    for indicator in scale.indicators:
        value = score.indicators[indicator.id]
        base = t("total", language) if indicator.score == TOTAL else next(
            s.label(language) for s in scale.subscales if s.id == indicator.score)
        if value is None:
            outcome = _open(value, scores[indicator.score], language) or "–"
        else:
            outcome = t("ja" if value else "nee", language)
        indicator_rows.append({
            "indicator": indicator.label(language), "uitkomst": outcome,
            "regel": f"{base} ≥ {indicator.threshold}" + ("" if scores[indicator.score] is None else f" ({scores[indicator.score]})"),
            "bron": indicator.source,
        })
    notes = [f"{i.label(language)}: {i.note(language)}" for i in scale.indicators if i.note]
    notes += [t("djg_wording", language), sources_line(reference, [scale.source, scale.categories_source], language)]
    return View([
        Section(scale.name(language), [Column("score", "Score"), Column("waarde", t("value", language), numeric=True),
                                       Column("bereik", t("range", language), numeric=True)], rows, intro),
        Section(t("indicators", language), [Column("indicator", "Indicator"), Column("uitkomst", t("outcome", language)),
                                            Column("regel", t("rule", language)), Column("bron", t("source", language))],
                indicator_rows, notes=notes),
    ], data=djg_data(score), csv_fields=SCORE_FIELDS)


# --- files --------------------------------------------------------------------------------------------


def stream_file(name: str, scorer: Scorer, reference: Reference, fmt: str, language: str,
                raw_csv: bool = False, quiet: bool = False) -> None:
    """Score every row of a CSV file, keeping all its columns; rows are written as they are read, in the file's
    own dialect (so a Dutch spreadsheet opens the result as it opened the input). A format that cannot stream
    rows (`tabel`) shows how the file scored instead.

    Rows come in batches, each scored by its answers' keys (`core.djg.RowScorer`); in CSV a row whose cells are
    written as read is its line and its score's text, made once per score. With pyarrow (the extra `snel`) a large
    file's lines come in blocks, scored as columns (`core.djg_columns`)."""
    from ..core.person import recognise
    from .app import say_recognised
    from .batch_view import input_size

    with open_table(name) as table:
        names = table.header if scorer.mapping is None else scorer.mapping.header(table.header, table.file)
        scale, columns = scorer.scale_for_columns(names, f"{table.file}:1")
        recognised = recognise(names, reference, f"{table.file}:1", person=False)
        say_recognised(recognised.as_written(dict(zip(names, table.header))), table.file, language, quiet)
        columns = [table.header[names.index(column)] for column in columns]  # the file's own names (--koppeling)
        clash = [c for c in score_columns(scale) if c in table.header]
        if clash:
            raise InputError(f"{table.file}:1: de kolom(men) {', '.join(clash)} bestaan al; hernoem ze of laat ze weg")
        added = score_columns(scale)
        fields = [*table.header, *added]
        form = FORMATS[fmt]
        separator = table.dialect.separator
        join = form.rows.joiner(separator, raw_csv) if form.rows is not None and form.rows.joiner is not None else None
        keyed = RowScorer(scorer, scale, [table.header.index(column) for column in columns],
                          lambda line: f"{table.file}:{line}", lambda score: _Scored(score, added, join))
        blocks = None
        if join is not None and (after := _blocks_after(input_size(name))) is not None:
            blocks = (after, _Blocks(keyed, len(table.header), separator, raw_csv))
        chunks = _scored(table, keyed, blocks)
        first = next(chunks, None)  # a file without rows, or a bad first row, is refused before anything is written
        if first is None:  # only blank lines, in blocks (the reader counts a block's lines, blank or not)
            raise RowError(table.file, None, "bevat geen rijen, alleen een kopregel")
        scored = itertools.chain([first], chunks)

        if form.rows is None:
            _summary((entry.data for _, _, entries in scored for entry in entries), scale, reference, fmt, language,
                     table.file)
            return
        out = OutputFile(None)
        stream = form.rows(out.stream, fields, delimiter=separator, raw=raw_csv)
        header = table.header
        if join is not None:
            for chunk in scored:
                _write_csv(chunk, out, stream, separator, raw_csv)
        elif form.people:
            cells, write = _cells_for_people(fields, scale, language), stream.row
            for rows, _, entries in scored:
                for row, entry in zip(rows, entries):
                    write(cells(dict(zip(header, row)) | entry.data))
        else:
            write = stream.record
            for rows, _, entries in scored:
                for row, entry in zip(rows, entries):
                    write(dict(zip(header, row)) | entry.data)
        stream.end()


# Blocks pay off later here than in a batch run, whose rows cost more in Python: importing pyarrow (0.3 s, and pandas
# with it where that is installed, 0.6 s) is won back after about 250,000 rows. A file of 24 MiB (about 330,000 rows)
# or more comes in blocks from its first line; one read from a stream after its first 262,144 lines.
COLUMNAR_SIZE, COLUMNAR_AFTER = 24 * 2**20, 262_144


def _blocks_after(size: int | None) -> int | None:
    """After how many lines a file of `size` bytes (None: a stream) comes in blocks; None without pyarrow."""
    from ..core.batch import columnar_after

    return columnar_after(size, COLUMNAR_SIZE, COLUMNAR_AFTER)


class _Scored:
    """What a file's rows keep of a score: its record, and in CSV its cells and their text after a line (made once)."""

    __slots__ = ("cells", "data", "text")

    def __init__(self, score: DjgScore, columns: list[str], join: Any):
        self.data = score_data(score)
        self.cells = [csv_text(self.data[column]) for column in columns]
        self.text = join(self.cells) + "\n" if join is not None else ""


class _Blocks:
    """Blocks of lines scored as columns (pyarrow), when the CSV writer writes their cells as read."""

    def __init__(self, keyed: RowScorer, width: int, separator: str, raw: bool):
        self.keyed, self.width, self.separator, self.raw = keyed, width, separator, raw
        self.columns: Any = None

    def profile(self, block: Block) -> memoryview | None:
        if not verbatim(block.text, self.separator, self.raw):
            return None
        if self.columns is None:
            from ..core.djg_columns import ScoreColumns  # pyarrow: only for a file that comes in blocks

            self.columns = ScoreColumns(self.keyed, self.width)
        return self.columns.profile(block)


def _scored(table: Any, keyed: RowScorer, blocks: tuple[int, _Blocks] | None) -> Iterator[Any]:
    """The scored rows of a table, a batch at a time: (rows, their lines as read or None, what each keeps of its
    score), or a block's output as UTF-8. Before a row's problem the rows before it come, then the problem is raised."""
    for batch in table.batches(keep_going=True, blocks_after=blocks[0] if blocks else None):
        if isinstance(batch, Block):
            done = blocks[1].profile(batch)  # type: ignore[index]
            if done is not None:
                yield done
                continue
            pieces: Any = batch.batches
        else:
            pieces = (batch,)
        for lines, rows, texts in pieces:
            entries, problem = keyed.rows(rows, lines)
            if entries:
                count = len(entries)
                yield rows[:count], texts[:count] if texts is not None else None, entries
            if problem is not None:
                raise problem


def _write_csv(chunk: Any, out: OutputFile, stream: Any, separator: str, raw: bool) -> None:
    """Scored rows in CSV: where every cell is written as read, each line and its score's text, at once."""
    if isinstance(chunk, memoryview):
        out.write_utf8(chunk)
        return
    rows, texts, entries = chunk
    bodies = texts if texts is not None else list(map(separator.join, rows))
    whole = separator.join(bodies)
    # a cell with the separator or a line end (a quoted row of the file) is quoted: each row through the writer
    if whole.count(separator) == sum(map(len, rows)) - 1 and "\n" not in whole and verbatim(whole, separator, raw):
        parts = [""] * (2 * len(rows))
        parts[0::2] = bodies
        parts[1::2] = map(_TEXT, entries)
        out.write("".join(parts))
        return
    write = stream.row
    for row, entry in zip(rows, entries):
        write([*row, *entry.cells])


_TEXT = attrgetter("text")


def _cells_for_people(fields: list[str], scale: Any, language: str) -> Any:
    """A row's cells for people: ja/nee in --taal, and 'onbepaald' where the missing answers leave an outcome open."""
    bases = {f"{PREFIX}categorie": f"{PREFIX}{TOTAL}",
             **{f"{PREFIX}indicator_{i.id}": f"{PREFIX}{i.score}" for i in scale.indicators}}

    def cells(row: dict[str, Any]) -> list[str]:
        return [t(csv_text(row.get(f)), language) if isinstance(row.get(f), bool)
                else (f in bases and _open(row.get(f), row.get(bases[f]), language)) or csv_text(row.get(f))
                for f in fields]

    return cells


def _summary(rows, scale, reference: Reference, fmt: str, language: str, file: str) -> None:  # noqa: ANN001
    """On a terminal: how the file scored, counted while streaming (the rows themselves are not kept)."""
    count = scored = incomplete = 0
    categories: Counter[str | None] = Counter()  # None: undetermined
    indicators: Counter[str] = Counter()
    known: Counter[str] = Counter()
    undetermined: Counter[str] = Counter()
    for row in rows:
        count += 1
        if row[f"{PREFIX}totaal"] is not None:
            scored += 1
            incomplete += not row[f"{PREFIX}volledig"]
            categories[row[f"{PREFIX}categorie"]] += 1
        for indicator in scale.indicators:
            value = row[f"{PREFIX}indicator_{indicator.id}"]
            if value is not None:
                known[indicator.id] += 1
                indicators[indicator.id] += value
            elif row[f"{PREFIX}{indicator.score}"] is not None:
                undetermined[indicator.id] += 1

    def share(part: int, whole: int) -> str:
        return "–" if not whole else f"{100 * part / whole:.1f}%".replace(".", "," if language == "nl" else ".")

    rows_out = [{"wat": c.label(language), "aantal": categories[c.id], "aandeel": share(categories[c.id], scored)}
                for c in scale.categories]
    if categories[None]:
        rows_out.append({"wat": f"{t('category', language).lower()} {t('undetermined', language)}",
                         "aantal": categories[None], "aandeel": share(categories[None], scored)})
    rows_out += [{"wat": f"{t('indicator', language)}: {i.label(language)}", "aantal": indicators[i.id],
                  "aandeel": share(indicators[i.id], known[i.id])} for i in scale.indicators]
    intro = [t("djg_summary", language, file=file, count=count, scored=scored, incomplete=incomplete,
               unscored=count - scored)]
    notes = [t("djg_summary_note", language)]
    if categories[None] or undetermined:
        counts = [f"{t('category', language).lower()} {categories[None]}"] if categories[None] else []
        counts += [f"{t('indicator', language)} {i.label(language)} {undetermined[i.id]}"
                   for i in scale.indicators if undetermined[i.id]]
        notes.append(t("djg_summary_open", language, counts=", ".join(counts)))
    render(View([Section(scale.name(language), [Column("wat", ""), Column("aantal", t("count", language), numeric=True),
                                                Column("aandeel", t("share", language), numeric=True)],
                         rows_out, intro, notes)]), fmt, language)
