"""The podcast's RSS 2.0 feed, with the iTunes tags podcast apps expect."""

from email.utils import format_datetime
from xml.etree import ElementTree as ET

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("atom", ATOM)
ET.register_namespace("content", CONTENT)

TITLE = "staffwell: health, safety and wellbeing at work"
DESCRIPTION = (
    "Conversations about looking after the health, safety and wellbeing of people who work in "
    "the NHS, and about employers and trade unions working on it together."
)


def _sub(parent, tag, value=None, **attrs):
    el = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    if value is not None:
        el.text = value
    return el


def build(*, request, episodes, image_url: str) -> bytes:
    absolute = request.build_absolute_uri
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", TITLE)
    _sub(channel, "link", absolute(reverse("library:podcasts")))
    _sub(channel, "description", DESCRIPTION)
    _sub(channel, "language", "en-gb")
    _sub(channel, f"{{{ATOM}}}link", href=absolute(reverse("library:feed")), rel="self", type="application/rss+xml")
    _sub(channel, "lastBuildDate", format_datetime(timezone.now()))
    image = _sub(channel, "image")
    _sub(image, "url", image_url)
    _sub(image, "title", TITLE)
    _sub(image, "link", absolute(reverse("library:podcasts")))
    _sub(channel, f"{{{ITUNES}}}author", settings.STAFFWELL_SERVICE_NAME)
    _sub(channel, f"{{{ITUNES}}}summary", DESCRIPTION)
    _sub(channel, f"{{{ITUNES}}}image", href=image_url)
    _sub(channel, f"{{{ITUNES}}}explicit", "false")
    _sub(channel, f"{{{ITUNES}}}type", "episodic")
    category = _sub(channel, f"{{{ITUNES}}}category", text="Health & Fitness")
    _sub(category, f"{{{ITUNES}}}category", text="Mental Health")
    for episode in episodes:
        item = _sub(channel, "item")
        title = episode.title + (" (placeholder audio: recording to be added)" if episode.is_placeholder_audio else "")
        page = absolute(reverse("library:episode", kwargs={"slug": episode.slug}))
        audio_url = absolute(reverse("library:episode_audio", kwargs={"slug": episode.slug}))
        _sub(item, "title", title)
        _sub(item, "link", page)
        _sub(item, "guid", page, isPermaLink="true")
        _sub(item, "description", str(episode.summary_html()))
        _sub(item, f"{{{CONTENT}}}encoded", str(episode.summary_html()) + str(episode.transcript_html()))
        _sub(item, "pubDate", format_datetime(episode.published_at or episode.created_at))
        _sub(
            item,
            "enclosure",
            url=audio_url,
            length=episode.audio_bytes or 0,
            type=episode.audio_type or "audio/mpeg",
        )
        _sub(item, f"{{{ITUNES}}}duration", str(episode.duration_seconds or 0))
        _sub(item, f"{{{ITUNES}}}explicit", "false")
        _sub(item, f"{{{ITUNES}}}author", episode.speakers or settings.STAFFWELL_SERVICE_NAME)
        _sub(item, f"{{{ITUNES}}}summary", episode.summary)
        _sub(item, f"{{{ITUNES}}}episodeType", "full")
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)
