"""Consent: a grant is the owner's permission for one person to see one record (or one
section of it). Withdrawing sets ``withdrawn_at``; from that moment the access helpers give
that person a 404."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Relationship(models.TextChoices):
    LINE_MANAGER = "line_manager", "your line manager"
    TRUSTED_PERSON = "trusted_person", "someone you trust"
    STAFF_SIDE_REP = "staff_side_rep", "a staff-side rep"
    OCCUPATIONAL_HEALTH = "occupational_health", "occupational health"
    OTHER = "other", "someone you chose"


class GrantQuerySet(models.QuerySet):
    def live(self) -> "GrantQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def for_object(self, obj) -> "GrantQuerySet":
        return self.filter(record_type=ContentType.objects.get_for_model(obj), record_id=obj.pk)

    def for_model(self, model) -> "GrantQuerySet":
        return self.filter(record_type=ContentType.objects.get_for_model(model))

    def owned_by(self, user) -> "GrantQuerySet":
        return self.filter(owner=user)

    def granted_to(self, user) -> "GrantQuerySet":
        return self.filter(grantee=user)


class Grant(models.Model):
    """The owner lets ``grantee`` see a record, or one section of it (``section`` blank: all of it).

    ``label`` describes what is shared by kind, date and section heading only ("Wellbeing
    conversation on 20 November 2026: What we talked about"; ``Kind.label``): it is plain
    text in the database and the audit log, so it never holds record content, not even
    the name of the other person in a conversation. The owner's pages decrypt more at
    display time (``records.services.label_for_owner``).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_given")
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_received")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40, help_text="The registered record kind, e.g. 'plan'.")
    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    section = models.CharField(max_length=60, blank=True, help_text="Blank: the whole record.")
    label = models.CharField(max_length=200)
    relationship = models.CharField(max_length=30, choices=Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["grantee", "withdrawn_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["grantee", "record_type", "record_id", "section"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_grant_per_person_and_section",
            ),
            models.CheckConstraint(condition=~models.Q(owner=models.F("grantee")), name="grant_to_someone_else"),
        ]

    def __str__(self) -> str:
        return f"Grant {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    def withdraw(self) -> None:
        if self.withdrawn_at is None:
            self.withdrawn_at = timezone.now()
            self.save(update_fields=["withdrawn_at"])
