"""Attack: reload a running survey's page (say, every hour) and difference its counts.

Every count on the page goes through the suppression service as a running count, in
whole steps of the minimum group k: two readings, however close together, differ by
nothing or by whole steps, so no reading shows a change smaller than k, and no count is
shown per kiosk batch (beside a unit's responses it would say how many answered by link).
"""

import re

from django.urls import reverse

from staffwell.suppression import min_group_size
from staffwell.surveys import services
from tests.surveys.helpers import add_people, answer_as, make_campaign, pulse_answers

NUMBER = re.compile(r"^(?:at least )?([\d,]+)%?$")


def _figures(html: str) -> list[str]:
    """Every figure in the page's progress section (summary list and table by unit)."""
    html = html.split("<h2>Progress</h2>")[1].split("<h2>Codes for staff")[0]
    cells = re.findall(
        r'<(?:dd class="nhsuk-summary-list__value"|td[^>]*)>\s*(?:<span[^>]*>[^<]*</span>)?\s*([^<]+?)\s*</', html
    )
    return [c.strip() for c in cells]


def test_reloading_the_campaign_page_after_every_answer_shows_no_change_smaller_than_k(world, client_for):
    people = add_people(world.org, world.team, 30)
    campaign = make_campaign(world, units=[world.team])
    code = services.create_kiosk_batch(campaign=campaign, unit=world.team, size=5, actor=world.users["lead"])[0]
    k = min_group_size(world.org)
    url = reverse("surveys:campaign", kwargs={"org": world.org.slug, "campaign_id": campaign.pk})
    lead = client_for("lead")
    readings = []
    ticket = services.ticket_for_code(code)
    answers, free = pulse_answers(campaign.instrument)
    assert services.submit(
        ticket=ticket, questions=campaign.instrument.ordered_questions(), answers=answers, free_text=free
    )
    for person in people[:13]:
        assert answer_as(person, campaign)
        html = lead.get(url).content.decode()
        assert "Responses by unit" in html
        readings.append(_figures(html))
    people_asked = {str(campaign.in_scope_count)}
    for reading in readings:
        for figure in reading:
            m = NUMBER.match(figure)
            if not m or figure in people_asked:
                continue
            value = int(m.group(1).replace(",", ""))
            if figure.endswith("%"):
                continue  # a rate: from the stepped count over a fixed group
            assert value % k == 0, f"{figure!r} is not a whole step of {k}: a reload shows a change of fewer"
    # The per-batch table has no count of codes used.
    assert "<th" in html and "Used</th>" not in html
