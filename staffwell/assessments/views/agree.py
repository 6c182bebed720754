from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.assessments import results, services
from staffwell.assessments.forms import (
    AgreeForm,
    AmendmentForm,
    EvidenceForm,
    SignForm,
)
from staffwell.assessments.models import AgreedRating, Evidence, Side
from staffwell.assessments.rating_forms import PAGE_CHANGED, many_agreed_formset, posted_order
from staffwell.assessments.views.common import get_cycle, require_participant
from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP
from staffwell.organisations.access import org_view


@org_view(PARTNERSHIP)
def reconcile(request, cycle_id: int):
    """Both sides' ratings side by side, disagreements first. Nothing shows until both submitted."""
    cycle = get_cycle(request, cycle_id)
    if not cycle.both_submitted:
        waiting = [s for s in (Side.EMPLOYER, Side.STAFF) if not cycle.submitted_at(s)]
        return render(request, "assessments/reconcile_waiting.jinja", {"cycle": cycle, "waiting": waiting})
    res = results.build(cycle, with_previous=False)
    rows = sorted(res.statements, key=lambda s: (not s.disagreed, -s.gap, results._order_key(s.statement.code)))
    context = {
        "cycle": cycle,
        "rows": rows,
        "agreed_by": {a.statement_id: a for a in cycle.agreed.select_related("updated_by")},
        "editable": cycle.agreeing_open and request.participant is not None,
        "levels": res.levels,
        "disagreements": len(res.disagreements),
        "unagreed": services.unagreed_count(cycle),
        "participant": request.participant,
    }
    return render(request, "assessments/reconcile.jinja", context)


def _agree_context(request, cycle, agreed, form, evidence_form):
    employer = cycle.ratings.get(statement=agreed.statement, side=Side.EMPLOYER)
    staff = cycle.ratings.get(statement=agreed.statement, side=Side.STAFF)
    levels = {lv.value: lv.label for lv in cycle.framework.levels.all()}
    return {
        "cycle": cycle,
        "agreed": agreed,
        "statement": agreed.statement,
        "employer": employer,
        "staff": staff,
        "levels": levels,
        "form": form,
        "evidence_form": evidence_form,
        "evidence": cycle.evidence.filter(statement=agreed.statement).select_related("added_by"),
        "editable": cycle.agreeing_open and request.participant is not None,
        "amendment": cycle.open_amendment(),
    }


def _get_agreed(request, cycle, statement_id: int) -> AgreedRating:
    if not cycle.both_submitted:
        raise Http404  # nothing to compare until both sides have submitted
    return get_object_or_404(
        AgreedRating.objects.filter(cycle=cycle).select_related("statement__sub_element__element", "updated_by"),
        statement_id=statement_id,
    )


@org_view(PARTNERSHIP)
def agree(request, cycle_id: int, statement_id: int):
    cycle = get_cycle(request, cycle_id)
    agreed = _get_agreed(request, cycle, statement_id)
    levels = list(cycle.framework.levels.all())
    conflict = None
    status = 200
    if request.method == "POST":
        require_participant(request)
        form = AgreeForm(request.POST, levels=levels)
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.save_agreed(
                    agreed=agreed,
                    level=c["level"],
                    rationale=c["rationale"].strip(),
                    expected_version=c["version"],
                    actor=request.user,
                )
            except services.Conflict as exc:
                conflict = exc.current
                status = 409
            except services.NotReady as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, f"Agreed rating for {agreed.statement.code} saved.")
                return redirect("assessments:reconcile", org=request.org.slug, cycle_id=cycle.pk)
        else:
            status = 400
    else:
        form = AgreeForm(
            levels=levels,
            initial={"level": agreed.level, "rationale": agreed.rationale, "version": agreed.version},
        )
    context = _agree_context(request, cycle, agreed, form, EvidenceForm())
    context["conflict"] = conflict
    return render(request, "assessments/agree.jinja", context, status=status)


def _disagreed(cycle) -> list[dict]:
    """Every statement the sides rated differently: not yet agreed first, then by code."""
    ratings = {(r.statement_id, r.side): r for r in cycle.ratings.all()}
    rows = []
    for agreed in cycle.agreed.select_related("statement", "updated_by"):
        employer = ratings.get((agreed.statement_id, Side.EMPLOYER))
        staff = ratings.get((agreed.statement_id, Side.STAFF))
        if employer is None or staff is None or employer.level == staff.level:
            continue
        rows.append({"agreed": agreed, "employer": employer, "staff": staff})
    rows.sort(key=lambda r: (r["agreed"].level is not None, results._order_key(r["agreed"].statement.code)))
    return rows


def _labelled(formset, rows):
    """Name each form's fields after its statement (before any field is read: Django keeps
    the label a bound field first showed)."""
    for row, form in zip(rows, formset.forms, strict=False):
        code = row["agreed"].statement.code
        form.fields["level"].label = f"Agreed rating for {code}"
        form.fields["rationale"].label = f"Why this rating for {code}"
    return formset


def _initial(row) -> dict:
    a = row["agreed"]
    return {
        "statement": a.statement_id,
        "version": a.version,
        "orig": services.fingerprint(a.level, a.rationale),
        "level": a.level,
        "rationale": a.rationale,
    }


@org_view(PARTNERSHIP)
def agree_many(request, cycle_id: int):
    """Agree many disagreed ratings on one page: one form per statement, and only the
    statements changed here are saved, all together or (if someone else saved one) none."""
    cycle = get_cycle(request, cycle_id)
    if not cycle.both_submitted:
        raise Http404  # nothing to compare until both sides have submitted
    levels = list(cycle.framework.levels.all())
    rows = _disagreed(cycle)
    editable = cycle.agreeing_open and request.participant is not None
    FormSet = many_agreed_formset(len(rows))
    kwargs = {"form_kwargs": {"levels": levels}, "initial": [_initial(r) for r in rows], "prefix": "agree"}
    formset = _labelled(FormSet(**kwargs), rows)
    conflicts: dict = {}
    problem = None
    status = 200
    if request.method == "POST":
        require_participant(request)
        if not editable:
            messages.error(
                request,
                "This cycle is signed off. Open an amendment to change an agreed rating."
                if cycle.is_locked
                else "Agreed ratings cannot be changed now.",
            )
            return redirect("assessments:reconcile", org=request.org.slug, cycle_id=cycle.pk)
        # The set of disagreed statements is fixed once both sides submit; their order on the
        # page moves as they are agreed, so forms are matched to rows by statement.
        shown = {str(r["agreed"].statement_id): r for r in rows}
        order = posted_order(request.POST, "agree", "statement")
        if order is None or sorted(order) != sorted(shown):
            problem, status = PAGE_CHANGED, 400
            posted = None
        else:
            rows = [shown[i] for i in order]
            posted = _labelled(FormSet(request.POST, **{**kwargs, "initial": [_initial(r) for r in rows]}), rows)
        if posted is None:
            pass
        elif not posted.is_valid():
            formset, status = posted, 400
        else:
            changes = [
                (row["agreed"], f.cleaned_data["level"], f.cleaned_data["rationale"].strip(), f.cleaned_data["version"])
                for row, f in zip(rows, posted.forms, strict=True)
                if f.changed
            ]
            if not changes:
                problem, formset, status = "You have not changed any agreed rating.", posted, 400
            else:
                try:
                    saved = services.save_many_agreed(changes=changes, actor=request.user)
                except services.Conflicts as exc:
                    conflicts, formset, status = exc.current, posted, 409
                    for row in rows:  # as they are now: nothing was saved
                        row["agreed"].refresh_from_db()
                except services.NotReady as exc:
                    problem, formset, status = str(exc), posted, 400
                else:
                    messages.success(
                        request,
                        f"{saved} agreed rating{'s' if saved != 1 else ''} saved. Both sides can see who set each.",
                    )
                    return redirect("assessments:reconcile", org=request.org.slug, cycle_id=cycle.pk)
    for row, form in zip(rows, formset.forms, strict=False):
        row["form"] = form
        theirs = row["conflict"] = conflicts.get(row["agreed"].statement_id)
        # A conflict re-shown carries their version, so saving again replaces theirs with yours.
        row["version"] = theirs.version if theirs else form["version"].value()
        row["orig"] = services.fingerprint(theirs.level, theirs.rationale) if theirs else form["orig"].value()
    context = {
        "cycle": cycle,
        "rows": rows,
        "formset": formset,
        "levels": {lv.value: lv.label for lv in levels},
        "editable": editable,
        "problem": problem,
        "conflicts": conflicts,
        "amendment": cycle.open_amendment(),
    }
    return render(request, "assessments/agree_many.jinja", context, status=status)


@org_view(PARTNERSHIP)
@require_POST
def evidence_add(request, cycle_id: int, statement_id: int):
    cycle = get_cycle(request, cycle_id)
    agreed = _get_agreed(request, cycle, statement_id)
    require_participant(request)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.add_evidence(
                cycle=cycle,
                statement=agreed.statement,
                kind=c["kind"],
                title=c["title"].strip(),
                note=c["note"].strip(),
                url=c["url"],
                upload=c["file"],
                actor=request.user,
            )
        except services.NotReady as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Evidence '{c['title']}' added.")
            return redirect("assessments:agree", org=request.org.slug, cycle_id=cycle.pk, statement_id=statement_id)
    levels = list(cycle.framework.levels.all())
    agree_form = AgreeForm(
        levels=levels, initial={"level": agreed.level, "rationale": agreed.rationale, "version": agreed.version}
    )
    context = _agree_context(request, cycle, agreed, agree_form, form)
    return render(request, "assessments/agree.jinja", context, status=400)


@org_view(PARTNERSHIP)
def evidence_download(request, cycle_id: int, evidence_id: int):
    """Uploaded evidence is served only here, to the partnership of this organisation."""
    cycle = get_cycle(request, cycle_id)
    evidence = get_object_or_404(Evidence.objects.filter(cycle=cycle, kind=Evidence.Kind.DOCUMENT), pk=evidence_id)
    if not evidence.file:
        raise Http404
    audit.record(
        "assessment.evidence.downloaded",
        actor=request.user,
        organisation=request.org,
        obj=cycle,
        data={"evidence": evidence.title},
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_filename or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@org_view(PARTNERSHIP)
def signoff(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    amendment = cycle.open_amendment()
    signed = cycle.signoffs(amendment)
    participant = request.participant
    form = None
    status = 200
    if participant and cycle.agreeing_open and signed.for_side(participant.side) is None:
        if request.method == "POST":
            form = SignForm(request.POST)
            if form.is_valid():
                try:
                    services.sign(
                        cycle=cycle,
                        side=Side(participant.side),
                        actor=request.user,
                        signatory_name=request.user.full_name,
                        signatory_role=form.cleaned_data["role"].strip(),
                    )
                except services.NotReady as exc:
                    form.add_error(None, str(exc))
                    status = 400
                else:
                    cycle.refresh_from_db()
                    messages.success(
                        request,
                        "Signed by both sides. The assessment is now locked."
                        if cycle.is_locked
                        else "Signed for your side. It needs the other side's signature too.",
                    )
                    return redirect("assessments:cycle", org=request.org.slug, cycle_id=cycle.pk)
            else:
                status = 400
        else:
            form = SignForm()
    elif request.method == "POST":
        status = 403 if participant is None else 400
    context = {
        "cycle": cycle,
        "form": form,
        "signed": signed,
        "amendment": amendment,
        "unagreed": services.unagreed_count(cycle) if cycle.both_submitted else None,
        "participant": participant,
        "Side": Side,
    }
    return render(request, "assessments/signoff.jinja", context, status=status)


@org_view(PARTNERSHIP)
def amend(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    require_participant(request)
    if not cycle.is_locked:
        messages.info(request, "This assessment is not signed off, so it can be changed without an amendment.")
        return redirect("assessments:cycle", org=request.org.slug, cycle_id=cycle.pk)
    if request.method == "POST":
        form = AmendmentForm(request.POST)
        if form.is_valid():
            amendment = services.open_amendment(
                cycle=cycle, reason=form.cleaned_data["reason"].strip(), actor=request.user
            )
            messages.success(
                request, f"Amendment {amendment.number} is open. Both sides must sign again when the changes are made."
            )
            return redirect("assessments:reconcile", org=request.org.slug, cycle_id=cycle.pk)
    else:
        form = AmendmentForm()
    return render(request, "assessments/amend.jinja", {"cycle": cycle, "form": form})
