"""Who must use a second factor at password sign-in (ADR 0013): the one place the rule lives.

Required for a person when any organisation they are an active member of requires it and they
hold a privileged role there (organisation admin, employer-side lead, staff-side rep, content
editor), and for platform admins when ``STAFFWELL_MFA_FOR_PLATFORM_ADMINS`` is on. Single
sign-on relies on the provider's own MFA and does not ask again. Anyone else who has set up a
second step (a passkey, say) is asked for it too.
"""

from django.conf import settings

from staffwell.accounts import mfa
from staffwell.core.permissions import Role
from staffwell.organisations.models import RoleAssignment

PRIVILEGED_ROLES = (Role.ORG_ADMIN, Role.EMPLOYER_LEAD, Role.STAFF_SIDE_REP, Role.CONTENT_EDITOR)


def required_for(user) -> bool:
    if user.is_platform_admin and settings.STAFFWELL_MFA_FOR_PLATFORM_ADMINS:
        return True
    return RoleAssignment.objects.filter(
        membership__user=user,
        membership__is_active=True,
        role__in=[r.value for r in PRIVILEGED_ROLES],
        membership__organisation__mfa_requirement__required=True,
    ).exists()


def asks_for(user) -> bool:
    """Whether a password sign-in needs a second step: required by role, or set up by choice."""
    return required_for(user) or mfa.has_second_factor(user)
