"""Who may edit the library: anyone who holds Perm.EDIT_CONTENT through any active membership.

The library is shared by every organisation, so editorial pages are not under /o/<org>/.
Signed-in people without the permission get 403; anonymous visitors are sent to sign in
(by LoginRequiredMiddleware, before the view runs).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from staffwell.core.permissions import Perm, Role, roles_with


def editor_roles() -> list[str]:
    return sorted(roles_with(Perm.EDIT_CONTENT) - {Role.STAFF.value})


def is_editor(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_library_editor"):
        user._library_editor = user.memberships.filter(
            is_active=True, role_assignments__role__in=editor_roles()
        ).exists()
    return user._library_editor


def editors():
    """Everyone who can edit the library (for notifications)."""
    from staffwell.accounts.models import User

    return User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__role_assignments__role__in=editor_roles()
    ).distinct()


def editor_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
