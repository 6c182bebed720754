"""Reset a person's second step (passkeys, authenticator app, recovery codes) when they have lost
all of them: they set up a new one at their next password sign-in. Run by a platform admin
after checking who is asking (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Remove every passkey, authenticator app and recovery code of one person (by email)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--reason", required=True, help="Why, for the audit log (who asked, how you checked).")

    def handle(self, email, reason, **options):
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from django_otp_webauthn.models import WebAuthnCredential

        from staffwell.accounts.models import User
        from staffwell.core import audit

        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}.")
        with transaction.atomic():
            removed = {
                "passkeys": _deleted(WebAuthnCredential.objects.filter(user=user)),
                "authenticator apps": _deleted(TOTPDevice.objects.filter(user=user)),
                "recovery code sets": _deleted(StaticDevice.objects.filter(user=user)),
            }
            audit.record("account.mfa.reset", obj=user, data={"reason": reason[:500], **removed})
        self.stdout.write(
            f"Removed from {user.email}: "
            + ", ".join(f"{n} {what}" for what, n in removed.items())
            + ". They set up a new second step at their next password sign-in."
        )


def _deleted(queryset) -> int:
    """How many of the queryset's own objects were deleted (not counting what went with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)
