"""Frameworks (versioned data), assessment cycles run in partnership, and action plans.

A framework version is never changed once loaded: a cycle points at the exact version it
was run on. Each side's ratings are kept apart (``Rating.side``) and shown to the other side
only once both sides have submitted (``Cycle.both_submitted``).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.organisations.models import Membership, Organisation
from staffwell.partnership import services as partnership
from staffwell.partnership.sides import Side

__all__ = ["Side"]  # the partnership's two sides, used by every model here


class FrameworkQuerySet(models.QuerySet):
    def available_to(self, org: Organisation) -> "FrameworkQuerySet":
        """Frameworks shipped with staffwell plus those this organisation loaded."""
        return self.filter(models.Q(organisation__isnull=True) | models.Q(organisation=org))


class Framework(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="frameworks",
        help_text="Empty for frameworks shipped with staffwell.",
    )
    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug", "version"], name="unique_framework_version"),
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=models.Q(organisation__isnull=True),
                name="unique_shipped_framework_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def max_level(self) -> int:
        return max((level.value for level in self.levels.all()), default=0)


class RatingLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [models.UniqueConstraint(fields=["framework", "value"], name="unique_level_value")]

    def __str__(self) -> str:
        return f"{self.value}. {self.label}"


class Element(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_element_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class SubElement(models.Model):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="sub_elements")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["element__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Statement(models.Model):
    sub_element = models.ForeignKey(SubElement, on_delete=models.CASCADE, related_name="statements")
    code = models.CharField(max_length=30)
    text = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sub_element__element__order", "sub_element__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CycleQuerySet(models.QuerySet):
    def for_org(self, org: Organisation) -> "CycleQuerySet":
        return self.filter(organisation=org)


class Cycle(models.Model):
    class Status(models.TextChoices):
        RATING = "rating", "Rating independently"
        RECONCILING = "reconciling", "Agreeing ratings"
        SIGNED_OFF = "signed_off", "Signed off"
        AMENDING = "amending", "Amendment open"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessment_cycles")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    title = models.CharField(max_length=200)
    elements = models.ManyToManyField(Element, related_name="cycles")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RATING)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    plan_revision = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_submissions", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def submissions(self) -> "partnership.AgreementState":
        """Each side's submission of its ratings: an agreement of kind ``assessment.ratings``."""
        if "_submissions" not in self.__dict__:
            self.__dict__["_submissions"] = partnership.state(
                obj=self, kind=kinds.RATINGS, version=kinds.RATINGS_VERSION
            )
        return self.__dict__["_submissions"]

    def submitted_at(self, side: str):
        submitted = self.submissions.for_side(side) if self.pk else None
        return submitted.agreed_at if submitted else None

    @property
    def both_submitted(self) -> bool:
        return bool(self.pk) and self.submissions.complete

    def signoffs(self, amendment=None) -> "partnership.AgreementState":
        """The two signatures for the cycle (no amendment) or for one amendment."""
        return partnership.state(obj=self, kind=kinds.SIGNOFF, version=kinds.signoff_version(amendment))

    def plan_agreement(self) -> "partnership.AgreementState":
        """Each side's agreement to the current revision of the action plan."""
        return partnership.state(obj=self, kind=kinds.PLAN, version=self.plan_revision)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SIGNED_OFF

    @property
    def agreeing_open(self) -> bool:
        return self.status in {self.Status.RECONCILING, self.Status.AMENDING}

    def statements(self):
        return Statement.objects.filter(sub_element__element__in=self.elements.all()).select_related(
            "sub_element__element"
        )

    def open_amendment(self):
        return self.amendments.filter(completed_at__isnull=True).first()


class ParticipantQuerySet(models.QuerySet):
    def active(self) -> "ParticipantQuerySet":
        return self.filter(removed_at__isnull=True)

    def removed(self) -> "ParticipantQuerySet":
        return self.filter(removed_at__isnull=False)


class Participant(models.Model):
    """Someone taking part in a cycle on one side. Removal keeps the row, so the record shows
    who took part and when they stopped; inviting them again brings the row back."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participants")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assessment_participations")
    side = models.CharField(max_length=10, choices=Side.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["side", "membership__full_name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "membership"], name="unique_cycle_participant")]

    def __str__(self) -> str:
        return f"{self.membership.full_name} ({self.get_side_display()})"


class Rating(models.Model):
    """One side's own rating of one statement, before reconciliation."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratings")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "statement", "side"], name="unique_side_rating")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} rating of {self.statement.code}"


class AgreedRating(models.Model):
    """The rating both sides agreed for a statement, with its rationale."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="agreed")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "statement"], name="unique_agreed_rating")]

    def __str__(self) -> str:
        return f"Agreed rating of {self.statement.code}"


def evidence_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"assessments/evidence/{instance.cycle.organisation_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        LINK = "link", "Link"
        DOCUMENT = "document", "Document"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Amendment(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveIntegerField()
    reason = models.TextField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="unique_amendment_number")]

    def __str__(self) -> str:
        return f"Amendment {self.number}"


class ActionQuerySet(models.QuerySet):
    def overdue(self, today=None) -> "ActionQuerySet":
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=[Action.Status.DONE, Action.Status.DROPPED])


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Stopped"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.TextField(help_text="The measure that will show the action worked.")
    employer_owner = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    staff_owner = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.due_date < timezone.localdate() and self.status not in {self.Status.DONE, self.Status.DROPPED}

    @property
    def linked_to(self) -> str:
        if self.statement_id:
            return f"Statement {self.statement.code}"
        if self.element_id:
            return f"Element {self.element.code}: {self.element.title}"
        return "The whole framework"


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.action_id} by {self.author_name}"


class SharingSetting(models.Model):
    """Whether the organisation shares its signed-off element profile with its integrated care system.

    Sharing publishes more, so it needs both sides: one side proposes (its agreement, kind
    ``assessment.sharing``), the other agrees, and only then, in the agreement's hook, is
    ``share_with_ics`` set. Stopping sharing publishes less, so either side may do it alone;
    it clears both agreements. Every step is in the audit log.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="assessment_sharing")
    share_with_ics = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ICS sharing for {self.organisation}"

    @property
    def agreement(self) -> "partnership.AgreementState":
        if not self.pk:
            return partnership.AgreementState(
                kind=kinds.SHARING, version=kinds.SHARING_VERSION, employer=None, staff=None
            )
        if "_agreement" not in self.__dict__:
            self.__dict__["_agreement"] = partnership.state(obj=self, kind=kinds.SHARING, version=kinds.SHARING_VERSION)
        return self.__dict__["_agreement"]

    @property
    def proposal(self):
        """The agreement of the side that proposed sharing (the first to agree), if any."""
        standing = sorted(self.agreement.agreements, key=lambda a: (a.agreed_at, a.pk))
        return standing[0] if standing else None

    @property
    def acceptance(self):
        """The agreement of the side that agreed to the other's proposal, if any."""
        standing = sorted(self.agreement.agreements, key=lambda a: (a.agreed_at, a.pk))
        return standing[1] if len(standing) > 1 else None

    @property
    def pending(self) -> bool:
        """A proposal to share is waiting for the other side."""
        return not self.share_with_ics and self.proposal is not None
