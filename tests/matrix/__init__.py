"""The permission matrix: for every URL pattern in the project, what each persona gets.

Each module in this package declares ``ENTRIES``: URL name -> Case. The matrix test fails
when a URL pattern has no entry, or an entry lacks an outcome for any persona. Outcomes are
for a GET request.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from tests.conftest import PERSONAS

ORG_MEMBERS = ("staff", "manager", "lead", "rep", "editor", "admin")


@dataclass(frozen=True)
class Case:
    expect: dict[str, int]
    kwargs: Callable | None = None  # world -> URL kwargs

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"No expected outcome for {sorted(missing)}")


def public(kwargs=None, status: int = 200) -> Case:
    return Case(dict.fromkeys(PERSONAS, status), kwargs)


def signed_in(kwargs=None, status: int = 200) -> Case:
    """Any signed-in person; anonymous visitors are sent to sign in."""
    return Case({p: (302 if p == "anonymous" else status) for p in PERSONAS}, kwargs)


def org_page(allowed, kwargs=None, ok: int = 200, **overrides) -> Case:
    """An organisation page: members with the permission get ``ok``, other members 403,
    anyone outside the organisation (the outsider, the platform admin) 404."""
    if kwargs is None:

        def kwargs(w):
            return {"org": w.org.slug}

    expect = {"anonymous": 302, "outsider": 404, "platform": 404}
    for p in ORG_MEMBERS:
        expect[p] = ok if p in allowed else 403
    expect.update(overrides)
    return Case(expect, kwargs)


def entries() -> dict[str, Case]:
    merged: dict[str, Case] = {}
    for module in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{module.name}")
        for name, case in getattr(mod, "ENTRIES", {}).items():
            if name in merged:
                raise ValueError(f"{name} is in the matrix twice")
            merged[name] = case
    return merged
