"""Removing people from a cycle: by an employer lead, audited, never leaving a side empty;
what a side submitted stays, drafts the removed person saved last are cleared."""

from django.test import Client
from django.urls import reverse

from staffwell.assessments import services
from staffwell.assessments.models import Participant, Side
from staffwell.core.models import AuditEvent
from tests.assessments import helpers


def url(name, cycle, **kw):
    return reverse(f"assessments:{name}", kwargs={"org": cycle.organisation.slug, "cycle_id": cycle.pk, **kw})


def remove_url(participant):
    return url("participant_remove", participant.cycle, participant_id=participant.pk)


def client_of(membership):
    c = Client()
    c.force_login(membership.user)
    return c


def with_second_rep(world):
    cycle = helpers.open_cycle(world, elements=1)
    rep2 = helpers.second_rep(world)
    participant = services.invite(cycle=cycle, membership=rep2, side=Side.STAFF, actor=world.users["lead"])
    return cycle, rep2, participant


def test_the_employer_lead_removes_a_rep_and_the_drafts_they_saved_last_are_cleared(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, rep2, participant = with_second_rep(world)
    staff_ratings = list(cycle.ratings.filter(side=Side.STAFF).select_related("statement").order_by("statement__code"))
    theirs, ours = staff_ratings[:2], staff_ratings[2:4]
    for r in theirs:
        services.save_rating(rating=r, level=3, note="Seen on nights", expected_version=r.version, actor=rep2.user)
    for r in ours:
        services.save_rating(rating=r, level=2, note="", expected_version=r.version, actor=world.users["rep"])
    lead = client_for("lead")

    page = lead.get(remove_url(participant)).content.decode()
    assert "2 draft ratings they saved last will be cleared" in page
    assert theirs[0].statement.code in page and ours[0].statement.code not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(remove_url(participant))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.removed_at and participant.removed_by == world.users["lead"]
    for r in theirs:
        r.refresh_from_db()
        assert (r.level, r.note, r.updated_by) == (None, "", None)
    for r in ours:
        r.refresh_from_db()
        assert r.level == 2 and r.updated_by == world.users["rep"]
    event = AuditEvent.objects.get(action="assessment.participant.removed")
    assert event.partnership and event.data["person"] == rep2.full_name and event.data["side"] == "staff"
    assert event.data["discarded_drafts"] == sorted(r.statement.code for r in theirs)
    assert "level" not in str(event.data)
    assert [m.to for m in mailoutbox] == [[rep2.user.email]]
    # They can no longer rate, and the participants page shows who was removed and by whom.
    element = cycle.elements.get()
    assert client_of(rep2).get(url("rate", cycle, element_id=element.pk)).status_code == 403
    listing = lead.get(url("participants", cycle)).content.decode()
    assert "No longer taking part" in listing and world.users["lead"].full_name in listing


def test_a_removed_participants_submitted_ratings_stay_as_the_side_submitted_them(world, client_for):
    cycle, rep2, participant = with_second_rep(world)
    helpers.rate_all(cycle, Side.STAFF, lambda s: 3, rep2.user)
    services.submit_side(cycle=cycle, side=Side.STAFF, actor=rep2.user)
    page = client_for("lead").get(remove_url(participant)).content.decode()
    assert "stay exactly as submitted" in page

    assert client_for("lead").post(remove_url(participant)).status_code == 302
    ratings = list(cycle.ratings.filter(side=Side.STAFF))
    assert ratings and all(r.level == 3 and r.updated_by == rep2.user for r in ratings)
    assert AuditEvent.objects.get(action="assessment.participant.removed").data["discarded_drafts"] == []


def test_the_only_staff_side_rep_cannot_be_removed(world, client_for):
    cycle = helpers.open_cycle(world)
    rep = cycle.participants.get(side=Side.STAFF)
    lead = client_for("lead")
    assert remove_url(rep) not in lead.get(url("participants", cycle)).content.decode()
    response = lead.post(remove_url(rep))
    assert response.status_code == 400
    assert "only staff-side rep taking part" in response.content.decode()
    rep.refresh_from_db()
    assert rep.removed_at is None
    assert not AuditEvent.objects.filter(action="assessment.participant.removed").exists()


def test_the_only_person_on_the_employer_side_cannot_be_removed_either(world, client_for):
    cycle = helpers.open_cycle(world)
    lead = cycle.participants.get(side=Side.EMPLOYER)
    response = client_for("lead").post(remove_url(lead))
    assert response.status_code == 400
    assert "only person taking part for the employer side" in response.content.decode()
    assert cycle.participants.active().count() == 2


def test_nobody_is_removed_from_a_signed_off_cycle(world, client_for):
    cycle = helpers.signed_cycle(world)
    rep2 = helpers.second_rep(world)
    # Invited before sign-off, straight into the table, as the service refuses after it.
    participant = Participant.objects.create(cycle=cycle, membership=rep2, side=Side.STAFF)
    response = client_for("lead").post(remove_url(participant))
    assert response.status_code == 400
    assert "signed off" in response.content.decode()
    participant.refresh_from_db()
    assert participant.removed_at is None


def test_a_staff_side_rep_cannot_remove_anyone(world, client_for):
    _, _, participant = with_second_rep(world)
    assert client_for("rep").post(remove_url(participant)).status_code == 403
    participant.refresh_from_db()
    assert participant.removed_at is None


def test_a_removed_person_can_be_invited_again_and_takes_part_again(world, client_for):
    cycle, rep2, participant = with_second_rep(world)
    services.remove_participant(participant=participant, actor=world.users["lead"])
    assert services.participant_for(cycle, rep2) is None
    response = client_for("lead").post(url("participants", cycle), {"person": rep2.pk})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.removed_at is None and services.participant_for(cycle, rep2) == participant
    assert AuditEvent.objects.filter(action="assessment.participant.invited", data__person=rep2.full_name).count() == 2


def test_an_outsider_gets_404_for_removing_a_participant(world, client_for):
    _, _, participant = with_second_rep(world)
    assert client_for("outsider").get(remove_url(participant)).status_code == 404
    assert client_for("outsider").post(remove_url(participant)).status_code == 404


def test_a_participant_of_another_cycle_is_a_404(world, client_for):
    _, _, participant = with_second_rep(world)
    other_cycle = helpers.open_cycle(world, title="Another cycle")
    response = client_for("lead").post(url("participant_remove", other_cycle, participant_id=participant.pk))
    assert response.status_code == 404
    participant.refresh_from_db()
    assert participant.removed_at is None


def test_removing_someone_twice_is_a_404_the_second_time(world, client_for):
    _, _, participant = with_second_rep(world)
    assert client_for("lead").post(remove_url(participant)).status_code == 302
    assert client_for("lead").post(remove_url(participant)).status_code == 404
    assert AuditEvent.objects.filter(action="assessment.participant.removed").count() == 1
