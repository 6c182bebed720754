"""The programme's settings and the local version of the guide's questions are agreed by
both sides through the one partnership mechanism; a change needs agreeing again."""

from django.urls import reverse

from staffwell.partnership import services as partnership
from staffwell.support import services
from tests.support import helpers


def _url(world, name="programme"):
    return reverse(f"support:{name}", kwargs={"org": world.org.slug})


FORM = {
    "response_target_hours": "12",
    "followup_days": "2, 10,30",
    "escalate_to": "peer.lead@northgate.example",
    "occupational_health": "OH, extension 2000",
    "psychology": "",
    "chaplaincy": "",
    "eap": "",
    "q_harm_intended": "Did they mean anyone to come to harm?",
}


def test_the_lead_changes_the_settings_and_both_sides_agree_the_new_version(world, client_for):
    client_for("lead").post(_url(world), FORM)
    programme = services.programme_for(world.org)
    assert programme.version == 2 and programme.followup_offsets == [2, 10, 30]
    assert programme.question_text("harm_intended") == "Did they mean anyone to come to harm?"
    client_for("lead").post(_url(world, "programme_agree"))
    state = partnership.state(obj=programme, kind=services.AGREEMENT_KIND, version="2")
    assert state.employer and not state.complete
    client_for("rep").post(_url(world, "programme_agree"))
    state = partnership.state(obj=programme, kind=services.AGREEMENT_KIND, version="2")
    assert state.complete and state.staff.terms["followup_days"] == [2, 10, 30]
    # A further change needs both sides again.
    client_for("lead").post(_url(world), {**FORM, "response_target_hours": "8"})
    programme.refresh_from_db()
    assert not partnership.state(obj=programme, kind=services.AGREEMENT_KIND, version=programme.version).complete


def test_the_local_wording_is_what_the_walk_through_asks(world, client_for):
    client_for("lead").post(_url(world), FORM)
    w = helpers.walkthrough(world)
    page = client_for("manager").get(
        reverse("support:walkthrough_answer", kwargs={"org": world.org.slug, "walkthrough_id": w.pk})
    )
    assert "Did they mean anyone to come to harm?" in page.content.decode()


def test_bad_settings_get_specific_errors_and_keep_what_was_typed(world, client_for):
    response = client_for("lead").post(_url(world), {**FORM, "response_target_hours": "0", "followup_days": "3, soon"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a target between 1 and 168 hours" in body and "&#39;soon&#39; is not a number of days" in body
    assert "OH, extension 2000" in body
    assert services.programme_for(world.org).version == 1


def test_the_rep_agrees_but_cannot_edit(world, client_for):
    assert client_for("rep").post(_url(world), FORM).status_code == 403
    assert client_for("rep").get(_url(world)).status_code == 200
