"""A nurse on a phone (and on a laptop) finds help, checks in and keeps her wellbeing
records, reaching every step from the home page by clicking."""

from staffwell.wellbeing.models import SupportContacts
from tests.browser.journeys import click, fits, start

LONG_EMAIL = "occupational.health.and.wellbeing.service@northgate-teaching-hospitals.nhs.example"


def test_a_nurse_who_needs_help_now_sees_every_contact_wrapped_inside_the_screen(
    world, page, live_server, sign_in_as, here, shot, width
):
    SupportContacts.objects.create(
        organisation=world.org, oh_name="Northgate OH", oh_phone="0161 496 0000", oh_email=LONG_EMAIL
    )
    start(page, live_server, sign_in_as, world.users["staff"])
    here()
    click(page, "My wellbeing")
    here()
    click(page, "I need help now")
    here()
    fits(page, "#get-help-now, #get-help-now a")
    shot("staff-get-help")
    assert LONG_EMAIL in page.locator("#get-help-now").inner_text()

    # And the same after a check-in where she says she needs help now
    click(page, "My wellbeing")
    click(page, "Check in: how am I doing?")
    here()
    page.get_by_label("Struggling: I am finding it very hard to cope right now.", exact=True).check()
    page.get_by_label("I need help now", exact=True).check()
    click(page, "Save check-in", role="button")
    here()
    fits(page, "#get-help-now, #get-help-now a")
    shot("staff-checkin-help")
    assert LONG_EMAIL in page.locator("#get-help-now").inner_text()


def record_conversation(page, here, *, day, theirs, share):
    click(page, "My wellbeing")
    click(page, "Book or record a conversation")
    here()
    page.get_by_label("Manager Person, your line manager", exact=True).check()
    page.get_by_label("Yes, I am recording it", exact=True).check()
    page.get_by_label("Date", exact=True).fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("What they will do: action 1", exact=True).fill(theirs)
    share_box = page.get_by_label("Let them see the actions agreed for them", exact=True)
    # Private unless she chooses: the box is never ticked for her
    assert not share_box.is_checked()
    if share:
        share_box.check()
    click(page, "Save conversation", role="button")
    here()


def test_a_nurse_shares_a_conversation_only_when_she_chooses_and_can_tell_her_shares_apart(
    world, page, live_server, sign_in_as, here, shot, width
):
    import datetime as dt

    from django.utils import timezone

    from staffwell.records.models import Grant

    today = timezone.localdate()
    start(page, live_server, sign_in_as, world.users["staff"])
    record_conversation(page, here, day=today - dt.timedelta(days=30), theirs="Space out my nights", share=False)
    assert not Grant.objects.live().exists()
    record_conversation(page, here, day=today - dt.timedelta(days=30), theirs="Look at the rota", share=True)
    record_conversation(page, here, day=today, theirs="Check in after a month", share=True)
    assert Grant.objects.live().count() == 2

    click(page, "Home")
    click(page, "My data and sharing")
    click(page, "What I share, and stopping it")
    here()
    shot("staff-what-i-share")
    shared = [t.split("\n")[0] for t in page.locator("main li").all_inner_texts()]
    assert len(shared) == 2 and len(set(shared)) == 2, shared
