"""Demo survey results for Northgate: two HSE Indicator Tool surveys a year apart and three
monthly pulses. The first pulse's comments have been reviewed and released; the latest
pulse's comments are waiting for review by the lead and the rep."""

import datetime

from django.utils import timezone

from staffwell.organisations.models import Membership
from staffwell.reporting import services, synthetic


def load(*, org, other_org) -> None:
    today = timezone.localdate()
    hse = synthetic.instrument("hse-indicator-tool")
    pulse = synthetic.instrument("wellbeing-pulse")
    synthetic.closed_campaign(
        org=org, instrument=hse, name="Stress risk survey 2025", closes_on=today - datetime.timedelta(days=380),
        rate=0.55, seed=1, shift=-0.15, comments=False,
    )  # fmt: skip
    synthetic.closed_campaign(
        org=org, instrument=hse, name="Stress risk survey 2026", closes_on=today - datetime.timedelta(days=14),
        rate=0.65, seed=2, shift=0.05, comments=False,
    )  # fmt: skip
    pulses = [
        synthetic.closed_campaign(
            org=org,
            instrument=pulse,
            name=f"Wellbeing pulse {n}",
            rate=0.5 + 0.05 * n,
            seed=10 + n,
            closes_on=today - datetime.timedelta(days=7 + 30 * (3 - n)),
            shift=0.1 * n,
        )
        for n in (1, 2, 3)
    ]
    synthetic.closed_campaign(
        org=other_org, instrument=hse, name="Southmoor stress risk survey", closes_on=today - datetime.timedelta(days=30),
        rate=0.7, seed=3,
    )  # fmt: skip
    lead = Membership.objects.select_related("user").get(organisation=org, email="lead@northgate.example")
    rep = Membership.objects.select_related("user").get(organisation=org, email="rep@northgate.example")
    first = pulses[0]
    answer = services.free_text_answers(first).first()
    if answer is not None:
        services.redact(campaign=first, answer=answer, text=answer.text, membership=lead)
    services.agree_release(campaign=first, membership=lead)
    services.agree_release(campaign=first, membership=rep)
