"""Passkeys (WebAuthn) as the second step of a password sign-in (ADR 0022), beside the
authenticator app and recovery codes of ADR 0013.

django-otp-webauthn does the ceremonies (with py_webauthn underneath): a passkey is a
django-otp device, so ``django_otp.login`` and ``is_verified`` treat it like the authenticator
app. Its views expect a signed-in person; ours adapt them to staffwell's two-step sign-in, where
the password is checked first and the person is only signed in once the second step is done
(``mfa.pending_sign_in``). Passwordless sign-in is off: a passkey never replaces the password.

What the library checks for us, and what the tests in tests/core/test_passkeys.py try:
the challenge is popped from the session before it is checked (a replayed answer finds no
challenge), the origin and relying party id must be ours, the signature must be made by the
stored key, a passkey of someone else is refused, and a sign-in counter that goes backwards (a
cloned authenticator) is refused. A person who has a second step already must have used it in
this session before adding a passkey (so a password alone cannot add one).
"""

from logging import getLogger

from django.contrib import messages as flash
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required as public
from django.http import JsonResponse
from django.middleware import csrf
from django.urls import reverse
from django.utils.html import json_script
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)
from webauthn.helpers.exceptions import WebAuthnException

from staffwell.accounts import mfa
from staffwell.core import audit

logger = getLogger("staffwell.passkeys")

STARTED_AGAIN = "Sign in again: the sign-in took too long or was not started."


class Helper(WebAuthnHelper):
    """The library's helper, naming each passkey so the person can tell them apart."""

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = "Passkey"
        return device


class _Answers:
    """Bad input from the browser gets a clear JSON error, never a 500."""

    def handle_exception(self, exc):
        if isinstance(exc, WebAuthnException | ValueError | TypeError | KeyError | AttributeError):
            logger.info("Passkey answer not understood: %r", exc)
            exc = exceptions.UnprocessableEntity(
                code="not_understood", detail="The passkey's answer was not understood. Try again."
            )
        return super().handle_exception(exc)


class _Pending:
    """The person whose password was right and whose second step is still to do."""

    pending: dict | None = None
    _user = None

    def pending_user(self):
        if self._user is None:
            user, pending = mfa.pending_sign_in(self.request)
            if user is None:
                raise exceptions.NotAuthenticated(detail=STARTED_AGAIN)
            self._user, self.pending = user, pending
        return self._user


class SignInBegin(_Answers, _Pending, BeginCredentialAuthenticationView):
    def get_user(self):
        return self.pending_user()


class SignInComplete(_Answers, _Pending, CompleteCredentialAuthenticationView):
    def get_user(self):
        return self.pending_user()

    def handle_exception(self, exc):
        if self._user is not None:
            code = getattr(exc, "code", exc.__class__.__name__)
            audit.record(
                "account.mfa.failed", actor=None, data={"user": self._user.pk, "method": "passkey", "code": code}
            )
        return super().handle_exception(exc)

    def complete_auth(self, device):
        user = self.pending_user()
        self.request.session.pop("mfa_pending", None)
        self.request.session.pop("mfa_setup", None)
        auth_login(self.request, user, backend=self.pending["backend"])
        otp_login(self.request, device)
        audit.record("account.mfa.verified", actor=user, data={"method": "passkey"})

    def get_success_url(self):
        return self.pending["next"]


class _Registrant(_Pending):
    """Who a new passkey is for: the signed-in person, or someone setting up their first second
    step during sign-in (only when they have none yet: the library then refuses the rest)."""

    def get_user(self):
        if self.request.user.is_authenticated:
            return self.request.user
        try:
            user = self.pending_user()
        except exceptions.NotAuthenticated:
            return None
        user.is_verified = lambda: False  # the password alone
        return user

    def user_is_mfa_enrolled(self, user) -> bool:
        # Recovery codes alone are a way back in, not a second step (as at sign-in).
        return mfa.has_second_factor(user)


class RegisterBegin(_Answers, _Registrant, BeginCredentialRegistrationView):
    messages = {
        "user_not_verified": "Use your passkey or authenticator app first, then add another passkey. If you "
        "signed in with single sign-on, sign out and sign in with your password and second step."
    }


class RegisterComplete(_Answers, _Registrant, CompleteCredentialRegistrationView):
    messages = RegisterBegin.messages

    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        with rewrite_exceptions(logger=logger):
            device = self.get_helper().register_complete(user=user, state=state, data=self.request.data)
        if not self.request.user.is_authenticated:
            # The first second step, set up during sign-in: that completes the sign-in.
            self.request.session.pop("mfa_pending", None)
            self.request.session.pop("mfa_setup", None)
            auth_login(self.request, user, backend=self.pending["backend"])
            otp_login(self.request, device)
            self.request.session["mfa_show_codes"] = self.pending["next"]
            audit.record("account.mfa.enrolled", actor=user, data={"method": "passkey"})
            return JsonResponse({"id": device.pk, "redirect_url": reverse("accounts:recovery_codes")})
        if not self.request.user.is_verified():
            otp_login(self.request, device)
        audit.record("account.mfa.passkey_added", actor=user, data={"passkey": device.pk})
        if not mfa.recovery_codes_left(user):
            self.request.session["mfa_show_codes"] = reverse("accounts:security")
            return JsonResponse({"id": device.pk, "redirect_url": reverse("accounts:recovery_codes")})
        flash.success(self.request, "Passkey added. Next time you sign in with your password, you can use it.")
        return JsonResponse({"id": device.pk, "redirect_url": reverse("accounts:security")})


def config(request, *, registering: bool) -> str:
    """The settings the library's script reads from the page (a JSON data block, not a script)."""
    data = {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey_sign_in_begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey_sign_in_complete"),
        "beginRegistrationUrl": reverse("accounts:passkey_add_begin"),
        "completeRegistrationUrl": reverse("accounts:passkey_add_complete"),
        "registering": registering,
    }
    return json_script(data, "otp_webauthn_config")


sign_in_begin = public(SignInBegin.as_view())
sign_in_complete = public(SignInComplete.as_view())
add_begin = public(RegisterBegin.as_view())
add_complete = public(RegisterComplete.as_view())
