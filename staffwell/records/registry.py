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
    # Which record, from plain columns only: the kind and a date ("Check-in on 3 May 2026").
    # It is stored (grant labels, the audit log's "what") and shown to grantees, so it must
    # never read an encrypted field: no names, no titles the owner typed, no health details.
    describe: Callable[[models.Model], str] | None = None
    # The richer title the owner sees on their own pages, decrypted at display time (a
    # conversation names the other person). Never stored, never shown to anyone else.
    owner_title: Callable[[models.Model], str] | None = None
    owner_field: str = "owner"
    detail_url: Callable[[models.Model], str] | None = None  # the owner's own page for the record
    shared_url: Callable[[models.Model], str] | None = None  # the page a grantee opens
    # Called with the new grant once sharing commits (passports email the manager).
    # Sharing with someone as the owner's line manager lapses, for every kind, when they stop
    # managing the owner (records.services.lapse_grants_to_former_managers): no kind opts out.
    on_shared: Callable[[models.Model], None] | None = None

    def title(self, obj) -> str:
        """The plain description: safe to store and to show to anyone the record is shared with."""
        generic = self.noun[:1].upper() + self.noun[1:]
        if not self.describe:
            return generic
        described = self.describe(obj)
        # By design, not by care: should a kind's description ever pick up something the
        # owner wrote, the stored label falls back to the bare kind.
        return generic if _holds_content(described, obj) else described

    def title_for_owner(self, obj) -> str:
        return self.owner_title(obj) if self.owner_title else self.title(obj)

    def section_label(self, obj, section: str) -> str:
        return dict(self.sections(obj)).get(section, "")

    def label(self, obj, section: str = "") -> str:
        """What a grant is of, as stored in ``Grant.label`` and the audit log: kind, date and
        section heading only."""
        title = self.title(obj)
        return f"{title}: {self.section_label(obj, section)}" if section else title


_SHORTEST_CONTENT = 4  # shorter values ("ok", "yes") are choices, not something to hide in a label


def _strings(value):
    if isinstance(value, str):
        if len(value.strip()) >= _SHORTEST_CONTENT:
            yield value.strip()
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _holds_content(text: str, obj) -> bool:
    """Whether ``text`` contains any value of the record's encrypted fields."""
    from staffwell.core.fields import encrypted_fields

    lowered = text.lower()
    for attname in encrypted_fields(type(obj)):
        if any(s.lower() in lowered for s in _strings(getattr(obj, attname, None))):
            return True
    return False


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
