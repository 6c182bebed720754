"""Staff voice: ideas, questions and challenges, answered jointly by both sides.

Anonymous posts, "me too" supports and an anonymous author's replies never go straight
into these tables: they wait, sealed, in the organisation's ``Inbox`` and are written here
in a batch by ``release_voice`` (docs/staff-voice.md). So nothing here carries a time
finer than a day, a person, or an order that follows when people used the site.
"""

import uuid

from django.db import models
from django.utils import timezone

from staffwell.organisations.models import Membership, Organisation, Unit


class VoiceSettings(models.Model):
    """What the organisation sets for its staff voice board."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="voice_settings")
    response_days = models.PositiveSmallIntegerField(
        "Response-time target (days)", default=14, help_text="Every post gets an agreed answer within this many days."
    )
    remind_days_before = models.PositiveSmallIntegerField("Remind triagers this many days before the target", default=3)
    guardian_contacts = models.TextField(
        "Freedom to Speak Up guardian contacts",
        blank=True,
        help_text="Names, phone numbers and email addresses of your guardians.",
    )
    hr_route = models.TextField("Where to raise an HR concern", blank=True)
    safety_route = models.TextField("Where to report a patient safety concern", blank=True)

    def __str__(self) -> str:
        return f"Staff voice settings for {self.organisation}"


class Inbox(models.Model):
    """One row per organisation: the sealed batch of anonymous activity not yet released.

    Random key, organisation, ciphertext. Nothing else: no owner, no time. The content is
    encrypted with a key derived from the server's secret key and padded to a fixed block.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="voice_inbox")
    ciphertext = models.BinaryField()

    def __str__(self) -> str:
        return f"Sealed staff voice inbox of {self.organisation_id}"


class PostQuerySet(models.QuerySet):
    def for_org(self, org: Organisation) -> "PostQuerySet":
        return self.filter(organisation=org)

    def public(self) -> "PostQuerySet":
        return self.exclude(status__in=[Post.Status.HELD, Post.Status.DECLINED, Post.Status.MERGED])

    def open(self) -> "PostQuerySet":
        return self.filter(status__in=[Post.Status.NEW, Post.Status.UNDER_REVIEW, Post.Status.HELD])


class Post(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", "An idea"
        QUESTION = "question", "A question"
        CHALLENGE = "challenge", "A challenge"

    class Status(models.TextChoices):
        NEW = "new", "New"
        HELD = "held", "Held for review"
        UNDER_REVIEW = "under_review", "Under review"
        DOING = "doing", "We're doing it"
        DONE = "done", "Done"
        CANT = "cant", "We can't, because…"
        NOT_HERE = "not_here", "Not for this forum"
        MERGED = "merged", "Merged with another post"
        DECLINED = "declined", "Not published"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="voice_posts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.IDEA)
    title = models.CharField(max_length=150)
    body = models.TextField()
    anonymous = models.BooleanField(default=False)
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=200, blank=True)
    follow_hash = models.CharField(max_length=64, blank=True, db_index=True)
    raised_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    hold_reasons = models.JSONField(default=list, blank=True)
    answer = models.TextField(blank=True)
    pointer = models.TextField(blank=True)
    answer_version = models.PositiveIntegerField(default=0)
    first_answered_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged")
    action = models.ForeignKey(
        "assessments.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="voice_posts"
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_author(self) -> str:
        return "Anonymous" if self.anonymous else self.author_name

    @property
    def is_answered(self) -> bool:
        return self.first_answered_on is not None

    def due_on(self, days: int):
        return self.raised_on + timezone.timedelta(days=days)


class Comment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField()
    written_on = models.DateField()
    from_author = models.BooleanField(default=False)
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["written_on", "author_name", "body"]

    def __str__(self) -> str:
        return f"Comment on {self.post_id}"

    @property
    def shown_author(self) -> str:
        return "The author of this post" if self.from_author else self.author_name


class Support(models.Model):
    """One person's "me too": a keyed hash of post and person, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="supports")
    supporter_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "supporter_hash"], name="voice_one_support_each")]

    def __str__(self) -> str:
        return f"Support for {self.post_id}"
