from django.conf import settings
from django.core.checks import Error, Tags, register

from staffwell.core import crypto


@register(Tags.security, deploy=False)
def encryption_keys(app_configs, **kwargs):
    errors = []
    keys = getattr(settings, "STAFFWELL_ENCRYPTION_KEYS", [])
    try:
        crypto.validate_keys(keys)
    except Exception as exc:  # ImproperlyConfigured with a specific message
        errors.append(Error(str(exc), id="records.E001"))
    if not settings.DEVELOPMENT and settings.STAFFWELL_DEVELOPMENT_ENCRYPTION_KEY in keys:
        errors.append(
            Error(
                "STAFFWELL_ENCRYPTION_KEYS contains the published development key. Generate a real key "
                "with `manage.py generate_encryption_key`.",
                id="records.E002",
            )
        )
    return errors
