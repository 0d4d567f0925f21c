"""The reference implementation of `eenzaam batch`'s job in pandas, for benchmarks/batch.py to race against.

What an analyst would write: read the whole file into a DataFrame, score the De Jong Gierveld answers with
vectorised maps, profile each distinct (age class, person values) once with the tool's engine and merge the
result back, apply the tier rules with numpy, and write the CSV. It uses the same reference data and gives
the same result columns (the benchmark checks that the two outputs agree). Needs pandas (not a dependency of
the tool).

    python benchmarks/batch_pandas.py IN.csv OUT.csv
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from eenzaam_cli.core.batch import BatchEngine
from eenzaam_cli.core.reference.loading import load_reference


def main(source: str, target: str) -> None:
    reference = load_reference()
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    original = list(frame.columns)
    engine = BatchEngine(reference, list(frame.columns))
    scale = engine.scale
    # --- De Jong Gierveld, vectorised --------------------------------------------------------------
    points = {sub.id: np.zeros(len(frame), dtype=np.int64) for sub in scale.subscales}
    missing = {sub.id: np.zeros(len(frame), dtype=np.int64) for sub in scale.subscales}
    for item, column in zip(scale.items, engine.answer_columns):
        sub = next(s for s in scale.subscales if item in s.items)
        answers = frame[column].str.strip().str.lower()
        points[sub.id] += answers.isin([a.replace("_", " ") for a in sub.scores_on]).to_numpy()
        missing[sub.id] += (answers == "").to_numpy()
    total = sum(points.values())
    absent = sum(missing.values())
    scored = absent <= scale.missing.total_max
    frame["djg_totaal"] = np.where(scored, total, -1)
    for sub in scale.subscales:
        frame[f"djg_{sub.id}"] = np.where(missing[sub.id] <= scale.missing.subscale_max, points[sub.id], -1)
    low = np.select([total >= c.low for c in reversed(scale.categories)], [c.id for c in reversed(scale.categories)], "")
    high = np.select([total + absent >= c.low for c in reversed(scale.categories)],
                     [c.id for c in reversed(scale.categories)], "")
    frame["djg_categorie"] = np.where(scored & (low == high), low, "")
    lonely = {}
    for indicator in scale.indicators:
        base = total if indicator.score == "totaal" else points[indicator.score]
        open_points = absent if indicator.score == "totaal" else missing[indicator.score]
        known = scored if indicator.score == "totaal" else missing[indicator.score] <= scale.missing.subscale_max
        lonely[indicator.id] = np.where(~known, -1, np.where(base >= indicator.threshold, 1,
                                                             np.where(base + open_points < indicator.threshold, 0, -1)))
    # --- the profile, once per distinct key, merged back ------------------------------------------------
    ages = pd.to_numeric(frame[engine.age_column], errors="raise").astype(int)
    frame["_klasse"] = np.searchsorted(np.array(engine._breaks), ages.to_numpy(), side="right")
    keys = frame[["_klasse", engine.age_column, *engine.person]].drop_duplicates(["_klasse", *engine.person])
    rows = []
    for values in keys.itertuples(index=False):  # (age class, an age in it, person values …)
        profiled = engine._profile(values[1], tuple(values[2:]), 0)
        rows.append((values[0], *values[2:], profiled.band or "", *profiled.cells, profiled.cells[1] != "0"))
    names = ["_klasse", *engine.person, "leeftijdsband", "risicofactoren", "n_risicofactoren",
             *[c for m in engine.measures for c in (f"hoogste_groepscijfer_{m}", f"illustratie_onafhankelijk_{m}")],
             "_risico"]
    frame = frame.merge(pd.DataFrame(rows, columns=names), on=["_klasse", *engine.person], how="left", sort=False)
    # --- the tier rules, in numpy ----------------------------------------------------------------------
    frame["preventieniveau"] = np.where(lonely["ernstig"] == 1, 3,
                                        np.where((lonely["eenzaam"] == 1) | frame["_risico"].to_numpy(), 2, 1))
    for column in ("djg_totaal", "djg_emotioneel", "djg_sociaal"):
        frame[column] = frame[column].astype(str).replace("-1", "")
    frame[[*original, *engine.columns]].to_csv(target, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
