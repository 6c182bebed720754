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
