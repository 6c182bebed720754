"""Report pages, who sees what, comments review, thresholds and benchmarks."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.reporting import exports, reports, services, synthetic
from staffwell.reporting.models import BenchmarkTable, PolicyProposal
from staffwell.suppression import Figure, min_group_size
from staffwell.suppression.models import ReportingPolicy
from staffwell.surveys.models import Campaign, FreeTextAnswer
from tests.reporting.conftest import member


def _client(org, email):
    c = Client()
    c.force_login(member(org, email).user)
    return c


def _hse(org):
    return Campaign.objects.get(organisation=org, name="Stress risk survey 2026")


def test_the_lead_and_the_rep_see_exactly_the_same_report(demo):
    campaign = _hse(demo)
    url = reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk})
    lead = _client(demo, "lead@northgate.example").get(url, {"format": "json"}).json()
    rep = _client(demo, "rep@northgate.example").get(url, {"format": "json"}).json()
    assert lead == rep
    assert len(lead["heatmap"]) > 20 and len(lead["heatmap"][0]["scales"]) == 7
    assert lead["benchmark"]["verified"] is False
    org_row = lead["heatmap"][0]
    assert org_row["group"] == "org" and not org_row["respondents"]["suppressed"]
    assert all(s["band"] for s in org_row["scales"])
    assert any(r["respondents"]["suppressed"] for r in lead["heatmap"])  # small units are hidden


def test_a_line_manager_sees_only_their_own_units_and_the_organisation(demo):
    campaign = _hse(demo)
    manager = member(demo, "manager@northgate.example")
    managed = {u.pk for u in manager.managed_units()}
    twin = (
        _client(demo, "manager@northgate.example")
        .get(reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk}), {"format": "json"})
        .json()
    )
    keys = [r["group"] for r in twin["heatmap"]]
    assert keys[0] == "org"
    from staffwell.organisations.models import Unit

    for key in keys[1:]:
        unit = Unit.objects.get(pk=int(key.split(":")[1]))
        assert managed & {unit.pk, *(a.pk for a in unit.ancestors())}
    assert not any("|sg:" in k for k in keys)


def test_staff_see_organisation_results_only_and_only_once_a_survey_closes(demo):
    campaign = _hse(demo)
    nurse = _client(demo, "nurse@northgate.example")
    twin = nurse.get(
        reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk}), {"format": "json"}
    ).json()
    assert [r["group"] for r in twin["heatmap"]] == ["org"]
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.LAUNCHED, closes_on=timezone.localdate())
    response = nurse.get(reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk}))
    assert response.status_code == 404


def test_someone_from_another_organisation_gets_404_for_every_report_page(demo):
    campaign = _hse(demo)
    other = Campaign.objects.get(name="Southmoor stress risk survey")
    lead = _client(demo, "lead@northgate.example")
    for name in ("reporting:report", "reporting:comments"):
        assert lead.get(reverse(name, kwargs={"org": demo.slug, "campaign_id": other.pk})).status_code == 404
    export = reverse("reporting:export", kwargs={"org": demo.slug, "campaign_id": other.pk, "fmt": "csv"})
    assert lead.get(export).status_code == 404
    action = reverse("reporting:suggest_action", kwargs={"org": demo.slug, "campaign_id": other.pk})
    assert lead.post(action, {"scale": "Demands"}).status_code == 404
    outsider = Client()
    outsider.force_login(_outsider_user(demo))
    assert (
        outsider.get(reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk})).status_code
        == 404
    )


def _outsider_user(org):
    from staffwell.accounts.models import User
    from staffwell.organisations.models import Membership, Organisation

    other = Organisation.objects.get(slug="southmoor")
    user = User.objects.create_user("someone@southmoor.example", "pw-long-enough-1", full_name="Someone Else")
    m = Membership.objects.filter(organisation=other).first()
    m.user = user
    m.save()
    return user


def test_the_report_page_and_its_exports_render_for_the_demo_hse_survey(demo):
    campaign = _hse(demo)
    lead = _client(demo, "lead@northgate.example")
    page = lead.get(reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk}))
    html = page.content.decode()
    assert "Scale scores by unit" in html and "Not shown" in html and "Open Government Licence" in html
    assert "Urgent action needed" in html or "Clear need for improvement" in html
    for fmt, start in (("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = lead.get(
            reverse("reporting:export", kwargs={"org": demo.slug, "campaign_id": campaign.pk, "fmt": fmt})
        )
        assert response.status_code == 200 and response.content.startswith(start)
    assert (
        lead.get(
            reverse("reporting:export", kwargs={"org": demo.slug, "campaign_id": campaign.pk, "fmt": "exe"})
        ).status_code
        == 404
    )


def test_pulse_reports_show_a_trend_across_campaigns(demo):
    latest = Campaign.objects.get(organisation=demo, name="Wellbeing pulse 3")
    twin = (
        _client(demo, "lead@northgate.example")
        .get(reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": latest.pk}), {"format": "json"})
        .json()
    )
    assert [t["campaign"] for t in twin["trend"]] == ["Wellbeing pulse 1", "Wellbeing pulse 2", "Wellbeing pulse 3"]
    assert not twin["trend"][0]["means"]["1"]["suppressed"]
    assert len(twin["pulse"][0]["questions"]) == 5


def test_the_weakest_scale_becomes_a_recorded_suggestion_for_an_action(demo):
    campaign = _hse(demo)
    lead = _client(demo, "lead@northgate.example")
    report = reports.build(campaign, member(demo, "lead@northgate.example"))
    assert report["weakest"], "the demo HSE survey has scales below the benchmark median"
    scale = report["weakest"][0]["scale"]
    response = lead.post(
        reverse("reporting:suggest_action", kwargs={"org": demo.slug, "campaign_id": campaign.pk}), {"scale": scale}
    )
    assert response.status_code == 302
    assert campaign.action_suggestions.get().scale == scale
    # This trust has no framework assessment yet, so back to the report (with one, on to a
    # new action in its plan, titled with the scale).
    assert response.url == reverse("reporting:report", kwargs={"org": demo.slug, "campaign_id": campaign.pk})


def test_spreadsheet_formulas_in_text_are_neutralised():
    assert exports.safe_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert exports.safe_text("+44 7700") == "'+44 7700"
    assert exports.safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert exports.safe_text("Ward 7") == "Ward 7"
    assert exports.cell(Figure(None, True, "Fewer than 10 people")) == "Not shown: Fewer than 10 people"


# --- comments -------------------------------------------------------------------------------


def test_comments_are_reviewed_by_both_sides_and_the_original_is_gone_after_release(demo):
    campaign = Campaign.objects.get(organisation=demo, name="Wellbeing pulse 3")
    url = reverse("reporting:comments", kwargs={"org": demo.slug, "campaign_id": campaign.pk})
    manager = _client(demo, "manager@northgate.example")
    assert manager.get(url).status_code == 404  # not released yet
    lead, rep = _client(demo, "lead@northgate.example"), _client(demo, "rep@northgate.example")
    answer = FreeTextAnswer.objects.filter(campaign=campaign).first()
    original = answer.text
    assert original in lead.get(url).content.decode()
    lead.post(
        reverse("reporting:comment_redact", kwargs={"org": demo.slug, "campaign_id": campaign.pk}),
        {f"text-{answer.pk}": "My manager [name removed] is great."},
    )
    answer.refresh_from_db()
    assert answer.text == original  # kept until release
    release = reverse("reporting:comment_release", kwargs={"org": demo.slug, "campaign_id": campaign.pk})
    lead.post(release)
    assert manager.get(url).status_code == 404
    rep.post(release)
    answer.refresh_from_db()
    assert answer.text == "My manager [name removed] is great."
    page = manager.get(url, {"format": "json"}).json()
    shown = [c["text"] for g in page["groups"] for c in g["comments"]]
    assert "My manager [name removed] is great." in shown or page["groups"][0]["comments_count"]["suppressed"]
    events = list(AuditEvent.objects.filter(action__startswith="survey.comments").values_list("action", "data"))
    assert ("survey.comments.released", {"side": "staff"}) in events
    assert all(original not in str(d) for _, d in events)


def test_a_redaction_cannot_be_empty(demo):
    campaign = Campaign.objects.get(organisation=demo, name="Wellbeing pulse 3")
    answer = FreeTextAnswer.objects.filter(campaign=campaign).first()
    lead = _client(demo, "lead@northgate.example")
    response = lead.post(
        reverse("reporting:comment_redact", kwargs={"org": demo.slug, "campaign_id": campaign.pk}),
        {f"text-{answer.pk}": "   "},
        follow=True,
    )
    assert "To hide it all, write [removed]" in response.content.decode()


# --- thresholds -------------------------------------------------------------------------------


def test_a_threshold_change_needs_both_sides_and_its_history_is_visible_to_both(world, client_for):
    url = reverse("reporting:policy", kwargs={"org": world.org.slug})
    lead, rep = client_for("lead"), client_for("rep")
    response = lead.post(url, {"min_group": "12", "free_text_min_group": "20", "reason": "Small teams asked for it"})
    assert response.status_code == 302
    assert min_group_size(world.org) == 10  # not yet
    proposal = PolicyProposal.objects.get()
    rep.post(reverse("reporting:policy_decide", kwargs={"org": world.org.slug, "proposal_id": proposal.pk}),
             {"decision": "agree"})  # fmt: skip
    assert min_group_size(world.org) == 12 and min_group_size(world.org, free_text=True) == 20
    assert ReportingPolicy.objects.get(organisation=world.org).version == 2
    for c in (lead, rep):
        page = c.get(url).content.decode()
        assert "Agreed and in force" in page and "Small teams asked for it" in page
    actions = set(AuditEvent.objects.filter(partnership=True).values_list("action", flat=True))
    assert {"suppression.policy.proposed", "suppression.policy.applied"} <= actions


def test_the_threshold_can_never_go_below_five_and_mistakes_are_explained(world, client_for):
    url = reverse("reporting:policy", kwargs={"org": world.org.slug})
    response = client_for("lead").post(url, {"min_group": "4", "free_text_min_group": "3", "reason": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be below 5" in page
    assert 'value="4"' in page  # what was typed is kept
    response = client_for("rep").post(url, {"min_group": "10", "free_text_min_group": "15", "reason": "same"})
    assert "already in force" in response.content.decode()


def test_the_other_side_can_decline_and_the_proposer_can_withdraw(world, client_for):
    url = reverse("reporting:policy", kwargs={"org": world.org.slug})
    client_for("lead").post(url, {"min_group": "11", "free_text_min_group": "15", "reason": "Try"})
    proposal = PolicyProposal.objects.get()
    decide = reverse("reporting:policy_decide", kwargs={"org": world.org.slug, "proposal_id": proposal.pk})
    client_for("rep").post(decide, {"decision": "close", "note": "Not now"})
    proposal.refresh_from_db()
    assert proposal.status == "declined" and min_group_size(world.org) == 10
    client_for("rep").post(url, {"min_group": "11", "free_text_min_group": "15", "reason": "Again"})
    second = PolicyProposal.objects.exclude(pk=proposal.pk).get()
    client_for("rep").post(
        reverse("reporting:policy_decide", kwargs={"org": world.org.slug, "proposal_id": second.pk}),
        {"decision": "close"},
    )
    second.refresh_from_db()
    assert second.status == "withdrawn"


def test_a_proposal_from_another_organisation_is_404(world, client_for):
    from staffwell.reporting.models import PolicyProposal as P

    proposal = P.objects.create(
        organisation=world.other_org, min_group=12, free_text_min_group=15, previous_min_group=10,
        previous_free_text_min_group=15, reason="x",
    )  # fmt: skip
    response = client_for("lead").post(
        reverse("reporting:policy_decide", kwargs={"org": world.org.slug, "proposal_id": proposal.pk}),
        {"decision": "agree"},
    )
    assert response.status_code == 404


# --- benchmarks -------------------------------------------------------------------------------


def test_a_benchmark_table_can_be_uploaded_with_its_source_and_replaces_the_shipped_one(world, client_for):
    url = reverse("reporting:benchmarks", kwargs={"org": world.org.slug})
    shipped = reports.benchmark_for(world.org)
    assert shipped.organisation is None and shipped.rows.count() == 7
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = "scale,p20,p50,p80\n" + "".join(f"{s},3.0,3.5,4.0\n" for s in services.HSE_SCALES)
    bad = rows.replace("Role,3.0", "Role,4.5")
    response = client_for("lead").post(
        url,
        {
            "name": "Our table",
            "source": "Our survey",
            "year": "2025",
            "file": SimpleUploadedFile("t.csv", bad.encode()),
        },
    )
    assert response.status_code == 400 and "must rise from p20 to p80" in response.content.decode()
    assert reports.benchmark_for(world.org) == shipped
    response = client_for("lead").post(
        url,
        {
            "name": "Our table",
            "source": "Our survey",
            "year": "2025",
            "file": SimpleUploadedFile("t.csv", rows.encode()),
        },
    )
    assert response.status_code == 302
    table = reports.benchmark_for(world.org)
    assert table.name == "Our table" and table.year == 2025 and table.cut_points()["Role"] == (3.0, 3.5, 4.0)
    assert BenchmarkTable.objects.filter(organisation=None, in_use=True).exists()  # others keep the shipped one
    assert client_for("rep").post(url, {"action": "shipped"}).status_code == 404  # the rep sees, the lead changes


def test_bands_follow_the_hse_analysis_tool():
    cuts = (3.0, 3.5, 4.0)
    assert reports.band_for(2.9, cuts).key == "urgent"
    assert reports.band_for(3.0, cuts).key == "improve"
    assert reports.band_for(3.5, cuts).key == "good"
    assert reports.band_for(4.0, cuts).key == "very-good"


def test_a_small_organisation_publishes_nothing_below_the_threshold(world, client_for):
    campaign = synthetic.closed_campaign(
        org=world.org, instrument=synthetic.instrument("hse-indicator-tool"), name="Tiny",
        closes_on=timezone.localdate() - datetime.timedelta(days=1), rate=1.0,
    )  # fmt: skip
    twin = (
        client_for("lead")
        .get(
            reverse("reporting:report", kwargs={"org": world.org.slug, "campaign_id": campaign.pk}), {"format": "json"}
        )
        .json()
    )
    assert all(r["respondents"]["suppressed"] for r in twin["heatmap"])
    assert all(a["suppressed"] for q in twin["distribution"]["questions"] for a in q["answers"])
