"""Editors draft, a second editor reviews and publishes; stale items and ending offers are flagged."""

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.library.models import Audience, CaseStudy, Resource, Status, Topic, UrgentContact

NEW = {
    "title": "Shift work and sleep",
    "slug": "shift-work-and-sleep",
    "provider": "A sleep charity",
    "url": "https://example.org/shift-sleep",
    "kind": "guide",
    "summary": "How to sleep well around **night shifts**.",
}


def _action(c, item, action, kind="resources", **extra):
    return c.post(
        reverse("library:editorial_action", kwargs={"kind": kind, "pk": item.pk}), {"action": action, **extra}
    )


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_a_draft_is_reviewed_by_a_second_editor_before_it_is_published(
    world, editor_client, second_editor_client, client
):
    topic_id = str(Topic.objects.get(slug="sleep").pk)
    response = editor_client.post(
        reverse("library:editorial_create", kwargs={"kind": "resources"}), {**NEW, "topics": [topic_id]}
    )
    assert response.status_code == 302
    resource = Resource.objects.get(slug=NEW["slug"])
    assert resource.status == Status.DRAFT and resource.created_by == world.user("editor")
    assert client.get(reverse("library:resource", kwargs={"slug": resource.slug})).status_code == 404

    _action(editor_client, resource, "submit")
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW

    refused = _action(editor_client, resource, "publish")
    resource.refresh_from_db()
    assert resource.status == Status.IN_REVIEW
    assert "A second editor must review this" in _messages(refused)

    _action(second_editor_client, resource, "publish")
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED and resource.reviewed_by.email.startswith("editor2")
    assert resource.last_reviewed == timezone.localdate()
    page = client.get(reverse("library:resource", kwargs={"slug": resource.slug}))
    assert page.status_code == 200 and "<strong>night shifts</strong>" in page.content.decode()
    assert "Shift work and sleep" in client.get(reverse("library:index"), {"q": "shifts"}).content.decode()
    actions = set(AuditEvent.objects.filter(object_id=str(resource.pk)).values_list("action", flat=True))
    assert {"library.resource.created", "library.resource.submitted", "library.resource.published"} <= actions


def test_a_reviewer_can_send_it_back_with_a_note_and_must_say_why(world, editor_client, second_editor_client):
    resource = Resource.objects.get(slug="liberate")
    resource.status, resource.submitted_by = Status.IN_REVIEW, world.user("editor")
    resource.save()
    no_note = _action(second_editor_client, resource, "return", note="  ")
    assert "Say what needs to change" in _messages(no_note)
    _action(second_editor_client, resource, "return", note="Check the offer is still free.")
    resource.refresh_from_db()
    assert resource.status == Status.DRAFT and resource.review_note == "Check the offer is still free."
    page = editor_client.get(reverse("library:editorial_edit", kwargs={"kind": "resources", "pk": resource.pk}))
    assert "Check the offer is still free." in page.content.decode()


def test_editing_a_published_item_takes_it_off_the_library_until_reviewed(world, editor_client, client):
    resource = Resource.objects.get(slug="mind-plan")
    data = {
        "title": resource.title,
        "slug": resource.slug,
        "provider": resource.provider,
        "url": resource.url,
        "kind": resource.kind,
        "summary": resource.summary + " Updated.",
        "topics": [str(t.pk) for t in resource.topics.all()],
    }
    response = editor_client.post(
        reverse("library:editorial_edit", kwargs={"kind": "resources", "pk": resource.pk}), data
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == Status.DRAFT and resource.summary.endswith("Updated.")
    assert client.get(reverse("library:resource", kwargs={"slug": "mind-plan"})).status_code == 404


def test_unpublish_and_mark_reviewed(world, editor_client, client):
    study = CaseStudy.objects.get(slug="north-staffordshire-feel-good-friday")
    CaseStudy.objects.filter(pk=study.pk).update(last_reviewed=dt.date(2020, 1, 1))
    _action(editor_client, study, "reviewed", kind="case-studies")
    study.refresh_from_db()
    assert study.last_reviewed == timezone.localdate()
    _action(editor_client, study, "unpublish", kind="case-studies")
    study.refresh_from_db()
    assert study.status == Status.UNPUBLISHED
    assert client.get(reverse("library:case_study", kwargs={"slug": study.slug})).status_code == 404


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(editor_client, db, world):
    data = {**NEW, "url": "not a web address", "offer": "Free for a year", "slug": "headspace"}
    response = editor_client.post(reverse("library:editorial_create", kwargs={"kind": "resources"}), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a full web address, starting https://" in page
    assert "Another item already uses this web address" in page
    assert "Enter the date the offer ends" in page
    assert "Shift work and sleep" in page and "How to sleep well around **night shifts**." in page
    assert not Resource.objects.filter(title=NEW["title"]).exists()


def test_the_dashboard_flags_items_not_reviewed_for_12_months_and_offers_ending_soon(editor_client, world):
    today = timezone.localdate()
    Resource.objects.filter(slug="head-first").update(last_reviewed=today - dt.timedelta(days=400))
    Resource.objects.filter(slug="liberate").update(
        offer="Free for NHS staff", offer_ends=today + dt.timedelta(days=10)
    )
    page = editor_client.get(reverse("library:editorial")).content.decode()
    stale = page.split("Due for review (")[1].split("</ul>")[0]
    assert "Head First" in stale and "Liberate" not in stale
    ending = page.split("Offers ending soon (")[1].split("</ul>")[0]
    assert "Liberate" in ending and "Headspace" not in ending
    public = editor_client.get(reverse("library:resource", kwargs={"slug": "head-first"})).content.decode()
    assert "Due for review" in public


def test_editors_are_emailed_one_by_one_about_offers_ending_soon(world, second_editor, capsys):
    today = timezone.localdate()
    call_command("notify_ending_offers")
    assert mail.outbox == [] and "No offers end" in capsys.readouterr().out
    Resource.objects.filter(slug="liberate").update(offer="Free for NHS staff", offer_ends=today + dt.timedelta(days=5))
    call_command("notify_ending_offers")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.user("editor").email, second_editor.email])
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Liberate" in mail.outbox[0].body and "/editorial/" in mail.outbox[0].body


def test_an_editor_changes_an_urgent_contact_and_the_panel_shows_it_at_once(editor_client, client, world):
    contact = UrgentContact.objects.get(name="Samaritans")
    url = reverse("library:editorial_urgent_edit", kwargs={"pk": contact.pk})
    client.get(reverse("library:index"))  # the panel is now cached
    bad = editor_client.post(
        url,
        {
            "name": "Samaritans",
            "number": "call us",
            "action": "call",
            "when": "x",
            "order": 30,
            "last_checked": "2999-01-01",
        },
    )
    assert bad.status_code == 400
    assert "Enter a number to call or text" in bad.content.decode()
    assert "Enter a date in the past or today." in bad.content.decode()
    ok = editor_client.post(
        url,
        {
            "name": "Samaritans",
            "number": "116 123",
            "action": "call",
            "when": "Free, day or night.",
            "order": 30,
            "is_active": "on",
            "last_checked": timezone.localdate().isoformat(),
        },
    )
    assert ok.status_code == 302
    assert "Free, day or night." in client.get(reverse("library:index")).content.decode()


def test_editors_add_topics_and_audiences(editor_client, db, world):
    url = reverse("library:editorial_lists")
    editor_client.post(url, {"which": "topic", "topic-name": "Shift work", "topic-slug": "shift-work"})
    dup = editor_client.post(url, {"which": "topic", "topic-name": "shift work", "topic-slug": "shift-work"})
    assert dup.status_code == 400 and "There is already one called shift work" in dup.content.decode()
    editor_client.post(url, {"which": "audience", "audience-name": "Nurses", "audience-slug": "nurses"})
    assert Topic.objects.filter(slug="shift-work").exists() and Audience.objects.filter(slug="nurses").exists()


def test_non_editors_get_403_on_every_editorial_page_and_cannot_act(client_for, world):
    resource = Resource.objects.first()
    for persona in ("staff", "manager", "lead", "rep", "admin", "outsider", "platform"):
        c = client_for(persona)
        assert c.get(reverse("library:editorial")).status_code == 403
        assert _action(c, resource, "unpublish").status_code == 403
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED
    assert client_for("anonymous").get(reverse("library:editorial")).status_code == 302


def test_an_editor_who_has_left_is_no_longer_an_editor(world, client_for):
    world.memberships["editor"].leave()
    assert client_for("editor").get(reverse("library:editorial")).status_code == 403


def test_unknown_ids_and_kinds_are_404_for_editors(editor_client, db):
    assert (
        editor_client.get(reverse("library:editorial_edit", kwargs={"kind": "resources", "pk": 999999})).status_code
        == 404
    )
    assert editor_client.get(reverse("library:editorial_edit", kwargs={"kind": "nonsense", "pk": 1})).status_code == 404
    assert editor_client.get(reverse("library:editorial_urgent_edit", kwargs={"pk": 999999})).status_code == 404


def test_a_draft_never_reviewed_says_so_rather_than_last_reviewed_today(db, world):
    from django.test import Client

    from staffwell.library import forms

    Resource.objects.create(
        title="Night shift naps", slug="night-shift-naps", provider="Test", url="https://example.org/naps",
        summary="Short naps.", kind=Resource.Kind.GUIDE,
    )  # fmt: skip
    client = Client()
    client.force_login(world.user("editor"))
    html = client.get(reverse("library:editorial")).content.decode()
    assert "Not reviewed yet" in html
    # And a bad web address name gets our own words, not Django's stock "valid slug"
    form = forms.ListItemForm({"name": "Naps", "slug": "Naps!"}, model=Topic)
    assert not form.is_valid() and "hyphens" in form.errors["slug"][0]
