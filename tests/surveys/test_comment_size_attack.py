"""A long comment must not tie its author to their response (found by an attacker, session 5).

Sealed responses were padded to 1 KiB steps, so a comment longer than about 1 KiB put its
sealed row in a larger size class. The commit that wrote that row also marks its author as
having answered, and after close the comment is readable with its length: a database copy
taken before and after the submission named the author of every long comment. Drafts were
not padded at all, and the submission deletes its draft in the same commit. Every sealed row
and every draft of a campaign now has one size, whatever was written."""

from django.urls import reverse

from staffwell.surveys import answering, services
from staffwell.surveys.models import Draft, SealedResponse
from tests.surveys.helpers import add_people, answer_as, make_campaign, ticket_of

LONG = ("Staffing on nights has been unsafe for months. " * 60)[: answering.FREE_TEXT_MAX]
WIDE = ('\U0001f62a\u00e9\u201c\\"\t\n' * 400)[: answering.FREE_TEXT_MAX]  # the widest characters JSON has


def test_every_sealed_response_of_a_campaign_has_one_size_whatever_its_comment(world):
    people = add_people(world.org, world.team, 12)
    campaign = make_campaign(world, units=[world.team])
    texts = ["", "Fine.", LONG, WIDE, "A" * answering.FREE_TEXT_MAX, "Short note about rotas."]
    for person, text in zip(people, texts, strict=False):
        assert answer_as(person, campaign, text=text)
    sizes = {len(c) for c in SealedResponse.objects.filter(campaign=campaign).values_list("ciphertext", flat=True)}
    assert len(sizes) == 1, f"sealed rows come in sizes {sorted(sizes)}: a long comment stands out"


def test_every_draft_of_a_campaign_has_one_size_whatever_it_holds(world):
    people = add_people(world.org, world.team, 12)
    campaign = make_campaign(world, units=[world.team])
    text_question = next(q for q in campaign.instrument.ordered_questions() if q.is_free_text)
    for person, text in zip(people, ["", "ok", LONG, WIDE, LONG * 3], strict=False):
        ticket = ticket_of(person, campaign)
        services.save_draft(
            ticket, {"answers": {}, "free_text": {text_question.number: text}, "mode": "all", "band": ""}
        )
    sizes = {len(bytes(c)) for c in Draft.objects.filter(campaign=campaign).values_list("ciphertext", flat=True)}
    assert len(sizes) == 1, f"drafts come in sizes {sorted(sizes)}: a long comment stands out"


def test_a_draft_longer_than_the_limit_is_kept_up_to_twice_the_limit_and_the_page_says_what_to_do(world, client):
    person = add_people(world.org, world.team, 11)[0]
    campaign = make_campaign(world, units=[world.team])
    ticket = ticket_of(person, campaign)
    text_question = next(q for q in campaign.instrument.ordered_questions() if q.is_free_text)
    services.save_draft(
        ticket, {"answers": {}, "free_text": {text_question.number: LONG * 3}, "mode": "all", "band": ""}
    )
    kept = services.load_draft(ticket)["free_text"][text_question.number]
    assert kept == (LONG * 3)[: 2 * answering.FREE_TEXT_MAX]
    token = services.invitation_token(campaign.invitations.get(membership=person).secret)
    page = client.get(reverse("surveys:respond_all", kwargs={"token": token}))
    assert page.status_code == 200


def test_sealed_responses_still_open_after_the_change(world):
    """A response sealed by the old format (1 KiB steps) is still released at close."""
    import json

    from staffwell.core import crypto
    from staffwell.surveys import sealing

    body = json.dumps({"u": None, "b": "", "a": [], "t": [[1, "old"]]}, separators=(",", ":"))
    old = crypto.encrypt(body[:-1] + ',"p":"' + " " * 10 + '"}', purpose=sealing.PURPOSE)
    assert sealing.unseal(old)["t"] == [[1, "old"]]


def test_answers_that_are_digits_only_to_unicode_or_too_long_are_refused_clearly_not_a_500(world, client):
    person = add_people(world.org, world.team, 11)[0]
    campaign = make_campaign(world, units=[world.team])
    token = services.invitation_token(campaign.invitations.get(membership=person).secret)
    url = reverse("surveys:respond_all", kwargs={"token": token})
    scored = next(q for q in campaign.instrument.ordered_questions() if not q.is_free_text)
    for bad in ("²", "٣", "9" * 5000):
        response = client.post(url, {f"q{scored.number}": bad, "action": "submit"})
        assert response.status_code == 400, bad
        assert (
            "Choose an answer for question" in response.content.decode() or "Choose one of" in response.content.decode()
        )
        response = client.post(url, {f"q{scored.number}": bad, "action": "save"})
        assert response.status_code == 302, bad
