"""QR codes on printed kiosk slips: drawn on the server as SVG (no JavaScript, no images
to fetch), so a slip prints sharply at any size and works on a ward printer.

The code encodes the address of the slip's own start page (the kiosk address with the
code in it), so a phone camera opens the survey with the code already filled in. It
carries nothing more than the printed slip does.
"""

import segno
from django.urls import reverse
from markupsafe import Markup, escape

from staffwell.surveys import services

# Medium error correction survives a crease or a smudge on a printed slip.
ERROR_CORRECTION = "m"


def slip_url(request, code: str) -> str:
    """The absolute address a slip's QR code opens: the kiosk start page for this code."""
    normalised = services.normalise_code(code)
    return request.build_absolute_uri(reverse("surveys:kiosk_start", kwargs={"code": normalised}))


def qr(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_CORRECTION, micro=False)


def qr_svg(url: str, *, label: str) -> Markup:
    """An inline SVG QR code for ``url`` with ``label`` as its accessible name."""
    svg = qr(url).svg_inline(scale=3, border=4, title=label, svgclass="staffwell-qr", lineclass=None, dark="#000")
    # role="img" and aria-label give the picture a name that screen readers announce.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S704
