"""Campaigns and everything about people in them: who was asked (invitations), who has
answered (participation, without what), kiosk codes, and encrypted drafts."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.organisations.models import Organisation, StaffGroup, Unit
from staffwell.partnership import services as partnership
from staffwell.surveys.models.instruments import Instrument
from staffwell.surveys.models.kinds import CAMPAIGN_AGREEMENT, CAMPAIGN_VERSION


class CampaignQuerySet(models.QuerySet):
    def for_org(self, org: Organisation) -> "CampaignQuerySet":
        return self.filter(organisation=org)


class Campaign(models.Model):
    """One run of an instrument for some units (with their sub-units).

    Launching needs both sides' agreement: it decides what staff are asked. At launch the
    people in scope are fixed, and from them ``report_units`` (each member unit -> the unit
    stored on responses, coarsened until at least the minimum reporting group were invited
    from it) and ``report_bands`` (stored unit -> staff groups with enough people invited).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LAUNCHED = "launched", "Launched"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="survey_campaigns")
    name = models.CharField(max_length=200)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="campaigns")
    units = models.ManyToManyField(Unit, related_name="survey_campaigns", help_text="With all their sub-units.")
    opens_on = models.DateField()
    closes_on = models.DateField()
    invitation_message = models.TextField()
    reminder_message = models.TextField()
    remind_every_days = models.PositiveSmallIntegerField(default=7)
    ask_staff_group = models.BooleanField(default=False)
    from_checkins = models.BooleanField(
        default=False,
        help_text="A standing monthly pulse made of check-ins people chose to contribute "
        "(staffwell.surveys.contributions): no invitations, reminders or kiosk codes.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    launched_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    invitations_sent_on = models.DateField(null=True, blank=True)
    last_reminder_on = models.DateField(null=True, blank=True)
    in_scope_count = models.PositiveIntegerField(default=0, help_text="Active staff in the units at launch.")
    report_units = models.JSONField(default=dict, blank=True)
    report_bands = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="closes_after_opens")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def agreement(self) -> "partnership.AgreementState":
        """Both sides' agreement to what staff will be asked."""
        return partnership.state(obj=self, kind=CAMPAIGN_AGREEMENT, version=CAMPAIGN_VERSION)

    @property
    def is_agreed(self) -> bool:
        return self.agreement.complete

    @property
    def is_open(self) -> bool:
        """Accepting answers today."""
        return Campaign.accepting_answers(self.status, self.opens_on, self.closes_on)

    @staticmethod
    def accepting_answers(status: str, opens_on: datetime.date, closes_on: datetime.date) -> bool:
        return status == Campaign.Status.LAUNCHED and opens_on <= timezone.localdate() <= closes_on

    @property
    def phase(self) -> str:
        today = timezone.localdate()
        if self.status == self.Status.DRAFT:
            return "Draft"
        if self.status == self.Status.CLOSED or today > self.closes_on:
            return "Closed"
        if today < self.opens_on:
            return "Launched, not yet open"
        return "Open"

    def stored_unit_id(self, member_unit_id: int | None) -> int | None:
        """The unit stored on a response from someone in ``member_unit_id``."""
        if member_unit_id is None:
            return None
        return self.report_units.get(str(member_unit_id))

    def stored_band(self, stored_unit_id: int | None, staff_group: str) -> str:
        """The staff group stored on a response, or "" where too few share it."""
        if not self.ask_staff_group or not staff_group:
            return ""
        allowed = self.report_bands.get(str(stored_unit_id) if stored_unit_id else "org", [])
        return staff_group if staff_group in allowed else ""


class Invitation(models.Model):
    """One person invited to one campaign (who was asked; never what they said).

    The personal link's token is derived from ``SECRET_KEY`` and ``secret`` and never
    stored; ``token_hash`` finds the invitation from a link. ``report_unit`` and
    ``report_band`` are fixed at launch. Dates only, never times.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        "organisations.Membership", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    secret = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    report_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    report_band = models.CharField(max_length=40, choices=StaffGroup.choices, blank=True)
    emailed_on = models.DateField(null=True, blank=True)
    # No record of reminders per person (when, or how many): reminder rounds are recorded
    # on the campaign only, so they cannot split respondents into classes.

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "membership"], name="one_invitation_per_person"),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.campaign}"


class Participation(models.Model):
    """Who has answered, for reminders: one row per campaign and stored unit, holding the
    membership ids of everyone in it who has responded as one sorted list, rewritten whole
    on each response. Neither the order of rows nor the order inside the list says who
    answered when. Created for every stored unit at launch, before anyone answers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participation")
    bucket = models.CharField(max_length=20, help_text="The stored unit id, or 'org'.")
    member_ids = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "bucket"], name="one_participation_per_bucket")]

    def __str__(self) -> str:
        return f"Participation in {self.campaign} ({self.bucket})"


class KioskBatch(models.Model):
    """A batch of printed single-use codes for staff without email, for one unit.

    The codes are shown once, to print and hand out from a shuffled pile: nothing records
    who got which. Only their hashes are stored."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kiosk_batches")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    report_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    size = models.PositiveIntegerField()
    voided = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return f"{self.size} codes for {self.unit}"


class KioskCode(models.Model):
    """One single-use code (its hash). ``used`` is set when a response is submitted with it."""

    batch = models.ForeignKey(KioskBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "Kiosk code"


class Draft(models.Model):
    """Unfinished answers, encrypted with a key derived from the respondent's link or code
    (never stored here). ``id`` is derived from the link or code by a different hash than
    ``Invitation.token_hash``, so it cannot be matched to an invitation. Deleted when the
    response is submitted; old drafts are removed when a campaign closes."""

    id = models.CharField(primary_key=True, max_length=64)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    ciphertext = models.BinaryField()
    saved_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return "Draft answers"
