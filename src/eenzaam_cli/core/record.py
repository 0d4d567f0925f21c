"""The base of every typed result and compiled reference record: immutable, fields from annotations.

Records are made by the hundred thousand in population and batch runs and on every start of the CLI
(decoding a cached reference), so the base is kept cheap: it reads the fields from the class annotations
(its bases' first) instead of generating code per class as dataclasses and NamedTuples do. Only the
standard library is imported here.
"""

from __future__ import annotations

from typing import Any


class Record:
    """An immutable record: fields in annotation order, defaults as class attributes.

    A subclass has its bases' fields first, then its own, as dataclasses do; a subclass may give
    an inherited field a default. A default that is a dict, list or set is copied for each record,
    so no two records share one.
    """

    _fields: tuple[str, ...] = ()
    _known: frozenset[str] = frozenset()
    _required: frozenset[str] = frozenset()
    _copied: tuple[str, ...] = ()  # fields whose default is a dict, list or set

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        records = [base for base in reversed(cls.__mro__) if issubclass(base, Record) and base is not Record]
        fields = tuple(dict.fromkeys(name for base in records for name in base.__dict__.get("__annotations__", {})))
        defaults: dict[str, Any] = {}
        for base in records:  # later (more derived) classes override earlier ones
            defaults |= {name: base.__dict__[name] for name in fields if name in base.__dict__}
        cls._fields = fields
        cls._known = frozenset(fields)
        cls._required = frozenset(fields) - defaults.keys()
        cls._copied = tuple(name for name, value in defaults.items() if isinstance(value, (dict, list, set)))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Fields go straight into the instance dict (defaults stay class attributes): records are made
        # by the hundred thousand in population and batch runs, so this is kept to a few set operations.
        if args:
            kwargs = dict(zip(self._fields, args)) | kwargs
        if not self._required <= kwargs.keys():
            missing = sorted(self._required - kwargs.keys())
            raise TypeError(f"{type(self).__name__}: missing field {missing[0]!r}")
        if not kwargs.keys() <= self._known:
            raise TypeError(f"{type(self).__name__}: unknown field(s) {', '.join(sorted(kwargs.keys() - self._known))}")
        if self._copied:
            for name in self._copied:
                if name not in kwargs:
                    kwargs[name] = getattr(type(self), name).copy()
        self.__dict__.update(kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"
