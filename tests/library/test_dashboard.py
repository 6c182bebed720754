"""The editorial dashboard shows an editor, at a glance, everything that needs them: items
waiting for their review, items not reviewed for 12 months, offers ending soon, and broken or
moved links."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staffwell.library import services
from staffwell.library.models import CaseStudy, Episode, LinkCheck, Resource, Status


def section(page: str, anchor: str) -> str:
    """The text of one dashboard section, from its heading to the next heading."""
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("<h2", start + 1)]


@pytest.fixture
def busy_library(world, second_editor):
    today = timezone.localdate()
    now = timezone.now()
    editor = world.user("editor")
    # Sent for review by the second editor: the editor can review it.
    Resource.objects.filter(slug="liberate").update(status=Status.DRAFT)
    theirs = Resource.objects.get(slug="liberate")
    services.submit_for_review(item=theirs, user=second_editor)
    # Sent for review by the editor: waiting for someone else, not for them.
    mine = CaseStudy.objects.get(slug="north-staffordshire-feel-good-friday")
    CaseStudy.objects.filter(pk=mine.pk).update(status=Status.DRAFT)
    mine.refresh_from_db()
    services.submit_for_review(item=mine, user=editor)
    # Not reviewed for more than 12 months; one only just inside.
    Resource.objects.filter(slug="head-first").update(last_reviewed=today - dt.timedelta(days=366))
    Episode.objects.update(last_reviewed=today - dt.timedelta(days=400))
    Resource.objects.filter(slug="mental-health-at-work").update(last_reviewed=today - dt.timedelta(days=364))
    # Offers: one ends in 10 days, one in 40, one has ended (Headspace, at first start).
    Resource.objects.filter(slug="zero-suicide-alliance-training").update(
        offer="Free certificate", offer_ends=today + dt.timedelta(days=10)
    )
    Resource.objects.filter(slug="working-carers-passport").update(
        offer="Free licences", offer_ends=today + dt.timedelta(days=40)
    )
    # Link checks: broken, moved, fine, and an old address no item uses any more.
    gmc = Resource.objects.get(slug="gmc-caring-for-doctors-caring-for-patients")
    bma = Resource.objects.get(slug="bma-mental-wellbeing-charter")
    LinkCheck.objects.create(url=gmc.url, state="broken", status_code=404, checked_at=now)
    LinkCheck.objects.create(
        url=bma.url, state="moved", status_code=200, final_url="https://example.org/new", checked_at=now
    )
    LinkCheck.objects.create(
        url=Resource.objects.get(slug="headspace").url, state="ok", status_code=200, checked_at=now
    )
    LinkCheck.objects.create(url="https://example.org/an-old-address", state="broken", status_code=410, checked_at=now)
    return {"theirs": theirs, "mine": mine, "gmc": gmc, "bma": bma}


def test_the_summary_counts_everything_that_needs_the_editor(editor_client, busy_library):
    page = editor_client.get(reverse("library:editorial")).content.decode()
    needs = page[page.index('id="needs-you"') : page.index("</ul>", page.index('id="needs-you"'))]
    assert "1 waiting for your review" in needs
    assert "2 due for review (not reviewed for 12 months)" in needs
    assert "1 offer ending within 30 days" in needs
    assert "2 broken or moved links" in needs  # not the old address no item uses


def test_items_waiting_for_review_are_split_by_who_may_review_them(editor_client, second_editor_client, busy_library):
    page = editor_client.get(reverse("library:editorial")).content.decode()
    assert "Liberate" in section(page, "to-review") and "Feel good Friday" not in section(page, "to-review")
    assert "Feel good Friday" in section(page, "waiting")
    other = second_editor_client.get(reverse("library:editorial")).content.decode()
    assert "Feel good Friday" in section(other, "to-review") and "Liberate" not in section(other, "to-review")


def test_stale_items_of_every_kind_are_listed_and_a_recent_review_is_not(editor_client, busy_library):
    stale = section(editor_client.get(reverse("library:editorial")).content.decode(), "stale")
    assert "Head First" in stale and "What good partnership working looks like" in stale
    assert "Mental Health at Work" not in stale


def test_only_offers_ending_within_30_days_are_listed(editor_client, busy_library):
    ending = section(editor_client.get(reverse("library:editorial")).content.decode(), "ending-soon")
    assert "Suicide prevention training" in ending and "Free certificate" in ending
    assert "Working Carer" not in ending and "Headspace" not in ending


def test_broken_and_moved_links_are_listed_with_what_happened(editor_client, busy_library):
    links = section(editor_client.get(reverse("library:editorial")).content.decode(), "links")
    gmc, bma = busy_library["gmc"], busy_library["bma"]
    assert gmc.title in links and "answered 404" in links and "Broken" in links
    assert bma.title in links and "now at https://example.org/new" in links and "Moved" in links
    assert "Headspace" not in links and "an-old-address" not in links
    # Each links to the item's edit page, where the address is corrected.
    assert reverse("library:editorial_edit", kwargs={"kind": "resources", "pk": gmc.pk}) in links


def test_a_corrected_address_leaves_the_list(editor_client, busy_library):
    Resource.objects.filter(pk=busy_library["gmc"].pk).update(url="https://example.org/gmc-new-home")
    page = editor_client.get(reverse("library:editorial")).content.decode()
    assert busy_library["gmc"].title not in section(page, "links")
    assert "1 broken or moved link<" in page


def test_with_nothing_to_do_the_dashboard_says_so(editor_client, db):
    page = editor_client.get(reverse("library:editorial")).content.decode()
    assert "Nothing needs you now" in page
