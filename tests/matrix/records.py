from django.urls import reverse  # noqa: F401

from tests.matrix import PERSONAS, Case, signed_in


def _grant(w):
    from staffwell.records import services

    staff = w.users["staff"]
    candidate = services.share_candidates(staff)[0]
    # A grant on the staff member's own wellbeing record kind is not needed for the matrix:
    # any object will do, so the membership stands in.
    from django.contrib.contenttypes.models import ContentType

    from staffwell.records.models import Grant

    g, _ = Grant.objects.get_or_create(
        owner=staff,
        grantee=candidate.user,
        record_type=ContentType.objects.get_for_model(w.memberships["staff"]),
        record_id=w.memberships["staff"].pk,
        defaults={"organisation": w.org, "kind": "test", "label": "Test", "relationship": candidate.relationship},
    )
    return {"grant_id": g.pk}


def _only_staff(kwargs, ok=200):
    """A page about the staff member's own object: everyone else gets 404."""
    return Case({p: {"staff": ok, "anonymous": 302}.get(p, 404) for p in PERSONAS}, kwargs)


ENTRIES = {
    "records:access_log": signed_in(),
    "records:sharing": signed_in(),
    "records:share": Case(
        {p: 302 if p == "anonymous" else 404 for p in PERSONAS}, lambda w: {"kind": "nosuchkind", "record_id": 1}
    ),
    "records:withdraw": _only_staff(_grant),
    "records:my_data": signed_in(),
    "records:export_json": signed_in(),
    "records:export_pdf": signed_in(),
    "records:erase": signed_in(),
}
