from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def for_org(self, org) -> "AuditEventQuerySet":
        return self.filter(organisation=org)

    def partnership(self) -> "AuditEventQuerySet":
        return self.filter(partnership=True)

    def about_records_of(self, user) -> "AuditEventQuerySet":
        """Reads and changes by others of the records a person owns."""
        return self.filter(owner=user).exclude(actor=user)


class AuditEvent(models.Model):
    """One entry in the audit log. Written explicitly through ``staffwell.core.audit.record``.

    Never written for anonymous survey answers: that would link a person to a response.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True, help_text="Who acted, kept if the account goes.")
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="For staff-owned records: the person whose record it is.",
    )
    partnership = models.BooleanField(default=False, help_text="Visible to staff-side reps as well as admins.")
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
