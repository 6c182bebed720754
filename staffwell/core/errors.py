import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

RETRY_AFTER_SECONDS = 30


def not_found(request, exception=None):
    return render(request, "core/404.jinja", status=404)


def forbidden(request, exception=None):
    return render(request, "core/403.jinja", status=403)


def database_unavailable() -> bool:
    """Whether the exception being handled is the database being out of reach (not a bug)."""
    exc = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    # No request context: the database may be what failed.
    if database_unavailable():
        response = render(None, "core/503.jinja", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return render(None, "core/500.jinja", status=500)
