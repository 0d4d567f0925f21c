"""`eenzaam batch`'s job in DuckDB SQL, for benchmarks/batch.py to race against (batch_job.py says what the job is).

DuckDB reads the file (every column as text), scores the De Jong Gierveld answers in SQL, joins each row to its
profile (each distinct (age class, person values) profiled once by the tool's engine, handed over as an Arrow
table) and writes the CSV with COPY, in the file's order. Needs duckdb and pyarrow, which the tool does not.

    python benchmarks/batch_duckdb.py IN.csv OUT.csv
"""

from __future__ import annotations

import sys

import duckdb
import pyarrow as pa

from batch_job import Job


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main(source: str, target: str) -> None:
    con = duckdb.connect()
    with open(source, encoding="utf-8") as header_line:
        header = header_line.readline().rstrip("\r\n").split(",")
    job = Job(header)
    columns = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in header) + "}"
    con.execute(f"CREATE TEMP TABLE src AS SELECT row_number() OVER () AS _n, * FROM read_csv('{source}', header=true, "
                f"delim=',', quote='\"', auto_detect=false, columns={columns})")
    # the age classes of the file's ages, and each distinct key profiled once
    ages = [row[0] for row in con.execute(f"SELECT DISTINCT {quoted(job.age)} FROM src").fetchall()]
    classes = pa.table({"_age": ages, "_klasse": [job.age_class(age) for age in ages]})
    con.register("classes", classes)
    person = ", ".join(map(quoted, job.person))
    keys = con.execute(f"SELECT c._klasse, any_value(s.{quoted(job.age)}), {', '.join('s.' + quoted(p) for p in job.person)} "
                       f"FROM src s JOIN classes c ON s.{quoted(job.age)} = c._age GROUP BY c._klasse, {person}").fetchall()
    rows = list(job.profiles(keys))
    profiles = pa.table({name: [row[i] for row in rows] for i, name in enumerate(job.profile_columns)})
    con.register("profiles", profiles)
    # the scale, in SQL
    answer = lambda column: f"lower(trim(coalesce({quoted(column)}, '')))"  # noqa: E731
    points = {sub: " + ".join(f"({answer(c)} IN ({', '.join(repr(a) for a in scoring)}))::INT" for c in columns_)
              for sub, columns_, scoring in job.subscales}
    missing = {sub: " + ".join(f"({answer(c)} = '')::INT" for c in columns_) for sub, columns_, _ in job.subscales}
    subs = [sub for sub, _, _ in job.subscales]
    scored_parts = [f"({points[s]}) AS _p_{s}, ({missing[s]}) AS _m_{s}" for s in subs]
    total, absent = " + ".join(f"_p_{s}" for s in subs), " + ".join(f"_m_{s}" for s in subs)

    def category(value: str) -> str:
        return "CASE " + " ".join(f"WHEN {value} >= {low} THEN '{cid}'" for cid, low in job.categories) + " ELSE '' END"

    def lonely(indicator: str) -> str:
        score, threshold = job.indicators[indicator]
        base, open_points = (("_t", "_a") if score == "totaal" else (f"_p_{score}", f"_m_{score}"))
        known = "_a <= {}".format(job.total_max) if score == "totaal" else f"_m_{score} <= {job.subscale_max}"
        return (f"CASE WHEN NOT ({known}) THEN -1 WHEN {base} >= {threshold} THEN 1 "
                f"WHEN {base} + {open_points} < {threshold} THEN 0 ELSE -1 END")

    results = {
        "leeftijdsband": "NULLIF(p.leeftijdsband, '')",
        "djg_totaal": f"CASE WHEN _a <= {job.total_max} THEN _t END",
        **{f"djg_{s}": f"CASE WHEN _m_{s} <= {job.subscale_max} THEN _p_{s} END" for s in subs},
        "djg_categorie": f"CASE WHEN _a <= {job.total_max} AND ({category('_t')}) = ({category('_t + _a')}) "
                         f"THEN NULLIF({category('_t')}, '') END",
        "risicofactoren": "NULLIF(p.risicofactoren, '')", "n_risicofactoren": "p.n_risicofactoren",
        **{name: f"NULLIF(p.{quoted(name)}, '')" for name in job.figures},
        "preventieniveau": f"CASE WHEN ({lonely('ernstig')}) = 1 THEN 3 "
                           f"WHEN ({lonely('eenzaam')}) = 1 OR p._risico THEN 2 ELSE 1 END",
    }
    select = ", ".join([*(f"s.{quoted(c)}" for c in header), *(f"{results[c]} AS {quoted(c)}" for c in job.columns)])
    on = " AND ".join(f"s.{quoted(c)} = p.{quoted(c)}" for c in job.person)
    con.execute(f"""COPY (
        WITH scored AS (SELECT *, {total} AS _t, {absent} AS _a FROM (SELECT src.*, c._klasse, {', '.join(scored_parts)}
                        FROM src JOIN classes c ON src.{quoted(job.age)} = c._age))
        SELECT {select} FROM scored s LEFT JOIN profiles p ON s._klasse = p._klasse AND {on} ORDER BY s._n
    ) TO '{target}' (HEADER, DELIMITER ',')""")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
