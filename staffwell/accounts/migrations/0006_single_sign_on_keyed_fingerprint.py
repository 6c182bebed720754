"""Single sign-on's client secret fingerprint becomes keyed (ADR 0012, "Update (session 6)"),
which gives every configuration a new version. Standing agreements to a configuration as
it is now are carried over to its new version, so an upgrade does not silently switch off
single sign-on both sides had agreed; the person who saved each configuration is recorded.

For each configuration:

* it gets its own random fingerprint key (stored encrypted, like the secret);
* the person who saved it as it is now is read from the audit log (the latest
  ``account.sso.configured`` event that made its current version; failing that, the latest
  such event), and recorded in ``saved_by``;
* each standing ``signin.sso`` agreement is ended (it stays on record, ``cleared``). It is
  carried over, as a new row for the new version with the same person, side and time, only
  if it was to the version the stored configuration still has (the settings have not changed
  since they agreed) and its person is not the one who saved it (who may no longer agree for
  either side). Anything else is not carried: that side agrees again;
* one ``partnership.signin.sso.carried`` audit event says what was carried and what not.

The rows and audit events from before keep what they held, including the unkeyed
fingerprint and versions made from it: docs/operations.md ("Upgrading to the keyed secret
fingerprint") asks for a new client secret after upgrading.

Frozen: the old and new fingerprint and version rules are copied here, not imported, so this
does the same thing on a database migrated years from now (the new rule is
``staffwell.core.crypto.keyed_fingerprint`` and ``staffwell.signin.agreement.terms`` as they
were when it was written). Only the encryption of the stored fields is the live module's.
"""

import base64
import hashlib
import hmac
import json
import secrets

from django.db import migrations
from django.utils import timezone

KIND = "signin.sso"
CONFIGURED = "account.sso.configured"


def _terms(sso, fingerprint: str) -> dict:
    domains = {d.strip().lower().lstrip("@") for d in sso.allowed_domains.split(",") if d.strip()}
    return {
        "kind": sso.kind,
        "issuer": sso.issuer.strip().rstrip("/"),
        "client_id": sso.client_id,
        "client_secret": fingerprint,
        "allowed_domains": sorted(domains),
        "email_claim": sso.email_claim,
        "require_email_verified": bool(sso.require_email_verified),
    }


def _version(terms: dict) -> str:
    return hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest()


def _unkeyed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:12] if secret else ""


def _keyed(secret: str, key: str) -> str:
    if not secret:
        return ""
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    return hmac.new(raw, secret.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _saver(AuditEvent, sso, old_version: str):
    """The audit event of the save that made the configuration as it is, or None."""
    events = AuditEvent.objects.filter(
        action=CONFIGURED, object_type="accounts.singlesignon", object_id=str(sso.pk)
    ).order_by("-created_at", "-pk")
    for event in events:
        if event.data.get("version") == old_version and event.data.get("needs_agreement"):
            return event
    return events.first()


def forwards(apps, schema_editor):
    SingleSignOn = apps.get_model("accounts", "SingleSignOn")
    Agreement = apps.get_model("partnership", "Agreement")
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="singlesignon")
    now = timezone.now()
    for sso in SingleSignOn.objects.iterator():
        old_version = _version(_terms(sso, _unkeyed(sso.client_secret)))
        sso.fingerprint_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
        terms = _terms(sso, _keyed(sso.client_secret, sso.fingerprint_key))
        new_version = _version(terms)
        saved = _saver(AuditEvent, sso, old_version)
        sso.saved_by_id = saved.actor_id if saved else None
        sso.saved_at = saved.created_at if saved else None
        sso.save(update_fields=["fingerprint_key", "saved_by", "saved_at"])

        standing = list(Agreement.objects.filter(content_type=ct, object_id=str(sso.pk), kind=KIND, ended_at=None))
        if not standing:
            continue
        Agreement.objects.filter(pk__in=[a.pk for a in standing]).update(ended_at=now, ended="cleared", ended_by=None)
        carried, left = [], []
        for a in standing:
            if a.version == old_version and (sso.saved_by_id is None or a.agreed_by_id != sso.saved_by_id):
                carried.append(
                    Agreement(
                        organisation_id=a.organisation_id,
                        content_type=ct,
                        object_id=a.object_id,
                        kind=KIND,
                        version=new_version,
                        side=a.side,
                        agreed_by_id=a.agreed_by_id,
                        agreed_by_name=a.agreed_by_name,
                        agreed_at=a.agreed_at,
                        terms={**terms, "carried_from": {"agreement": a.pk, "version": a.version}},
                    )
                )
            else:
                left.append(
                    {
                        "agreement": a.pk,
                        "side": a.side,
                        "why": "settings changed since" if a.version != old_version else "agreed by who saved them",
                    }
                )
        Agreement.objects.bulk_create(carried)
        AuditEvent.objects.create(
            action=f"partnership.{KIND}.carried",
            actor=None,
            actor_label="system",
            organisation_id=sso.organisation_id,
            object_type="accounts.singlesignon",
            object_id=str(sso.pk),
            object_label=f"single sign-on for {sso.organisation_id}",
            partnership=True,
            data={
                "kind": KIND,
                "reason": "The client secret's fingerprint is keyed now: agreements to the settings as they are "
                "carry over to their new version.",
                "version": new_version,
                "carried": [{"agreement": a.terms["carried_from"]["agreement"], "side": a.side} for a in carried],
                "not_carried": left,
            },
        )


def backwards(apps, schema_editor):
    """Put back the agreements this carried over (the new rows go; the ones they came from
    stand again). Those it did not carry stay ended."""
    Agreement = apps.get_model("partnership", "Agreement")
    for a in Agreement.objects.filter(kind=KIND, ended_at=None, terms__has_key="carried_from"):
        original = a.terms["carried_from"]["agreement"]
        a.delete()
        Agreement.objects.filter(pk=original).update(ended_at=None, ended="", ended_by=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_single_sign_on_saver_and_fingerprint_key"),
        ("partnership", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
