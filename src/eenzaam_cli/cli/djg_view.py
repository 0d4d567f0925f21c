"""De Jong Gierveld scores: one score as a View, and whole files streamed row by row."""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from typing import Any

from ..core.contract import DJG_PREFIX as PREFIX
from ..core.contract import SCORE_FIELDS, djg_data, score_columns, score_data, score_rows, sources_line
from ..core.djg import TOTAL, DjgScore, Scorer
from ..core.errors import InputError
from ..core.reference.model import Reference
from ..core.files.tabular import open_table
from ..core.text import t
from .output import FORMATS, Column, Section, View, csv_text, render


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
    rows (`tabel`) shows how the file scored instead."""
    from ..core.person import recognise
    from .app import say_recognised

    with open_table(name) as table:
        names = table.header if scorer.mapping is None else scorer.mapping.header(table.header, table.file)
        scale, columns = scorer.scale_for_columns(names, f"{table.file}:1")
        recognised = recognise(names, reference, f"{table.file}:1", person=False)
        say_recognised(recognised.as_written(dict(zip(names, table.header))), table.file, language, quiet)
        columns = [table.header[names.index(column)] for column in columns]  # the file's own names (--koppeling)
        clash = [c for c in score_columns(scale) if c in table.header]
        if clash:
            raise InputError(f"{table.file}:1: de kolom(men) {', '.join(clash)} bestaan al; hernoem ze of laat ze weg")
        fields = [*table.header, *score_columns(scale)]

        read = _answers(scorer, scale, columns, table.file)
        scores: dict[tuple, dict[str, Any]] = {}

        def score_rows():
            for line, row in table.rows():
                answers, key = read(row, line)
                data = scores.get(key)
                if data is None:  # a score depends only on the points per subscale and which items are missing
                    data = score_data(scorer.score(scale, answers))
                    if len(scores) < 10_000:
                        scores[key] = data
                yield row | data

        rows = score_rows()
        first = next(rows)  # a file without rows, or a bad first row, is refused before anything is written
        scored = itertools.chain([first], rows)

        form = FORMATS[fmt]
        if form.rows is None:
            _summary(scored, scale, reference, fmt, language, table.file)
            return
        stream = form.rows(sys.stdout, fields, delimiter=table.dialect.separator, raw=raw_csv)
        if form.people:
            cells, write = _cells_for_people(fields, scale, language), stream.row
            for row in scored:
                write(cells(row))
        else:
            write = stream.record
            for row in scored:
                write(row)
        stream.end()


def _answers(scorer: Scorer, scale: Any, columns: list[str], file: str) -> Any:
    """A function (row, line) -> (answer ids, the score's key), reading each text once per column."""
    tables: list[dict[str, tuple[str | None, int]]] = [{} for _ in columns]
    subscale = {item: index for index, sub in enumerate(scale.subscales) for item in sub.items}
    scoring = {item: sub.scores_on for sub in scale.subscales for item in sub.items}

    def read(row: dict[str, str], line: int) -> tuple[list[str | None], tuple]:
        answers, points, missing = [], [0] * len(scale.subscales), []
        for item, column, table in zip(scale.items, columns, tables):
            text = row[column]
            known = table.get(text)
            if known is None:
                answer = scorer.answer(text, item, f"{file}:{line}")  # InputError for a bad answer
                known = (answer, int(answer in scoring[item]))
                if len(table) < 1000:
                    table[text] = known
            answers.append(known[0])
            points[subscale[item]] += known[1]
            if known[0] is None:
                missing.append(item)
        return answers, (*points, *missing)

    return read


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
