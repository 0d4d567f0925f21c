"""Trainer mode as a View: the step table of `eenzaam stapel`, its frames for `--interactief`, the examples.

Every figure shown comes from the one profile of the whole person (`core.trainer`): the
running figures are the engine's path, the closing lines are those of `eenzaam profiel`
(`two_numbers_line`, the tier's reason) and the caption is the same.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.contract import figure_words, level_sources, note, number, reason, stack_data, two_numbers_line
from ..core.record import Record
from ..core.reference.model import Reference, to_data
from ..core.person import AGE
from ..core.profile import LESS_SPECIFIC, OTHER_MEASURE, FigureUse, Finding, Profile, Stack
from ..core.trainer import Demonstration, TrainerStep
from ..core.text import band_label, t
from .bars import bar, ruler
from .output import Column, Section, View

BAR_WIDTH = 20  # characters for 0-100%: five percentage points a character, 0.625 an eighth
NARROW_BAR_WIDTH = 10  # on a terminal narrower than NARROW: ten points a character, 1.25 an eighth
WIDE, NARROW = 120, 100  # narrower than WIDE the sources go under the step, narrower than NARROW the bars get
                         # shorter too: so no word is cut in two on an 80-column terminal


class Layout(Record):
    bar_width: int = BAR_WIDTH
    source_column: bool = True  # False: each step's sources on a line of their own under the step


def layout(width: int | None) -> Layout:
    """The layout for a table `width` characters wide (None: a picture of a fixed width, or not a table)."""
    if width is None or width >= WIDE:
        return Layout()
    return Layout(bar_width=BAR_WIDTH if width >= NARROW else NARROW_BAR_WIDTH, source_column=False)


def stack_view(demo: Demonstration, reference: Reference, language: str, width: int | None = None) -> View:
    """The whole step table, ending with the tier and its reason, the two numbers and the caption."""
    return _view(demo, reference, language, len(demo.steps), final=True, shape=layout(width))


def frames(demo: Demonstration, reference: Reference, language: str, width: int | None = None) -> list[View]:
    """The pictures of `--interactief`: one more step each, then the outcome.

    Every header is padded to the widest text of its column in the whole table, so the columns
    keep their width while rows appear (as long as the whole table fits the terminal).
    """
    shape = layout(width)
    widths = _widths(_view(demo, reference, language, len(demo.steps), final=True, shape=shape))
    views = [_view(demo, reference, language, shown, final=shown > len(demo.steps), shape=shape)
             for shown in range(1, len(demo.steps) + 2)]
    return [_padded(view, widths) for view in views]


def _view(demo: Demonstration, reference: Reference, language: str, shown: int, final: bool, shape: Layout) -> View:
    profile = demo.profile
    rows = [_row(index, step, demo, reference, language, shape) for index, step in enumerate(demo.steps, start=1)]
    columns = [Column("stap", "#", numeric=True), Column("stap_label", t("step", language)),
               Column("cijfer_label", t("group_figure", language))]
    if shape.source_column:
        columns.append(Column("bron_label", t("source", language)))
    if profile.stacks:
        columns.append(Column("balk", _bar_header(profile, reference, language, shape.bar_width), nowrap=True))
    intro = []
    example = demo.example
    if example is not None:
        intro += [f"{example.label(language)}: {example.description(language)}", t("illustration", language)]
    notes = closing(demo, reference, language) if final else [t("caption", language)]
    title = t("stack_title", language)
    section = Section(title, columns, rows[:shown], intro=intro, notes=notes)
    measures = list(profile.stacks)
    return View([section], data=stack_data(demo, reference, language),
                csv_fields=["stap", "factor", "niveau", "waarde", "cijfers", "gestapeld", "bron",
                            *(f"na_{m}" for m in measures), "duiding"])


# --- one row per step ---------------------------------------------------------------------------------


def _row(index: int, step: TrainerStep, demo: Demonstration, reference: Reference, language: str,
         shape: Layout) -> dict[str, Any]:
    profile = demo.profile
    finding = step.finding
    shown = step_figures(step, profile, reference, language)
    figures = [f"{words}: {why}" if why else words for words, why in shown.lines]
    sources = [f"{', '.join(ids)} {where}".rstrip() for ids, where in shown.sources]
    row: dict[str, Any] = {
        "stap": index, "factor": step.factor, "niveau": finding.level.value if finding else None, "waarde": step.written,
        "stap_label": step_label(step, profile, language) + ("" if shape.source_column or not sources
                                                                else "\n" + "\n".join(sources)),
        "cijfer_label": "\n".join(figures), "cijfers": "; ".join(figures),
        "gestapeld": any(u.stacked and u.figure.measure in profile.stacks for u in finding.figures) if finding else False,
        "bron_label": "\n".join(sources), "bron": ";".join(dict.fromkeys(key for ids, _ in shown.sources for key in ids)),
        "duiding": t("caption", language),
    }
    if step.factor == AGE:
        row["gestapeld"] = bool(profile.stacks)  # the starting point of every stack
    for measure in profile.stacks:
        value = step.values.get(measure)
        row[f"na_{measure}"] = None if value is None else round(value, 1)
    row["balk"] = _bars(step, profile, reference, language, shape.bar_width)
    return row


def step_label(step: TrainerStep, profile: Profile, language: str) -> str:
    finding = step.finding
    if step.factor == AGE:
        label = t("step_age", language, age=step.written)
        band = profile.band
        return label + (f"\n{t('start_band', language, band=band_label(band, language))}" if band and step.point else "")
    if finding is None:
        return step.factor
    label = f"{finding.factor.label(language)}: {_level_label(finding, language)}"
    return label + (f" ({finding.count})" if finding.count is not None else "")


def _level_label(finding: Finding, language: str) -> str:
    level = finding.level
    return level.label(language) if level.label else t(level.value, language)


class StepFigures(Record):
    """What a step shows under its label: its group figures and its sources, for the table and the slide."""

    lines: tuple[tuple[str, str | None], ...]  # (the figure in words, or a line without a number; why it is not stacked)
    sources: tuple[tuple[tuple[str, ...], str], ...]  # (source ids, where in them: '§3.3', 'afbeelding 3' or '')


def step_figures(step: TrainerStep, profile: Profile, reference: Reference, language: str,
                 short: bool = False) -> StepFigures:
    """The step's group figures, each with why it is not stacked where it is not (`short`: in fewer words, for
    the slide); and their sources."""
    finding = step.finding
    lines: list[tuple[str, str | None]] = []
    sources: list[tuple[tuple[str, ...], str]] = []
    if step.factor == AGE:
        band = profile.band
        if band is not None and profile.stacks:
            for measure, stack in profile.stacks.items():
                lines.append((figure_words(stack.start, None, reference.measures[measure].label(language), language), None))
            sources.append(((band.source,), band.note if band.note and language == "nl" else ""))  # the monitor's notes are Dutch
        else:
            lines.append((t("no_start", language, low=reference.monitor.min_age), None))
        if finding is not None and finding.direction == "risico" and not _is_band(finding, band):
            # e.g. adolescents (15-24): a risk group of its own, without a figure
            lines.append((t("risk_group", language, level=_level_label(finding, language)), None))
            if not sources:
                sources.append(_factor_source(finding))
        return StepFigures(lines=tuple(lines), sources=tuple(sources))
    if finding is None:
        return StepFigures(lines=((t("qualitative_step", language, direction="–"), None),), sources=())
    for use in finding.figures:
        words = figure_words(use.figure.value, use.figure.text, reference.measures[use.figure.measure].label(language),
                             language, use.figure.approximation)
        lines.append((words, _why_not(use, profile, reference, language, short)))
        sources.append(((use.figure.source,), f"§{use.figure.paragraph}" if use.figure.paragraph else ""))
    if not finding.figures:
        lines.append((t("qualitative_step", language, direction=t(finding.direction, language)), None))
        sources.append(_factor_source(finding))
    return StepFigures(lines=tuple(lines), sources=tuple(dict.fromkeys(sources)))


def _is_band(finding: Finding, band: Any) -> bool:
    """Whether an age level is the age band itself (75-84), whose figure is already the starting point."""
    bounds = finding.level.range
    return band is not None and bounds is not None and (bounds.min, bounds.max) == (band.min_age, band.max_age)


def _why_not(use: FigureUse, profile: Profile, reference: Reference, language: str, short: bool = False) -> str | None:
    """Why a figure that applies is not stacked, in a few words (None: it is stacked); `short`: in fewer, where
    the interface has a shorter form ('short_why_…')."""
    def why(key: str, **values: Any) -> str:
        shorter = f"short_{key}"
        return t(shorter if short and t(shorter, language) != shorter else key, language, **values)

    if use.overlap is not None:
        overlap = next(o for o in reference.overlaps if o.id == use.overlap)
        others = _overlapping(use, overlap, profile)
        return why("why_overlap", factors=", ".join(f.factor.label(language).lower() for f in others) or "–",
                   paragraph=overlap.paragraph, share=f"{use.share * 100:.0f}")
    if use.stacked:
        if use.figure.measure not in profile.stacks:
            return why("why_no_start")
        return why("why_replaces_start") if use.figure.footing == "vergelijkingsgroep" else None
    if use.reason == LESS_SPECIFIC:
        return why("why_less_specific")
    if use.reason == OTHER_MEASURE:
        return why("why_other_measure")
    return why(f"why_{use.reason}")


def _overlapping(use: FigureUse, overlap: Any, profile: Profile) -> list[Finding]:
    """The person's factors on the other side of a declared overlap."""
    def on(selectors: tuple[str, ...], finding: Finding) -> bool:
        lineage = [level.value for level in finding.factor.lineage(finding.level.value)]
        return any(s.partition("=")[0] == finding.factor.id and (not s.partition("=")[2] or s.partition("=")[2] in lineage)
                   for s in selectors)

    mine = next((f for f in profile.findings if use in f.figures), None)
    if mine is None:
        return []
    other = overlap.by if on(overlap.group, mine) else overlap.group
    return [f for f in profile.findings if f is not mine and on(other, f)
            and any(u.stacked and u.figure.measure == use.figure.measure for u in f.figures)]


def _factor_source(finding: Finding) -> tuple[tuple[str, ...], str]:
    return level_sources(finding.factor, finding.level), f"§{finding.factor.paragraph}"


# --- the bars -------------------------------------------------------------------------------------------


def short_measure(measure: str, reference: Reference, language: str) -> str:
    key = f"bar_{measure}"
    word = t(key, language)
    return word if word != key else reference.measures[measure].label(language)


def _label_width(profile: Profile, reference: Reference, language: str) -> int:
    """The width of the measure names before the bars: room for the header word over them too."""
    names = max(len(short_measure(m, reference, language)) for m in profile.stacks)
    return max(names, len(t("after_short", language)) - 6)


def _bars(step: TrainerStep, profile: Profile, reference: Reference, language: str, bar_width: int) -> str:
    """One line per stacked measure: its short name, the running figure after this step, and its bar."""
    if not step.values:
        return "–"
    width = _label_width(profile, reference, language)
    lines = []
    for measure, stack in profile.stacks.items():
        value = step.values[measure]
        shown = running(value, stack, language)
        lines.append(f"{short_measure(measure, reference, language):<{width}} {shown:>5} {bar(value, bar_width)}")
    return "\n".join(lines)


def running(value: float, stack: Stack, language: str) -> str:
    """A running figure as shown: the band's figure as printed until a step shifts it, then in whole percents."""
    unchanged = abs(value - float(stack.start)) < 1e-6
    return f"{number(stack.start, language)}%" if unchanged else _whole(value)


def _whole(value: float) -> str:
    """A running figure in whole percents, rounded as the profile rounds its combination (to one decimal, then
    whole), so the last step shows exactly the combination of `two_numbers_line`."""
    return f"{Decimal(f'{value:.1f}'):.0f}%"


def _bar_header(profile: Profile, reference: Reference, language: str, bar_width: int) -> str:
    """'Na deze stap', then a ruler that lines up with the bars below it: one line, no leading spaces
    (some SVG renderers drop those)."""
    indent = _label_width(profile, reference, language) + 1 + 5 + 1
    return f"{t('after_short', language):<{indent}}{ruler(bar_width)}"


# --- the closing lines ------------------------------------------------------------------------------------


def closing(demo: Demonstration, reference: Reference, language: str) -> list[str]:
    profile = demo.profile
    lines = [t("stack_outcome", language, n=len(demo.steps), reason=reason(profile, language))]
    lines += [two_numbers_line(stack, profile, reference, language) for stack in profile.stacks.values()]
    lines.append(t("caption", language))  # right under the numbers it qualifies
    lines += [note(code, profile, reference, language) for code in profile.notes]
    if profile.stacks:
        lines.append(t("stack_method", language))
    if demo.example is not None and demo.example.note is not None:
        lines.append(demo.example.note(language))
    return lines


# --- --interactief: columns that keep their width ---------------------------------------------------------


def _widths(view: View) -> dict[str, int]:
    section = view.sections[0]
    return {c.key: max(len(line) for text in [c.header, *(_text(row.get(c.key)) for row in section.rows)]
                       for line in text.splitlines() or [""]) for c in section.columns}


def _text(value: Any) -> str:
    return "–" if value is None else str(value)


def _padded(view: View, widths: dict[str, int]) -> View:
    """The view with each header's first line padded to `widths` (trailing spaces take room, not ink)."""
    section = view.sections[0]
    columns = []
    for column in section.columns:
        first, newline, rest = column.header.partition("\n")
        columns.append(Column(column.key, first.ljust(widths[column.key]) + newline + rest, column.numeric, column.nowrap))
    padded = Section(section.title, columns, section.rows, section.intro, section.notes)
    return View([padded], data=view.data, csv_fields=view.csv_fields)


# --- --voorbeelden -------------------------------------------------------------------------------------------


def examples_view(reference: Reference, language: str) -> View:
    rows = [{"id": e.id, "label": e.label(language), "beschrijving": e.description(language),
             "stappen": " ".join(e.steps)} for e in reference.examples.values()]
    columns = [Column("id", "ID", nowrap=True), Column("label", t("example", language)),
               Column("beschrijving", t("description", language))]
    notes = [t("examples_note", language), t("examples_run", language)]
    return View([Section(t("examples_title", language), columns, rows, notes=notes)],
                data=[to_data(e) for e in reference.examples.values()], csv_fields=["id", "label", "beschrijving", "stappen"])
