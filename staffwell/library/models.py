"""The resource library: resources, case studies, podcast episodes and urgent-support contacts.

Library content is shared by every organisation on the platform. Content editors (a role
held through any membership) create and change it in the editorial pages; every item goes
draft -> in review (a second editor) -> published, and can be unpublished. Outbound links
are checked by ``check_links`` and the results kept in ``LinkCheck``, one row per address.
"""

import datetime as dt
from pathlib import Path

import markdown
import nh3
from django.conf import settings
from django.db import models
from django.utils import timezone
from markupsafe import Markup

STALE_AFTER_DAYS = 365
ENDING_SOON_DAYS = 30
BUNDLED_AUDIO_DIR = Path(__file__).resolve().parent / "audio"

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "h2", "h3", "blockquote", "code"}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML with only a small set of tags kept; links open as plain links."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 above


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    order = models.PositiveIntegerField(default=50)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    order = models.PositiveIntegerField(default=50)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Waiting for review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class EditorialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def stale(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.filter(last_reviewed__lt=today - dt.timedelta(days=STALE_AFTER_DAYS))


class EditorialItem(models.Model):
    """What every piece of library content shares: the editorial workflow and review dates."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the web address.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    last_reviewed = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditorialQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def has_been_reviewed(self) -> bool:
        """A second editor has approved it at least once. Until then ``last_reviewed`` is only
        the day it was created, so pages say "Not reviewed yet" instead of a review date."""
        return bool(self.reviewed_by_id or self.published_at)

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.last_reviewed < today - dt.timedelta(days=STALE_AFTER_DAYS)

    def review_due(self) -> dt.date:
        return self.last_reviewed + dt.timedelta(days=STALE_AFTER_DAYS)

    def authors(self) -> set[int]:
        """The people who may not review this item: whoever created it or sent it for review."""
        return {pk for pk in (self.created_by_id, self.submitted_by_id) if pk}

    def publish_problems(self) -> list[str]:
        """Reasons this item cannot be published yet (empty when it can)."""
        return []


class Resource(EditorialItem):
    class Kind(models.TextChoices):
        APP = "app", "App"
        GUIDE = "guide", "Guide"
        TRAINING = "training", "Training"
        REPORT = "report", "Report"
        TOOLKIT = "toolkit", "Toolkit"
        CHARTER = "charter", "Charter"
        COMMUNITY = "community", "Community"

    provider = models.CharField(max_length=200)
    url = models.URLField("web address", max_length=500)
    summary = models.TextField(help_text="In our own words. You can use Markdown: *emphasis*, lists and links.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    topics = models.ManyToManyField(Topic, related_name="resources", blank=True)
    audiences = models.ManyToManyField(Audience, related_name="resources", blank=True)
    offer = models.CharField(
        max_length=300, blank=True, help_text="A time-limited offer, for example free access for NHS staff."
    )
    offer_starts = models.DateField(null=True, blank=True)
    offer_ends = models.DateField(null=True, blank=True)
    # Normalised words of the title, provider, summary, topics, audiences and kind: what the
    # full-text indexes (FTS5 on SQLite, tsvector on PostgreSQL) are built from. See search.py.
    search_text = models.TextField(blank=True, editable=False)

    objects = EditorialQuerySet.as_manager()

    class Meta(EditorialItem.Meta):
        pass

    def summary_html(self) -> Markup:
        return render_markdown(self.summary)

    def offer_state(self, today: dt.date | None = None) -> str:
        """'' (no offer), 'upcoming', 'current', 'ending_soon' or 'ended'."""
        if not self.offer:
            return ""
        today = today or timezone.localdate()
        if self.offer_ends and self.offer_ends < today:
            return "ended"
        if self.offer_starts and self.offer_starts > today:
            return "upcoming"
        if self.offer_ends and self.offer_ends <= today + dt.timedelta(days=ENDING_SOON_DAYS):
            return "ending_soon"
        return "current"


class CaseStudy(EditorialItem):
    class Element(models.IntegerChoices):
        """The seven elements of the NHS Health and Wellbeing Framework (2021)."""

        PERSONAL = 1, "Improving personal health and wellbeing"
        RELATIONSHIPS = 2, "Relationships"
        FULFILMENT = 3, "Fulfilment at work"
        MANAGERS = 4, "Managers and leaders"
        ENVIRONMENT = 5, "Environment"
        DATA = 6, "Data insights"
        PROFESSIONAL = 7, "Professional wellbeing support"

    organisation_name = models.CharField("organisation", max_length=200)
    partners = models.CharField(
        max_length=300, blank=True, help_text="Trade unions and professional bodies who worked on it."
    )
    theme = models.CharField(max_length=200)
    what_they_did = models.TextField(help_text="You can use Markdown.")
    what_changed = models.TextField(help_text="You can use Markdown.")
    framework_elements = models.JSONField(default=list, blank=True)
    url = models.URLField("web address of the full case study", max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, related_name="case_studies", blank=True)
    # Normalised words of the title, organisation, partners, theme, text, topics and framework
    # elements: what the full-text indexes are built from, as for resources. See search.py.
    search_text = models.TextField(blank=True, editable=False)

    objects = EditorialQuerySet.as_manager()

    class Meta(EditorialItem.Meta):
        verbose_name_plural = "case studies"

    def what_they_did_html(self) -> Markup:
        return render_markdown(self.what_they_did)

    def what_changed_html(self) -> Markup:
        return render_markdown(self.what_changed)

    def element_labels(self) -> list[str]:
        labels = dict(self.Element.choices)
        return [f"{n}. {labels[n]}" for n in sorted(self.framework_elements) if n in labels]


class Episode(EditorialItem):
    AUDIO_TYPES = {"mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg"}

    summary = models.TextField(help_text="What the episode is about. You can use Markdown.")
    speakers = models.CharField(max_length=300, blank=True)
    transcript = models.TextField(blank=True, help_text="The full transcript. Required before publishing.")
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    duration_source = models.CharField(
        max_length=10, blank=True, choices=[("file", "Read from the audio file"), ("typed", "Typed by an editor")]
    )
    audio = models.FileField(upload_to="podcasts/", blank=True)
    # A file shipped with staffwell (in staffwell/library/audio/), used until an editor uploads one.
    bundled_audio = models.CharField(max_length=100, blank=True, editable=False)
    audio_type = models.CharField(max_length=40, blank=True)
    audio_bytes = models.PositiveBigIntegerField(default=0)
    is_placeholder_audio = models.BooleanField(
        default=False, help_text="The audio is a stand-in that says the recording is still to be added."
    )
    source_url = models.URLField("original web page", max_length=500, blank=True)
    recorded_on = models.DateField(null=True, blank=True)

    objects = EditorialQuerySet.as_manager()

    class Meta(EditorialItem.Meta):
        ordering = ["-published_at", "title"]

    def summary_html(self) -> Markup:
        return render_markdown(self.summary)

    def transcript_html(self) -> Markup:
        return render_markdown(self.transcript)

    @property
    def has_audio(self) -> bool:
        return bool(self.audio or self.bundled_audio)

    @property
    def audio_extension(self) -> str:
        name = self.audio.name if self.audio else self.bundled_audio
        return name.rsplit(".", 1)[-1].lower() if "." in name else "mp3"

    def open_audio(self):
        if self.audio:
            return self.audio.open("rb")
        return open(BUNDLED_AUDIO_DIR / Path(self.bundled_audio).name, "rb")

    def read_duration(self) -> int | None:
        """Whole seconds of the current audio file, read from the file (None if it cannot be read)."""
        from staffwell.library.duration import read_duration, whole_seconds

        if not self.has_audio:
            return None
        try:
            fh = self.open_audio()
        except (FileNotFoundError, OSError):
            return None
        with fh:
            return whole_seconds(read_duration(fh, self.audio_extension))

    def duration_display(self) -> str:
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    def duration_words(self) -> str:
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        parts = []
        if minutes:
            parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        if seconds:
            parts.append(f"{seconds} second{'s' if seconds != 1 else ''}")
        return " ".join(parts)

    def publish_problems(self) -> list[str]:
        problems = []
        if not self.transcript.strip():
            problems.append("Add a transcript: every episode needs one before it is published.")
        if not self.has_audio:
            problems.append("Upload the audio file.")
        if not self.duration_seconds:
            problems.append("Enter the duration.")
        return problems


class LinkCheck(models.Model):
    """The last check of one outbound web address."""

    class State(models.TextChoices):
        OK = "ok", "Working"
        MOVED = "moved", "Moved"
        BROKEN = "broken", "Broken"

    url = models.URLField(max_length=500, unique=True)
    state = models.CharField(max_length=10, choices=State.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return f"{self.url} ({self.get_state_display()})"


class UrgentContact(models.Model):
    """A number to signpost to someone who needs help now (editable content, not code)."""

    name = models.CharField(max_length=100)
    number = models.CharField(max_length=40, help_text="As people should dial or text it, for example 116 123.")
    action = models.CharField(
        max_length=10, choices=[("call", "Call"), ("text", "Text")], default="call", help_text="Call or text."
    )
    text_message = models.CharField(
        max_length=40, blank=True, help_text="For a text service, what to send (for example SHOUT)."
    )
    when = models.CharField(max_length=300, help_text="When to use it, in a few words.")
    order = models.PositiveIntegerField(default=50)
    is_active = models.BooleanField("show it", default=True)
    last_checked = models.DateField(help_text="When someone last confirmed the number and wording.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def href(self) -> str:
        digits = "".join(c for c in self.number if c.isdigit())
        if self.action == "text":
            return f"sms:{digits}" + (f"?body={self.text_message}" if self.text_message else "")
        return f"tel:{digits}"
