"""Sharing the signed-off element profile with the integrated care system."""

from django.conf import settings
from django.db import models

from staffwell.assessments import kinds
from staffwell.organisations.models import Organisation
from staffwell.partnership import services as partnership


class SharingSetting(models.Model):
    """Whether the organisation shares its signed-off element profile with its integrated care system.

    Sharing publishes more, so it needs both sides: one side proposes (its agreement, kind
    ``assessment.sharing``), the other agrees, and only then, in the agreement's hook, is
    ``share_with_ics`` set. Stopping sharing publishes less, so either side may do it alone;
    it clears both agreements. Every step is in the audit log.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="assessment_sharing")
    share_with_ics = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ICS sharing for {self.organisation}"

    @property
    def agreement(self) -> "partnership.AgreementState":
        if not self.pk:
            return partnership.AgreementState(
                kind=kinds.SHARING, version=kinds.SHARING_VERSION, employer=None, staff=None
            )
        if "_agreement" not in self.__dict__:
            self.__dict__["_agreement"] = partnership.state(obj=self, kind=kinds.SHARING, version=kinds.SHARING_VERSION)
        return self.__dict__["_agreement"]

    @property
    def proposal(self):
        """The agreement of the side that proposed sharing (the first to agree), if any."""
        standing = sorted(self.agreement.agreements, key=lambda a: (a.agreed_at, a.pk))
        return standing[0] if standing else None

    @property
    def acceptance(self):
        """The agreement of the side that agreed to the other's proposal, if any."""
        standing = sorted(self.agreement.agreements, key=lambda a: (a.agreed_at, a.pk))
        return standing[1] if len(standing) > 1 else None

    @property
    def pending(self) -> bool:
        """A proposal to share is waiting for the other side."""
        return not self.share_with_ics and self.proposal is not None
