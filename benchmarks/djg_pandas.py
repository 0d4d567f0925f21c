"""`eenzaam djg --invoer FILE --format csv`'s job in vectorised pandas, for benchmarks/djg_race.py to race against.

What an analyst would write: read the whole file into a DataFrame with pyarrow's CSV reader (every column as text,
an empty cell stays empty), score the De Jong Gierveld items with numpy, and write the file with its 13 score
columns with pyarrow's CSV writer (`--writer pyarrow`) or `to_csv` (`--writer to_csv`). Needs pandas and pyarrow,
which the tool does not.

The rules are the tool's (src/eenzaam_cli/core/djg.py), read from the same key (data/djg.yaml, through
`load_reference`): an answer is read after the tool's normalisation (trimmed, lower case, runs of spaces, `_` and
`-` as one space) as one of the key's answers or missing values, anything else stops the run; an item scores a
point when its answer is in its subscale's `scoort_bij`; a subscale with more than `subschaal_max` missing items
has no score, a total with more than `totaal_max` none (with the reason); a missing answer counts as not lonely,
and a category or indicator the missing answers could still move is left empty, with the reason the tool gives.

No Python per row: each answer column is factorised (the distinct texts, a handful, are normalised in Python),
the points, missing counts, scores, categories and indicators are numpy arrays, and each text column is a numpy
code taking from a small table of texts. The reason text is made once per distinct combination of what it says
(never more than a few hundred), then taken by code the same way.

Byte-identical to the tool, with two details done honestly by hand:
- the header is written as the tool writes it (pyarrow's writer quotes every column name);
- the tool neutralises a cell a spreadsheet would run as a formula (`output.neutralise`): done here, vectorised,
  on every input column (none of benchmarks/djg_stream.py's cells needs it, so it costs only the check).
Cells with the delimiter, a quote or a line break would need quoting: pyarrow's writer runs with quoting off and
stops on such a cell rather than write something else; `to_csv` quotes them as the tool does except a cell with a
lone CR (the tool then quotes the whole row). The file's delimiter is taken from its header line (`;` or `,`).

    python benchmarks/djg_pandas.py IN.csv OUT.csv [--writer pyarrow|to_csv]
"""

from __future__ import annotations

import argparse
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eenzaam_cli.core.reference.loading import load_reference

PREFIX = "djg_"
TOTAL = "totaal"
NUMBER = r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$"


def normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def neutralised(column: pd.Series) -> pd.Series:
    """`output.neutralise` on a whole column: `'` before a cell that starts (after quotes) with = + - @ tab or CR,
    unless it is a lone `-` or a plain number."""
    risky = column.str.match(r"'*[=+\-@\t\r]")
    if not risky.any():
        return column
    keep = (column == "-") | column.str.match(NUMBER)
    return column.where(~risky | keep, "'" + column)


def score(frame: pd.DataFrame) -> list[str]:
    """Add the score columns to the frame; the columns to write, in order."""
    key = load_reference().djg
    header = list(frame.columns)
    items = {int(c[4:]): c for c in header if re.fullmatch(r"djg_[1-9][0-9]*", c.strip().lower())}
    scale = next(s for s in key.scales if set(s.items) == set(items))
    answers = {normalise(v): a.id for a in key.answers for v in (*a.variants, a.id)}
    missing_values = {normalise(v) for v in key.missing_values} | {""}
    n = len(frame)
    points = {sub.id: np.zeros(n, dtype=np.int64) for sub in scale.subscales}
    absent = {sub.id: np.zeros(n, dtype=np.int64) for sub in scale.subscales}
    for sub in scale.subscales:
        for item in sub.items:
            codes, uniques = pd.factorize(frame[items[item]])
            point, gone = np.zeros(len(uniques), dtype=np.int64), np.zeros(len(uniques), dtype=np.int64)
            for index, text in enumerate(uniques):  # the distinct texts of a column: a handful
                normal = normalise(str(text))
                if normal in missing_values:
                    gone[index] = 1
                elif normal in answers:
                    point[index] = answers[normal] in sub.scores_on
                else:
                    raise SystemExit(f"djg_{item}: {text!r} is geen geldig antwoord")
            points[sub.id] += point[codes]
            absent[sub.id] += gone[codes]
    m = sum(absent.values())
    total = sum(points.values())
    limit = scale.missing.total_max
    scored = m <= limit
    sub_known = {sub.id: absent[sub.id] <= scale.missing.subscale_max for sub in scale.subscales}
    known = {TOTAL: scored, **sub_known}
    value = {TOTAL: total, **points}
    open_points = {TOTAL: m, **absent}

    columns: dict[str, tuple[np.ndarray, list[str]]] = {}  # name -> (codes, the texts they take from)
    numbers = [str(i) for i in range(len(scale.items) + 1)] + [""]
    blank = len(numbers) - 1
    columns[f"{PREFIX}schaal"] = (np.zeros(n, dtype=np.int64), [scale.id])
    columns[f"{PREFIX}{TOTAL}"] = (np.where(scored, total, blank), numbers)
    for sub in scale.subscales:
        columns[f"{PREFIX}{sub.id}"] = (np.where(sub_known[sub.id], points[sub.id], blank), numbers)
    # the categories the total can be in once the missing answers are known: exactly one decides it
    reach = [(c.low <= total + m) & (c.high >= total) for c in scale.categories]
    count = sum(r.astype(np.int64) for r in reach)
    decided = scored & (count == 1)
    category = np.select(reach, range(len(scale.categories)), len(scale.categories))
    columns[f"{PREFIX}categorie"] = (np.where(decided, category, len(scale.categories)),
                                     [c.id for c in scale.categories] + [""])
    verdicts = {}
    for indicator in scale.indicators:  # 0 nee, 1 ja, 2 open (no score, or the missing answers decide)
        base, threshold = value[indicator.score], indicator.threshold
        verdict = np.where(base >= threshold, 1, np.where(base + open_points[indicator.score] < threshold, 0, 2))
        verdicts[indicator.id] = np.where(known[indicator.score], verdict, 2)
        columns[f"{PREFIX}indicator_{indicator.id}"] = (verdicts[indicator.id], ["nee", "ja", ""])
    columns[f"{PREFIX}ontbrekend"] = (m, numbers)
    columns[f"{PREFIX}volledig"] = ((m == 0).astype(np.int64), ["nee", "ja"])
    columns[f"{PREFIX}reden"] = reasons(scale, scored, decided, verdicts, known, value, open_points, m, limit)
    for name, (codes, texts) in columns.items():
        frame[name] = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(texts))
    return [*header, *columns]


def reasons(scale: Any, scored: np.ndarray, decided: np.ndarray, verdicts: dict[str, np.ndarray],
            known: dict[str, np.ndarray], value: dict[str, np.ndarray], open_points: dict[str, np.ndarray],
            m: np.ndarray, limit: int) -> tuple[np.ndarray, list[str]]:
    """The reason column as codes into its texts: why there is no total, or what the missing answers leave open.

    A row's reason depends on: whether it is scored, whether the category is decided, which indicators are open
    with a known score, the missing count and each score with its open points. These are packed into one number
    per row (numpy); each distinct key's text is made once, by the tool's rule (`core.djg._undetermined`)."""
    open_flags = [(verdicts[i.id] == 2) & known[i.score] for i in scale.indicators]
    bases = [TOTAL, *(s.id for s in scale.subscales)]
    parts = [scored, decided, *open_flags, m, *(np.where(known[b], value[b], 0) for b in bases),
             *(open_points[b] for b in bases)]
    radix = len(scale.items) + 2  # every part is a count from 0 to the number of items (or a flag)
    packed = np.zeros(len(m), dtype=np.int64)
    for part in parts:
        packed = packed * radix + part
    inverse, distinct = pd.factorize(packed)
    texts: list[str] = []
    index: dict[str, int] = {}
    codes = np.empty(len(distinct), dtype=np.int64)
    for row, number in enumerate(distinct.tolist()):
        key = []
        for _ in parts:
            number, digit = divmod(number, radix)
            key.append(digit)
        is_scored, is_decided, *rest = key[::-1]
        flags, (missing, *rest) = rest[:len(open_flags)], rest[len(open_flags):]
        scores, opens = dict(zip(bases, rest[:len(bases)])), dict(zip(bases, rest[len(bases):]))
        if not is_scored:
            text = f"{missing} ontbrekende antwoorden (hoogstens {limit} toegestaan)"
        else:
            what = [] if is_decided else ["categorie"]
            used = [] if is_decided else [TOTAL]
            for indicator, flag in zip(scale.indicators, flags):
                if flag:
                    what.append(f"indicator {indicator.id}")
                    used += [indicator.score] if indicator.score not in used else []
            if not what:
                text = ""
            else:
                ranges = ", ".join(f"{'het totaal' if b == TOTAL else b} tussen {scores[b]} en {scores[b] + opens[b]}"
                                   for b in used)
                answers = "1 ontbrekend antwoord" if missing == 1 else f"{missing} ontbrekende antwoorden"
                listed = what[0] if len(what) == 1 else ", ".join(what[:-1]) + " en " + what[-1]
                text = f"{listed} onbepaald: met {answers} ligt {ranges}"
        codes[row] = index.setdefault(text, len(texts))
        if codes[row] == len(texts):
            texts.append(text)
    return codes[inverse], texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--writer", choices=["pyarrow", "to_csv"], default="pyarrow")
    args = parser.parse_args()
    with open(args.source, encoding="utf-8") as handle:
        first = handle.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    frame = pd.read_csv(args.source, sep=delimiter, dtype=str, keep_default_na=False, engine="pyarrow")
    for column in frame.columns:
        frame[column] = neutralised(frame[column])
    columns = score(frame)
    if args.writer == "to_csv":
        frame[columns].to_csv(args.target, sep=delimiter, index=False, lineterminator="\n")
        return
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame[columns], preserve_index=False)
    table = pa.table([pc.cast(c, pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns],
                     names=columns)
    with open(args.target, "wb") as out:  # the header as the tool writes it; pyarrow's quotes every name
        out.write((delimiter.join(columns) + "\n").encode())
        pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none"))


if __name__ == "__main__":
    main()
