from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from staffwell.records.access import owned_or_404
from staffwell.records.models import Grant
from staffwell.wellbeing import services
from staffwell.wellbeing.forms import ConversationForm
from staffwell.wellbeing.models import Conversation


def _mine(request, conversation_id):
    return owned_or_404(
        Conversation.objects.select_related("with_user").prefetch_related("actions"),
        user=request.user,
        pk=conversation_id,
    )


@never_cache
def conversations(request):
    items = Conversation.objects.owned_by(request.user).select_related("with_user").prefetch_related("actions")
    return render(request, "wellbeing/conversations.jinja", {"conversations": items})


def _initial(c: Conversation) -> dict:
    initial = {
        "status": c.status,
        "place": c.detail("place"),
        "summary": c.detail("summary"),
        "notes": c.detail("notes"),
        "share_their_actions": services.shares_their_actions(c),
    }
    if c.with_kind == Conversation.With.LINE_MANAGER and c.with_user_id:
        initial["who"] = f"manager:{c.with_user_id}"
    else:
        initial["who"] = "someone_else"
        initial["email"] = c.with_user.email if c.with_user_id else ""
        initial["name"] = c.with_name
    if c.status == Conversation.Status.HELD and c.held_on:
        initial["date"] = c.held_on.strftime("%d/%m/%Y")
    elif c.booked_for:
        local = timezone.localtime(c.booked_for)
        initial["date"] = local.strftime("%d/%m/%Y")
        initial["time"] = local.strftime("%H:%M")
    return initial


def _edit(request, conversation: Conversation | None):
    existing = list(conversation.actions.all()) if conversation else []
    if request.method == "POST":
        form = ConversationForm(request.POST, owner=request.user, existing_actions=existing)
        if form.is_valid():
            d = form.cleaned_data
            c = services.save_conversation(
                owner=request.user,
                conversation=conversation,
                with_kind=d["with_kind"],
                with_user=d["with_user"],
                with_name=d.get("name") or "",
                status=d["status"],
                booked_for=form.booked_for(),
                held_on=d.get("date"),
                details={
                    "place": d.get("place", "").strip(),
                    "summary": d.get("summary", "").strip(),
                    "notes": d.get("notes", "").strip(),
                },
                actions=form.actions(),
                share_their_actions=d.get("share_their_actions", False),
            )
            messages.success(request, "Conversation saved.")
            return redirect("wellbeing:conversation", conversation_id=c.pk)
    else:
        # Private unless the person chooses: sharing is never ticked for them.
        initial = _initial(conversation) if conversation else {"share_their_actions": False}
        form = ConversationForm(owner=request.user, existing_actions=existing, initial=initial)
    return render(
        request,
        "wellbeing/conversation_form.jinja",
        {"form": form, "conversation": conversation},
        status=400 if form.errors else 200,
    )


@never_cache
def conversation_new(request):
    return _edit(request, None)


@never_cache
def conversation_edit(request, conversation_id: int):
    return _edit(request, _mine(request, conversation_id))


@never_cache
def conversation_detail(request, conversation_id: int):
    c = _mine(request, conversation_id)
    return render(
        request,
        "wellbeing/conversation.jinja",
        {
            "c": c,
            "mine": c.actions_for("mine"),
            "theirs": c.actions_for("theirs"),
            "grants": Grant.objects.live().for_object(c).select_related("grantee"),
        },
    )


@never_cache
def conversation_delete(request, conversation_id: int):
    c = _mine(request, conversation_id)
    if request.method == "POST":
        services.delete_conversation(owner=request.user, conversation=c)
        messages.success(request, "Conversation deleted.")
        return redirect("wellbeing:conversations")
    return render(
        request,
        "wellbeing/delete.jinja",
        {"what": "this conversation and its notes and actions", "back": c.pk, "kind": "conversation"},
    )
