"""Podcast audio is served with Range requests; the RSS feed is valid; uploads are checked by content."""

from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffwell.library.audio import parse_range, sniff
from staffwell.library.forms import EpisodeForm
from staffwell.library.models import BUNDLED_AUDIO_DIR, Episode

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
AUDIO = reverse("library:episode_audio", kwargs={"slug": "hswpg-partnership-working"})
PLACEHOLDER = (BUNDLED_AUDIO_DIR / "hswpg-placeholder.mp3").read_bytes()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_whole_file_is_served_with_the_right_type_and_says_ranges_are_accepted(client, db):
    response = client.get(AUDIO)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == len(PLACEHOLDER)
    assert body(response) == PLACEHOLDER


def test_a_byte_range_gets_206_partial_content_so_seeking_works(client, db):
    response = client.get(AUDIO, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(PLACEHOLDER)}"
    assert response["Content-Length"] == "100"
    assert body(response) == PLACEHOLDER[100:200]


def test_open_ended_and_suffix_ranges(client, db):
    size = len(PLACEHOLDER)
    tail = client.get(AUDIO, HTTP_RANGE=f"bytes={size - 10}-")
    assert tail.status_code == 206 and body(tail) == PLACEHOLDER[-10:]
    last = client.get(AUDIO, HTTP_RANGE="bytes=-500")
    assert last.status_code == 206 and body(last) == PLACEHOLDER[-500:]
    assert last["Content-Range"] == f"bytes {size - 500}-{size - 1}/{size}"


def test_a_range_past_the_end_gets_416(client, db):
    response = client.get(AUDIO, HTTP_RANGE=f"bytes={len(PLACEHOLDER) + 5}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PLACEHOLDER)}"


def test_the_download_link_asks_the_browser_to_save_the_file(client, db):
    response = client.get(AUDIO + "?download=1")
    assert response["Content-Disposition"] == 'attachment; filename="hswpg-partnership-working.mp3"'


def test_range_parsing():
    assert parse_range("", 1000) is None
    assert parse_range("bytes=0-0", 1000) == (0, 0)
    assert parse_range("bytes=990-2000", 1000) == (990, 999)
    assert parse_range("bytes=-2000", 1000) == (0, 999)
    assert parse_range("bytes=0-10,20-30", 1000) is None  # several ranges: send it all
    assert parse_range("bytes=5-2", 1000) == "unsatisfiable"
    assert parse_range("items=0-1", 1000) is None


def test_the_shipped_placeholder_is_real_mp3_audio():
    assert sniff(PLACEHOLDER[:16]) == "mp3"
    episode = Episode.objects.none().model(bundled_audio="hswpg-placeholder.mp3")
    assert episode.has_audio


def test_the_feed_is_rss_2_with_the_podcast_tags(client, db):
    response = client.get(reverse("library:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(  # noqa: S314 - our own feed, in a test
        response.content
    )
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for tag in ("title", "link", "description", "language"):
        assert channel.findtext(tag), tag
    assert channel.findtext(f"{ITUNES}author")
    assert channel.find(f"{ITUNES}image").get("href").startswith("http://testserver/static/")
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert channel.find(f"{ITUNES}category").get("text") == "Health & Fitness"
    items = channel.findall("item")
    assert len(items) == 1
    item = items[0]
    assert "placeholder" in item.findtext("title")
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == "http://testserver" + AUDIO
    assert enclosure.get("type") == "audio/mpeg"
    assert int(enclosure.get("length")) == len(PLACEHOLDER)
    assert item.findtext(f"{ITUNES}duration") == "27"
    assert item.findtext("guid") and item.findtext("pubDate")


def test_unpublished_episodes_are_not_in_the_feed(client, db):
    Episode.objects.update(status="draft")
    root = ET.fromstring(  # noqa: S314 - our own feed, in a test
        client.get(reverse("library:feed")).content
    )
    assert root.find("channel").findall("item") == []


def _form(upload, **extra):
    data = {"title": "Episode", "slug": "episode-two", "summary": "About it", "duration": "12:30", **extra}
    return EpisodeForm(data, {"audio_file": upload} if upload else {})


def test_an_mp3_m4a_or_ogg_upload_is_accepted(db):
    for name, head in [
        ("a.mp3", b"ID3\x04\x00" + b"\x00" * 60),
        ("b.m4a", b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 60),
        ("c.ogg", b"OggS\x00\x02" + b"\x00" * 60),
    ]:
        form = _form(SimpleUploadedFile(name, head))
        assert form.is_valid(), (name, form.errors)


def test_a_file_that_is_not_audio_is_refused_whatever_its_name(db):
    form = _form(SimpleUploadedFile("talk.mp3", b"%PDF-1.7 not audio at all"))
    assert not form.is_valid()
    assert form.errors["audio_file"] == ["This file is not MP3, M4A or OGG audio, whatever its name says."]
    wrong_name = _form(SimpleUploadedFile("talk.ogg", b"ID3\x04" + b"\x00" * 40))
    assert not wrong_name.is_valid()
    assert "MP3 audio but its name ends .ogg" in wrong_name.errors["audio_file"][0]
    wav = _form(SimpleUploadedFile("talk.wav", b"RIFF....WAVE"))
    assert wav.errors["audio_file"] == ["The file must be an MP3, M4A or OGG file."]


def test_an_upload_over_the_configured_limit_is_refused(db, settings):
    settings.STAFFWELL_PODCAST_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.mp3", b"ID3" + b"\x00" * (1024 * 1024 + 10))
    form = _form(big)
    assert not form.is_valid()
    assert "the largest allowed is 1 MB" in form.errors["audio_file"][0]


@pytest.mark.parametrize(("typed", "seconds"), [("12:30", 750), ("1:02:05", 3725), ("0:45", 45)])
def test_durations_are_read_as_minutes_and_seconds(db, typed, seconds):
    form = _form(None, duration=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["duration"] == seconds


@pytest.mark.parametrize("typed", ["12", "12:75", "abc", "0:00"])
def test_a_bad_duration_gets_a_specific_message(db, typed):
    form = _form(None, duration=typed)
    assert not form.is_valid()
    assert form.errors["duration"][0].startswith(("Enter the duration", "The duration must"))


def test_an_episode_cannot_be_published_without_a_transcript(db):
    episode = Episode(title="x", slug="x", summary="y", bundled_audio="hswpg-placeholder.mp3", duration_seconds=3)
    assert episode.publish_problems() == ["Add a transcript: every episode needs one before it is published."]
    episode.transcript = "Full words"
    assert episode.publish_problems() == []


def test_an_editor_uploads_audio_and_it_is_served_back(editor_client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    audio = b"ID3\x04\x00\x00" + bytes(range(256)) * 40
    response = editor_client.post(
        reverse("library:editorial_create", kwargs={"kind": "podcasts"}),
        {
            "title": "Night shifts",
            "slug": "night-shifts",
            "summary": "Sleep and night work.",
            "duration": "1:05",
            "transcript": "Every word said.",
            "audio_file": SimpleUploadedFile("night.mp3", audio),
        },
    )
    assert response.status_code == 302
    episode = Episode.objects.get(slug="night-shifts")
    assert episode.audio_type == "audio/mpeg" and episode.audio_bytes == len(audio)
    assert episode.duration_seconds == 65 and episode.status == "draft"
    Episode.objects.filter(pk=episode.pk).update(status="published")
    from django.test import Client

    served = Client().get(reverse("library:episode_audio", kwargs={"slug": "night-shifts"}), HTTP_RANGE="bytes=0-5")
    assert served.status_code == 206 and b"".join(served.streaming_content) == audio[:6]


def test_a_head_request_gets_the_headers_without_the_body(client, db):
    response = client.head(AUDIO, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10" and response.content == b""


def test_an_editor_previews_a_draft_before_sending_it_for_review(editor_client, db):
    episode = Episode.objects.get()
    page = editor_client.get(reverse("library:editorial_edit", kwargs={"kind": "podcasts", "pk": episode.pk}))
    assert "Preview how it reads" in page.content.decode()
    assert "Health, Safety and Wellbeing Partnership Group" in page.content.decode()
