"""Printed kiosk slips carry a QR code that opens the survey with the slip's own code."""

import re

import pytest
from django.urls import reverse

from staffwell.surveys import qr, services
from staffwell.surveys.models import KioskCode
from tests.surveys.helpers import add_people, make_campaign


@pytest.fixture
def campaign(world):
    add_people(world.org, world.team, 12)
    return make_campaign(world, units=[world.team])


def _modules(svg: str) -> str:
    """The drawing of an SVG QR code (its path), which fixes the matrix it shows."""
    return re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)


def test_every_printed_slip_has_a_qr_code_for_its_own_code(world, campaign, client_for):
    client = client_for("lead")
    response = client.post(
        reverse("surveys:kiosk_codes", kwargs={"org": world.org.slug, "campaign_id": campaign.pk}),
        {"unit": world.team.pk, "size": 3},
    )
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r'<p class="nhsuk-heading-m">([A-Z0-9-]+)</p>', html)
    svgs = re.findall(r"<svg role=\"img\".*?</svg>", html, flags=re.S)
    assert len(codes) == len(svgs) == 3
    for code, svg in zip(codes, svgs, strict=True):
        expected_url = "http://testserver" + reverse(
            "surveys:kiosk_start", kwargs={"code": services.normalise_code(code)}
        )
        expected = qr.qr(expected_url).svg_inline(scale=3, border=4)
        # The same matrix as a QR code made independently for the expected address.
        assert _modules(svg) == _modules(expected)
        assert f'aria-label="QR code that opens the survey with code {code}"' in svg
        assert 'role="img"' in svg
        assert "<title>" in svg
        # The address it encodes opens a working code.
        assert services.ticket_for_code(code) is not None
    assert KioskCode.objects.filter(batch__campaign=campaign).count() == 3


def test_a_qr_code_for_a_different_address_draws_a_different_matrix():
    one = qr.qr_svg("http://testserver/kiosk/AAAABBBBCCCC/", label="a")
    other = qr.qr_svg("http://testserver/kiosk/AAAABBBBCCCD/", label="a")
    assert _modules(one) != _modules(other)
    assert qr.qr("http://testserver/kiosk/AAAABBBBCCCC/").error == "M"


def test_the_slip_address_is_the_start_page_of_the_normalised_code(rf):
    request = rf.get("/")
    assert qr.slip_url(request, "abcd-efgh-2345") == "http://testserver/kiosk/ABCDEFGH2345/"
