"""`eenzaam batch`'s job in pandas, for benchmarks/batch.py to race against (batch_job.py says what the job is).

What an analyst would write: read the whole file into a DataFrame (pyarrow's reader when pyarrow is installed),
score the De Jong Gierveld answers with vectorised maps, profile each distinct (age class, person values) once
with the tool's engine and merge the result back, apply the tier rules with numpy, and write the CSV with
`to_csv` (`--writer to_csv`, the reference) or pyarrow's writer (`--writer pyarrow`). Needs pandas (and pyarrow
for the second), which the tool does not.

    python benchmarks/batch_pandas.py IN.csv OUT.csv [--writer to_csv|pyarrow]
"""

from __future__ import annotations

import argparse
import importlib.util

import numpy as np
import pandas as pd

from batch_job import Job


def frame_of(source: str) -> pd.DataFrame:
    engine = "pyarrow" if importlib.util.find_spec("pyarrow") else "c"
    return pd.read_csv(source, dtype=str, keep_default_na=False, engine=engine)


def compute(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The result columns added to the frame; the columns to write, in order."""
    original = list(frame.columns)
    job = Job(original)
    n = len(frame)
    points, missing = {}, {}
    for sub, columns, scoring in job.subscales:
        points[sub], missing[sub] = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        for column in columns:
            answers = frame[column].str.strip().str.lower()
            points[sub] += answers.isin(scoring).to_numpy()
            missing[sub] += (answers == "").to_numpy()
    total, absent = sum(points.values()), sum(missing.values())
    scored = absent <= job.total_max
    frame["djg_totaal"] = np.where(scored, total, -1)
    for sub, _, _ in job.subscales:
        frame[f"djg_{sub}"] = np.where(missing[sub] <= job.subscale_max, points[sub], -1)
    ids, lows = [c for c, _ in job.categories], [low for _, low in job.categories]
    low = np.select([total >= value for value in lows], ids, "")
    high = np.select([total + absent >= value for value in lows], ids, "")
    frame["djg_categorie"] = np.where(scored & (low == high), low, "")
    lonely = {}
    for indicator, (score, threshold) in job.indicators.items():
        base = total if score == "totaal" else points[score]
        open_points = absent if score == "totaal" else missing[score]
        known = scored if score == "totaal" else missing[score] <= job.subscale_max
        lonely[indicator] = np.where(~known, -1, np.where(base >= threshold, 1, np.where(base + open_points < threshold, 0, -1)))
    # --- the profile, once per distinct key, merged back ------------------------------------------------
    classes = {age: job.age_class(age) for age in frame[job.age].unique()}
    frame["_klasse"] = frame[job.age].map(classes)
    keys = frame[["_klasse", job.age, *job.person]].drop_duplicates(job.keys)
    profiles = pd.DataFrame(job.profiles(keys.itertuples(index=False)), columns=job.profile_columns)
    frame = frame.merge(profiles, on=job.keys, how="left", sort=False)
    # --- the tier rules, in numpy ----------------------------------------------------------------------
    frame["preventieniveau"] = np.where(lonely["ernstig"] == 1, 3,
                                        np.where((lonely["eenzaam"] == 1) | frame["_risico"].to_numpy(), 2, 1))
    for column in ("djg_totaal", *(f"djg_{sub}" for sub, _, _ in job.subscales)):
        frame[column] = frame[column].astype(str).replace("-1", "")
    return frame, [*original, *job.columns]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--writer", choices=["to_csv", "pyarrow"], default="to_csv")
    args = parser.parse_args()
    frame, columns = compute(frame_of(args.source))
    if args.writer == "to_csv":
        frame[columns].to_csv(args.target, index=False)
        return
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame[columns], preserve_index=False)
    with open(args.target, "wb") as out:  # the header as the tool writes it; pyarrow's quotes every name
        out.write((",".join(columns) + "\n").encode())
        pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False, quoting_style="none"))


if __name__ == "__main__":
    main()
