from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404

from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.voice import sealed
from staffwell.voice.models import Post

TRIAGERS = PARTNERSHIP  # both sides triage


def is_triager(request) -> bool:
    return any(request.membership.has_perm(p) for p in TRIAGERS)


def get_post(request, post_id, *, public: bool = True) -> Post:
    """A post of the organisation; a held, declined or merged post only for triagers
    (and a named author), so everyone else gets 404."""
    post = get_object_or_404(Post.objects.for_org(request.org).select_related("unit", "action"), pk=post_id)
    hidden = post.status in {Post.Status.HELD, Post.Status.DECLINED}
    if public and hidden and not is_triager(request) and post.author_id != request.membership.pk:
        raise Http404
    return post


def no_store(response):
    """Pages that show a private code: never kept in the browser's cache or history copy."""
    response["Cache-Control"] = "no-store"
    return response


def voice_view(perm=Perm.VIEW_ORGANISATION):
    """``org_view`` for staff voice pages, plus cover: unless the view itself wrote the
    sealed inbox (and set ``request.inbox_written``), the inbox is re-sealed once after it.
    So every request writes the inbox exactly once (docs/staff-voice.md)."""

    def decorator(view):
        @org_view(perm)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.inbox_written = False
            response = view(request, *args, **kwargs)
            if not request.inbox_written:
                sealed.cover(request.org.pk)
            return response

        return wrapped

    return decorator
