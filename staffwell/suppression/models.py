"""Each organisation's thresholds, agreed by both sides (a change is a
``reporting.PolicyProposal`` both sides agree through ``staffwell.partnership``).

The table keeps the name it had when the model lived in ``reporting``
(``reporting_reportingpolicy``): moving the model moved no data.
"""

from django.db import models

from staffwell.organisations.models import Organisation
from staffwell.suppression.service import DEFAULT_FREE_TEXT_MIN_GROUP, DEFAULT_MIN_GROUP, FLOOR_MIN_GROUP


class ReportingPolicy(models.Model):
    """The agreed thresholds of one organisation. Changed only by an agreed proposal."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="reporting_policy")
    min_group = models.PositiveSmallIntegerField(default=DEFAULT_MIN_GROUP)
    free_text_min_group = models.PositiveSmallIntegerField(default=DEFAULT_FREE_TEXT_MIN_GROUP)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reporting_reportingpolicy"
        verbose_name_plural = "reporting policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group__gte=FLOOR_MIN_GROUP), name="min_group_not_below_floor"
            ),
            models.CheckConstraint(
                condition=models.Q(free_text_min_group__gte=models.F("min_group")),
                name="free_text_not_below_min_group",
            ),
        ]

    def __str__(self) -> str:
        return f"Reporting policy for {self.organisation}"

    @classmethod
    def for_org(cls, org: Organisation) -> "ReportingPolicy":
        policy, _ = cls.objects.get_or_create(organisation=org)
        return policy
