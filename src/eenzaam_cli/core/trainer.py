"""Trainer mode: one profile shown step by step, in the order the factors were added.

A trainer starts from a person of a certain age and adds widowhood, then money
trouble, then caregiving, and the group watches the figures grow. Nothing here
computes a figure: the person is profiled once by `Engine.profile`, and each
step shows what that profile already holds for the factor added, read from the
engine's own `path` (the joint running figures after each factor that shifted
something). A step whose factor shifted nothing (a qualitative factor, a figure
of another measure, a figure the declared overlap leaves out) keeps the figures
of the step before, so the last step is exactly the profile's combination.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import InputError
from .record import Record
from .reference.model import Example, Reference
from .person import AGE, PersonReader, normalise
from .profile import Engine, Finding, PathPoint, Profile

# Person keys that are not steps: a measurement leads over group figures, and signals never stack.
NOT_A_STEP = ("eenzaam", "signalen", "djg")


class TrainerStep(Record):
    """One row of the step table: a factor added, and the engine's running figures after it."""

    factor: str  # the factor id ('leeftijd' for the start)
    written: str  # the value as given ('78', 'verweduwd')
    finding: Finding | None  # the factor at the person's level, with every figure that applies and why
    point: PathPoint | None  # the engine's path point for this step: the start for the age, else the factor's own
    values: dict[str, float]  # the running figures after this step ({} when nothing is stacked)

    @property
    def shifted(self) -> bool:
        """Whether this step moved the figures (the start counts as moving them from nothing)."""
        return self.point is not None


class Demonstration(Record):
    """A person built up step by step: the profile of the whole person, and its steps in order."""

    profile: Profile
    steps: tuple[TrainerStep, ...]
    example: Example | None = None


def parse_steps(texts: Iterable[str], where: str | None = None) -> list[tuple[str, str, str]]:
    """'factor=waarde' texts as (key, value, where) items for the PersonReader, in the order given.

    The age must come first (it is the starting point of the stacking), every key is a factor
    (not a measured or stated loneliness, nor a signal), and no factor may be given twice.
    """
    items: list[tuple[str, str, str]] = []
    seen: dict[str, str] = {}
    for index, text in enumerate(texts, start=1):
        key, sep, value = text.partition("=")
        place = where.format(step=index) if where else key.strip() or text
        if not sep or not key.strip():
            raise InputError(f"{place}: {text!r} heeft niet de vorm FACTOR=WAARDE (bijv. burgerlijke_staat=verweduwd)")
        if not value.strip():
            raise InputError(f"{place}: geef een waarde na '=' (bijv. {key.strip()}=...)")
        factor = normalise(key)
        if factor in NOT_A_STEP:
            raise InputError(f"{place}: {factor} is geen risicofactor en dus geen stap; gebruik `eenzaam profiel` "
                             "voor een gemeten of opgegeven eenzaamheid of signalen")
        if factor in seen:
            raise InputError(f"{place}: {factor} staat al eerder in de stappen ({seen[factor]!r}); geef elke factor één keer")
        if index == 1 and factor != AGE:
            raise InputError(f"{place}: de eerste stap is de leeftijd, het startpunt van de stapeling; "
                             "zet leeftijd=N vooraan (bijv. leeftijd=78)")
        seen[factor] = text
        items.append((factor, value.strip(), place))
    if not items:
        raise InputError("geef de stappen als FACTOR=WAARDE, te beginnen met de leeftijd (bijv. leeftijd=78 "
                         "burgerlijke_staat=verweduwd)")
    return items


def demonstrate(reference: Reference, items: Sequence[tuple[str, str, str]], example: Example | None = None,
                engine: Engine | None = None, reader: PersonReader | None = None) -> Demonstration:
    """Profile the person of `items` (from `parse_steps`) once, and split the profile into its steps."""
    for key, _, where in items:
        if key != AGE and key not in reference.factors:
            allowed = ", ".join([AGE, *(f for f in reference.factors if f != AGE)])
            raise InputError(f"{where}: onbekende factor {key!r} (toegestaan: {allowed})")
    person = (reader or PersonReader(reference)).read(items)
    profile = (engine or Engine(reference)).profile(person)
    return Demonstration(profile=profile, steps=steps(profile, [(key, value) for key, value, _ in items]),
                         example=example)


def example_items(example: Example) -> list[tuple[str, str, str]]:
    """The steps of a ready-made example, each naming the example and its number where it is wrong."""
    return parse_steps(example.steps, where=f"voorbeeld {example.id}, stap {{step}}")


def steps(profile: Profile, order: Sequence[tuple[str, str]]) -> tuple[TrainerStep, ...]:
    """The profile's steps in the order the factors were given ((factor id, value as written), age first).

    Every running figure is the engine's: the start of `profile.path` for the age, a factor's own
    path point where it shifted something, else the figures of the step before.
    """
    path = profile.path
    points = {point.factor: point for point in path[1:]}
    given = [factor for factor, _ in order]
    if path and (not given or given[0] != AGE):
        raise ValueError("the age is the starting point of the stacking: it must be the first step")
    if [factor for factor in given if factor in points] != [point.factor for point in path[1:]]:
        raise ValueError("the steps are not in the order of the profile's path")  # PersonReader keeps the order given
    values: dict[str, float] = {}
    result = []
    for factor, written in order:
        point = (path[0] if path else None) if factor == AGE else points.get(factor)
        if point is not None:
            values = dict(point.values)
        result.append(TrainerStep(factor=factor, written=written, finding=profile.finding(factor), point=point,
                                  values=values))
    return tuple(result)
