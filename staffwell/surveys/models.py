"""Survey instruments, campaigns, and anonymous responses.

Two groups of tables, deliberately with nothing that joins them (docs/survey-anonymity.md):

* **About people** (who was asked, who has answered): ``Invitation``, ``Participation``,
  ``KioskBatch``/``KioskCode``. These know a person (or a printed code) but never an answer.
* **About answers** (what was said): ``Response``, ``Answer``, ``FreeTextAnswer``. These hold
  answers and a few coarse attributes, and never a person, a token, a code, a time finer
  than a day, an IP address or a user agent. Primary keys are random UUIDs.

``Draft`` holds an unfinished set of answers encrypted with a key derived from the
respondent's link or code, which the database never stores; it is deleted on submission.

For reporting (issue 6): read ``Response`` (one row per respondent: campaign, coarsened
``unit``, optional ``staff_group`` band, ``submitted_on``), its ``answers`` (one ``Answer``
per scored question, ``value`` as coded 1-5 *before* reverse scoring; use
``Answer.score`` or ``Question.score(value)`` for the scored value) and ``FreeTextAnswer``
(per campaign, question and unit; no link to a response, and a higher suppression bar).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.organisations.models import Organisation, StaffGroup, Unit
from staffwell.partnership import services as partnership

# Both sides agree a question set and a campaign through the one partnership mechanism
# (staffwell.partnership, ADR 0018); the kinds are registered in apps.py and the workflow is
# in staffwell.surveys.agreements.
QUESTION_SET_AGREEMENT = "surveys.question_set"
CAMPAIGN_AGREEMENT = "surveys.campaign"
CAMPAIGN_VERSION = "draft"  # a change to a draft campaign clears its agreements


# --------------------------------------------------------------------------- instruments

_AGREED_QUESTIONS: dict[tuple, list] = {}


class InstrumentQuerySet(models.QuerySet):
    def available_to(self, org: Organisation) -> "InstrumentQuerySet":
        """Shipped instruments and the organisation's own question sets."""
        return self.filter(models.Q(organisation__isnull=True) | models.Q(organisation=org))

    def for_org(self, org: Organisation) -> "InstrumentQuerySet":
        return self.filter(organisation=org)


class Instrument(models.Model):
    """One version of a question set. Shipped instruments have no organisation and are
    used as they are; an organisation's own set is changed only as a draft, and needs
    agreement from both sides before a campaign can use it. Changing an agreed set makes a
    new version (``key`` stays, ``version`` goes up)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        RETIRED = "retired", "Replaced by a newer version"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_instruments"
    )
    key = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    recall_period = models.CharField(
        max_length=200, blank=True, help_text="The period people are asked to think about, e.g. 'the last six months'."
    )
    attribution = models.TextField(blank=True, help_text="Shown wherever the questions appear.")
    source_url = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key", "version"], name="unique_instrument_version"),
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=models.Q(organisation__isnull=True),
                name="unique_shipped_instrument_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.AGREED

    @property
    def is_editable(self) -> bool:
        return not self.is_shipped and self.status == self.Status.DRAFT

    @property
    def agreement(self) -> "partnership.AgreementState":
        """Both sides' agreement to this version of the questions."""
        return partnership.state(obj=self, kind=QUESTION_SET_AGREEMENT, version=self.version)

    @property
    def is_agreed(self) -> bool:
        return self.agreement.complete

    def ordered_questions(self) -> list["Question"]:
        """The questions in order. An agreed version never changes, so its questions are
        kept in memory after the first read (a draft's are always read afresh)."""
        cached = Instrument.agreed_questions(self.pk, self.status, self.created_at)
        if cached is not None:
            return cached
        questions = list(self.questions.select_related("response_set", "scale").order_by("number"))
        if self.status != self.Status.DRAFT:
            if len(_AGREED_QUESTIONS) > 200:
                _AGREED_QUESTIONS.clear()
            _AGREED_QUESTIONS[(self.pk, self.created_at)] = questions
        return list(questions)

    @staticmethod
    def agreed_questions(pk: int, status: str, created_at) -> list["Question"] | None:
        """The questions of an agreed version already in memory, or None. ``created_at``
        tells a version from another that reused its id (a database rolled back)."""
        if status == Instrument.Status.DRAFT:
            return None
        cached = _AGREED_QUESTIONS.get((pk, created_at))
        return None if cached is None else list(cached)


class Scale(models.Model):
    """A group of questions scored together (HSE: Demands, Control, ...)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="scales")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="unique_scale_key")]

    def __str__(self) -> str:
        return self.name


class ResponseSet(models.Model):
    """The answers offered for a scored question: ``options`` is a list of
    ``{"value": 1, "label": "Never"}`` from the lowest code to the highest."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="response_sets")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    options = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="unique_response_set_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def values(self) -> list[int]:
        return [o["value"] for o in self.options]

    def label_for(self, value: int) -> str:
        return next((o["label"] for o in self.options if o["value"] == value), "")


class Question(models.Model):
    """One question. Scored questions use a response set; free-text questions never are
    scored and their answers are stored apart (``FreeTextAnswer``)."""

    class Kind(models.TextChoices):
        SCORED = "scored", "Choose one answer"
        FREE_TEXT = "free_text", "Free text"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCORED)
    response_set = models.ForeignKey(
        ResponseSet, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, null=True, blank=True, related_name="questions")
    reverse_scored = models.BooleanField(default=False, help_text="Scored as (lowest + highest - answer).")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="unique_question_number"),
            models.CheckConstraint(
                condition=models.Q(kind="free_text") | models.Q(response_set__isnull=False),
                name="scored_question_needs_response_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def is_free_text(self) -> bool:
        return self.kind == self.Kind.FREE_TEXT

    def score(self, value: int) -> int:
        """The value with reverse scoring applied, so a higher score is always better."""
        if not self.reverse_scored:
            return value
        values = self.response_set.values
        return min(values) + max(values) - value


# --------------------------------------------------------------------------- campaigns


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


# --------------------------------------------------------------------------- answers


class SealedResponse(models.Model):
    """A submitted response while its campaign is open: sealed with the application's
    encryption keys (``staffwell.records.crypto``), padded to a fixed block size. Nothing
    readable: a random UUID key, the campaign and the ciphertext (stored unit, band,
    answers and free text inside). At close all of a campaign's sealed responses are
    opened, shuffled and written as ``Response``/``Answer``/``FreeTextAnswer`` rows in
    random order in one transaction, and deleted (ADR 0011)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    ciphertext = models.TextField()

    def __str__(self) -> str:
        return "Sealed survey response"


class Response(models.Model):
    """One person's submitted answers. Unlinkable by construction: a random UUID key, the
    campaign, the coarsened ``unit`` (None: organisation level), the ``staff_group`` band
    only where enough invited people share it, and the day. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (campaign, unit) index below serves look-ups by campaign,
    # and each index is one more write for every submission.
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff_group = models.CharField(max_length=40, choices=StaffGroup.choices, blank=True)
    submitted_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["campaign", "unit"])]

    def __str__(self) -> str:
        return "Survey response"


class Answer(models.Model):
    """One scored answer: the code as chosen (1-5 for the HSE tool), before reverse scoring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the (response, question) unique constraint's index serves it.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"Answer {self.value}"

    @property
    def score(self) -> int:
        return self.question.score(self.value)


class FreeTextAnswer(models.Model):
    """A free-text answer, kept apart from the scored answers: no link to a response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="free_text_answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="free_text_answers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()

    def __str__(self) -> str:
        return "Free-text answer"


# --------------------------------------------------------------------------- check-in contributions


class ContributionPool(models.Model):
    """Check-in contributions waiting to be released into the organisation's check-in pulse
    (docs/survey-anonymity.md, "Check-ins that contribute"). One row per organisation and
    week (the Monday), created for every organisation at the start of the week.

    ``ciphertext`` holds every contribution of the week (unit and mood, one per person)
    encrypted with a key derived from the server's secret key and padded to a fixed block
    size, so the database shows neither what was contributed nor how many contributed.
    No owner, no check-in, no time: nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week.")
    ciphertext = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "week"], name="one_pool_per_org_week")]

    def __str__(self) -> str:
        return "Check-in contributions waiting for release"
