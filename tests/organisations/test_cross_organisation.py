"""An account belongs to its person: another organisation's upload never attaches it."""

from django.core import mail
from django.urls import reverse

from staffwell.accounts.models import AccountLink
from staffwell.core.models import AuditEvent
from staffwell.organisations import imports
from staffwell.organisations.models import Membership
from staffwell.records import services as records

HEADER = "person_id,name,email,unit_path,staff_group,fte,manager_of"


def southmoor_imports(world, rows, capture):
    text = "\n".join([HEADER, *rows]) + "\n"
    with capture(execute=True):
        return imports.apply(
            world.other_org,
            imports.parse(text),
            actor=world.users["outsider"],
            allow_many_leavers=True,
            allow_new_units=True,
        )


def test_another_trusts_upload_cannot_attach_a_nurse_or_make_itself_her_manager(
    world, client_for, django_capture_on_commit_callbacks
):
    staff = world.users["staff"]
    rows = [
        f"9001,Staff Person,{staff.email},District Nursing > Unit X,Nursing and Midwifery Registered,1,",
        f"{world.memberships['outsider'].person_id},Outsider Person,{world.users['outsider'].email},District Nursing,Nursing and Midwifery Registered,1,"
        "District Nursing > Unit X",
    ]
    summary = southmoor_imports(world, rows, django_capture_on_commit_callbacks)
    assert summary["awaiting_confirmation"] == 1
    held = Membership.objects.get(organisation=world.other_org, person_id="9001")
    assert held.user is None
    assert not staff.memberships.filter(organisation=world.other_org).exists()
    # Her sharing choices still offer only her own organisation's line manager.
    names = {c.user.full_name for c in records.share_candidates(staff)}
    assert "Outsider Person" not in names and "Manager Person" in names
    # She is asked, by email and on her home page.
    assert [m.to for m in mail.outbox if "added you to its staff list" in m.subject] == [[staff.email]]
    home = client_for("staff").get(reverse("core:home")).content.decode()
    assert "Confirm your organisations" in home
    link = AccountLink.objects.get(user=staff)
    assert AuditEvent.objects.filter(action="account.link.requested", organisation=world.other_org).exists()

    # She declines: nothing is attached, it is audited and not asked again.
    c = client_for("staff")
    r = c.post(reverse("accounts:organisations"), {"link": link.pk, "answer": "decline"})
    assert r.status_code == 302
    held.refresh_from_db()
    assert held.user is None
    assert AuditEvent.objects.filter(action="account.link.declined", actor=staff).exists()
    mail.outbox.clear()
    southmoor_imports(world, rows, django_capture_on_commit_callbacks)
    assert AccountLink.objects.filter(user=staff).count() == 1 and mail.outbox == []


def test_a_person_with_two_employers_confirms_and_is_attached(world, client_for, django_capture_on_commit_callbacks):
    staff = world.users["staff"]
    southmoor_imports(
        world,
        [f"9001,Staff Person,{staff.email},District Nursing,Nursing and Midwifery Registered,0.4,"],
        django_capture_on_commit_callbacks,
    )
    link = AccountLink.objects.get(user=staff)
    # Someone else cannot answer for her.
    assert (
        client_for("outsider")
        .post(reverse("accounts:organisations"), {"link": link.pk, "answer": "accept"})
        .status_code
        == 404
    )
    r = client_for("staff").post(reverse("accounts:organisations"), {"link": link.pk, "answer": "accept"})
    assert r.status_code == 302
    assert Membership.objects.get(organisation=world.other_org, person_id="9001").user == staff
    assert AuditEvent.objects.filter(action="account.link.accepted", actor=staff, organisation=world.other_org).exists()


def test_a_platform_admin_is_never_attached_by_an_upload(world, django_capture_on_commit_callbacks):
    platform = world.users["platform"]
    southmoor_imports(
        world,
        [f"9003,Platform Person,{platform.email},District Nursing,Administrative and Clerical,1,"],
        django_capture_on_commit_callbacks,
    )
    assert not platform.memberships.exists()
    assert AccountLink.objects.filter(user=platform, decided_at=None).count() == 1


def test_the_confirmation_page_needs_sign_in_and_shows_nothing_to_others(world, client_for):
    r = client_for("anonymous").get(reverse("accounts:organisations"))
    assert r.status_code == 302
    assert "No organisation is waiting" in client_for("manager").get(reverse("accounts:organisations")).content.decode()
