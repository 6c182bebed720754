"""Survey report pages, their JSON twins and exports; comment review; the thresholds and
benchmark tables. Every figure comes from ``reports.build``."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.reporting import exports, reports, services
from staffwell.reporting.data import prepared
from staffwell.reporting.forms import BenchmarkForm, ProposalForm
from staffwell.reporting.models import BenchmarkTable, PolicyProposal
from staffwell.suppression.models import ReportingPolicy
from staffwell.surveys.models import Campaign

COMMENT_READERS = (Perm.VIEW_TEAM_AGGREGATES, Perm.VIEW_ORG_AGGREGATES)


def _closed_campaign(request, campaign_id: int) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.for_org(request.org).select_related("instrument", "organisation"), pk=campaign_id
    )
    if campaign.phase != "Closed":
        raise Http404("Results are published when the survey closes.")
    return campaign


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json"


@org_view(Perm.VIEW_ORGANISATION)
def index(request):
    campaigns = [
        c
        for c in Campaign.objects.for_org(request.org).select_related("instrument").order_by("-closes_on")
        if c.phase == "Closed"
    ]
    if _wants_json(request):
        return JsonResponse(
            {
                "campaigns": [
                    {
                        "id": c.pk,
                        "name": c.name,
                        "question_set": str(c.instrument),
                        "closed": c.closes_on.isoformat(),
                        "report": request.build_absolute_uri(
                            reverse("reporting:report", kwargs={"org": request.org.slug, "campaign_id": c.pk})
                        ),
                    }
                    for c in campaigns
                ]
            }
        )
    return render(
        request,
        "reporting/index.jinja",
        {"campaigns": campaigns, "partnership": any(request.membership.has_perm(p) for p in PARTNERSHIP)},
    )


@org_view(Perm.VIEW_ORGANISATION)
def report(request, campaign_id: int):
    campaign = _closed_campaign(request, campaign_id)
    data = reports.build(campaign, request.membership, focus=request.GET.get("group", "org"))
    if _wants_json(request):
        return JsonResponse(reports.as_json(data))
    context = {
        "report": data,
        "can_act": any(request.membership.has_perm(p) for p in PARTNERSHIP),
        "sees_comments": any(request.membership.has_perm(p) for p in COMMENT_READERS),
    }
    # A manager (no side) can open the comments only once both sides have released them.
    context["comments_open"] = context["sees_comments"] and (
        side_of(request.membership) is not None or services.review_for(campaign).is_released
    )
    return render(request, "reporting/report.jinja", context)


@org_view(Perm.VIEW_ORGANISATION)
def export(request, campaign_id: int, fmt: str):
    campaign = _closed_campaign(request, campaign_id)
    data = reports.build(campaign, request.membership, focus=request.GET.get("group", "org"))
    filename = f"{request.org.slug}-{campaign.pk}-results"
    if fmt == "csv":
        body, content_type = exports.to_csv(data), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.to_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        html = render(request, "reporting/report_pdf.jinja", {"report": data}).content.decode()
        body, content_type = exports.to_pdf(html), "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- comments -----------------------------------------------------------------------------


def _comment_groups(request, campaign) -> tuple[list[dict], object]:
    """The comments each visible group may show, for a released campaign."""
    prep = prepared(campaign)
    audience = reports.Audience.of(request.membership, prep)
    answers = list(services.free_text_answers(campaign))
    groups = []
    for key in reports.rows_for(prep, audience):
        if "|" in key or (key == "org" and not audience.all_units):
            continue  # line managers read the comments of their own units only
        allowed = prep.comment_plan.allows(key)
        members = set(prep.stored_units_in(key)) if allowed else set()
        texts = [a for a in answers if a.unit_id in members]
        groups.append(
            {
                "key": key,
                "label": reports.group_label(prep, key),
                "figure": prep.comment_plan.figure(key, len(texts)),
                "comments": services.shuffled(texts, seed=f"{campaign.pk}:{key}") if allowed else [],
            }
        )
    return groups, prep


@org_view(COMMENT_READERS)
def comments(request, campaign_id: int):
    campaign = _closed_campaign(request, campaign_id)
    review = services.review_for(campaign)
    side = side_of(request.membership)
    if not review.is_released:
        if side is None:
            raise Http404("Comments are shown once both sides have reviewed them.")
        return _review(request, campaign, review, side)
    groups, prep = _comment_groups(request, campaign)
    focus = request.GET.get("group", "org")
    chosen = next((g for g in groups if g["key"] == focus), groups[0] if groups else None)
    if _wants_json(request):
        return JsonResponse(
            {
                "campaign": {"id": campaign.pk, "name": campaign.name},
                "minimum_group_for_comments": prep.comment_plan.threshold,
                "groups": [
                    {
                        "group": g["key"],
                        "label": g["label"],
                        "comments_count": g["figure"].as_json(),
                        "comments": [{"question": c.question.text, "text": c.text} for c in g["comments"]],
                    }
                    for g in groups
                ],
            }
        )
    return render(
        request,
        "reporting/comments.jinja",
        {"campaign": campaign, "groups": groups, "chosen": chosen, "threshold": prep.comment_plan.threshold},
    )


def _review(request, campaign, review, side, *, typed=None, errors=None):
    """The review page: every comment in one form, each with who last reviewed it."""
    prep = prepared(campaign)
    org_allowed = prep.comment_plan.allows("org")
    answers = list(services.free_text_answers(campaign).select_related("redaction__redacted_by")) if org_allowed else []
    ordered = services.shuffled(answers, seed=f"review:{campaign.pk}")
    typed, errors = typed or {}, errors or {}
    for a in ordered:
        a.reviewed = getattr(a, "redaction", None)
        a.shown_text = typed.get(str(a.pk), a.reviewed.text if a.reviewed else a.text)
        a.changed = bool(a.reviewed) and a.reviewed.text != a.text
        a.error = errors.get(str(a.pk), "")
    if _wants_json(request):
        return JsonResponse(
            {
                "campaign": {"id": campaign.pk, "name": campaign.name},
                "released": False,
                "comments_count": prep.comment_plan.figure("org", len(answers)).as_json(),
                "comments": [{"id": str(a.pk), "question": a.question.text, "text": a.shown_text} for a in ordered],
            }
        )
    agreement = review.agreement
    return render(
        request,
        "reporting/review.jinja",
        {
            "campaign": campaign,
            "review": review,
            "agreement": agreement,
            "can_agree": agreement.for_side(side) is None,
            "answers": ordered,
            "errors": [(i, a) for i, a in enumerate(ordered, start=1) if a.error],
            "unread": sum(1 for a in ordered if not a.reviewed),
            "org_allowed": org_allowed,
            "count": prep.comment_plan.figure("org", len(answers)),
            "threshold": prep.comment_plan.threshold,
        },
        status=400 if errors else 200,
    )


@org_view(PARTNERSHIP)
@require_POST
def comment_redact(request, campaign_id: int):
    """Save a pass over many comments: each textarea ``text-<answer id>``, each ticked
    ``read-<answer id>``; ``at`` is the comment whose button was pressed, to come back to."""
    campaign = _closed_campaign(request, campaign_id)
    texts = {k.removeprefix("text-"): v for k, v in request.POST.items() if k.startswith("text-")}
    read = [k.removeprefix("read-") for k in request.POST if k.startswith("read-")]
    back = reverse("reporting:comments", kwargs={"org": request.org.slug, "campaign_id": campaign.pk})
    try:
        done = services.review_comments(campaign=campaign, membership=request.membership, texts=texts, read=read)
    except (services.ReportingError, partnership.PartnershipError) as e:
        messages.error(request, str(e))
        return redirect(back)
    if done.errors:
        review = services.review_for(campaign)
        return _review(request, campaign, review, side_of(request.membership), typed=texts, errors=done.errors)
    if done.changed:
        messages.success(
            request,
            f"Saved: {_comments(done.changed)} reworded, {_comments(done.read)} marked as read. "
            "Both sides need to agree the comments again before release.",
        )
    elif done.read:
        messages.success(request, f"Saved: {_comments(done.read)} marked as read.")
    else:
        messages.info(request, "Nothing had changed.")
    at = request.POST.get("at", "")
    return redirect(back + (f"#comment-{int(at)}" if at.isdigit() else ""))


def _comments(n: int) -> str:
    return "1 comment" if n == 1 else f"{n} comments"


@org_view(PARTNERSHIP)
@require_POST
def comment_release(request, campaign_id: int):
    campaign = _closed_campaign(request, campaign_id)
    try:
        released = services.agree_release(campaign=campaign, membership=request.membership)
    except (services.ReportingError, partnership.PartnershipError) as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            "Comments released to managers. The original wording has been replaced by the reviewed wording."
            if released
            else "Your agreement is recorded. The comments are released when the other side agrees too.",
        )
    return redirect(reverse("reporting:comments", kwargs={"org": request.org.slug, "campaign_id": campaign.pk}))


# --- action from a weak scale ---------------------------------------------------------------


@org_view(PARTNERSHIP)
@require_POST
def suggest_action(request, campaign_id: int):
    campaign = _closed_campaign(request, campaign_id)
    data = reports.build(campaign, request.membership, focus=request.POST.get("group", "org"))
    weak = next((w for w in data.get("weakest", []) if w["scale"] == request.POST.get("scale")), None)
    if weak is None:
        messages.error(request, "Choose one of the weakest scales shown on the report.")
        return redirect(reverse("reporting:report", kwargs={"org": request.org.slug, "campaign_id": campaign.pk}))
    suggestion = services.suggest_action(
        campaign=campaign, weak=weak, group_label=data["focus_label"], actor=request.user
    )
    target = _action_plan_url(request.org, suggestion)
    messages.success(request, f"'{suggestion.scale}' recorded as a starting point for an action.")
    return redirect(target)


def _action_plan_url(org, suggestion) -> str:
    """The newest assessment cycle's 'new action' page, with the scale as the title, when
    the action plan app offers one; otherwise back to the report."""
    try:
        from staffwell.assessments.models import Cycle
    except ImportError:
        Cycle = None
    cycle = Cycle.objects.for_org(org).order_by("-pk").first() if Cycle is not None else None
    if cycle is not None:
        try:
            url = reverse("assessments:action_new", kwargs={"org": org.slug, "cycle_id": cycle.pk})
        except NoReverseMatch:
            url = None
        if url:
            title = f"HSE survey: improve {suggestion.scale.lower()} ({suggestion.unit_label})"
            return f"{url}?{urlencode({'title': title})}"
    return reverse("reporting:report", kwargs={"org": org.slug, "campaign_id": suggestion.campaign_id})


# --- thresholds -----------------------------------------------------------------------------


@org_view(PARTNERSHIP)
def policy(request):
    org = request.org
    current = ReportingPolicy.for_org(org)
    form = ProposalForm(
        request.POST or None,
        initial={"min_group": current.min_group, "free_text_min_group": current.free_text_min_group},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_policy(
                org=org,
                membership=request.membership,
                min_group=form.cleaned_data["min_group"],
                free_text_min_group=form.cleaned_data["free_text_min_group"],
                reason=form.cleaned_data["reason"],
            )
        except services.ReportingError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Proposal recorded. It takes effect when the other side agrees.")
            return redirect("reporting:policy", org=org.slug)
    side = side_of(request.membership)
    proposals = list(PolicyProposal.objects.filter(organisation=org).select_related("proposed_by", "closed_by"))
    for p in proposals:
        p.state = p.agreement
        p.mine = p.state.for_side(side) if side else None
        p.earlier = [] if p.is_open or p.state.complete else p.agreements_ever()
    return render(
        request,
        "reporting/policy.jinja",
        {"policy": current, "form": form, "proposals": proposals, "side": side},
        status=400 if request.method == "POST" else 200,
    )


@org_view(PARTNERSHIP)
@require_POST
def policy_decide(request, proposal_id: int):
    proposal = get_object_or_404(PolicyProposal.objects.filter(organisation=request.org), pk=proposal_id)
    try:
        if request.POST.get("decision") == "agree":
            applied = services.agree_policy(proposal=proposal, membership=request.membership)
            messages.success(
                request, "Agreed: the new thresholds are in force." if applied else "Your agreement is recorded."
            )
        else:
            services.close_proposal(proposal=proposal, membership=request.membership, note=request.POST.get("note", ""))
            messages.success(request, "Proposal closed.")
    except (services.ReportingError, partnership.PartnershipError) as e:
        messages.error(request, str(e))
    return redirect("reporting:policy", org=request.org.slug)


# --- benchmarks -----------------------------------------------------------------------------


@org_view(PARTNERSHIP)
def benchmarks(request):
    org = request.org
    form = BenchmarkForm(request.POST or None, request.FILES or None)
    can_change = request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK)
    if request.method == "POST":
        if not can_change:
            raise Http404
        if request.POST.get("action") == "shipped":
            services.use_shipped_benchmark(org=org, user=request.user)
            messages.success(request, "The shipped benchmark table is in use again.")
            return redirect("reporting:benchmarks", org=org.slug)
        if form.is_valid():
            try:
                services.load_benchmark(
                    org=org,
                    content=form.cleaned_data["file"].read(),
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                )
            except services.ReportingError as e:
                form.add_error("file", str(e))
            else:
                messages.success(request, "Benchmark table loaded and in use.")
                return redirect("reporting:benchmarks", org=org.slug)
    tables = BenchmarkTable.objects.filter(organisation=org) | BenchmarkTable.objects.filter(organisation=None)
    return render(
        request,
        "reporting/benchmarks.jinja",
        {
            "tables": tables.prefetch_related("rows"),
            "in_use": reports.benchmark_for(org),
            "form": form,
            "can_change": can_change,
        },
        status=400 if request.method == "POST" else 200,
    )
