"""A second factor on every request, not only at sign-in (ADR 0013; found by an attack).

A person who holds a privileged role at an organisation that requires MFA, on a session that
no second factor verified (nor single sign-on, which relies on the provider's own MFA), is
signed out of that session and sent to the second step of sign-in: set up an authenticator or
enter a code. This covers a session that began before the organisation switched MFA on, and a
role given to someone while they were signed in. It is the one place the rule is enforced.
"""

import time

from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

# The second step itself, signing out, and files: never interrupted.
_EXEMPT_NAMES = ("accounts:mfa", "accounts:logout", "accounts:login")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def _exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            from django.conf import settings

            self._exempt = (*(reverse(name) for name in _EXEMPT_NAMES), settings.STATIC_URL or "/static/")
        return self._exempt

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(DEVICE_ID_SESSION_KEY)
            and request.session.get("signed_in_with") != "sso"
            and not request.path.startswith(self._exempt_paths())
        ):
            from staffwell.signin import policy

            if policy.required_for(user):
                backend = request.session.get(BACKEND_SESSION_KEY, "django.contrib.auth.backends.ModelBackend")
                next_url = request.get_full_path() if request.method == "GET" else reverse("core:home")
                logout(request)
                request.session["mfa_pending"] = {
                    "user": user.pk,
                    "backend": backend,
                    "next": next_url,
                    "since": int(time.time()),
                }
                return redirect("accounts:mfa")
        return self.get_response(request)
