"""The HSWG workplace health and safety standards ship as a second assessment framework."""

import pytest

from staffwell.assessments.models import Framework

pytestmark = pytest.mark.django_db


def test_the_hswg_standards_are_shipped_with_chapters_and_our_own_statements():
    framework = Framework.objects.get(organisation__isnull=True, slug="hswg-workplace-standards")
    codes = list(framework.elements.order_by("order").values_list("code", flat=True))
    assert codes[0] == "A" and "I" in codes and len(codes) == 17
    assert Framework.objects.filter(organisation__isnull=True, slug="nhs-hwb-2021").exists()
