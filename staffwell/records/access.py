"""Access helpers: the only way a view should fetch a staff-owned record.

* ``owned_or_404(queryset, user=..., pk=...)``: the owner's own record, else 404.
* ``shared_or_404(kind_key, viewer=..., pk=...)``: a record someone else owns, only while
  the owner has a live grant for ``viewer``; otherwise 404 (not 403: a person without
  consent cannot even learn the record exists). Every successful read is written to the
  audit log as ``records.<kind>.viewed`` with ``owner=`` so it appears in the owner's
  access log.
"""

from dataclasses import dataclass, field

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from staffwell.core import audit
from staffwell.records import registry
from staffwell.records.models import Grant

ALL_SECTIONS = None


def owned_or_404(queryset, *, user, pk, owner_field: str = "owner"):
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(queryset, pk=pk, **{owner_field: user})


@dataclass
class SharedRecord:
    """What a grantee may see of one record."""

    obj: models.Model
    owner: object
    grants: list[Grant] = field(default_factory=list)
    sections: frozenset[str] | None = ALL_SECTIONS  # None: the whole record

    def can_see(self, section: str) -> bool:
        return self.sections is None or section in self.sections

    @property
    def relationship(self) -> str:
        return self.grants[0].get_relationship_display() if self.grants else ""


def live_grants(obj, viewer) -> list[Grant]:
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(Grant.objects.live().for_object(obj).granted_to(viewer).select_related("organisation"))


def shared_or_404(kind_key: str, *, viewer, pk, queryset=None, log: bool = True) -> SharedRecord:
    """The record ``pk`` of this kind if its owner has shared any of it with ``viewer``."""
    kind = registry.kind(kind_key)
    queryset = queryset if queryset is not None else kind.model._default_manager.all()
    try:
        obj = queryset.get(pk=pk)
    except (kind.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    owner = getattr(obj, kind.owner_field)
    if owner == viewer:  # the owner uses owned_or_404 and their own pages
        raise Http404
    grants = live_grants(obj, viewer)
    if not grants:
        raise Http404
    sections = None if any(g.section == "" for g in grants) else frozenset(g.section for g in grants)
    shared = SharedRecord(obj=obj, owner=owner, grants=grants, sections=sections)
    if log:
        log_read(kind, shared, viewer=viewer)
    return shared


def log_read(kind: registry.Kind, shared: SharedRecord, *, viewer) -> None:
    grant = shared.grants[0]
    audit.record(
        f"records.{kind.key}.viewed",
        actor=viewer,
        owner=shared.owner,
        obj=shared.obj,
        organisation=grant.organisation,
        data={
            "kind": kind.key,
            "what": kind.noun,
            "relationship": grant.get_relationship_display(),
            "sections": sorted(g.label for g in shared.grants),
        },
    )
