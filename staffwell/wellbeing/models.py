"""A person's own wellbeing records. Everything a person writes or chooses is in encrypted
fields (staffwell.records); only the owner, dates and who a conversation is with are plain,
so reminders and the organisation's suppressed counts work without reading content.

``__str__`` never shows content: it is copied into the audit log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.core.fields import EncryptedJSONField, EncryptedTextField
from staffwell.wellbeing import content


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class CheckIn(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # {"mood": 1..5, "factors": {"sleep": "worse", ...}, "help_now": bool}
    answers = EncryptedJSONField(default=dict)
    note = EncryptedTextField(blank=True, default="")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"

    @property
    def mood(self) -> int | None:
        return self.answers.get("mood")

    @property
    def mood_info(self) -> content.Mood | None:
        return content.MOOD_BY_VALUE.get(self.mood)

    @property
    def factors(self) -> dict[str, str]:
        return self.answers.get("factors") or {}

    @property
    def help_now(self) -> bool:
        return bool(self.answers.get("help_now"))

    @property
    def suggests_crisis(self) -> bool:
        """The lowest mood, or the person said they need help now. Not a diagnosis."""
        return self.help_now or self.mood == content.LOWEST_MOOD

    def factor_rows(self) -> list[tuple[str, str]]:
        return [
            (content.FACTOR_LABELS[k], content.FACTOR_CHOICE_LABELS[v])
            for k, v in self.factors.items()
            if k in content.FACTOR_LABELS and v in content.FACTOR_CHOICE_LABELS
        ]

    def suggested_topics(self) -> list[str]:
        topics = []
        for key, value in self.factors.items():
            if value == "worse":
                topics += content.FACTOR_TOPICS.get(key, [])
        if self.mood is not None and self.mood <= 2:
            topics += ["low-mood", "stress"]
        return list(dict.fromkeys(topics))


class Plan(models.Model):
    """A person's wellbeing plan. One per person; every save keeps a version."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_plan")
    # {"keeps_well": "...", ..., "topics": ["sleep"], "right_now": "ok"}
    answers = EncryptedJSONField(default=dict)
    review_on = models.DateField(null=True, blank=True)
    reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The review date a reminder was last sent for."
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Wellbeing plan {self.pk}"

    def answer(self, key: str) -> str:
        return (self.answers.get(key) or "").strip()

    @property
    def topics(self) -> list[str]:
        return [t for t in self.answers.get("topics") or [] if t in content.PLAN_TOPIC_LABELS]

    @property
    def suggests_crisis(self) -> bool:
        return self.answers.get("right_now") == content.RIGHT_NOW_CRISIS

    def sections(self) -> list[tuple[str, str, str]]:
        return [(q.key, q.heading, self.answer(q.key)) for q in content.PLAN_QUESTIONS]

    @property
    def is_review_due(self) -> bool:
        return self.review_on is not None and self.review_on <= timezone.localdate()


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_at = models.DateTimeField(default=timezone.now)
    answers = EncryptedJSONField(default=dict)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number")]

    def __str__(self) -> str:
        return f"Wellbeing plan version {self.number}"


class Conversation(models.Model):
    """A health and wellbeing conversation the person chose to have, with someone they chose."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HELD = "held", "Happened"

    class With(models.TextChoices):
        LINE_MANAGER = "line_manager", "My line manager"
        SOMEONE_ELSE = "someone_else", "Someone else I trust"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_conversations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    with_kind = models.CharField(max_length=20, choices=With.choices)
    with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wellbeing_conversations_with",
        help_text="The other person, if they have a staffwell account.",
    )
    with_name = EncryptedTextField(blank=True, default="", help_text="The other person's name, if not on staffwell.")
    status = models.CharField(max_length=10, choices=Status.choices)
    booked_for = models.DateTimeField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True, db_index=True)
    # {"place": "...", "summary": "...", "notes": "..."}
    details = EncryptedJSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-booked_for", "-id"]

    def __str__(self) -> str:
        return f"Wellbeing conversation {self.pk}"

    @property
    def other_party_name(self) -> str:
        return self.with_user.full_name if self.with_user_id else (self.with_name or "someone")

    @property
    def when(self):
        return self.held_on if self.status == self.Status.HELD else self.booked_for

    def detail(self, key: str) -> str:
        return (self.details.get(key) or "").strip()

    def actions_for(self, side: str):
        return [a for a in self.actions.all() if a.side == side]


class ConversationAction(models.Model):
    class Side(models.TextChoices):
        MINE = "mine", "I will"
        THEIRS = "theirs", "They will"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="actions")
    side = models.CharField(max_length=10, choices=Side.choices)
    text = EncryptedTextField()
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Conversation action {self.pk}"


class SupportContacts(models.Model):
    """The organisation's own occupational health and employee assistance contacts, shown with
    the urgent support panel. Edited by the employer lead or the organisation admin."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="wellbeing_support_contacts"
    )
    oh_name = models.CharField("Occupational health service name", max_length=200, blank=True)
    oh_phone = models.CharField("Occupational health phone number", max_length=40, blank=True)
    oh_email = models.EmailField("Occupational health email address", blank=True)
    oh_hours = models.CharField("When occupational health is open", max_length=200, blank=True)
    eap_name = models.CharField("Employee assistance programme name", max_length=200, blank=True)
    eap_phone = models.CharField("Employee assistance phone number", max_length=40, blank=True)
    eap_url = models.URLField("Employee assistance website", max_length=500, blank=True)
    eap_hours = models.CharField("When the employee assistance programme is open", max_length=200, blank=True)
    other = models.TextField(
        "Other support",
        blank=True,
        help_text="For example a staff psychology service or chaplaincy, with how to reach them.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "support contacts"

    def __str__(self) -> str:
        return f"Support contacts for {self.organisation}"

    @property
    def has_oh(self) -> bool:
        return bool(self.oh_name or self.oh_phone or self.oh_email)

    @property
    def has_eap(self) -> bool:
        return bool(self.eap_name or self.eap_phone or self.eap_url)
