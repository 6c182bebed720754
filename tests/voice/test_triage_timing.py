"""The triage page must not show when someone posted anonymously (found in session 5): it
said "Some anonymous activity is waiting for the next hourly release" only while the sealed
inbox held something, so a triager who reloaded it saw the moment a post or a "me too"
arrived, and beside who was on shift, who sent it."""

import re

from django.urls import reverse

from staffwell.voice import sealed, services


def _page(client, world) -> str:
    html = client.get(reverse("voice:triage", kwargs={"org": world.org.slug})).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_triage_page_is_the_same_before_and_after_an_anonymous_post_arrives(world, client_for):
    lead = client_for("lead")
    before = _page(lead, world)
    services.post_anonymous(
        org=world.org,
        form_token=sealed.new_form_token(),
        title="Broken hoist on Ward 7",
        body="It has been reported twice.",
        unit=None,
        kind="concern",
        hold=False,
    )
    assert sealed.peek(world.org.pk)["posts"], "the post waits in the sealed inbox"
    assert _page(lead, world) == before
    assert "released every hour" in before
