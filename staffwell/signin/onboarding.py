"""First sign-in for people a staff import added, and confirmations for accounts that already
belong elsewhere.

* A new account (no password: ``make_password(None)``) gets an invitation by email, sent by a
  background task after the import: a link to set a password, and the organisation's single
  sign-on if it has one. An organisation admin can send it again from the person's page.
* An account that already has a membership in another organisation, or is a platform admin,
  is never attached by someone else's upload: the membership waits, unattached, for the person
  to confirm it after signing in (``AccountLink``). Each answer is in the audit log.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from staffwell.accounts.models import AccountLink, Invitation, User
from staffwell.core import audit


def needs_confirmation(user: User, org) -> bool:
    """An import may attach this account only with the person's own confirmation."""
    if user.is_platform_admin:
        return True
    return user.memberships.exclude(organisation=org).exists()


def set_password_link(user: User) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.STAFFWELL_BASE_URL.rstrip("/") + path


def _sso_link(org) -> str:
    from staffwell.accounts.models import SingleSignOn
    from staffwell.signin import agreement

    sso = SingleSignOn.objects.filter(organisation=org, is_enabled=True).first()
    if sso is None or not agreement.trusted(sso):
        return ""
    return settings.STAFFWELL_BASE_URL.rstrip("/") + reverse("accounts:sso_start", kwargs={"org": org.slug})


def send_invitation(user: User, org, *, actor=None) -> Invitation:
    now = timezone.now()
    invitation, created = Invitation.objects.get_or_create(
        user=user, organisation=org, defaults={"sent_by": actor, "first_sent_at": now, "sent_at": now}
    )
    context = {
        "user": user,
        "org": org,
        "set_password_link": set_password_link(user),
        "sso_link": _sso_link(org),
        "again": not created,
    }
    send_mail(
        f"{org.name} invites you to staffwell",
        render_to_string("accounts/email/invitation.txt", context),
        None,
        [user.email],
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=now, times_sent=invitation.times_sent + 1, sent_by=actor or invitation.sent_by
    )
    audit.record(
        "account.invitation.sent",
        actor=actor,
        organisation=org,
        obj=user,
        data={"again": not created},
    )
    invitation.refresh_from_db()
    return invitation


def send_invitations(org, user_ids, *, actor=None) -> int:
    """Invite each new person once (a re-import does not invite again; an admin can resend)."""
    sent = 0
    invited = set(Invitation.objects.filter(organisation=org, user_id__in=user_ids).values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        if user.last_login is None and user.pk not in invited:
            send_invitation(user, org, actor=actor)
            sent += 1
    return sent


def ask_to_confirm(org, links: list[AccountLink]) -> None:
    """Tell each person an organisation wants to add them; nothing is attached until they say so."""
    for link in links:
        send_mail(
            f"{org.name} has added you to its staff list",
            render_to_string(
                "accounts/email/confirm_organisation.txt",
                {
                    "user": link.user,
                    "org": org,
                    "link": settings.STAFFWELL_BASE_URL.rstrip("/") + reverse("accounts:organisations"),
                },
            ),
            None,
            [link.user.email],
        )


def open_links(user: User):
    return AccountLink.objects.filter(user=user, decided_at__isnull=True).select_related(
        "membership__organisation", "membership__unit", "requested_by"
    )


def decide(link: AccountLink, *, user: User, accept: bool) -> bool:
    """The person answers. Returns whether the membership is now attached to their account."""
    from staffwell.organisations import hooks, staff_side
    from staffwell.organisations.models import Membership

    if link.user_id != user.pk or link.decided_at is not None:
        return False
    org = link.membership.organisation
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=link.membership_id)
        attached = (
            accept
            and membership.user_id is None
            and not Membership.objects.filter(organisation=org, user=user).exists()
        )
        if attached:
            membership.user = user
            membership.save(update_fields=["user", "updated_at"])
            staff_side.end_for_new_accounts(
                org, [membership.pk], actor=user, why="a different sign-in account was attached to their record"
            )
        link.decided_at, link.accepted = timezone.now(), accept
        link.save(update_fields=["decided_at", "accepted"])
        audit.record(
            "account.link.accepted" if accept else "account.link.declined",
            actor=user,
            organisation=org,
            obj=membership,
            data={"attached": attached, "requested_by": link.requested_by_id},
        )
        if attached:
            hooks.structure_changed(org=org, actor=user)
    return attached


def mark_first_sign_in(sender, request, user, **kwargs) -> None:
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(accepted_at=timezone.now())
