"""The progress figures of a survey's page while it runs: every count goes through the
suppression service as a running count (``suppression.progress``), in whole steps of the
minimum group, so reloading the page, however often, never shows a change smaller than
*k* (docs/suppression.md, "Running counts").

Per unit: one row for every stored unit fixed at launch (never only those with answers),
with its people asked, responses so far (by link and by code together) and response rate.
Kiosk codes used are shown for the whole campaign only, never per batch or unit: set
beside a unit's responses they would tell how many answered by personal link.
"""

from collections import Counter

from django.db.models import Count

from staffwell import suppression
from staffwell.organisations.models import Unit
from staffwell.surveys.models import Campaign, Invitation, KioskCode, Response


def figures(campaign: Campaign) -> dict:
    org = campaign.organisation
    if campaign.from_checkins:
        released = Response.objects.filter(campaign=campaign).count()
        return {"responses": suppression.progress(released, org=org), "unit_rows": []}
    asked = Counter(
        dict(
            Invitation.objects.filter(campaign=campaign)
            .values_list("report_unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    answered: Counter = Counter()
    for part in campaign.participation.all():
        answered[None if part.bucket == "org" else int(part.bucket)] += len(part.member_ids)
    for unit_id, n in (
        KioskCode.objects.filter(batch__campaign=campaign, used=True)
        .values_list("batch__report_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        answered[unit_id] += n
    kiosk_used = KioskCode.objects.filter(batch__campaign=campaign, used=True).count()
    emailed = Invitation.objects.filter(campaign=campaign, emailed_on__isnull=False).count()
    total = sum(answered.values())
    stored = set(campaign.report_units.values())
    names = {u.pk: u.full_name() for u in Unit.objects.filter(pk__in=[u for u in stored if u])}
    rows = [
        {
            "unit": names.get(unit_id, "") if unit_id else "Whole organisation (people stored at this level)",
            "asked": suppression.count(asked[unit_id], org=org),
            "responses": suppression.progress(answered[unit_id], org=org),
            "rate": suppression.progress_share(answered[unit_id], asked[unit_id], org=org),
        }
        for unit_id in sorted(stored, key=lambda u: names.get(u, "") if u else "")
    ]
    return {
        "emailed": suppression.progress(emailed, org=org),
        "responses": suppression.progress(total, org=org),
        "rate": suppression.progress_share(total, campaign.in_scope_count, org=org),
        "kiosk_used": suppression.progress(kiosk_used, org=org),
        "unit_rows": rows,
    }
