"""Reporting: proposals to change the organisation's thresholds (agreed by both sides; the
thresholds in force are ``staffwell.suppression.models.ReportingPolicy``), benchmark tables,
the cached publication plan of each campaign, and the review of free-text comments."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.organisations.models import Organisation
from staffwell.partnership import services as partnership

# Both sides agree a threshold change and the release of comments through the one
# partnership mechanism (staffwell.partnership, ADR 0018); the workflows are in
# staffwell.reporting.services.
THRESHOLDS_AGREEMENT = "reporting.thresholds"
COMMENT_RELEASE_AGREEMENT = "reporting.comment_release"
COMMENT_RELEASE_VERSION = "reviewed"  # a change to the wording clears the agreements


class PolicyProposal(models.Model):
    """A proposed change to the thresholds. It takes effect when the employer side and the
    staff side have both agreed (``partnership``, kind ``reporting.thresholds``); the
    proposer's side agrees by proposing. Kept for ever: the history is visible to both
    sides."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for agreement"
        AGREED = "agreed", "Agreed and in force"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reporting_proposals")
    min_group = models.PositiveSmallIntegerField()
    free_text_min_group = models.PositiveSmallIntegerField()
    previous_min_group = models.PositiveSmallIntegerField()
    previous_free_text_min_group = models.PositiveSmallIntegerField()
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"Minimum group {self.previous_min_group} → {self.min_group}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def agreement_version(self) -> str:
        """What is agreed: the two thresholds proposed."""
        return f"{self.min_group}:{self.free_text_min_group}"

    @property
    def agreement(self) -> "partnership.AgreementState":
        return partnership.state(obj=self, kind=THRESHOLDS_AGREEMENT, version=self.agreement_version)

    def agreements_ever(self) -> list:
        """Every agreement recorded for the proposal, withdrawn ones included."""
        return list(partnership.history(obj=self, kind=THRESHOLDS_AGREEMENT))


class BenchmarkTable(models.Model):
    """Benchmark cut points for the HSE scales, loaded as data with where they came from.
    Shipped tables have no organisation; an organisation may upload its own and choose it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="benchmark_tables"
    )
    name = models.CharField(max_length=200)
    source = models.TextField(help_text="Where the figures come from.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank when not known.")
    verified = models.BooleanField(default=False)
    in_use = models.BooleanField(default=False, help_text="The organisation's chosen table.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year or 'year not known'})"

    def cut_points(self) -> dict[str, tuple[float, float, float]]:
        return {r.scale: (r.p20, r.p50, r.p80) for r in self.rows.all()}


class BenchmarkRow(models.Model):
    table = models.ForeignKey(BenchmarkTable, on_delete=models.CASCADE, related_name="rows")
    scale = models.CharField(max_length=100)
    p20 = models.FloatField()
    p50 = models.FloatField()
    p80 = models.FloatField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["table", "scale"], name="one_benchmark_row_per_scale")]

    def __str__(self) -> str:
        return self.scale


class CampaignPlan(models.Model):
    """The publication plan of a closed campaign: which groups are withheld and why.
    Recomputed when the responses, the thresholds or the report layout change."""

    campaign = models.OneToOneField("surveys.Campaign", on_delete=models.CASCADE, related_name="publication_plan")
    fingerprint = models.CharField(max_length=200)
    threshold = models.PositiveSmallIntegerField()
    free_text_threshold = models.PositiveSmallIntegerField()
    withheld = models.JSONField(default=dict)
    comment_withheld = models.JSONField(default=dict)
    cube = models.JSONField(default=dict, help_text="Answer counts per unit and staff group (never shown as such).")
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Publication plan for {self.campaign}"


class PublicationHistory(models.Model):
    """Every group a campaign's figures have ever been published for, under any threshold,
    unit tree or staff-group mapping: ``groups`` is a list of ``{"cells": [[unit, band],
    ...], "threshold": k}`` (cells are the stored unit and band, fixed at launch), and with
    ``"kind": "comments"`` each group whose comments were shown, under the comment
    threshold. A new plan for the campaign treats all of them as known to the attacker (docs/suppression.md,
    "One publication history"). Only ever added to."""

    campaign = models.OneToOneField("surveys.Campaign", on_delete=models.CASCADE, related_name="publication_history")
    groups = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Publication history of {self.campaign}"


class CommentReview(models.Model):
    """Review of a campaign's free-text answers before managers see them. Both sides read
    and redact; release needs both to agree (``partnership``, kind
    ``reporting.comment_release``; a changed wording clears the agreements). At release
    the redacted text replaces the original, which is then gone."""

    campaign = models.OneToOneField("surveys.Campaign", on_delete=models.CASCADE, related_name="comment_review")
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Comment review for {self.campaign}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def agreement(self) -> "partnership.AgreementState":
        return partnership.state(obj=self, kind=COMMENT_RELEASE_AGREEMENT, version=COMMENT_RELEASE_VERSION)


class Redaction(models.Model):
    """The reviewed wording of one free-text answer, until release."""

    answer = models.OneToOneField("surveys.FreeTextAnswer", on_delete=models.CASCADE, related_name="redaction")
    text = models.TextField()
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    redacted_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Redaction"


class ActionSuggestion(models.Model):
    """A weak HSE scale offered as the starting point for an action, recorded when someone
    takes it up (the action plan itself belongs to the assessments app)."""

    campaign = models.ForeignKey("surveys.Campaign", on_delete=models.CASCADE, related_name="action_suggestions")
    scale = models.CharField(max_length=100)
    unit_label = models.CharField(max_length=300)
    score = models.FloatField()
    band = models.CharField(max_length=100)
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Action on {self.scale}"
