"""What the same-job anchors of benchmarks/batch.py share: `eenzaam batch`'s job on batch_data.py's file, stated once.

Each anchor (batch_pandas.py, batch_duckdb.py, batch_polars.py) reads the file in its own engine, scores the De
Jong Gierveld answers there (vectorised: no Python per row), profiles each distinct (age class, person values)
once with the tool's engine (`BatchEngine.profile_cells`, the cells a row gets) and joins the profiles back, applies
the tier rules and writes the CSV. This module gives them the scale's rules and the profiles; the benchmark checks
that each output is byte for byte the tool's before it reports a time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from eenzaam_cli.core.batch import BatchEngine
from eenzaam_cli.core.reference.loading import load_reference


class Job:
    """The job for a file with this header: its columns, the scale's rules, and the engine that profiles a key."""

    def __init__(self, header: Sequence[str]):
        self.header = list(header)
        self.engine = engine = BatchEngine(load_reference(), header)
        scale = engine.scale
        assert scale is not None and engine.age_column is not None
        self.age = engine.age_column
        self.person = list(engine.person)
        self.columns = list(engine.columns)  # the result columns, in order
        self.breaks = engine.engine.age_breaks()
        # per subscale: its id, its answer columns, and the answers that score a point (as written in the file)
        self.subscales = [(sub.id, [column for item, column in zip(scale.items, engine.answer_columns) if item in sub.items],
                           [answer.replace("_", " ") for answer in sub.scores_on]) for sub in scale.subscales]
        self.total_max, self.subscale_max = scale.missing.total_max, scale.missing.subscale_max
        self.categories = [(category.id, category.low) for category in reversed(scale.categories)]  # highest first
        self.indicators = {indicator.id: (indicator.score, indicator.threshold) for indicator in scale.indicators}
        self.figures = [c for m in engine.measures for c in (f"hoogste_groepscijfer_{m}", f"illustratie_onafhankelijk_{m}")]
        # what the anchors join on, and what they join
        self.keys = ["_klasse", *self.person]
        self.profile_columns = [*self.keys, "leeftijdsband", "risicofactoren", "n_risicofactoren", *self.figures, "_risico"]

    def age_class(self, age: str) -> int:
        """The age class of an age as written (the file's ages are whole numbers)."""
        return bisect_right(self.breaks, int(age))

    def profiles(self, keys: Iterable[Sequence[Any]]) -> Iterator[tuple]:
        """Each key (age class, an age of that class as written, person values …) profiled once: a row of
        `profile_columns` (with `_risico`: whether a risk factor is present, what the tier rules read)."""
        for age_class, age, *values in keys:
            band, cells, _ = self.engine.profile_cells(str(age), [str(v) for v in values])
            yield (age_class, *values, band or "", *cells, cells[1] != "0")
