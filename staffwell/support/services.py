"""Support requests: asking, the peer support programme, escalation, follow-ups, export and
erase. Keyword-only functions; views orchestrate."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from staffwell import suppression
from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.records.models import Grant
from staffwell.support import content
from staffwell.support.models import FollowUp, PeerSupporter, ProgrammeSettings, SupportRequest

KIND_KEY = "support"
AGREEMENT_KIND = "support.programme"


class SupportError(Exception):
    """Something cannot happen; the message says why in plain words."""


def programme_for(org) -> ProgrammeSettings:
    settings_obj, _ = ProgrammeSettings.objects.get_or_create(organisation=org)
    return settings_obj


def peer_supporter_for(membership) -> PeerSupporter | None:
    if membership is None:
        return None
    return PeerSupporter.objects.filter(membership=membership, is_active=True).first()


def _link(name: str, **kwargs) -> str:
    return settings.STAFFWELL_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _mail(subject: str, body: str, to: list[str]) -> None:
    to = sorted({e for e in to if e})
    if to:
        transaction.on_commit(
            lambda: send_mail(subject, f"{body}\n\n{settings.STAFFWELL_SERVICE_NAME}", None, to, fail_silently=True)
        )


def ask(
    *,
    owner,
    membership,
    about: str,
    event_kind: str,
    details: dict,
    incident_reference: str = "",
    to_programme: bool,
    programme_sections: list[str],
    triggers: list[tuple[dt.date, str]] = (),
) -> SupportRequest:
    """Record a request for support. Tier 2 if it goes to the peer support programme."""
    org = membership.organisation
    programme = programme_for(org)
    sections = [key for key, _ in content.REQUEST_SECTIONS if key in programme_sections] if to_programme else []
    with transaction.atomic():
        req = SupportRequest.objects.create(
            owner=owner,
            organisation=org,
            about=about,
            event_kind=event_kind,
            staff_group=membership.staff_group or "",
            tier=2 if to_programme else 1,
            to_programme=to_programme,
            programme_sections=sections,
            details={k: (v or "").strip() for k, v in details.items()},
            incident_reference=(incident_reference or "").strip(),
        )
        today = timezone.localdate()
        for days in programme.followup_offsets:
            FollowUp.objects.create(request=req, due_on=today + dt.timedelta(days=days))
        for when, label in triggers:
            # A check-in a few days before the date the person named.
            FollowUp.objects.create(
                request=req, due_on=max(today, when - dt.timedelta(days=3)), is_trigger=True, label=label.strip()
            )
        audit.record(
            "support.request.created",
            actor=owner,
            owner=owner,
            organisation=org,
            obj=req,
            data={"tier": req.tier, "to_programme": to_programme},
        )
        if to_programme:
            supporters = PeerSupporter.objects.filter(
                membership__organisation=org, is_active=True, membership__is_active=True
            ).select_related("membership__user")
            _mail(
                "A new request for peer support",
                "Someone in your organisation has asked the peer support programme for support. "
                f"Open staffwell to see what they chose to share and to accept it:\n\n"
                f"{_link('support:queue', org=org.slug)}",
                [s.membership.user.email for s in supporters if s.membership.user_id],
            )
    return req


def programme_can_see(req: SupportRequest, section: str) -> bool:
    return section in (req.programme_sections or [])


def log_programme_read(req: SupportRequest, *, viewer) -> None:
    """A peer supporter opened a request: the owner sees it in their access log."""
    audit.record(
        f"records.{KIND_KEY}.viewed",
        actor=viewer,
        owner=req.owner,
        obj=req,
        organisation=req.organisation,
        data={
            "kind": KIND_KEY,
            "what": "request for support",
            "relationship": "the peer support programme",
            "sections": [label for key, label in content.REQUEST_SECTIONS if programme_can_see(req, key)],
        },
    )


def accept(*, req: SupportRequest, supporter: PeerSupporter, actor) -> SupportRequest:
    with transaction.atomic():
        updated = SupportRequest.objects.filter(
            pk=req.pk, accepted_at__isnull=True, closed_at__isnull=True, to_programme=True
        ).update(accepted_at=timezone.now(), accepted_by=actor)
        if not updated:
            raise SupportError("Another peer supporter has already accepted this request.")
        req.refresh_from_db()
        audit.record("support.request.accepted", actor=actor, owner=req.owner, organisation=req.organisation, obj=req)
        _mail(
            "A peer supporter will be in touch",
            f"Hello {req.owner.get_short_name()},\n\n{actor.full_name} from the peer support programme has "
            "accepted your request for support and will get in touch the way you asked.\n\n"
            f"{_link('support:detail', request_id=req.pk)}",
            [req.owner.email],
        )
    return req


def refer(*, req: SupportRequest, service: str, actor) -> SupportRequest:
    """Tier 3: the person (or their peer supporter) is pointed to a professional service."""
    if service not in content.REFERRAL_LABELS:
        raise SupportError("Choose one of the services listed.")
    SupportRequest.objects.filter(pk=req.pk).update(referred_to=service, referred_at=timezone.now(), tier=3)
    req.refresh_from_db()
    audit.record(
        "support.request.referred",
        actor=actor,
        owner=req.owner,
        organisation=req.organisation,
        obj=req,
        data={"service": content.REFERRAL_LABELS[service]},
    )
    return req


def close(*, req: SupportRequest, actor) -> None:
    SupportRequest.objects.filter(pk=req.pk).update(closed_at=timezone.now())
    audit.record("support.request.closed", actor=actor, owner=req.owner, organisation=req.organisation, obj=req)


def mark_followup_done(*, followup: FollowUp, actor) -> None:
    FollowUp.objects.filter(pk=followup.pk).update(done_at=timezone.now())
    req = followup.request
    audit.record("support.followup.done", actor=actor, owner=req.owner, organisation=req.organisation, obj=req)


# Scheduled work ---------------------------------------------------------------------------


def escalate_overdue(*, now=None) -> int:
    """Requests nobody has accepted within the organisation's target: tell the escalation
    contact and every active peer supporter, once per request. Counts only in the email."""
    now = now or timezone.now()
    n = 0
    for programme in ProgrammeSettings.objects.select_related("organisation"):
        cutoff = now - dt.timedelta(hours=programme.response_target_hours)
        overdue = (
            SupportRequest.objects.for_org(programme.organisation)
            .waiting()
            .filter(created_at__lt=cutoff, escalated_at__isnull=True)
        )
        ids = list(overdue.values_list("pk", flat=True))
        if not ids:
            continue
        SupportRequest.objects.filter(pk__in=ids).update(escalated_at=now)
        org = programme.organisation
        supporters = PeerSupporter.objects.filter(membership__organisation=org, is_active=True).select_related(
            "membership__user"
        )
        with transaction.atomic():
            _mail(
                "Requests for peer support are waiting past the target",
                f"{len(ids)} request(s) for peer support have waited longer than "
                f"{programme.response_target_hours} hours without a peer supporter accepting them.\n\n"
                f"{_link('support:queue', org=org.slug)}",
                [programme.escalate_to] + [s.membership.user.email for s in supporters if s.membership.user_id],
            )
            # The organisation's audit log is read by its admin: the count goes through the
            # one suppression service like every other figure about people.
            shown = suppression.count(len(ids), org=org)
            audit.record("support.request.escalated", organisation=org, data={"requests": str(shown)})
        n += len(ids)
    return n


def send_due_followups(*, today=None) -> int:
    """Email each follow-up check-in on or after its day, once. No content in the email."""
    today = today or timezone.localdate()
    due = FollowUp.objects.filter(due_on__lte=today, sent_at__isnull=True, request__closed_at__isnull=True)
    sent = 0
    for f in due.select_related("request__owner"):
        owner = f.request.owner
        if not owner.is_active or not owner.email:
            continue
        send_mail(
            "Checking in: how are you doing?",
            f"Hello {owner.get_short_name()},\n\n"
            "A little while ago you asked for support after something happened at work. We are checking in "
            "to see how you are. You can ask for more support, or talk to someone, from here:\n\n"
            f"{_link('support:detail', request_id=f.request_id)}\n\n{settings.STAFFWELL_SERVICE_NAME}",
            None,
            [owner.email],
        )
        FollowUp.objects.filter(pk=f.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


# Export and erase -------------------------------------------------------------------------


def export_for(user) -> dict:
    rows = []
    for r in SupportRequest.objects.owned_by(user).prefetch_related("followups"):
        rows.append(
            {
                "asked": timezone.localtime(r.created_at).isoformat(timespec="minutes"),
                "for": r.get_about_display(),
                "what_kind_of_event": r.get_event_kind_display(),
                **{label: r.detail(key) for key, label in content.REQUEST_SECTIONS},
                "colleague_or_team": r.detail("colleague"),
                "incident_reference": r.incident_reference,
                "sent_to_peer_support_programme": r.to_programme,
                "shared_with_programme": [label for k, label in content.REQUEST_SECTIONS if k in r.programme_sections],
                "status": r.status_label,
                "referred_to": content.REFERRAL_LABELS.get(r.referred_to, ""),
                "follow_ups": [
                    {"due": f.due_on.isoformat(), "about": f.label, "sent": bool(f.sent_at)} for f in r.followups.all()
                ],
            }
        )
    return {"requests_for_support": rows}


def erase_for(user) -> int:
    """Everything of the person's requests (the records app then removes their grants and
    every audit event with them as owner)."""
    qs = SupportRequest.objects.owned_by(user)
    n = qs.count()
    qs.delete()  # follow-ups cascade
    return n


def delete_request(*, req: SupportRequest, owner) -> None:
    """The owner deletes one request, and with it everything that joined them to it: who
    accepted it, who read it, with whom they shared it. Its grants go (not only lapse) and
    so do the audit events about it and about those grants; nothing is recorded in their
    place, since even "deleted a request for support" would say that they had asked.
    (Request log lines never carry a support path: ``staffwell.core.logs``.)"""
    if req.owner_id != owner.pk:
        raise PermissionError("Only the owner can delete a request for support.")
    with transaction.atomic():
        grants = Grant.objects.filter(
            owner=owner, record_type=ContentType.objects.get_for_model(SupportRequest), record_id=req.pk
        )
        grant_ids = [str(pk) for pk in grants.values_list("pk", flat=True)]
        AuditEvent.objects.filter(
            owner=owner, object_type=SupportRequest._meta.label_lower, object_id=str(req.pk)
        ).delete()
        AuditEvent.objects.filter(owner=owner, object_type=Grant._meta.label_lower, object_id__in=grant_ids).delete()
        grants.delete()
        req.delete()  # follow-ups cascade
