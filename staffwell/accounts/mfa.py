"""A person's second factors for password sign-in (ADR 0013), with django-otp: a TOTP
authenticator app, passkeys (WebAuthn, ADR 0022, with django-otp-webauthn; the ceremonies are
in ``passkeys.py``) and ten single-use recovery codes.

Who must have one is an organisation's rule and lives above organisations, in
``staffwell.signin.policy``.
"""

import secrets
import time

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
PENDING_SECONDS = 600


def passkeys(user):
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def has_second_factor(user) -> bool:
    """An authenticator app or a passkey (recovery codes alone are only a way back in)."""
    return authenticator(user) is not None or passkeys(user).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_sign_in(request):
    """The person part-way through a password sign-in (password right, second step still to do),
    and the details the first step kept: (user, pending), or (None, None)."""
    from staffwell.accounts.models import User

    pending = request.session.get("mfa_pending")
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop("mfa_pending", None)
        return None, None
    return User.objects.filter(pk=pending.get("user"), is_active=True).first(), pending


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def new_authenticator(user) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def make_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [f"{c[:5]} {c[5:]}" for c in codes]


def check(user, code: str):
    """The device that accepts ``code`` (an authenticator code, or a recovery code, used up), or None."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) > 10:
        return None
    if len(code) == 6:
        device = authenticator(user)
        if device is not None:
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                return device
        return None
    for device in StaticDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def authenticator_being_set_up(request, user) -> TOTPDevice:
    """The unconfirmed authenticator for this sign-in (the same one until it is confirmed)."""
    device_id = request.session.get("mfa_setup")
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    if device is None:
        device = new_authenticator(user)
        request.session["mfa_setup"] = device.pk
    return device


def readable_secret(device: TOTPDevice) -> str:
    import base64

    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
