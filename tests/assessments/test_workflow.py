"""An assessment cycle in partnership: independent rating, agreement, sign-off, amendment."""

import contextlib

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.urls import reverse

from staffwell.assessments import services
from staffwell.assessments.models import Cycle, Rating, Side
from staffwell.core.models import AuditEvent
from staffwell.partnership.models import Agreement
from tests.assessments import helpers


def url(name, cycle, **kw):
    return reverse(f"assessments:{name}", kwargs={"org": cycle.organisation.slug, "cycle_id": cycle.pk, **kw})


def test_the_employer_lead_opens_a_cycle_with_a_staff_side_rep_and_both_are_invited(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    fw = helpers.framework()
    element = fw.elements.get(code="5")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("lead").post(
            reverse("assessments:cycle_new", kwargs={"org": world.org.slug}),
            {
                "framework": fw.pk,
                "title": "Diagnostic 2026",
                "elements": [element.pk],
                "staff_reps": [world.memberships["rep"].pk],
            },
        )
    cycle = Cycle.objects.get(title="Diagnostic 2026")
    assert response.status_code == 302
    assert set(cycle.participants.values_list("side", flat=True)) == {"employer", "staff"}
    assert cycle.ratings.count() == 2 * element.sub_elements.first().statements.count()
    assert AuditEvent.objects.filter(action="assessment.cycle.opened", partnership=True).exists()
    assert [m.to for m in mailoutbox] == [["rep@northgate-test.example"]]


def test_a_cycle_cannot_be_opened_without_a_staff_side_rep(world, client_for):
    fw = helpers.framework()
    response = client_for("lead").post(
        reverse("assessments:cycle_new", kwargs={"org": world.org.slug}),
        {"framework": fw.pk, "title": "Employer only", "elements": [fw.elements.first().pk]},
    )
    assert response.status_code == 200
    assert "Choose at least one staff-side rep to take part" in response.content.decode()
    assert 'value="Employer only"' in response.content.decode()
    assert not Cycle.objects.exists()


def test_neither_side_sees_the_other_sides_ratings_before_both_have_submitted(world, client_for):
    cycle = helpers.open_cycle(world)
    rep = client_for("rep")
    element = cycle.elements.first()
    first = cycle.ratings.filter(side=Side.STAFF).order_by("statement__order").first()
    rep.post(
        url("rate", cycle, element_id=element.pk),
        helpers.rating_post(cycle, element, Side.STAFF, {first.pk: {"level": "1", "note": "STAFF-SIDE-SECRET"}}),
    )
    helpers.rate_all(cycle, Side.EMPLOYER, lambda s: 4, world.users["lead"])
    services.submit_side(cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"])
    lead = client_for("lead")
    pages = [
        url("cycle", cycle),
        url("rate", cycle, element_id=element.pk),
        url("reconcile", cycle),
        url("results", cycle),
        url("report_csv", cycle),
        url("report_xlsx", cycle),
        reverse("organisations:audit", kwargs={"org": world.org.slug}),
    ]
    for page in pages:
        body = lead.get(page).content
        assert b"STAFF-SIDE-SECRET" not in body, page
    assert b"Hidden until both sides submit" in lead.get(url("report_csv", cycle)).content
    assert lead.get(url("agree", cycle, statement_id=first.statement_id)).status_code == 404
    # Nor does the audit log (visible to both sides) carry a level.
    for event in AuditEvent.objects.filter(action="assessment.rating.saved"):
        assert "level" not in event.data


def test_a_side_cannot_submit_until_every_statement_is_rated(world, client_for):
    cycle = helpers.open_cycle(world)
    response = client_for("rep").post(url("submit", cycle))
    assert response.status_code == 400
    assert "not rated yet" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.submitted_at(Side.STAFF) is None and not cycle.submissions.agreements


def test_two_people_saving_the_same_rating_do_not_overwrite_each_other(world, client_for):
    cycle = helpers.open_cycle(world)
    other_lead = helpers.framework()  # noqa: F841 - keeps the shipped framework loaded
    element = cycle.elements.first()
    rating = cycle.ratings.filter(side=Side.EMPLOYER).order_by("statement__order").first()
    seen_version = rating.version
    services.save_rating(
        rating=rating, level=2, note="First person", expected_version=seen_version, actor=world.users["lead"]
    )
    response = client_for("lead").post(
        url("rate", cycle, element_id=element.pk),
        helpers.rating_post(
            cycle,
            element,
            Side.EMPLOYER,
            {
                rating.pk: {
                    "level": "4",
                    "note": "What the second person typed",
                    "version": seen_version,
                    "orig": services.fingerprint("", ""),
                }
            },
        ),
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "was changed by" in body
    assert "What the second person typed" in body
    rating.refresh_from_db()
    assert (rating.level, rating.note) == (2, "First person")


def test_reconciliation_lists_disagreements_first_and_both_sides_sign_off(world, client_for):
    cycle = helpers.submitted_cycle(world, employer=3, staff=1)
    assert cycle.status == Cycle.Status.RECONCILING
    body = client_for("rep").get(url("reconcile", cycle)).content.decode()
    assert body.index("Differ by 2") < body.index("Both sides") if "Both sides" in body else "Differ by 2" in body
    disagreed = cycle.agreed.get(level__isnull=True)
    response = client_for("rep").post(
        url("agree", cycle, statement_id=disagreed.statement_id),
        {"level": "2", "rationale": "Policy exists, not used on nights.", "version": disagreed.version},
    )
    assert response.status_code == 302
    lead = client_for("lead")
    assert lead.post(url("signoff", cycle), {"role": "Director of People", "confirm": "on"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.RECONCILING
    assert (
        client_for("rep").post(url("signoff", cycle), {"role": "Staff-side chair", "confirm": "on"}).status_code == 302
    )
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.SIGNED_OFF and cycle.signed_off_at
    assert AuditEvent.objects.filter(action="assessment.cycle.locked").exists()


def test_sign_off_is_refused_while_a_statement_has_no_agreed_rating(world, client_for):
    cycle = helpers.submitted_cycle(world)
    response = client_for("lead").post(url("signoff", cycle), {"role": "Director", "confirm": "on"})
    assert response.status_code == 400
    assert not cycle.signoffs().agreements


def test_a_signed_off_cycle_changes_only_through_an_amendment_both_sides_sign(world, client_for):
    cycle = helpers.signed_cycle(world)
    agreed = cycle.agreed.first()
    lead = client_for("lead")
    response = lead.post(
        url("agree", cycle, statement_id=agreed.statement_id),
        {"level": "4", "rationale": "Changed my mind", "version": agreed.version},
    )
    assert response.status_code == 400
    agreed.refresh_from_db()
    assert agreed.level != 4
    assert lead.post(url("amend", cycle), {"reason": "New evidence from the staff survey."}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.AMENDING
    lead.post(
        url("agree", cycle, statement_id=agreed.statement_id),
        {"level": "4", "rationale": "Survey shows it is embedded.", "version": agreed.version},
    )
    agreed.refresh_from_db()
    assert agreed.level == 4
    lead.post(url("signoff", cycle), {"role": "Director", "confirm": "on"})
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.AMENDING
    client_for("rep").post(url("signoff", cycle), {"role": "Chair", "confirm": "on"})
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.SIGNED_OFF
    amendment = cycle.amendments.get()
    assert amendment.completed_at and cycle.signoffs(amendment).complete
    assert AuditEvent.objects.filter(action="assessment.agreed.amended", data__level=4).exists()


def test_an_organisation_admin_sees_no_assessment_content(world, client_for):
    cycle = helpers.open_cycle(world)
    assert client_for("admin").get(url("cycle", cycle)).status_code == 403


def test_a_partnership_member_not_invited_cannot_rate(world, client_for):
    cycle = helpers.open_cycle(world)
    cycle.participants.filter(side=Side.STAFF).delete()
    element = cycle.elements.first()
    assert client_for("rep").get(url("rate", cycle, element_id=element.pk)).status_code == 403
    assert client_for("rep").get(url("cycle", cycle)).status_code == 200


@pytest.mark.parametrize(
    "name,extra",
    [
        ("cycle", {}),
        ("reconcile", {}),
        ("results", {}),
        ("report_pdf", {}),
        ("report_csv", {}),
        ("actions", {}),
        ("signoff", {}),
    ],
)
def test_an_outsider_gets_404_for_another_organisations_cycle(world, client_for, name, extra):
    cycle = helpers.signed_cycle(world)
    assert client_for("outsider").get(url(name, cycle, **extra)).status_code == 404


def test_a_cycle_id_from_another_organisation_is_a_404_even_for_a_partnership_member(world, client_for):
    from tests.factories import MembershipFactory, RoleAssignmentFactory

    cycle = helpers.open_cycle(world)
    other_lead = MembershipFactory(organisation=world.other_org)
    RoleAssignmentFactory(membership=other_lead, role="employer_lead")
    from django.test import Client

    c = Client()
    c.force_login(other_lead.user)
    assert (
        c.get(reverse("assessments:cycle", kwargs={"org": world.other_org.slug, "cycle_id": cycle.pk})).status_code
        == 404
    )


def test_ratings_are_kept_per_side(world):
    cycle = helpers.open_cycle(world)
    assert (
        Rating.objects.filter(cycle=cycle, side=Side.EMPLOYER).count()
        == Rating.objects.filter(cycle=cycle, side=Side.STAFF).count()
    )


def test_the_database_refuses_a_second_signature_by_the_same_side(world):
    import pytest
    from django.contrib.contenttypes.models import ContentType
    from django.db import IntegrityError, transaction

    from staffwell.partnership.models import Agreement

    cycle = helpers.signed_cycle(world)
    again = {
        "organisation": world.org,
        "content_type": ContentType.objects.get_for_model(Cycle),
        "object_id": str(cycle.pk),
        "kind": "assessment.signoff",
        "side": Side.STAFF,
        "agreed_by": world.users["rep"],
        "agreed_by_name": "Rep",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(version="0", **again)
    services.open_amendment(cycle=cycle, reason="New survey results.", actor=world.users["lead"])
    Agreement.objects.create(version="1", **again)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(version="1", **again)
    assert Agreement.objects.filter(kind="assessment.signoff", side=Side.STAFF).count() == 2


def test_a_side_submitting_or_signing_twice_is_refused_with_a_clear_message(world):
    cycle = helpers.open_cycle(world)
    helpers.rate_all(cycle, Side.EMPLOYER, lambda s: 3, world.users["lead"])
    services.submit_side(cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"])
    with pytest.raises(services.NotReady, match="The employer side has already submitted"):
        services.submit_side(cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"])
    assert AuditEvent.objects.filter(action="partnership.assessment.ratings.agreed").count() == 1
    helpers.rate_all(cycle, Side.STAFF, lambda s: 3, world.users["rep"])
    services.submit_side(cycle=cycle, side=Side.STAFF, actor=world.users["rep"])
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.RECONCILING and cycle.both_submitted
    services.sign(cycle=cycle, side=Side.STAFF, actor=world.users["rep"], signatory_name="Rep", signatory_role="Chair")
    with pytest.raises(services.NotReady, match="The staff side has already signed"):
        services.sign(
            cycle=cycle, side=Side.STAFF, actor=world.users["rep"], signatory_name="Rep", signatory_role="Chair"
        )
    event = AuditEvent.objects.get(action="partnership.assessment.signoff.agreed")
    assert event.partnership and event.data["side"] == "staff"


def test_who_submitted_and_who_signed_show_on_the_cycle_page(world, client_for):
    cycle = helpers.signed_cycle(world)
    page = client_for("rep").get(url("cycle", cycle)).content.decode()
    assert "Both sides have submitted" in page and "Signed by both sides" in page
    assert f"submitted by {world.users['lead'].full_name}" in page
    assert "as Rep, Chair" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_both_sides_submitting_at_the_same_moment_on_two_connections_opens_agreeing(world):
    import importlib
    import threading

    from django.apps import apps

    if not apps.get_model("assessments", "Framework").objects.filter(organisation=None).exists():
        importlib.import_module("staffwell.assessments.migrations.0002_nhs_hwb_framework_2021").load(apps, None)
    cycle = helpers.open_cycle(world)
    helpers.rate_all(cycle, Side.EMPLOYER, lambda s: 3, world.users["lead"])
    helpers.rate_all(cycle, Side.STAFF, lambda s: 3, world.users["rep"])
    barrier = threading.Barrier(2)
    # Each side waits, just after writing its submission, for the other to write too: without
    # the row lock both then read only their own and agreeing never opens. With the lock the
    # second side cannot write until the first has committed, so the wait times out.
    in_the_window = threading.Barrier(2, timeout=3)
    errors: list = []

    def hold(sender, instance, created, **kwargs):
        if created and instance.kind == "assessment.ratings":
            with contextlib.suppress(threading.BrokenBarrierError):
                in_the_window.wait()

    def run(side, persona):
        try:
            barrier.wait()
            services.submit_side(cycle=cycle, side=side, actor=world.users[persona])
        except Exception as error:  # pragma: no cover - the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    post_save.connect(hold, sender=Agreement, dispatch_uid="test.hold")
    try:
        threads = [threading.Thread(target=run, args=a) for a in ((Side.EMPLOYER, "lead"), (Side.STAFF, "rep"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        post_save.disconnect(dispatch_uid="test.hold", sender=Agreement)
    assert errors == []
    cycle.refresh_from_db()
    assert cycle.submissions.complete
    # The hook ran once: agreeing is open and the matching ratings start agreed.
    assert cycle.status == Cycle.Status.RECONCILING
    assert not cycle.agreed.filter(level__isnull=True).exists()
