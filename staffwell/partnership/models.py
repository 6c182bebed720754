"""One side's agreement to one version of one thing: an immutable row with who and when.

Rows are never updated except to mark them withdrawn or cleared, and never deleted while
the thing agreed exists: the history of who agreed to what is the record the partnership
rule asks for.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from staffwell.organisations.models import Organisation
from staffwell.partnership.sides import Side


class AgreementQuerySet(models.QuerySet):
    def for_object(self, obj, kind: str) -> "AgreementQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
            object_id=str(obj.pk),
            kind=kind,
        )

    def current(self) -> "AgreementQuerySet":
        return self.filter(ended_at__isnull=True)


class Agreement(models.Model):
    class Ended(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLEARED = "cleared", "Cleared"
        LAPSED = "lapsed", "Lapsed: the person who agreed no longer acts for that side"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=60, help_text="What is agreed, as registered: 'voice.answer'.")
    version = models.CharField(max_length=64, help_text="Which version of the thing was agreed.")
    side = models.CharField(max_length=10, choices=Side.choices)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_by_name = models.CharField(max_length=200)
    agreed_at = models.DateTimeField(default=timezone.now)
    terms = models.JSONField(default=dict, blank=True, help_text="What they agreed to, as they saw it.")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended = models.CharField(max_length=10, choices=Ended.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["agreed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="agreement_subject")]
        constraints = [
            # One standing agreement per side for each version of each thing: a repeat is
            # refused by the database as well as by the service.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "version", "side"],
                condition=models.Q(ended_at__isnull=True),
                name="one_standing_agreement_per_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} agreed {self.kind} {self.version} ({self.agreed_by_name})"
