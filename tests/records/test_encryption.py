import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from staffwell.core import crypto
from staffwell.core.fields import EncryptedJSONField, EncryptedTextField


def test_a_token_does_not_contain_the_text_and_decrypts_back():
    token = crypto.encrypt("I have not slept properly for weeks")
    assert "slept" not in token
    assert crypto.decrypt(token) == "I have not slept properly for weeks"


def test_after_a_new_key_is_put_first_old_tokens_still_decrypt_and_new_ones_use_the_new_key(settings):
    old = crypto.encrypt("before rotation")
    new_key = Fernet.generate_key().decode()
    settings.STAFFWELL_ENCRYPTION_KEYS = [new_key, *settings.STAFFWELL_ENCRYPTION_KEYS]
    assert crypto.decrypt(old) == "before rotation"
    assert not crypto.is_current(old)
    fresh = crypto.encrypt("after rotation")
    assert crypto.is_current(fresh)
    settings.STAFFWELL_ENCRYPTION_KEYS = [new_key]  # the new key alone opens it
    assert crypto.decrypt(fresh) == "after rotation"


def test_a_token_made_with_a_key_that_is_no_longer_configured_cannot_be_read(settings):
    token = crypto.encrypt("secret")
    settings.STAFFWELL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(token)


def test_a_malformed_key_is_refused_with_a_specific_message(settings):
    settings.STAFFWELL_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="Key 1 in STAFFWELL_ENCRYPTION_KEYS is not a valid key"):
        crypto.encrypt("x")


def test_the_system_check_refuses_the_published_development_key_outside_development(settings):
    from staffwell.records.checks import encryption_keys

    settings.DEVELOPMENT = False
    settings.STAFFWELL_ENCRYPTION_KEYS = [settings.STAFFWELL_DEVELOPMENT_ENCRYPTION_KEY]
    assert [e.id for e in encryption_keys(None)] == ["records.E002"]
    settings.STAFFWELL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert encryption_keys(None) == []


def test_encrypted_text_and_json_fields_store_tokens_and_read_back_values():
    text = EncryptedTextField()
    stored = text.get_prep_value("my manager shouts")
    assert "manager" not in stored
    assert text.from_db_value(stored, None, None) == "my manager shouts"
    empty = text.get_prep_value("")
    assert empty != "" and text.from_db_value(empty, None, None) == ""
    data = EncryptedJSONField()
    stored = data.get_prep_value({"keeps_me_well": "swimming", "n": 3})
    assert "swimming" not in stored
    assert data.from_db_value(stored, None, None) == {"keeps_me_well": "swimming", "n": 3}
    assert text.get_prep_value(None) is None
