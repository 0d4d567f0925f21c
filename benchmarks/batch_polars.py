"""`eenzaam batch`'s job in Polars, for benchmarks/batch.py to race against (batch_job.py says what the job is).

Polars reads the file (every column as text), scores the De Jong Gierveld answers with expressions, joins each
row to its profile (each distinct (age class, person values) profiled once by the tool's engine) keeping the
file's order, and writes the CSV. Needs polars, which the tool does not.

    python benchmarks/batch_polars.py IN.csv OUT.csv
"""

from __future__ import annotations

import sys
from functools import reduce
from operator import add

import polars as pl

from batch_job import Job


def main(source: str, target: str) -> None:
    frame = pl.read_csv(source, infer_schema=False)
    header = frame.columns
    job = Job(header)
    ages = frame.get_column(job.age).unique().to_list()
    classes = pl.DataFrame({job.age: ages, "_klasse": [job.age_class(age) for age in ages]},
                           schema={job.age: pl.String, "_klasse": pl.Int64})
    frame = frame.join(classes, on=job.age, how="left", maintain_order="left")
    keys = frame.group_by(["_klasse", *job.person]).agg(pl.col(job.age).first()).select(["_klasse", job.age, *job.person])
    rows = list(job.profiles(keys.iter_rows()))
    schema = {name: pl.String for name in job.profile_columns} | {"_klasse": pl.Int64, "_risico": pl.Boolean}
    profiles = pl.DataFrame(rows, schema=schema, orient="row")
    answer = lambda column: pl.col(column).fill_null("").str.strip_chars().str.to_lowercase()  # noqa: E731
    subs = [sub for sub, _, _ in job.subscales]
    frame = frame.with_columns(
        *(reduce(add, [answer(c).is_in(scoring).cast(pl.Int64) for c in columns]).alias(f"_p_{sub}")
          for sub, columns, scoring in job.subscales),
        *(reduce(add, [(answer(c) == "").cast(pl.Int64) for c in columns]).alias(f"_m_{sub}")
          for sub, columns, _ in job.subscales))
    frame = frame.with_columns(reduce(add, [pl.col(f"_p_{s}") for s in subs]).alias("_t"),
                               reduce(add, [pl.col(f"_m_{s}") for s in subs]).alias("_a"))

    def category(value: pl.Expr) -> pl.Expr:
        expression = pl.when(value >= job.categories[0][1]).then(pl.lit(job.categories[0][0]))
        for cid, low in job.categories[1:]:
            expression = expression.when(value >= low).then(pl.lit(cid))
        return expression.otherwise(pl.lit(""))

    def lonely(indicator: str) -> pl.Expr:
        score, threshold = job.indicators[indicator]
        base, open_points = (pl.col("_t"), pl.col("_a")) if score == "totaal" else (pl.col(f"_p_{score}"), pl.col(f"_m_{score}"))
        known = pl.col("_a") <= job.total_max if score == "totaal" else pl.col(f"_m_{score}") <= job.subscale_max
        return (pl.when(~known).then(-1).when(base >= threshold).then(1)
                .when(base + open_points < threshold).then(0).otherwise(-1))

    scored = pl.col("_a") <= job.total_max
    frame = frame.join(profiles, on=job.keys, how="left", maintain_order="left")
    empty = lambda column: pl.when(pl.col(column) == "").then(None).otherwise(pl.col(column))  # noqa: E731
    results = {
        "leeftijdsband": empty("leeftijdsband"),
        "djg_totaal": pl.when(scored).then(pl.col("_t")),
        **{f"djg_{s}": pl.when(pl.col(f"_m_{s}") <= job.subscale_max).then(pl.col(f"_p_{s}")) for s in subs},
        "djg_categorie": pl.when(scored & (category(pl.col("_t")) == category(pl.col("_t") + pl.col("_a"))))
                           .then(pl.when(category(pl.col("_t")) == "").then(None).otherwise(category(pl.col("_t")))),
        "risicofactoren": empty("risicofactoren"), "n_risicofactoren": pl.col("n_risicofactoren"),
        **{name: empty(name) for name in job.figures},
        "preventieniveau": pl.when(lonely("ernstig") == 1).then(3)
                             .when((lonely("eenzaam") == 1) | pl.col("_risico")).then(2).otherwise(1),
    }
    frame.select(*header, *(results[c].alias(c) for c in job.columns)).write_csv(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
