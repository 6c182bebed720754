"""Everything about answers, with nothing that joins it to a person: sealed responses while
a campaign is open, then responses, scored answers and free text; and the week's pool of
check-in contributions."""

import uuid

from django.db import models

from staffwell.organisations.models import Organisation, StaffGroup, Unit
from staffwell.surveys.models.campaigns import Campaign
from staffwell.surveys.models.instruments import Question


class SealedResponse(models.Model):
    """A submitted response while its campaign is open: sealed with the application's
    encryption keys (``staffwell.core.crypto``), padded to a fixed block size. Nothing
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
