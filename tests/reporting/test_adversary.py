"""The attacker, against the demo trust's real pages.

It signs in as every kind of reader, fetches every report's JSON twin, every export and the
comments, writes down every figure that is shown together with the group of respondents
behind it (worked out from the database, not from the reporting code), and then searches
all of it at once, across units, staff groups and campaigns, for a combination that
isolates fewer respondents than the threshold. With complementary suppression switched
off it must find one; with it on, none.
"""

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from staffwell import suppression
from staffwell.organisations.models import Unit
from staffwell.reporting.models import CampaignPlan, PublicationHistory
from staffwell.suppression.disclosure import find_leak
from staffwell.surveys.models import Campaign, FreeTextAnswer, Response
from tests.reporting.conftest import member

READERS = ["lead@northgate.example", "rep@northgate.example", "manager@northgate.example", "nurse@northgate.example"]


def respondents_behind(campaign: Campaign) -> dict[str, frozenset]:
    """Ground truth from the database: the responses behind each group key."""
    rows = list(Response.objects.filter(campaign=campaign).values_list("id", "unit_id", "staff_group"))
    paths = {u.pk: u.path for u in Unit.objects.for_org(campaign.organisation)}
    groups: dict[str, set] = {"org": {r for r, _, _ in rows}}
    for unit_id, path in paths.items():
        groups[f"unit:{unit_id}"] = {r for r, u, _ in rows if u is not None and paths[u].startswith(path)}
    for _, _, g in rows:
        if g:
            groups[f"org|sg:{g}"] = {r for r, _, gg in rows if gg == g}
    return {k: frozenset(v) for k, v in groups.items()}


def _figures(payload):
    """Every figure object in a JSON twin (dicts with 'suppressed' and a 'group')."""
    if isinstance(payload, dict):
        if "suppressed" in payload and "group" in payload:
            yield payload
        for value in payload.values():
            yield from _figures(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from _figures(value)


def collect(org) -> tuple[dict, dict, int]:
    """What every reader can see: {campaign/group: respondents} for figures and comments."""
    published, comments = {}, {}
    threshold = suppression.min_group_size(org)
    for email in READERS:
        client = Client()
        client.force_login(member(org, email).user)
        for campaign in Campaign.objects.for_org(org):
            truth = respondents_behind(campaign)
            base = f"/o/{org.slug}/reports/{campaign.pk}/"
            page = client.get(base, {"format": "json"}).json()
            focus_keys = [g["group"] for g in page["groups"]]
            shown = {f["group"] for f in _figures(page) if not f["suppressed"]}
            for key in focus_keys[:: max(1, len(focus_keys) // 6)]:  # a spread of focus groups
                twin = client.get(base, {"format": "json", "group": key}).json()
                shown |= {f["group"] for f in _figures(twin) if not f["suppressed"]}
            for key in shown:
                published[f"{campaign.pk}/{key}"] = truth[key]
            # The exports show the same groups as the twin, and nothing for the others.
            _check_exports(client, base, page)
            listing = client.get(base + "comments/", {"format": "json"})
            if listing.status_code == 200 and "groups" in listing.json():
                for g in listing.json()["groups"]:
                    if not g["comments_count"]["suppressed"]:
                        comments[f"{campaign.pk}/{g['group']}"] = truth[g["group"]]
    return published, comments, threshold


def _check_exports(client, base, twin):
    rows = twin.get("heatmap") or twin.get("pulse")
    hidden = {r["label"] for r in rows if r["respondents"]["suppressed"]}
    shown = {r["label"]: r["respondents"]["value"] for r in rows if not r["respondents"]["suppressed"]}
    lines = list(csv.reader(io.StringIO(client.get(base + "export.csv").content.decode("utf-8-sig"))))
    for line in lines:
        if len(line) > 3 and line[0] in hidden:
            assert line[1].startswith("Not shown") and line[3].startswith("Not shown"), line
        if len(line) > 3 and line[0] in shown:
            assert int(line[1]) == shown[line[0]]
    book = load_workbook(io.BytesIO(client.get(base + "export.xlsx").content))
    for line in book.active.iter_rows(values_only=True):
        if line and line[0] in hidden:
            assert str(line[1]).startswith("Not shown") and str(line[3]).startswith("Not shown"), line


def test_the_attacker_finds_nothing_in_the_demo_trusts_reports_and_a_leak_without_complementary_suppression(
    demo, monkeypatch
):
    published, comments, threshold = collect(demo)
    assert len(published) > 30  # the reports really do publish plenty
    leak = find_leak(published, threshold)
    assert leak is None, leak.describe()
    free_text = suppression.min_group_size(demo, free_text=True)
    assert find_leak(comments, free_text) is None
    assert comments  # released comments were shown

    # Switch complementary suppression off and attack again.
    original = suppression.plan

    def primary_only(groups, **kwargs):
        return original(groups, **{**kwargs, "complementary": False})

    monkeypatch.setattr(suppression, "plan", primary_only)
    monkeypatch.setattr(suppression, "plan_with_history", lambda current, *a, **kw: current)
    CampaignPlan.objects.all().delete()
    # A system without complementary suppression has no safe history to build on either.
    PublicationHistory.objects.all().delete()
    published, comments, threshold = collect(demo)
    leak = find_leak(published, threshold)
    assert leak is not None and leak.size < threshold
    # The attack is real: the combination's respondents are a small set from one campaign.
    assert len({key.split("/")[0] for key in leak.coefficients}) == 1


def test_free_text_answers_carry_no_date_and_no_link_to_a_response():
    fields = {f.name for f in FreeTextAnswer._meta.get_fields()}
    assert not fields & {"response", "submitted_on", "created_at"}
