"""Question sets: shipped instruments and an organisation's own, their scales, response
sets and questions."""

from django.conf import settings
from django.db import models

from staffwell.organisations.models import Organisation
from staffwell.partnership import services as partnership
from staffwell.surveys.models.kinds import QUESTION_SET_AGREEMENT

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
