from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from staffwell.assessments import services
from staffwell.assessments.forms import (
    CycleForm,
    InviteForm,
    SharingForm,
)
from staffwell.assessments.models import Cycle, Framework, Rating, Side
from staffwell.assessments.rating_forms import PAGE_CHANGED, posted_as_shown, rating_formset
from staffwell.assessments.views.common import get_cycle, require_participant
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view


@org_view(PARTNERSHIP)
def index(request):
    cycles = Cycle.objects.for_org(request.org).select_related("framework")
    context = {
        "cycles": cycles,
        "can_lead": request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK),
        "sharing": services.sharing_of(request.org),
        "in_ics": request.org.ics_id is not None,
        "is_icb": request.org.kind == "icb",
    }
    return render(request, "assessments/index.jinja", context)


SHARING_DONE = {
    "propose": "You proposed sharing. Nothing is shared until the {other} agrees; they have been told.",
    "agree": "Both sides have agreed: your signed-off element profile is now shared with your integrated care system.",
    "decline": "The proposal to share is withdrawn. Nothing is shared.",
    "stop": "Your element profile is no longer shared with your integrated care system.",
}


@org_view(PARTNERSHIP)
def sharing(request):
    """Sharing publishes, so one side proposes and the other agrees; either side can stop it."""
    side = services.side_of(request.membership)
    error = None
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            step = {
                "propose": services.propose_sharing,
                "agree": services.agree_sharing,
                "decline": services.decline_sharing,
                "stop": services.stop_sharing,
            }[action]
            try:
                step(org=request.org, side=side, actor=request.user)
            except services.NotReady as exc:
                error = str(exc)
            else:
                messages.success(request, SHARING_DONE[action].format(other=side.other.label.lower()))
                return redirect("assessments:sharing", org=request.org.slug)
        else:
            error = form.errors["action"][0]
    context = {
        "setting": services.sharing_of(request.org),
        "side": side,
        "error": error,
        "in_ics": request.org.ics_id is not None,
    }
    return render(request, "assessments/sharing.jinja", context, status=400 if error else 200)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def cycle_new(request):
    frameworks = list(Framework.objects.available_to(request.org).order_by("name", "-version"))
    chosen = request.POST.get("framework") or request.GET.get("framework")
    framework = next((f for f in frameworks if str(f.pk) == chosen), None) or next(
        (f for f in frameworks if f.organisation_id is None), frameworks[0] if frameworks else None
    )
    if framework is None:
        raise PermissionDenied("No framework is loaded.")
    kwargs = {"org": request.org, "framework": framework, "opener": request.membership}
    if request.method == "POST":
        form = CycleForm(request.POST, **kwargs)
        if form.is_valid():
            c = form.cleaned_data
            participants = [(form.reps[k], Side.STAFF) for k in c["staff_reps"]] + [
                (form.leads[k], Side.EMPLOYER) for k in c["employer_leads"]
            ]
            cycle = services.open_cycle(
                org=request.org,
                framework=framework,
                title=c["title"].strip(),
                elements=[form.element_objects[k] for k in c["elements"]],
                participants=participants,
                actor=request.user,
                opener=request.membership,
            )
            messages.success(request, f"'{cycle.title}' is open. Everyone taking part has been told.")
            return redirect("assessments:cycle", org=request.org.slug, cycle_id=cycle.pk)
    else:
        form = CycleForm(**kwargs)
    return render(
        request, "assessments/cycle_new.jinja", {"form": form, "framework": framework, "frameworks": frameworks}
    )


def _progress(cycle: Cycle, side: str) -> dict[int, tuple[int, int]]:
    """Rated / total statements per element, for one side."""
    out: dict[int, list[int]] = {}
    for r in Rating.objects.filter(cycle=cycle, side=side).select_related("statement__sub_element"):
        counts = out.setdefault(r.statement.sub_element.element_id, [0, 0])
        counts[1] += 1
        if r.level is not None:
            counts[0] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


@org_view(PARTNERSHIP)
def cycle_detail(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    participant = request.participant
    elements = list(cycle.elements.order_by("order"))
    progress = _progress(cycle, participant.side) if participant else {}
    context = {
        "cycle": cycle,
        "participant": participant,
        "participants": cycle.participants.active().select_related("membership"),
        "elements": [(e, progress.get(e.pk, (0, 0))) for e in elements],
        "unrated": sum(t - r for r, t in progress.values()),
        "signoffs": cycle.signoffs(),
        "submissions": cycle.submissions,
        "amendments": cycle.amendments.all(),
        "unagreed": services.unagreed_count(cycle) if cycle.both_submitted else None,
        "can_lead": request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK),
        "Side": Side,
    }
    return render(request, "assessments/cycle.jinja", context)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def participants(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    if request.method == "POST":
        form = InviteForm(request.POST, org=request.org, cycle=cycle)
        if form.is_valid():
            membership, side, _ = form.people[form.cleaned_data["person"]]
            try:
                services.invite(cycle=cycle, membership=membership, side=Side(side), actor=request.user)
            except services.NotReady as exc:
                form.add_error("person", str(exc))
            else:
                messages.success(request, f"{membership.full_name} is invited and has been told.")
                return redirect("assessments:participants", org=request.org.slug, cycle_id=cycle.pk)
    else:
        form = InviteForm(org=request.org, cycle=cycle)
    people = cycle.participants.select_related("membership", "removed_by").order_by("side", "membership__full_name")
    context = {
        "cycle": cycle,
        "form": form,
        "participants": [(p, services.removal_blocker(p)) for p in people if p.removed_at is None],
        "removed": [p for p in people if p.removed_at is not None],
    }
    return render(request, "assessments/participants.jinja", context)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def participant_remove(request, cycle_id: int, participant_id: int):
    """Confirm, then take someone out of the cycle (never the last person on either side)."""
    cycle = get_cycle(request, cycle_id)
    participant = get_object_or_404(cycle.participants.active().select_related("membership__user"), pk=participant_id)
    error = None
    if request.method == "POST":
        try:
            discarded = services.remove_participant(participant=participant, actor=request.user)
        except services.NotReady as exc:
            error = str(exc)
        else:
            name = participant.membership.full_name
            messages.success(
                request,
                f"{name} no longer takes part and has been told."
                + (
                    f" {discarded} draft rating{'s' if discarded != 1 else ''} they saved last "
                    f"{'were' if discarded != 1 else 'was'} cleared for the rest of their side to rate."
                    if discarded
                    else ""
                ),
            )
            return redirect("assessments:participants", org=request.org.slug, cycle_id=cycle.pk)
    context = {
        "cycle": cycle,
        "participant": participant,
        "blocker": error or services.removal_blocker(participant),
        "error": error,
        "drafts": list(services.drafts_of(participant)),
        "submitted": bool(cycle.submitted_at(participant.side)),
    }
    return render(request, "assessments/participant_remove.jinja", context, status=400 if error else 200)


def _labelled(formset, ratings):
    """Name each form's fields after its statement, before any field is read."""
    for r, form in zip(ratings, formset.forms, strict=False):
        form.fields["level"].label = f"{r.statement.code} {r.statement.text}"
        form.fields["note"].label = f"Your side's note on {r.statement.code} (optional)"
    return formset


@org_view(PARTNERSHIP)
def rate(request, cycle_id: int, element_id: int):
    """One side rates the statements under one element. Saves only what the person changed."""
    cycle = get_cycle(request, cycle_id)
    participant = require_participant(request)
    element = get_object_or_404(cycle.elements.all(), pk=element_id)
    side = participant.side
    ratings = list(
        Rating.objects.filter(cycle=cycle, side=side, statement__sub_element__element=element)
        .select_related("statement__sub_element", "updated_by")
        .order_by("statement__sub_element__order", "statement__order")
    )
    levels = list(cycle.framework.levels.all())
    editable = cycle.status == Cycle.Status.RATING and not cycle.submitted_at(side)
    FormSet = rating_formset(len(ratings))
    kwargs = {
        "form_kwargs": {"levels": levels},
        "prefix": "rating",
        "initial": [
            {
                "rating": r.pk,
                "version": r.version,
                "orig": services.fingerprint(r.level, r.note),
                "level": r.level,
                "note": r.note,
            }
            for r in ratings
        ],
    }
    formset = _labelled(FormSet(**kwargs), ratings)
    conflicts: dict[int, object] = {}
    problem = None
    status = 200
    if request.method == "POST":
        if not editable:
            messages.error(request, "Your side has submitted its ratings, so they can no longer be changed.")
            return redirect("assessments:cycle", org=request.org.slug, cycle_id=cycle.pk)
        posted = _labelled(FormSet(request.POST, **kwargs), ratings)
        if not posted_as_shown(posted, [r.pk for r in ratings], "rating"):
            problem, status = PAGE_CHANGED, 400
        elif not posted.is_valid():
            formset, status = posted, 400
        else:
            formset = posted
            for r, form in zip(ratings, posted.forms, strict=True):
                c = form.cleaned_data
                # Only what the person changed since the page was opened is saved.
                if services.fingerprint(c["level"], c["note"]) == c["orig"]:
                    continue
                try:
                    services.save_rating(
                        rating=r, level=c["level"], note=c["note"], expected_version=c["version"], actor=request.user
                    )
                except services.Conflict as exc:
                    conflicts[r.pk] = exc.current
            if conflicts:
                status = 409
            else:
                messages.success(request, "Saved. You can come back and change your ratings until your side submits.")
                if request.POST.get("next") == "continue":
                    later = [e for e in cycle.elements.order_by("order") if e.order > element.order]
                    if later:
                        return redirect(
                            "assessments:rate", org=request.org.slug, cycle_id=cycle.pk, element_id=later[0].pk
                        )
                return redirect("assessments:cycle", org=request.org.slug, cycle_id=cycle.pk)
    rows = [
        {"rating": r, "form": form, "conflict": conflicts.get(r.pk)}
        for r, form in zip(ratings, formset.forms, strict=False)
    ]
    for row in rows:
        theirs = row["conflict"]
        # A conflict re-shown carries their version, so saving again replaces theirs with yours.
        row["version"] = theirs.version if theirs else row["form"]["version"].value()
        row["orig"] = services.fingerprint(theirs.level, theirs.note) if theirs else row["form"]["orig"].value()
    context = {
        "cycle": cycle,
        "element": element,
        "rows": rows,
        "levels": levels,
        "side": Side(side),
        "editable": editable,
        "conflicts": conflicts,
        "problem": problem,
        "formset": formset,
    }
    return render(request, "assessments/rate.jinja", context, status=status)


@org_view(PARTNERSHIP)
def submit(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    participant = require_participant(request)
    side = Side(participant.side)
    missing = cycle.ratings.filter(side=side, level__isnull=True).count()
    error = None
    if request.method == "POST":
        try:
            services.submit_side(cycle=cycle, side=side, actor=request.user)
        except services.NotReady as exc:
            error = str(exc)
        else:
            cycle.refresh_from_db()
            messages.success(
                request,
                "Both sides have submitted. You can now compare ratings and agree them."
                if cycle.both_submitted
                else f"Your side's ratings are submitted. The {side.other.label.lower()} has not submitted yet; "
                "their ratings stay hidden from you until they do, and yours from them.",
            )
            return redirect("assessments:cycle", org=request.org.slug, cycle_id=cycle.pk)
    context = {"cycle": cycle, "side": side, "missing": missing, "error": error}
    return render(request, "assessments/submit.jinja", context, status=400 if error else 200)
