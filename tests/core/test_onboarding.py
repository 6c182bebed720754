"""People a staff import adds can sign in: an invitation, a password they set, a resend."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from staffwell.accounts.models import Invitation
from staffwell.core.models import AuditEvent
from staffwell.organisations import imports

HEADER = "person_id,name,email,unit_path,staff_group,fte,manager_of"
ROWS = [
    "2001,Nia Newstarter,nia.newstarter@trust.example,Medicine > Ward 7,Nursing and Midwifery Registered,1,",
    "2002,Owen Porter,,Estates > Portering,Estates and Ancillary,1,",
]


def do_import(org, actor, rows=ROWS, capture=None):
    everyone = [
        f"{m.person_id},{m.full_name},{m.email or m.user.email},Medicine,Nursing and Midwifery Registered,1,"
        for m in org.memberships.select_related("user").exclude(person_id__in=["2001", "2002"])
    ]
    text = "\n".join([HEADER, *rows, *everyone]) + "\n"
    with capture(execute=True):
        return imports.apply(org, imports.parse(text), actor=actor, allow_many_leavers=True, allow_new_units=True)


def set_password_from(client, body: str, password: str):
    link = re.search(r"http://127\.0\.0\.1:8000(/password-reset/\S+/)", body).group(1)
    page = client.get(link, follow=True)
    assert "Set a new password" in page.content.decode()
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_an_imported_person_is_invited_sets_a_password_and_signs_in(world, client, django_capture_on_commit_callbacks):
    do_import(world.org, world.users["admin"], capture=django_capture_on_commit_callbacks)
    invitations = [m for m in mail.outbox if m.to == ["nia.newstarter@trust.example"]]
    assert len(invitations) == 1 and world.org.name in invitations[0].subject
    assert set_password_from(client, invitations[0].body, "a long new password 1").status_code == 302
    signed_in = client.post(
        reverse("accounts:login"), {"username": "nia.newstarter@trust.example", "password": "a long new password 1"}
    )
    assert signed_in.status_code == 302
    invitation = Invitation.objects.get(user__email="nia.newstarter@trust.example")
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(action="account.invitation.sent", organisation=world.org).count() == 1


def test_a_re_import_does_not_invite_again(world, django_capture_on_commit_callbacks):
    do_import(world.org, world.users["admin"], capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    do_import(world.org, world.users["admin"], capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_forgotten_password_works_for_an_account_that_never_had_one(world, client):
    get_user_model().objects.create_user("never.had@trust.example", full_name="Never Had")
    r = client.post(reverse("accounts:password_reset"), {"email": "Never.Had@trust.example"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["never.had@trust.example"]
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body)
    assert link


def test_an_admin_resends_the_invitation_and_others_cannot(world, client_for, django_capture_on_commit_callbacks):
    do_import(world.org, world.users["admin"], capture=django_capture_on_commit_callbacks)
    member = world.org.memberships.get(person_id="2001")
    mail.outbox.clear()
    url = reverse("accounts:resend_invitation", kwargs={"org": world.org.slug, "member_id": member.pk})
    page = client_for("admin").get(
        reverse("organisations:person", kwargs={"org": world.org.slug, "member_id": member.pk})
    )
    assert "Send the invitation again" in page.content.decode() and "not signed in yet" in page.content.decode()
    r = client_for("admin").post(url)
    assert r.status_code == 302 and len(mail.outbox) == 1
    assert Invitation.objects.get(user=member.user).times_sent == 2
    for persona in ("staff", "lead", "outsider"):
        assert client_for(persona).post(url).status_code in (403, 404)
    assert len(mail.outbox) == 1


def test_no_invitation_is_sent_to_someone_who_has_signed_in(world, client_for):
    """The button is hidden once they have signed in; the request was still accepted and mailed
    a password link they did not ask for (found by an attack)."""
    from django.utils import timezone

    rep = world.users["rep"]
    rep.last_login = timezone.now()
    rep.save(update_fields=["last_login"])
    mail.outbox.clear()
    url = reverse(
        "accounts:resend_invitation", kwargs={"org": world.org.slug, "member_id": world.memberships["rep"].pk}
    )
    response = client_for("admin").post(url, follow=True)
    assert "has signed in already" in response.content.decode()
    assert mail.outbox == []
