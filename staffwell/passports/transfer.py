"""Signed passports leaving and arriving: the passport as data, the signed export, and the
import of a signed passport from another organisation (checked against its holder: only the
person it names, by the email they sign in with, can import it). Split from ``services.py``,
which re-exports these names."""

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.passports import signing
from staffwell.passports.models import (
    CONTENT_FIELDS,
    Adjustment,
    AdjustmentStep,
    Passport,
    PassportKind,
    SigningKey,
    Status,
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def adjustments_data(passport: Passport) -> list[dict]:
    return [
        {
            "request": a.request,
            "status": a.status,
            "status_label": a.get_status_display(),
            "agreed": a.what_is_agreed,
            "reason": a.reason,
            "requested_on": _iso(a.requested_at),
            "decision_due": _iso(a.decision_due),
            "decided_on": _iso(a.decided_at),
            "history": [
                {
                    "status": s.status,
                    "by": s.actor_name,
                    "role": s.actor_role,
                    "note": s.note,
                    "on": _iso(s.at),
                    **({"issuer": s.imported_from} if s.imported_from else {}),
                }
                for s in a.steps.all()
            ],
        }
        for a in passport.adjustments.prefetch_related("steps")
    ]


def passport_data(passport: Passport) -> dict:
    """The passport as JSON-able data (also the payload that is signed)."""
    return {
        "id": str(passport.uid),
        "kind": passport.kind,
        "kind_label": passport.get_kind_display(),
        "holder": {"name": passport.owner.full_name, "email": passport.owner.email},
        "in_their_words": [{"key": f["key"], "heading": f["label"], "text": f["value"]} for f in passport.fields()],
        "adjustments": adjustments_data(passport),
        "confirmed": {
            "by_holder_on": _iso(passport.owner_confirmed_at),
            "by_manager": passport.confirming_manager.full_name if passport.confirming_manager else None,
            "by_manager_on": _iso(passport.manager_confirmed_at),
        },
        "review_due": _iso(passport.review_due),
        "last_reviewed_on": _iso(passport.last_reviewed_on),
        "created_on": _iso(passport.created_at),
        "imported_from": (
            {
                "ods_code": passport.imported_from_ods,
                "name": passport.imported_from_name,
                "on": _iso(passport.imported_at),
            }
            if passport.is_imported
            else None
        ),
    }


def laundered_origin(passport: Passport) -> str:
    """Why an imported passport must not be signed here, or "": it came in with a key from
    elsewhere under a look-alike of an organisation on this staffwell (or a name mixing
    scripts), and signing it with this organisation's real key would launder it."""
    if not passport.is_imported:
        return ""
    ods, name = passport.imported_from_ods, passport.imported_from_name
    org = signing.find_local_org(ods, name)
    if org is not None and (
        org.ods_code != ods
        or (
            passport.imported_key_id
            and not SigningKey.objects.filter(organisation=org, key_id=passport.imported_key_id).exists()
        )
    ):
        return (
            signing.imitation_message("This passport was imported from", ods, name, org)
            + f". It was signed with a key that is not {org.name}'s, so staffwell will not sign it as this "
            "organisation's: it would look as if that organisation had agreed it. Ask your organisation admin."
        )
    return signing.mixed_script_problem(name, "The name of the organisation this passport was imported from")


def signed_export(*, passport: Passport, actor) -> dict:
    """The passport signed by its organisation. An import that passed as a local organisation
    is refused (``NotAllowed``), never re-signed."""
    from staffwell.passports.services import NotAllowed

    problem = laundered_origin(passport)
    if problem:
        raise NotAllowed(problem)
    payload = {**passport_data(passport), "issued_at": timezone.now().replace(microsecond=0).isoformat()}
    document = signing.sign(payload, passport.organisation)
    audit.record(
        "passport.exported",
        actor=actor,
        owner=passport.owner,
        obj=passport,
        organisation=passport.organisation,
        data={"key_id": document["signature"]["key_id"]},
    )
    return document


def signed_bytes(document: dict) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _text(value, limit: int = 10_000) -> str:
    return str(value)[:limit] if isinstance(value, str) else ""


def import_verified(*, verified: signing.Verified, owner, raw: str) -> Passport:
    from staffwell.passports.services import NotAllowed, owner_membership

    data = verified.passport
    kind = data.get("kind")
    if kind not in PassportKind.values:
        raise NotAllowed("The signed passport is of a kind this staffwell does not know.")
    membership = owner_membership(owner)
    if membership is None:
        raise NotAllowed("You need to be a member of an organisation on staffwell to keep a passport.")
    if Passport.objects.filter(owner=owner, kind=kind).exists():
        raise NotAllowed(
            f"You already have a {PassportKind(kind).label.lower()} here. Delete it first if the imported one "
            "should replace it."
        )
    issuer = verified.key.name or data["issuer"].get("name", "")
    ods = data["issuer"].get("ods_code", "")
    if ods == membership.organisation.ods_code:
        raise NotAllowed("This passport was issued by your own organisation: you already have it here.")
    if verified.key.source != signing.LOCAL:
        # ``verify`` refuses these already; an import never records a look-alike as its origin.
        for name in dict.fromkeys((issuer, data["issuer"].get("name", ""))):
            imitated = signing.find_local_org(ods, name)
            if imitated is not None:
                raise NotAllowed(
                    "Impostor: " + signing.imitation_message("this passport names", ods, name, imitated) + "."
                )
            problem = signing.mixed_script_problem(name)
            if problem:
                raise NotAllowed(problem)
    holder_email = data["holder"]["email"].strip().casefold()
    # Only the account's own address counts: the person proved it by signing in (a reset link
    # sent to it, or single sign-on). An email on a staff list is whatever an organisation's
    # upload says, so it could name anyone.
    if holder_email != owner.email.strip().casefold():
        audit.record(
            "passport.import_refused",
            actor=owner,
            owner=owner,
            organisation=membership.organisation,
            data={"reason": "holder_mismatch", "issuer": ods[:10], "key_id": verified.key.key_id},
        )
        raise NotAllowed(
            f"This passport belongs to {data['holder']['name'][:200]} ({data['holder']['email'][:200]}), not to you "
            f"({owner.email}). You can only import your own passport. If it is yours and your email address has "
            "changed, ask your previous employer's organisation admin to update it there, download it again, and "
            "import that."
        )
    words = {
        item.get("key"): _text(item.get("text")) for item in data.get("in_their_words", []) if isinstance(item, dict)
    }
    content = {k: words.get(k, "") for k, _, _ in CONTENT_FIELDS[kind]}
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        passport = Passport.objects.create(
            owner=owner,
            organisation=membership.organisation,
            kind=kind,
            content=content,
            review_due=today,  # a new employer and a new manager: review now
            imported_from_ods=ods[:10],
            imported_from_name=issuer[:200],
            imported_key_id=verified.key.key_id,
            imported_at=now,
            imported_issued_at=signing._when_or_none(data.get("issued_at")),
            source_document=raw,
        )
        for item in data.get("adjustments", []):
            if not isinstance(item, dict) or item.get("status") not in Status.values:
                continue
            requested = _when(item.get("requested_on")) or now
            adj = Adjustment.objects.create(
                passport=passport,
                request=_text(item.get("request")),
                agreed_text=_text(item.get("agreed")) if item.get("status") == Status.AGREED_WITH_CHANGES else "",
                reason=_text(item.get("reason")),
                status=item["status"],
                requested_at=requested,
                decision_due=signing.parse_date(item.get("decision_due")) or requested.date(),
                decided_at=_when(item.get("decided_on")),
                imported=True,
            )
            for step in item.get("history", []):
                if not isinstance(step, dict) or step.get("status") not in Status.values:
                    continue
                AdjustmentStep.objects.create(
                    adjustment=adj,
                    status=step["status"],
                    actor_name=_text(step.get("by"), 200),
                    actor_role=_text(step.get("role"), 60),
                    note=_text(step.get("note")),
                    at=_when(step.get("on")) or requested,
                    imported_from=_text(step.get("issuer"), 200) or issuer[:200],
                )
    audit.record(
        "passport.imported",
        actor=owner,
        owner=owner,
        obj=passport,
        organisation=membership.organisation,
        data={"issuer": ods, "key_id": verified.key.key_id},
    )
    return passport


def _when(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        day = signing.parse_date(value)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12))) if day else None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
