from django.contrib.auth.decorators import login_not_required as public
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from staffwell.core.navigation import current_membership, items_for


def home(request):
    membership = current_membership(request)
    memberships = (
        request.user.memberships.filter(is_active=True)
        .select_related("organisation", "user")
        .prefetch_related("role_assignments")
    )
    context = {
        "membership": membership,
        "memberships": memberships,
        "cards": items_for(request.user, membership),
    }
    return render(request, "core/home.jinja", context)


@public
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": exc.__class__.__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@public
def accessibility(request):
    return render(request, "core/accessibility.jinja")


@public
def privacy(request):
    return render(request, "core/privacy.jinja")


@public
def cookies(request):
    return render(request, "core/cookies.jinja")
