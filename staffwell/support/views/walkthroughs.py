"""The just culture guide as a guided conversation. Visible only to its participants, the
person concerned and their rep; everyone else in the organisation gets 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staffwell.assessments.models import Cycle
from staffwell.core.permissions import Perm
from staffwell.organisations.access import org_view
from staffwell.support import content, justculture, services
from staffwell.support.forms import AnswerForm, FinishForm, OutcomeForm, RestorativeForm, WalkthroughForm
from staffwell.support.models import Walkthrough

CAN_START = (Perm.MANAGE_TEAM, Perm.LEAD_PARTNERSHIP_WORK)


def _get(request, walkthrough_id: int) -> Walkthrough:
    return get_object_or_404(
        Walkthrough.objects.for_org(request.org)
        .visible_to(request.membership)
        .select_related("person", "manager", "hr", "rep", "learning_action__cycle"),
        pk=walkthrough_id,
    )


def _editable(request, walkthrough_id: int) -> Walkthrough:
    w = _get(request, walkthrough_id)
    if not w.can_edit(request.membership):
        raise PermissionDenied
    return w


@never_cache
@org_view()
def index(request):
    mine = Walkthrough.objects.for_org(request.org).visible_to(request.membership).select_related("person")
    can_start = any(request.membership.has_perm(p) for p in CAN_START)
    return render(request, "support/walkthroughs.jinja", {"walkthroughs": mine, "can_start": can_start})


@never_cache
@org_view(CAN_START)
def new(request):
    form = WalkthroughForm(request.POST if request.method == "POST" else None, org=request.org, me=request.membership)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            w = justculture.start(
                org=request.org,
                person=d["person"],
                manager=request.membership,
                hr=d["hr"],
                rep=d["rep"],
                event=d["event"],
                actor=request.user,
            )
        except services.SupportError as exc:
            form.add_error("person", str(exc))
        else:
            messages.success(
                request,
                f"Started. {d['person'].full_name} has been told, can read this record, and has been offered support.",
            )
            return redirect("support:walkthrough_answer", org=request.org.slug, walkthrough_id=w.pk)
    programme = services.programme_for(request.org)
    return render(
        request,
        "support/walkthrough_new.jinja",
        {"form": form, "guide_url": content.GUIDE_URL, "programme": programme},
        status=400 if form.errors else 200,
    )


@never_cache
@org_view()
def detail(request, walkthrough_id: int):
    w = _get(request, walkthrough_id)
    justculture.log("viewed", walkthrough=w, actor=request.user)
    programme = services.programme_for(request.org)
    path = [(q, programme.question_text(q.key), w.answer(q.key)) for q in content.answered(w.answers)]
    return render(
        request,
        "support/walkthrough.jinja",
        {
            "w": w,
            "path": path,
            "tests": content.TEST_LABELS,
            "reached": w.reached,
            "reached_text": content.RECOMMENDATION_TEXT.get(w.reached, ""),
            "reached_label": content.Recommendation(w.reached).label if w.reached else "",
            "can_edit": w.can_edit(request.membership),
            "is_participant": request.membership.pk in w.participant_ids(),
            "is_person": request.membership.pk == w.person_id,
            "restorative": w.restorative.all(),
            "sections": content.RESTORATIVE_SECTIONS,
            "guide_url": content.GUIDE_URL,
            "history": justculture.history(w),
        },
    )


@never_cache
@org_view()
def answer(request, walkthrough_id: int):
    w = _editable(request, walkthrough_id)
    question = w.next_question
    if question is None:
        return redirect("support:walkthrough_finish", org=request.org.slug, walkthrough_id=w.pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            justculture.answer(
                walkthrough=w,
                key=request.POST.get("question", ""),
                value=form.cleaned_data["answer"],
                rationale=form.cleaned_data["rationale"],
                actor=request.user,
            )
        except services.SupportError as exc:
            messages.error(request, str(exc))
        return redirect("support:walkthrough_answer", org=request.org.slug, walkthrough_id=w.pk)
    programme = services.programme_for(request.org)
    return render(
        request,
        "support/walkthrough_answer.jinja",
        {
            "w": w,
            "form": form,
            "question": question,
            "question_text": programme.question_text(question.key),
            "test_label": content.TEST_LABELS[question.test],
            "step": [t for t, _ in content.TESTS].index(question.test) + 1,
            "steps": len(content.TESTS),
            "answered": bool(content.answered(w.answers)),
        },
        status=400 if form.errors else 200,
    )


@org_view()
@require_POST
def back(request, walkthrough_id: int):
    w = _editable(request, walkthrough_id)
    justculture.step_back(walkthrough=w, actor=request.user)
    return redirect("support:walkthrough_answer", org=request.org.slug, walkthrough_id=w.pk)


@never_cache
@org_view()
def finish(request, walkthrough_id: int):
    w = _editable(request, walkthrough_id)
    if w.reached is None:
        return redirect("support:walkthrough_answer", org=request.org.slug, walkthrough_id=w.pk)
    form = FinishForm(request.POST if request.method == "POST" else None, org=request.org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        action = justculture.finish(
            walkthrough=w,
            cycle=d["cycle"],
            title=d["title"],
            description=d["description"],
            measure=d["measure"],
            due_date=d["due_date"],
            actor=request.user,
        )
        messages.success(request, f"Learning action '{action.title}' added to the action plan.")
        return redirect("support:walkthrough", org=request.org.slug, walkthrough_id=w.pk)
    return render(
        request,
        "support/walkthrough_finish.jinja",
        {
            "w": w,
            "form": form,
            "has_plans": Cycle.objects.for_org(request.org).exists(),
            "reached_label": content.Recommendation(w.reached).label,
            "reached_text": content.RECOMMENDATION_TEXT[w.reached],
        },
        status=400 if form.errors else 200,
    )


@never_cache
@org_view()
def outcome(request, walkthrough_id: int):
    w = _get(request, walkthrough_id)
    if request.membership.pk not in w.participant_ids():
        raise PermissionDenied
    initial = {
        f: getattr(w, f) for f in ("investigation", "suspended", "days_suspended", "no_case_to_answer", "ethnic_group")
    }
    form = OutcomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        justculture.record_outcome(walkthrough=w, data=form.cleaned_data, actor=request.user)
        messages.success(request, "Saved. It counts only in the board's suppressed figures.")
        return redirect("support:walkthrough", org=request.org.slug, walkthrough_id=w.pk)
    return render(
        request, "support/walkthrough_outcome.jinja", {"w": w, "form": form}, status=400 if form.errors else 200
    )


@never_cache
@org_view()
def restorative_new(request, walkthrough_id: int):
    w = _get(request, walkthrough_id)
    if request.membership.pk not in w.participant_ids():
        raise PermissionDenied
    form = RestorativeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        justculture.add_restorative(walkthrough=w, held_on=d["held_on"], details=d, actor=request.user)
        messages.success(request, "Restorative conversation recorded.")
        return redirect("support:walkthrough", org=request.org.slug, walkthrough_id=w.pk)
    return render(request, "support/restorative_new.jinja", {"w": w, "form": form}, status=400 if form.errors else 200)
