"""Assessment cycles run in partnership: who takes part, each side's ratings, the agreed ratings, evidence, amendments."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models.frameworks import Element, Framework, Statement
from staffwell.organisations.models import Membership, Organisation
from staffwell.partnership import services as partnership
from staffwell.partnership.sides import Side


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
