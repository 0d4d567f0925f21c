"""eenzaam: loneliness risk profiles for the Netherlands, from the Movisie publication.

The library API (no typer or rich involved): `eenzaam_cli.api` for scripts and notebooks (docs/api.md)::

    from eenzaam_cli import api
    api.profile(leeftijd=87, burgerlijke_staat="verweduwd").to_dict()   # as `eenzaam profiel … -f json`

and one level down, the core itself::

    from eenzaam_cli import load_reference, prevalence
    reference = load_reference()            # bundled data; pass paths for your own
    prevalence(reference, age=80).bands     # the 75-84 row of the 2016 monitor
"""

from __future__ import annotations

__version__ = "0.3.0"

__all__ = ["__version__", "load_reference", "prevalence", "parse_age", "PersonReader", "Engine", "profile"]


def __getattr__(name: str):
    # Lazy, so `import eenzaam_cli` (and the CLI's start-up) stays cheap.
    if name == "load_reference":
        from .core.reference.loading import load_reference

        return load_reference
    if name in ("prevalence", "parse_age"):
        from .core import prevalence as module

        return getattr(module, name)
    if name == "PersonReader":
        from .core.person import PersonReader

        return PersonReader
    if name in ("Engine", "profile"):
        from .core import profile as module

        return getattr(module, name)
    raise AttributeError(name)
