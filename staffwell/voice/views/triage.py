"""Joint triage, for employer-side leads and staff-side reps."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from staffwell.core import audit
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.voice import moderation, services, triage
from staffwell.voice.forms import ActionForm, AnswerForm, MergeForm, ModerateForm, SettingsForm
from staffwell.voice.models import Post
from staffwell.voice.views.common import TRIAGERS, get_post, voice_view


@voice_view(TRIAGERS)
def queue(request):
    org = request.org
    conf = services.settings_for(org)
    waiting = list(triage.waiting(org).select_related("unit").order_by("raised_on", "title"))
    late = {p.pk for p in triage.overdue(org)}
    rows = [(p, triage.due_on(p, conf.response_days), p.pk in late, triage.answer_state(p)) for p in waiting]
    context = {
        "rows": rows,
        "overdue": len(late),
        "conf": conf,
        "side": side_of(request.membership),
    }
    return render(request, "voice/triage.jinja", context)


def _context(request, post, **forms):
    org = request.org
    conf = services.settings_for(org)
    side = side_of(request.membership)
    state = triage.answer_state(post)
    others = Post.objects.for_org(org).public().exclude(pk=post.pk).order_by("title")
    return {
        "post": post,
        "side": side,
        "state": state,
        "terms": triage.proposal(post),
        "mine": state.for_side(side) if side else None,
        "answer_form": forms.get("answer_form") or AnswerForm(initial=triage.proposal(post) or {}),
        "moderate_form": forms.get("moderate_form") or ModerateForm(),
        "publish_state": triage.moderation_state(post, "publish"),
        "decline_state": triage.moderation_state(post, "decline"),
        "merge_form": forms.get("merge_form") or MergeForm(posts=others),
        "cycles": triage.plan_cycles(org),
        "supporters": services.support_figures(org, [post])[str(post.pk)],
        "comments": post.comments.all(),
        "due_on": triage.due_on(post, conf.response_days),
        "REASONS": moderation.REASONS,
    }


@voice_view(TRIAGERS)
def detail(request, post_id):
    post = get_post(request, post_id, public=False)
    return render(request, "voice/triage_post.jinja", _context(request, post))


@voice_view(TRIAGERS)
@require_POST
def answer(request, post_id):
    post = get_post(request, post_id, public=False)
    try:
        if request.POST.get("agree"):
            version = int(request.POST.get("version", "0")) if request.POST.get("version", "").isdigit() else -1
            state = triage.agree(post=post, membership=request.membership, version=version)
        else:
            form = AnswerForm(request.POST)
            if not form.is_valid():
                return render(request, "voice/triage_post.jinja", _context(request, post, answer_form=form), status=400)
            d = form.cleaned_data
            state = triage.propose(
                post=post,
                membership=request.membership,
                status=d["status"],
                answer=d["answer"].strip(),
                pointer=d["pointer"].strip(),
            )
    except partnership.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        if state.complete:
            messages.success(request, "Both sides have agreed. The status and answer are now public.")
        else:
            messages.success(request, f"Your side has agreed. Waiting for the {state.waiting_for.label.lower()}.")
    return redirect("voice:triage_post", org=request.org.slug, post_id=post.pk)


@voice_view(TRIAGERS)
@require_POST
def moderate(request, post_id):
    post = get_post(request, post_id, public=False)
    if post.status != Post.Status.HELD:
        messages.error(request, "This post is not held for review.")
        return redirect("voice:triage_post", org=request.org.slug, post_id=post.pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return render(request, "voice/triage_post.jinja", _context(request, post, moderate_form=form), status=400)
    try:
        state = triage.moderate(
            post=post,
            membership=request.membership,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"].strip(),
        )
    except partnership.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Both sides agreed the decision."
            if state.complete
            else "Your side's decision is recorded. It needs the other side to agree the same decision.",
        )
    return redirect("voice:triage_post", org=request.org.slug, post_id=post.pk)


@voice_view(TRIAGERS)
@require_POST
def merge(request, post_id):
    post = get_post(request, post_id, public=False)
    others = Post.objects.for_org(request.org).public().exclude(pk=post.pk)
    form = MergeForm(request.POST, posts=others)
    if not form.is_valid():
        return render(request, "voice/triage_post.jinja", _context(request, post, merge_form=form), status=400)
    into = others.get(pk=form.cleaned_data["into"])
    # How many supporters moved is an exact count of people: not shown (the post's own
    # figure, through the suppression service, shows the result).
    services.merge(duplicate=post, into=into, membership=request.membership)
    messages.success(request, f"Merged into '{into.title}'. Its supporters now count there, each once.")
    return redirect("voice:triage_post", org=request.org.slug, post_id=into.pk)


@voice_view(TRIAGERS)
def action(request, post_id):
    post = get_post(request, post_id, public=False)
    cycles = triage.plan_cycles(request.org)
    if post.action_id:
        messages.info(request, "This post is already an action in the plan.")
        return redirect("voice:triage_post", org=request.org.slug, post_id=post.pk)
    if not cycles:
        messages.error(request, "There is no action plan yet: both sides must first submit an assessment.")
        return redirect("voice:triage_post", org=request.org.slug, post_id=post.pk)
    if request.method == "POST":
        form = ActionForm(request.POST, cycles=cycles)
        if form.is_valid():
            d = form.cleaned_data
            made = triage.make_action(
                post=post,
                membership=request.membership,
                cycle=form.cycles[d["cycle"]],
                title=d["title"].strip(),
                measure=d["measure"].strip(),
                due_date=d["due_date"],
            )
            messages.success(request, f"'{made.title}' is now an action in the plan. The post follows its status.")
            return redirect("voice:triage_post", org=request.org.slug, post_id=post.pk)
    else:
        form = ActionForm(cycles=cycles, initial={"title": post.title})
    return render(request, "voice/action_form.jinja", {"post": post, "form": form}, status=400 if form.errors else 200)


@voice_view(TRIAGERS)
def settings_view(request):
    conf = services.settings_for(request.org)
    form = SettingsForm(request.POST or None, instance=conf)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            "voice.settings.changed",
            actor=request.user,
            organisation=request.org,
            obj=conf,
            data={"response_days": conf.response_days, "remind_days_before": conf.remind_days_before},
        )
        messages.success(request, "Staff voice settings saved.")
        return redirect("voice:triage", org=request.org.slug)
    return render(request, "voice/settings.jinja", {"form": form}, status=400 if form.errors else 200)
