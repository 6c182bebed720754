"""At first start a visitor sees everything the source page offers, without signing in."""

import datetime as dt

from django.core import mail  # noqa: F401
from django.urls import reverse

from staffwell.library.models import CaseStudy, Episode, Resource, Topic, UrgentContact

SOURCE_RESOURCES = [
    "Headspace",
    "Working Carer's Passport",
    "Liberate",
    "Second Victim Support",
    "Caring for doctors, Caring for patients",
    "Reasonable adjustments in the workplace",
    "Mental wellbeing charter",
    "Mental health at work resources",
    "Menopause and the workplace",
    "Talk Health and Care",
    "Your Mind Plan",
    "Suicide prevention training",
    "NHS Health and Wellbeing Framework",
    "Health, work and wellbeing",
    "How are you feeling today? Emotional wellbeing toolkit",
    "Culture and leadership programme",
    "Supporting health and wellbeing at work",
    "Arts, health and wellbeing",
    "Head First",
    "Mental Health at Work",
]


def test_every_resource_from_the_source_page_is_published_at_first_start(db):
    titles = set(Resource.objects.published().values_list("title", flat=True))
    assert set(SOURCE_RESOURCES) <= titles
    for r in Resource.objects.published():
        assert r.summary and r.provider and r.url.startswith("https://") and r.kind
        assert r.topics.exists() and r.audiences.exists(), r.title


def test_the_five_case_studies_are_there_with_organisation_theme_and_framework_elements(db):
    studies = CaseStudy.objects.published()
    assert {c.organisation_name for c in studies} >= {
        "Mersey Care NHS Foundation Trust",
        "Manchester University NHS Foundation Trust",
        "Derbyshire Community Health Services NHS Foundation Trust",
        "North Staffordshire Combined Healthcare NHS Trust",
        "St George's University Hospitals NHS Foundation Trust",
    }
    manchester = studies.get(organisation_name__startswith="Manchester")
    assert manchester.partners == "Royal College of Midwives"
    for c in studies:
        assert c.what_they_did and c.what_changed and c.framework_elements and c.theme


def test_topics_the_wellbeing_plan_asks_for_exist(db):
    wanted = {"sleep", "stress", "low-mood", "carers", "menopause", "physical-health", "money"}
    assert wanted <= set(Topic.objects.values_list("slug", flat=True))


def test_the_headspace_offer_is_shown_as_ended_never_as_current(client, db):
    headspace = Resource.objects.get(slug="headspace")
    assert headspace.offer_ends == dt.date(2021, 12, 31)
    assert headspace.offer_state() == "ended"
    page = client.get(reverse("library:resource", kwargs={"slug": "headspace"})).content.decode()
    assert "Offer ended" in page and "no longer available" in page
    listing = client.get(reverse("library:index") + "?q=headspace").content.decode()
    assert "Offer ended" in listing and "nhsuk-tag--green" not in listing


def test_offer_states_follow_the_dates():
    r = Resource(offer="Free", offer_starts=dt.date(2030, 1, 1), offer_ends=dt.date(2030, 6, 1))
    assert r.offer_state(dt.date(2029, 12, 1)) == "upcoming"
    assert r.offer_state(dt.date(2030, 2, 1)) == "current"
    assert r.offer_state(dt.date(2030, 5, 20)) == "ending_soon"
    assert r.offer_state(dt.date(2030, 6, 1)) == "ending_soon"
    assert r.offer_state(dt.date(2030, 6, 2)) == "ended"
    assert Resource(offer="").offer_state() == ""


def test_a_visitor_reads_the_library_case_studies_and_podcast_without_signing_in(client, db):
    for name, kwargs in [
        ("library:index", None),
        ("library:resource", {"slug": "working-carers-passport"}),
        ("library:case_studies", None),
        ("library:case_study", {"slug": "north-staffordshire-feel-good-friday"}),
        ("library:podcasts", None),
        ("library:episode", {"slug": "hswpg-partnership-working"}),
        ("library:urgent_support", None),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name


def test_the_podcast_episode_is_honest_that_the_recording_is_a_placeholder(client, db):
    episode = Episode.objects.get(slug="hswpg-partnership-working")
    assert episode.is_placeholder_audio and episode.transcript.startswith("**Placeholder transcript.**")
    page = client.get(reverse("library:episode", kwargs={"slug": episode.slug})).content.decode()
    assert "The recording has not been added yet" in page
    assert "<audio controls" in page and "Your browser cannot play this audio" in page
    assert 'id="transcript"' in page and "?download=1" in page
    assert "James Tracey and Kim Sunley" in page


def test_unpublished_content_is_not_found_by_anyone_on_the_public_pages(client_for, world):
    resource = Resource.objects.get(slug="liberate")
    resource.status = "unpublished"
    resource.save()
    episode = Episode.objects.get()
    episode.status = "draft"
    episode.save()
    for persona in ("anonymous", "staff", "editor", "outsider"):
        c = client_for(persona)
        assert c.get(reverse("library:resource", kwargs={"slug": "liberate"})).status_code == 404
        assert c.get(reverse("library:episode", kwargs={"slug": episode.slug})).status_code == 404
        assert c.get(reverse("library:episode_audio", kwargs={"slug": episode.slug})).status_code == 404
        assert c.get(reverse("library:resource", kwargs={"slug": "no-such-thing"})).status_code == 404
    assert "Liberate" not in client_for("anonymous").get(reverse("library:index")).content.decode()


def test_the_urgent_support_panel_shows_on_every_page_with_the_four_numbers(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Need help now?" in page
    for number in ("999", "111", "116 123", "85258"):
        assert number in page
    assert 'href="tel:116123"' in page and "sms:85258" in page
    assert "Numbers last checked" in page


def test_the_urgent_panel_is_cached_so_pages_make_no_extra_query(client, db, django_assert_num_queries):
    from staffwell.library import urgent

    urgent.contacts()  # warm the cache
    with django_assert_num_queries(0):
        assert len(urgent.contacts()) == 4


def test_urgent_contacts_are_exposed_for_other_apps_in_order(db):
    from staffwell.library.urgent import contacts

    names = [c.name for c in contacts()]
    assert names == ["Emergency services", "NHS 111, option 2", "Samaritans", "Shout"]
    assert all(c.last_checked for c in contacts())
    UrgentContact.objects.filter(name="Shout").update(is_active=False)
    from staffwell.library import urgent

    urgent.clear()
    assert "Shout" not in [c.name for c in contacts()]


def test_resources_for_topics_returns_published_resources_best_match_first(db):
    from staffwell.library.services import resources_for_topics

    sleep = resources_for_topics(["sleep", "stress"], limit=3)
    assert len(sleep) == 3
    assert all(r.is_published for r in sleep)
    assert {"sleep", "stress"} <= {t.slug for t in sleep[0].topics.all()}
    assert [r.title for r in resources_for_topics(["carers"])] == [
        "Support and benefits for carers",
        "Working Carer's Passport",
    ]
    assert resources_for_topics([]) == []
    Resource.objects.filter(slug="working-carers-passport").update(status="draft")
    assert [r.title for r in resources_for_topics(["carers"])] == ["Support and benefits for carers"]
    # An offer that has ended is never suggested
    assert "Headspace" not in [r.title for r in resources_for_topics(["sleep"], limit=None)]


def test_each_ticked_topic_gets_its_own_suggestions(db):
    from staffwell.library.services import resources_by_topic

    by_topic = dict(resources_by_topic(["sleep", "menopause", "money", "carers", "stress", "low-mood"]))
    assert list(by_topic) == ["sleep", "menopause", "money", "carers", "stress", "low-mood"]
    assert all(by_topic.values()), by_topic
    assert all(slug in {t.slug for t in r.topics.all()} for slug, rs in by_topic.items() for r in rs)
    assert "Headspace" not in [r.title for rs in by_topic.values() for r in rs]


def test_markdown_summaries_are_sanitised(db):
    r = Resource(
        summary="**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <a href='https://e.org' onclick='x'>e</a>"
    )
    html = str(r.summary_html())
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert 'href="https://e.org"' in html


def test_signed_in_people_see_library_in_their_navigation_and_editors_see_editorial(client_for, world):
    staff_page = client_for("staff").get(reverse("core:home")).content.decode()
    assert reverse("library:index") in staff_page and reverse("library:editorial") not in staff_page
    editor_page = client_for("editor").get(reverse("core:home")).content.decode()
    assert reverse("library:editorial") in editor_page
