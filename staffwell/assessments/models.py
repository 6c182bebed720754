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

from staffwell.organisations.models import Membership, Organisation


class Side(models.TextChoices):
    EMPLOYER = "employer", "Employer side"
    STAFF = "staff", "Staff side"

    @property
    def other(self) -> "Side":
        return Side.STAFF if self == Side.EMPLOYER else Side.EMPLOYER


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
    employer_submitted_at = models.DateTimeField(null=True, blank=True)
    staff_submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    plan_revision = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def submitted_at(self, side: str):
        return self.employer_submitted_at if side == Side.EMPLOYER else self.staff_submitted_at

    @property
    def both_submitted(self) -> bool:
        return bool(self.employer_submitted_at and self.staff_submitted_at)

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


class SignOff(models.Model):
    """A signature for the cycle (amendment empty) or for one amendment."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="signoffs")
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, null=True, blank=True, related_name="signoffs")
    side = models.CharField(max_length=10, choices=Side.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signatory_name = models.CharField(max_length=200)
    signatory_role = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            # One signature per side for each amendment...
            models.UniqueConstraint(fields=["cycle", "amendment", "side"], name="unique_signoff_per_side"),
            # ...and for the first sign-off, where the amendment is empty: NULLs are distinct in a
            # unique index, so the constraint above alone would let a side sign twice.
            models.UniqueConstraint(
                fields=["cycle", "side"],
                condition=models.Q(amendment__isnull=True),
                name="unique_first_signoff_per_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} sign-off by {self.signatory_name}"


class PlanAgreement(models.Model):
    """One side's agreement to one revision of the cycle's action plan."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plan_agreements")
    revision = models.PositiveIntegerField()
    side = models.CharField(max_length=10, choices=Side.choices)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreed_at"]
        constraints = [models.UniqueConstraint(fields=["cycle", "revision", "side"], name="unique_plan_agreement")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} agreed plan revision {self.revision}"


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

    Sharing publishes more, so it needs both sides: one side proposes, the other agrees, and
    only then is ``share_with_ics`` set. Stopping sharing publishes less, so either side may
    do it alone. The proposal and agreement stay on the row while sharing is on; every step
    is in the audit log.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="assessment_sharing")
    share_with_ics = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_by_name = models.CharField(max_length=200, blank=True)
    proposed_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    agreed_by_name = models.CharField(max_length=200, blank=True)
    agreed_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Shared only with an agreement from the side that did not propose.
            models.CheckConstraint(
                condition=models.Q(share_with_ics=False)
                | (
                    models.Q(proposed_at__isnull=False, agreed_at__isnull=False)
                    & ~models.Q(proposed_side="")
                    & ~models.Q(agreed_side="")
                    & ~models.Q(proposed_side=models.F("agreed_side"))
                ),
                name="sharing_agreed_by_both_sides",
            ),
        ]

    def __str__(self) -> str:
        return f"ICS sharing for {self.organisation}"

    @property
    def pending(self) -> bool:
        """A proposal to share is waiting for the other side."""
        return not self.share_with_ics and self.proposed_at is not None
