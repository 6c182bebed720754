"""List, retire or revoke an organisation's passport signing keys.

    manage.py passport_keys RZZ01                       # list
    manage.py passport_keys RZZ01 --retire              # stop signing with the current key
    manage.py passport_keys RZZ01 --revoke KEYID --reason "Backup lost"

Retiring keeps what the key signed valid (a new key signs from now on). Revoking is for a key
whose private half may be known to others: nothing it ever signed verifies any more. Both are
published at /passports/keys/<ODS code>.json and checked on verification.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from staffwell.core import audit
from staffwell.organisations.models import Organisation
from staffwell.passports.models import SigningKey


class Command(BaseCommand):
    help = "List, retire or revoke an organisation's passport signing keys."

    def add_arguments(self, parser):
        parser.add_argument("ods_code")
        parser.add_argument("--retire", action="store_true", help="Retire the current key; a new one signs from now.")
        parser.add_argument("--revoke", metavar="KEY_ID", help="Revoke a key: nothing it signed verifies any more.")
        parser.add_argument("--reason", default="", help="Why the key is revoked (published).")

    def handle(self, *args, ods_code, retire, revoke, reason, **options):
        org = Organisation.objects.filter(ods_code=ods_code).first()
        if org is None:
            raise CommandError(f"No organisation has the ODS code {ods_code}.")
        now = timezone.now()
        if retire:
            count = SigningKey.objects.filter(organisation=org, retired_at__isnull=True).update(retired_at=now)
            audit.record("passport.key.retired", organisation=org, data={"count": count})
        if revoke:
            key = SigningKey.objects.filter(organisation=org, key_id=revoke).first()
            if key is None:
                raise CommandError(f"{org.name} has no key {revoke}.")
            if not reason:
                raise CommandError("Give the reason with --reason: it is published with the revocation.")
            key.revoked_at, key.revocation_reason = now, reason[:200]
            key.retired_at = key.retired_at or now
            key.save(update_fields=["revoked_at", "revocation_reason", "retired_at"])
            audit.record("passport.key.revoked", organisation=org, data={"key_id": key.key_id, "reason": reason[:200]})
        for key in SigningKey.objects.filter(organisation=org):
            state = "revoked" if key.revoked_at else "retired" if key.retired_at else "current"
            self.stdout.write(f"{key.key_id}  {state:8}  created {key.created_at:%Y-%m-%d}")
