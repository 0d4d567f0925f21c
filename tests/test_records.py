"""Record, the base of the compiled reference: inheritance and mutable defaults."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eenzaam_cli.core.record import Record
from eenzaam_cli.core.reference.model import CachedReference, Reference, from_data, to_data
from eenzaam_cli.core.person import Person


class Point(Record):
    x: int
    y: int = 0


class Point3(Point):
    z: int = 0


class Labelled(Point):
    y: int = 5  # a new default for an inherited field
    label: str


def test_a_subclass_keeps_the_fields_of_its_base():
    point = Point3(x=1, z=3)
    assert (point.x, point.y, point.z) == (1, 0, 3)
    assert Point3._fields == ("x", "y", "z")
    assert Point3(1, 2, 3) == Point3(x=1, y=2, z=3)
    assert repr(Point3(1, 2, 3)) == "Point3(x=1, y=2, z=3)"


def test_a_subclass_still_requires_the_required_fields_of_its_base():
    with pytest.raises(TypeError, match="Point3: missing field 'x'"):
        Point3(z=3)
    with pytest.raises(TypeError, match=r"unknown field\(s\) w"):
        Point3(x=1, w=2)


def test_a_subclass_may_give_an_inherited_field_a_new_default():
    assert Labelled(x=1, label="a").y == 5
    assert Labelled._fields == ("x", "y", "label")
    with pytest.raises(TypeError, match="Labelled: missing field 'label'"):
        Labelled(x=1)


def test_the_generic_mapping_sees_inherited_fields():
    assert to_data(Point3(1, 2, 3)) == {"x": 1, "y": 2, "z": 3}
    assert from_data(Point3, {"x": 4, "z": 6}) == Point3(x=4, y=0, z=6)


def test_a_cached_reference_has_the_fields_of_a_reference():
    assert CachedReference._fields == Reference._fields
    assert "monitor" in CachedReference._fields


@given(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True), st.integers(0, 8))
def test_fields_are_the_bases_then_the_subclass_own(names, split):
    base = type("Base", (Record,), {"__annotations__": dict.fromkeys(names[:split], "int")})
    sub = type("Sub", (base,), {"__annotations__": dict.fromkeys(names[split:], "int")})
    assert sub._fields == tuple(names)
    record = sub(**{name: index for index, name in enumerate(names)})
    assert [getattr(record, name) for name in names] == list(range(len(names)))


def test_every_person_has_a_dict_of_its_own():
    first = Person()
    first.factors["geslacht"] = "vrouw"
    first.counts["kinderen"] = 2
    second = Person()
    assert second.factors == {} and second.counts == {}
    assert Person.factors == {}


def test_list_and_set_defaults_are_copied_per_record():
    class Bag(Record):
        items: list[int] = []
        tags: set[str] = set()

    one, two = Bag(), Bag()
    one.items.append(1)
    one.tags.add("a")
    assert two.items == [] and two.tags == set()
    assert Bag(items=[7]).items == [7]  # a value given is used as it is


def test_a_mutable_default_is_copied_also_for_a_subclass():
    class Base(Record):
        values: dict[str, int] = {}

    class Sub(Base):
        name: str = ""

    one = Sub()
    one.values["a"] = 1
    assert Sub().values == {} and Base().values == {}
