"""Model fields whose content is encrypted before it reaches the database.

    from staffwell.core.fields import EncryptedTextField, EncryptedJSONField

    class Plan(models.Model):
        answers = EncryptedJSONField(default=dict)
        note = EncryptedTextField(blank=True, default="")

The column holds a token from ``staffwell.core.crypto`` (ASCII text), never the content, and empty values are
encrypted too so the database does not even reveal which answers were left blank.
Encrypted fields cannot be searched, filtered or ordered by content in the database.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from staffwell.core import crypto


class EncryptedFieldMixin:
    """Marks a field for ``rotate_encryption_keys``."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def _encode(self, value) -> str:
        raise NotImplementedError

    def _decode(self, text: str):
        raise NotImplementedError

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self._decode(crypto.decrypt(value))

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(self._encode(value))


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    description = "Text, encrypted at rest"

    def _encode(self, value) -> str:
        return str(value)

    def _decode(self, text: str) -> str:
        return text

    def to_python(self, value):
        return value if value is None or isinstance(value, str) else str(value)


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    """Any JSON-able value (dicts, lists, strings, numbers), encrypted at rest."""

    description = "JSON, encrypted at rest"

    def _encode(self, value) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True)

    def _decode(self, text: str):
        return json.loads(text)

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return self._encode(self.value_from_object(obj))

    def formfield(self, **kwargs):  # not edited through model forms
        return None


def encrypted_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
