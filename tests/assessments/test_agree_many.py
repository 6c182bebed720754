"""Agreeing many disagreed ratings on one page (issue 15, problem 9), and the rating page's
formset (issue 13, item 5): every row checked, nothing lost, never a 500."""

from django.urls import reverse

from staffwell.assessments import services
from staffwell.assessments.models import Cycle, Side
from staffwell.core.models import AuditEvent
from tests.assessments import helpers


def url(name, cycle, **kw):
    return reverse(f"assessments:{name}", kwargs={"org": cycle.organisation.slug, "cycle_id": cycle.pk, **kw})


def disagreeing_cycle(world, elements=2):
    """Both sides submitted, the employer side rating every statement 3 and the staff side 1."""
    cycle = helpers.open_cycle(world, elements=elements)
    helpers.rate_all(cycle, Side.EMPLOYER, lambda s: 3, world.users["lead"])
    helpers.rate_all(cycle, Side.STAFF, lambda s: 1, world.users["rep"])
    services.submit_side(cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"])
    services.submit_side(cycle=cycle, side=Side.STAFF, actor=world.users["rep"])
    cycle.refresh_from_db()
    return cycle


def page_rows(cycle):
    """The disagreed statements in the page's order: not yet agreed first, then by code."""
    from staffwell.assessments.views.agree import _disagreed

    return [r["agreed"] for r in _disagreed(cycle)]


def post_data(cycle, changes: dict) -> dict:
    rows = page_rows(cycle)
    n = len(rows)
    data = {"agree-TOTAL_FORMS": n, "agree-INITIAL_FORMS": n, "agree-MIN_NUM_FORMS": 0, "agree-MAX_NUM_FORMS": n}
    for i, a in enumerate(rows):
        row = {
            "statement": a.statement_id,
            "version": a.version,
            "orig": services.fingerprint(a.level, a.rationale),
            "level": a.level or "",
            "rationale": a.rationale,
        }
        row.update(changes.get(a.statement_id, {}))
        data.update({f"agree-{i}-{k}": v for k, v in row.items()})
    return data


def test_many_disagreed_ratings_are_agreed_in_one_save_and_the_other_side_sees_who_set_each(world, client_for):
    cycle = disagreeing_cycle(world)
    rows = page_rows(cycle)
    assert len(rows) > 5
    chosen = rows[:5]
    changes = {
        a.statement_id: {"level": "2", "rationale": f"Agreed at the workshop ({i})"} for i, a in enumerate(chosen)
    }
    response = client_for("rep").post(url("agree_many", cycle), post_data(cycle, changes))
    assert response.status_code == 302
    assert response["Location"] == url("reconcile", cycle)
    agreed = {a.statement_id: a for a in cycle.agreed.select_related("updated_by")}
    for a in chosen:
        assert agreed[a.statement_id].level == 2
        assert agreed[a.statement_id].updated_by == world.users["rep"]
    # Rows left as they were are not touched.
    assert all(agreed[a.statement_id].level is None and a.version == agreed[a.statement_id].version for a in rows[5:])
    assert AuditEvent.objects.filter(action="assessment.agreed.saved").count() == 5
    # The employer side sees who set each agreed rating, on the list and on the page.
    for name in ("reconcile", "agree_many"):
        body = client_for("lead").get(url(name, cycle)).content.decode()
        assert body.count(f"Set by {world.users['rep'].full_name}") == 5, name


def test_a_row_with_a_rating_but_no_reason_is_refused_and_nothing_typed_is_lost(world, client_for):
    cycle = disagreeing_cycle(world)
    first, second = page_rows(cycle)[:2]
    changes = {
        first.statement_id: {"level": "2", "rationale": "Kept by the page"},
        second.statement_id: {"level": "3", "rationale": ""},
    }
    response = client_for("lead").post(url("agree_many", cycle), post_data(cycle, changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Explain why both sides agreed this rating" in body
    assert "Kept by the page" in body
    # Each field is still named after its statement when the page comes back with errors.
    assert f"Why this rating for {second.statement.code}" in body
    assert not cycle.agreed.filter(level__isnull=False).exclude(rationale="Both sides gave the same rating.").exists()


def test_if_someone_else_saved_one_of_them_nothing_is_saved_and_saving_again_replaces_theirs(world, client_for):
    cycle = disagreeing_cycle(world)
    first, second = page_rows(cycle)[:2]
    data = post_data(
        cycle,
        {
            first.statement_id: {"level": "2", "rationale": "Ours"},
            second.statement_id: {"level": "2", "rationale": "Ours too"},
        },
    )
    services.save_agreed(
        agreed=second, level=4, rationale="Theirs", expected_version=second.version, actor=world.users["rep"]
    )
    response = client_for("lead").post(url("agree_many", cycle), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "while you were editing" in body and "Ours too" in body and "Theirs" in body
    first.refresh_from_db()
    assert first.level is None  # all or none
    # The page now carries their version: saving again replaces theirs with ours.
    data["agree-1-version"] = cycle.agreed.get(pk=second.pk).version
    assert client_for("lead").post(url("agree_many", cycle), data).status_code == 302
    assert cycle.agreed.get(pk=second.pk).rationale == "Ours too"


def test_a_page_opened_before_the_list_changed_or_made_by_hand_is_refused_with_a_clear_message(world, client_for):
    cycle = disagreeing_cycle(world)
    rows = page_rows(cycle)
    data = post_data(cycle, {rows[0].statement_id: {"level": "2", "rationale": "x"}})
    foreign = dict(data)
    foreign["agree-0-statement"] = "999999"  # not a statement on this page
    for bad in (foreign, {**data, "agree-TOTAL_FORMS": "999"}, {"agree-0-level": "2"}, {}):
        response = client_for("lead").post(url("agree_many", cycle), bad)
        assert response.status_code == 400
        assert "changed since you opened it" in response.content.decode()
    assert not cycle.agreed.filter(updated_by__isnull=False).exists()


def test_a_row_someone_else_agreed_since_is_left_alone_when_this_person_did_not_touch_it(world, client_for):
    cycle = disagreeing_cycle(world)
    first, second = page_rows(cycle)[:2]
    data = post_data(cycle, {first.statement_id: {"level": "2", "rationale": "Ours"}})
    services.save_agreed(
        agreed=second, level=4, rationale="Theirs", expected_version=second.version, actor=world.users["rep"]
    )
    # The page's order moved (second is agreed now), but the forms still match by statement.
    assert client_for("lead").post(url("agree_many", cycle), data).status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.level, second.level, second.rationale) == (2, 4, "Theirs")


def test_saving_with_nothing_changed_says_so(world, client_for):
    cycle = disagreeing_cycle(world)
    response = client_for("lead").post(url("agree_many", cycle), post_data(cycle, {}))
    assert response.status_code == 400
    assert "You have not changed any agreed rating" in response.content.decode()


def test_only_people_taking_part_can_save_and_a_signed_off_cycle_needs_an_amendment(world, client_for):
    cycle = disagreeing_cycle(world)
    cycle.participants.filter(side=Side.STAFF).delete()
    first = page_rows(cycle)[0]
    data = post_data(cycle, {first.statement_id: {"level": "2", "rationale": "x"}})
    assert client_for("rep").get(url("agree_many", cycle)).status_code == 200
    assert client_for("rep").post(url("agree_many", cycle), data).status_code == 403
    signed = helpers.signed_cycle(world, title="Signed")
    assert signed.status == Cycle.Status.SIGNED_OFF
    response = client_for("lead").post(url("agree_many", signed), post_data(signed, {}))
    assert response.status_code == 302 and response["Location"] == url("reconcile", signed)


def test_the_page_answers_404_before_both_sides_submit_and_to_another_organisation(world, client_for):
    cycle = helpers.open_cycle(world)
    assert client_for("lead").get(url("agree_many", cycle)).status_code == 404
    submitted = disagreeing_cycle(world)
    assert client_for("outsider").get(url("agree_many", submitted)).status_code == 404
    assert client_for("outsider").post(url("agree_many", submitted), {}).status_code == 404


# The rating page's formset ------------------------------------------------------------


def test_the_rating_page_refuses_a_level_not_shown_and_keeps_what_was_typed(world, client_for):
    cycle = helpers.open_cycle(world)
    element = cycle.elements.first()
    first = cycle.ratings.filter(side=Side.STAFF).order_by("statement__sub_element__order", "statement__order")[0]
    data = helpers.rating_post(cycle, element, Side.STAFF, {first.pk: {"level": "99", "note": "My typed note"}})
    response = client_for("rep").post(url("rate", cycle, element_id=element.pk), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose one of the levels shown" in body and "My typed note" in body
    first.refresh_from_db()
    assert first.level is None and first.note == ""


def test_the_rating_page_saves_only_what_changed_and_refuses_a_hand_made_post(world, client_for):
    cycle = helpers.open_cycle(world)
    element = cycle.elements.first()
    ratings = list(cycle.ratings.filter(side=Side.STAFF).order_by("statement__sub_element__order", "statement__order"))
    data = helpers.rating_post(cycle, element, Side.STAFF, {ratings[0].pk: {"level": "2"}})
    assert client_for("rep").post(url("rate", cycle, element_id=element.pk), data).status_code == 302
    assert [
        r.version
        for r in cycle.ratings.filter(pk__in=[r.pk for r in ratings]).order_by(
            "statement__sub_element__order", "statement__order"
        )
    ] == [2] + [1] * (len(ratings) - 1)
    for bad in ({}, {**data, "rating-TOTAL_FORMS": "1"}, {**data, "rating-0-rating": "0"}):
        response = client_for("rep").post(url("rate", cycle, element_id=element.pk), bad)
        assert response.status_code == 400
        assert "changed since you opened it" in response.content.decode()
