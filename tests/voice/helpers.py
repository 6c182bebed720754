"""Posts for tests, made through the services the pages use."""

import datetime as dt

from staffwell.voice import sealed, services
from staffwell.voice.models import Post


def named_post(world, persona="staff", title="More bike racks by the staff entrance", **kw) -> Post:
    fields = {"unit": None, "kind": Post.Kind.IDEA, "body": "The racks are always full by 8am.", "hold": False}
    fields.update(kw)
    return services.post_named(membership=world.memberships[persona], title=title, **fields).post


def anonymous_post(org, title="Water fountain on Ward 7", body="We have nowhere to fill bottles on nights.", **kw):
    """An anonymous post, released. Returns (post, code)."""
    fields = {"unit": None, "kind": Post.Kind.IDEA, "hold": False}
    fields.update(kw)
    done = services.post_anonymous(org=org, form_token=sealed.new_form_token(), title=title, body=body, **fields)
    services.release()
    return Post.objects.get(follow_hash=sealed.follow_hashes(done.code)[0]), done.code


def backdate(post: Post, days: int) -> Post:
    Post.objects.filter(pk=post.pk).update(raised_on=post.raised_on - dt.timedelta(days=days))
    post.refresh_from_db()
    return post


def matrix_post(w) -> Post:
    return Post.objects.filter(organisation=w.org).first() or named_post(w, "lead", title="Matrix post")
