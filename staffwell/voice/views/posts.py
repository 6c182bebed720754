"""Posting, reading, "me too" and comments: every member of staff."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from staffwell.voice import moderation, sealed, services
from staffwell.voice.forms import CommentForm, PostForm
from staffwell.voice.models import Post
from staffwell.voice.views.common import get_post, is_triager, no_store, voice_view

STATUS_FILTERS = [("", "All"), ("open", "Waiting for an answer"), ("doing", "We're doing it"), ("done", "Done")]


@voice_view()
def index(request):
    posts = Post.objects.for_org(request.org).public().select_related("unit")
    shown = request.GET.get("show", "")
    if shown == "open":
        posts = posts.filter(status__in=[Post.Status.NEW, Post.Status.UNDER_REVIEW])
    elif shown in {"doing", "done"}:
        posts = posts.filter(status=shown)
    posts = list(posts[:200])
    context = {
        "posts": posts,
        "counts": services.support_figures(request.org, posts),
        "filters": STATUS_FILTERS,
        "shown": shown,
        "triager": is_triager(request),
    }
    return render(request, "voice/index.jinja", context)


@voice_view()
def new(request):
    org = request.org
    conf = services.settings_for(org)
    if request.method == "POST":
        form = PostForm(request.POST, org=org)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "unit": data["audience"],
                "kind": data["kind"],
                "title": data["title"].strip(),
                "body": data["body"].strip(),
                "hold": data["hold"],
            }
            if data["anonymous"] == "anonymous":
                # Nothing of the person goes in: not the membership, not the user, not the
                # session. The code is shown once, on this page, and never stored.
                done = services.post_anonymous(org=org, form_token=data["token"], **fields)
                request.inbox_written = True
                context = {"code": done.code, "reasons": done.reasons, "REASONS": moderation.REASONS, "conf": conf}
                return no_store(render(request, "voice/posted_anonymously.jinja", context))
            done = services.post_named(membership=request.membership, **fields)
            if done.reasons:
                messages.info(request, "Your post is held until both sides have checked it. The reasons are below.")
            else:
                messages.success(request, "Your post is on the board.")
            return redirect("voice:post", org=org.slug, post_id=done.post.pk)
    else:
        form = PostForm(org=org, initial={"token": sealed.new_form_token()})
    return no_store(render(request, "voice/new.jinja", {"form": form, "conf": conf}))


@voice_view()
def mine(request):
    posts = Post.objects.for_org(request.org).filter(author=request.membership, anonymous=False)
    return render(request, "voice/mine.jinja", {"posts": posts})


def _detail_context(request, post, comment_form=None):
    from staffwell.voice import triage

    return {
        "post": post,
        "supporters": services.support_figures(request.org, [post])[str(post.pk)],
        "supported": services.supports(user=request.user, post=post),
        "comments": post.comments.all(),
        "comment_form": comment_form or CommentForm(),
        "triager": is_triager(request),
        "REASONS": moderation.REASONS,
        "conf": services.settings_for(request.org),
        "due_on": triage.due_on(post, services.settings_for(request.org).response_days),
    }


@voice_view()
def detail(request, post_id):
    post = get_post(request, post_id)
    if post.status == Post.Status.MERGED and post.duplicate_of_id:
        messages.info(request, "That post was merged with this one: its supporters count here.")
        return redirect("voice:post", org=request.org.slug, post_id=post.duplicate_of_id)
    return render(request, "voice/post.jinja", _detail_context(request, post))


@voice_view()
@require_POST
def support(request, post_id):
    post = get_post(request, post_id)
    if post.status in {Post.Status.HELD, Post.Status.DECLINED, Post.Status.MERGED}:
        messages.error(request, "This post cannot be supported.")
    else:
        # No message and no session write: the page shows "you support this" from the
        # keyed hash, so nothing of this request is stored beside the sealed support.
        request.inbox_written = services.support(user=request.user, post=post)
    return redirect("voice:post", org=request.org.slug, post_id=post.pk)


@voice_view()
@require_POST
def comment(request, post_id):
    post = get_post(request, post_id)
    if post.status in {Post.Status.HELD, Post.Status.DECLINED, Post.Status.MERGED}:
        messages.error(request, "Comments are closed on this post.")
        return redirect("voice:post", org=request.org.slug, post_id=post.pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(request, "voice/post.jinja", _detail_context(request, post, form), status=400)
    services.comment(membership=request.membership, post=post, body=form.cleaned_data["body"].strip())
    messages.success(request, "Your comment is added.")
    return redirect("voice:post", org=request.org.slug, post_id=post.pk)
