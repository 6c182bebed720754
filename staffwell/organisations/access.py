"""Access to an organisation's pages.

Organisation pages live under ``/o/<org>/``. ``org_view`` resolves the organisation from
the user's own active memberships, so anyone who is not a member gets 404: an outsider
cannot even learn that a page exists. A member without the permission gets 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from staffwell.core.permissions import Perm

public = login_not_required


def membership_for(user, org_slug: str):
    from staffwell.organisations.models import Membership

    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.active()
        .select_related("organisation", "user", "unit")
        .prefetch_related("role_assignments")
        .filter(user=user, organisation__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def org_view(perm: Perm | tuple[Perm, ...] = Perm.VIEW_ORGANISATION):
    """Resolve ``org`` from the URL to ``request.org`` and ``request.membership``.

    With a tuple, any one of the permissions is enough.
    """
    perms = perm if isinstance(perm, tuple) else (perm,)

    def decorator(view):
        @wraps(view)
        def wrapped(request, org: str, *args, **kwargs):
            membership = membership_for(request.user, org)
            if not any(membership.has_perm(p) for p in perms):
                raise PermissionDenied
            request.membership = membership
            request.org = membership.organisation
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def platform_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_platform_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
