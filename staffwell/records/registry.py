"""What each staff-owned app registers with ``staffwell.records``.

Two registries, filled from each app's ``AppConfig.ready()``:

* ``register_kind(Kind(...))``: a shareable record kind (a model with an ``owner`` field),
  its sections and how to describe it. Gives the generic sharing page, the access helper
  and the access log their words.
* ``register_owner_data(OwnerData(...))``: how to export (JSON-able data) and erase all of
  one person's records of that app, for ``my/data/``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Kind:
    key: str  # short slug used in URLs and audit actions: records.<key>.viewed
    model: type[models.Model]
    noun: str  # "wellbeing plan": "Tom viewed your wellbeing plan"
    sections: Callable[[models.Model], list[tuple[str, str]]] = field(default=lambda obj: [])
    describe: Callable[[models.Model], str] | None = None  # "Check-in on 3 May 2026" (no content)
    owner_field: str = "owner"
    detail_url: Callable[[models.Model], str] | None = None  # the owner's own page for the record
    shared_url: Callable[[models.Model], str] | None = None  # the page a grantee opens
    # Sharing with a line manager lapses when they stop managing the owner, unless the
    # kind asks the owner itself what happens on a change of manager. A kind passes a
    # function of the grant that says whether the owner is asked about *that* grant
    # (passports: only the confirming manager's, since the owner is asked about those);
    # every other grant lapses.
    owner_decides_on_manager_change: Callable[[models.Model], bool] | None = None
    # Called with the new grant once sharing commits (passports email the manager).
    on_shared: Callable[[models.Model], None] | None = None

    def owner_decides(self, grant) -> bool:
        rule = self.owner_decides_on_manager_change
        return bool(rule(grant)) if rule is not None else False

    def title(self, obj) -> str:
        return self.describe(obj) if self.describe else self.noun[:1].upper() + self.noun[1:]

    def section_label(self, obj, section: str) -> str:
        return dict(self.sections(obj)).get(section, "")

    def label(self, obj, section: str = "") -> str:
        title = self.title(obj)
        return f"{title}: {self.section_label(obj, section)}" if section else title


@dataclass(frozen=True)
class OwnerData:
    key: str  # "wellbeing"
    title: str  # "My wellbeing"
    export: Callable  # (user) -> JSON-able dict
    erase: Callable  # (user) -> number of records erased
    order: int = 50


_KINDS: dict[str, Kind] = {}
_OWNER_DATA: dict[str, OwnerData] = {}


def register_kind(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing.model is not kind.model:
        raise ValueError(f"Record kind {kind.key!r} is registered twice.")
    _KINDS[kind.key] = kind
    return kind


def register_owner_data(data: OwnerData) -> OwnerData:
    _OWNER_DATA[data.key] = data
    return data


def kind(key: str) -> Kind:
    return _KINDS[key]


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


def kind_for_model(model) -> Kind | None:
    model = model._meta.concrete_model
    return next((k for k in _KINDS.values() if k.model is model), None)


def owner_data() -> list[OwnerData]:
    return sorted(_OWNER_DATA.values(), key=lambda d: (d.order, d.key))
