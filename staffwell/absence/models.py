"""Sickness absence, held only as counts.

An ESR extract has one row per person, assignment and month. staffwell never stores those
rows: the import (``staffwell.absence.esr``) reduces them in memory to the two tables below
and the extract itself is discarded in the same request. Sickness absence is health data
(UK GDPR Article 9) and none of the analytics need an individual, so none is kept.
"""

from django.conf import settings
from django.db import models

from staffwell.organisations.models import Organisation, Unit


class AbsenceImport(models.Model):
    """One accepted upload: who, when, what it covered. Never the file."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="absence_imports")
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField()
    first_month = models.DateField()
    last_month = models.DateField()
    unmapped_rows = models.PositiveIntegerField(default=0)
    min_group_size = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The minimum group k the import coarsened to: no stored cell holds fewer than k people. "
        "Empty for imports made before coarsening.",
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.first_month:%Y-%m} to {self.last_month:%Y-%m})"


class Population(models.Model):
    """Everyone with an assignment in a month, unit and staff group: the denominator.

    ``staff_group`` is "" for ESR groups left out of staff-group figures (General payments,
    Unknown, Non-funded staff); they still count in unit and organisation totals. It is
    "combined" (``coarsen.COMBINED``, shown as "Other staff groups (combined)") for a cell the
    import combined from groups too small to store on their own. No cell holds fewer than the
    organisation's minimum group (``staffwell.absence.coarsen``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month.")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    staff_group = models.CharField(max_length=40, blank=True)
    headcount = models.PositiveIntegerField()
    fte_days_available = models.FloatField()
    fte_days_lost = models.FloatField()
    members = models.CharField(
        max_length=16,
        blank=True,
        help_text="A keyed digest of who is in the cell (reimport.members_digest), so importing the month "
        "again cannot swap one person for another unseen; empty for cells from before it was kept.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "unit", "staff_group"], name="absence_population_cell"
            )
        ]
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} unit {self.unit_id} {self.staff_group}"


class IncompleteGroup(models.Model):
    """A figure the import's coarsening left incomplete for one month, so it may be withheld
    rather than shown wrong (``staffwell.absence.coarsen``): a unit (with everything below it)
    some of whose people are stored in a unit above it, or (``unit`` empty) an organisation-wide
    staff group some of whose people are stored in a combined cell (its figure is of the rest,
    shown with the share of the group it covers, and withheld when that is under
    ``rates.MIN_STORED_SHARE``). Replaced with its month."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    staff_group = models.CharField(max_length=40, blank=True)
    people = models.PositiveIntegerField(
        default=0, help_text="For a staff group: how many of its people are in combined cells this month."
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} unit {self.unit_id} {self.staff_group}"


class ReasonCount(models.Model):
    """Sickness absence for one reason (and COVID-related or not) in a month, unit and
    staff group: days lost, people absent, spells, long-term and short-term spells."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    staff_group = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=3)
    covid = models.BooleanField(default=False)
    fte_days_lost = models.FloatField()
    people = models.PositiveIntegerField()
    spells = models.PositiveIntegerField()
    long_term_spells = models.PositiveIntegerField()
    short_term_spells = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "unit", "staff_group", "reason", "covid"], name="absence_reason_cell"
            )
        ]
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.reason} unit {self.unit_id}"


class NationalRelease(models.Model):
    """One NHS England published sickness absence CSV, loaded as comparison data."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        BENCHMARKING = "benchmarking", "Benchmarking"
        REASON = "reason", "Reason"
        STAFF_GROUP = "staff_group", "Staff group"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=500, help_text="Where the file came from (a web address or title).")
    published_on = models.DateField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"


class NationalFigure(models.Model):
    """A published row: month, organisation (or "" for England), staff group, reason."""

    release = models.ForeignKey(NationalRelease, on_delete=models.CASCADE, related_name="figures")
    month = models.DateField()
    org_code = models.CharField(max_length=10, blank=True, db_index=True)
    org_name = models.CharField(max_length=200, blank=True)
    org_type = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    benchmark_group = models.CharField(max_length=100, blank=True)
    staff_group = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    fte_days_lost = models.FloatField(null=True)
    fte_days_available = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["release", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.org_code or 'England'}"


class ActionMeasure(models.Model):
    """The absence series that will show whether an action in the action plan worked."""

    action = models.OneToOneField("assessments.Action", on_delete=models.CASCADE, related_name="absence_measure")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reason_group = models.CharField(max_length=10, default="all")
    starts_on = models.DateField(help_text="When the action started: marked on the chart.")

    def __str__(self) -> str:
        return f"Measure for action {self.action_id}"

    @property
    def key(self) -> str:
        return "org" if self.unit_id is None else f"unit:{self.unit_id}"

    def chart(self):
        """The measure's SPC chart with the action's start marked (None without data)."""
        from staffwell.absence.measures import chart_for
        from staffwell.absence.rates import Absence

        return chart_for(
            Absence(self.action.cycle.organisation),
            self.key,
            self.reason_group,
            marker_month=self.starts_on.replace(day=1),
        )


class TriggerDefinition(models.Model):
    """A trigger definition from a trust's agreed absence policy ("3 spells in 6 months"),
    proposed by one side and counted only once both sides have agreed it
    (``staffwell.partnership``, kind ``absence.trigger``). The terms never change: a new
    definition is a new row, and the one before stays in force until the new one is agreed.

    staffwell only counts how many people in a unit meet it; it never names anyone and
    never scores anyone (docs/absence.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    spells = models.PositiveSmallIntegerField(help_text="Spells of sickness absence that meet the definition.")
    days = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Or this many FTE days lost (optional).")
    window_months = models.PositiveSmallIntegerField(help_text="Over how many months, ending with the month counted.")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_by_name = models.CharField(max_length=200)
    proposed_side = models.CharField(max_length=10)
    proposed_at = models.DateTimeField(auto_now_add=True)
    agreed_at = models.DateTimeField(null=True, blank=True, help_text="When both sides stood agreed.")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        spells = "1 or more spells" if self.spells == 1 else f"{self.spells} or more spells"
        months = "1 month" if self.window_months == 1 else f"{self.window_months} months"
        text = f"{spells} of sickness absence in {months}"
        if self.days:
            text += f", or {self.days} or more FTE days lost in that time"
        return text

    def terms(self) -> dict:
        return {"spells": self.spells, "days": self.days, "window_months": self.window_months, "text": self.describe()}


class TriggerCount(models.Model):
    """How many people meet an agreed trigger definition in a month, per stored unit: a
    count, never who. Made at import from the extract's rows in memory."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    definition = models.ForeignKey(TriggerDefinition, on_delete=models.CASCADE, related_name="counts")
    month = models.DateField(help_text="The last month of the window.")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    people = models.PositiveIntegerField()
    spells = models.PositiveIntegerField(help_text="The spells those people had in the window.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["definition", "month", "unit"], name="absence_trigger_cell")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} unit {self.unit_id}: {self.people}"


class SeriesChange(models.Model):
    """A known change marked on one absence series (a new way of recording, a restructure, an
    intervention that has clearly worked): the SPC chart starts a new mean and new process
    limits from that month. Seen by both sides; marking and removing are audited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    staff_group = models.CharField(max_length=40, blank=True)
    reason_group = models.CharField(max_length=10, default="all")
    month = models.DateField(help_text="First day of the month the new baseline starts.")
    reason = models.CharField(max_length=300)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_by_name = models.CharField(max_length=200)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "id"]

    def __str__(self) -> str:
        return f"{self.key} {self.reason_group} from {self.month:%Y-%m}"

    @property
    def key(self) -> str:
        if self.staff_group:
            return f"org|sg:{self.staff_group}"
        return "org" if self.unit_id is None else f"unit:{self.unit_id}"
