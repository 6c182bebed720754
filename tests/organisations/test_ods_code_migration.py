"""The migration that makes ODS codes unique whatever their case stops with a clear message
when two organisations already share a code in different cases, instead of a bare
integrity error half-way through a deploy."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.surveys.test_agreement_migration import _migrate

BEFORE = [("organisations", "0002_staffimport_allow_new_units")]
TARGET = [("organisations", "0003_ods_code_unique_any_case")]


@pytest.mark.django_db(transaction=True)
def test_organisations_sharing_an_ods_code_in_different_cases_are_named_and_nothing_is_merged():
    old = _migrate(BEFORE)
    Organisation = old.get_model("organisations", "Organisation")
    Organisation.objects.create(name="Northgate Trust", slug="northgate-a", ods_code="RX1")
    Organisation.objects.create(name="Northgate (duplicate)", slug="northgate-b", ods_code="rx1")
    Organisation.objects.create(name="Southmoor", slug="southmoor", ods_code="RS2")
    try:
        with pytest.raises(RuntimeError) as refused:
            _migrate(TARGET)
        message = str(refused.value)
        assert "Northgate Trust (RX1) and Northgate (duplicate) (rx1)" in message
        assert "Southmoor" not in message
        assert "Correct the ODS code" in message
        assert Organisation.objects.count() == 3
        Organisation.objects.filter(slug="northgate-b").update(ods_code="RX2")
        _migrate(TARGET)
    finally:
        Organisation.objects.all().delete()
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
