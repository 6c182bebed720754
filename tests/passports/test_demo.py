"""The demo: passports for demo staff (not the nurse), enough for insight to show figures."""

import pytest
from django.core.management import call_command

from staffwell.organisations.models import Organisation, Unit
from staffwell.passports import insight, services, signing
from staffwell.passports.models import Passport
from tests.passports.helpers import same_person_at


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    return Organisation.objects.get(slug="northgate"), Organisation.objects.get(slug="southmoor")


def test_demo_passports_give_the_insight_page_figures_and_the_nurse_starts_from_scratch(demo):
    northgate, _ = demo
    assert not Passport.objects.filter(owner__email="nurse@northgate.example").exists()
    assert Passport.objects.for_org(northgate).count() >= 40
    data = insight.for_org(northgate)
    assert not data.by_kind["Reasonable adjustments passport"].suppressed
    assert not data.median_days.suppressed and not data.agreed_share.suppressed
    assert any(not r["figure"].suppressed for r in data.by_directorate)
    assert any(r["figure"].suppressed for r in data.by_directorate)


def test_a_demo_passport_exported_from_northgate_imports_into_southmoor(demo):
    northgate, southmoor = demo
    passport = Passport.objects.for_org(northgate).exclude(manager_confirmed_at=None).first()
    document = services.signed_export(passport=passport, actor=passport.owner)
    raw = services.signed_bytes(document)
    adjustments = passport.adjustments.count()
    southmoor_unit = Unit.objects.for_org(southmoor).first()
    outsider, _ = same_person_at(southmoor, southmoor_unit, passport.owner)
    verified = signing.verify(raw, keys=signing.known_keys(trusted_by=southmoor))
    imported = services.import_verified(verified=verified, owner=outsider, raw=raw.decode())
    assert imported.organisation == southmoor and imported.imported_from_ods == northgate.ods_code
    assert imported.adjustments.count() == adjustments
