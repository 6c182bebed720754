from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "core/404.jinja", status=404)


def forbidden(request, exception=None):
    return render(request, "core/403.jinja", status=403)


def server_error(request):
    # No request context: the database may be what failed.
    return render(None, "core/500.jinja", status=500)
