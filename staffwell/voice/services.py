"""Posting, supporting, commenting and the batch release (docs/staff-voice.md).

Anonymous work (a post, an author's reply, any "me too") writes **only** the sealed
inbox: no audit event, no task, no session, no message. ``release`` later writes it out
as ordinary rows, in a random order, dated to the day, with random keys.
"""

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from staffwell import suppression
from staffwell.core import audit
from staffwell.organisations.models import Membership, Organisation
from staffwell.voice import moderation, sealed
from staffwell.voice.models import Comment, Post, Support, VoiceSettings


def settings_for(org: Organisation) -> VoiceSettings:
    """The organisation's settings, or the defaults (never written on a read: a row
    appearing when someone opens a page would mark the moment)."""
    return VoiceSettings.objects.filter(organisation=org).first() or VoiceSettings(organisation=org)


@dataclass
class Submitted:
    code: str | None
    reasons: list[str]
    post: Post | None = None


# --------------------------------------------------------------------------- posting


def post_named(*, membership: Membership, unit, kind: str, title: str, body: str, hold: bool) -> Submitted:
    org = membership.organisation
    reasons = moderation.check(org=org, text=f"{title}\n{body}", chosen=hold)
    with transaction.atomic():
        post = Post.objects.create(
            organisation=org,
            unit=unit,
            kind=kind,
            title=title,
            body=body,
            anonymous=False,
            author=membership,
            author_name=membership.full_name,
            raised_on=timezone.localdate(),
            status=Post.Status.HELD if reasons else Post.Status.NEW,
            hold_reasons=reasons,
        )
        audit.record("voice.post.created", actor=membership.user, organisation=org, obj=post, data={"kind": kind})
    return Submitted(code=None, reasons=reasons, post=post)


def post_anonymous(
    *, org: Organisation, form_token: str, unit, kind: str, title: str, body: str, hold: bool
) -> Submitted:
    """Seal an anonymous post into the inbox. Takes no person at all. A resubmitted form
    (same one-time token) is stored once, and its code is never shown again: the code is
    random, shown only in the answer to the first submission (``code`` is None after)."""
    reasons = moderation.check(org=org, text=f"{title}\n{body}", chosen=hold)
    code = sealed.new_code()
    t = sealed.token_hash(form_token)
    with transaction.atomic():
        inbox = sealed.locked(org.pk)
        content = sealed.unseal(inbox)
        if any(p["t"] == t for p in content["posts"]):
            code = None
        else:
            content["posts"].append(
                {
                    "t": t,
                    "unit": unit.pk if unit else None,
                    "kind": kind,
                    "title": title,
                    "body": body,
                    "day": timezone.localdate().isoformat(),
                    "follow": sealed.follow_hashes(code)[0],
                    "hold": reasons,
                }
            )
            sealed.store(inbox, content)
    return Submitted(code=code, reasons=reasons)


@dataclass
class Followed:
    post: Post | None
    pending: dict | None
    pending_replies: list


def follow(*, org: Organisation, code: str) -> Followed | None:
    """The post a private code belongs to, released or still waiting; None if none."""
    hashes = sealed.follow_hashes(code)
    post = Post.objects.for_org(org).filter(follow_hash__in=hashes, anonymous=True).first()
    content = sealed.peek(org.pk)
    if post is not None:
        replies = [r for r in content["replies"] if r["post"] == str(post.pk)]
        return Followed(post=post, pending=None, pending_replies=replies)
    pending = next((p for p in content["posts"] if p["follow"] in hashes), None)
    return Followed(post=None, pending=pending, pending_replies=[]) if pending else None


def reply_as_author(*, org: Organisation, post: Post, body: str) -> None:
    with transaction.atomic():
        inbox = sealed.locked(org.pk)
        content = sealed.unseal(inbox)
        content["replies"].append({"post": str(post.pk), "body": body, "day": timezone.localdate().isoformat()})
        sealed.store(inbox, content)


# --------------------------------------------------------------------------- me too, comments


def supports(*, user, post: Post) -> bool:
    h = sealed.supporter_hash(post_id=post.pk, user_id=user.pk)
    if post.supports.filter(supporter_hash=h).exists():
        return True
    return any(s["post"] == str(post.pk) and s["h"] == h for s in sealed.peek(post.organisation_id)["supports"])


def support(*, user, post: Post) -> bool:
    """Add one person's "me too", sealed until the next release. False if already there."""
    h = sealed.supporter_hash(post_id=post.pk, user_id=user.pk)
    with transaction.atomic():
        inbox = sealed.locked(post.organisation_id)
        content = sealed.unseal(inbox)
        if post.supports.filter(supporter_hash=h).exists() or any(
            s["post"] == str(post.pk) and s["h"] == h for s in content["supports"]
        ):
            return False
        content["supports"].append({"post": str(post.pk), "h": h})
        sealed.store(inbox, content)
    return True


def support_counts(org: Organisation, posts) -> dict:
    """Exact supporters per post, as of the last release: never shown as they are (pages
    use ``support_figures``). A "me too" waiting in the sealed inbox
    is not counted: a count that moved with each click would tell anyone watching it who
    had just supported the post."""
    ids = [p.pk for p in posts]
    counts = dict.fromkeys((str(i) for i in ids), 0)
    for s in Support.objects.filter(post_id__in=ids, post__organisation=org).values_list("post_id", flat=True):
        counts[str(s)] += 1
    return counts


def support_figures(org: Organisation, posts) -> dict:
    """Each post's support as people see it, on every page and export and for both sides:
    the suppression service's stepped running count (``suppression.progress``), withheld
    below the minimum reporting group k and otherwise "at least" a whole multiple of k. An
    exact count that moved after a quiet hourly release would narrow down who pressed
    "me too" (docs/staff-voice.md, "Figures"). Anything ordered by support must order by
    these stepped figures (then by date), never by ``support_counts``."""
    return {pk: suppression.progress(n, org=org) for pk, n in support_counts(org, posts).items()}


def comment(*, membership: Membership, post: Post, body: str) -> Comment:
    with transaction.atomic():
        made = Comment.objects.create(
            post=post,
            body=body,
            written_on=timezone.localdate(),
            author=membership,
            author_name=membership.full_name,
        )
        audit.record("voice.comment.added", actor=membership.user, organisation=post.organisation, obj=post)
    return made


# --------------------------------------------------------------------------- release


def release(*, org_ids=None) -> dict[str, int]:
    """Write every organisation's waiting anonymous activity out as rows, in a random
    order, and empty the inbox, in one transaction per organisation."""
    done = {"posts": 0, "supports": 0, "replies": 0}
    orgs = Organisation.objects.all() if org_ids is None else Organisation.objects.filter(pk__in=org_ids)
    for org_id in orgs.values_list("pk", flat=True):
        sealed.ensure_inbox(org_id)
        with transaction.atomic():
            inbox = sealed.locked(org_id)
            content = sealed.unseal(inbox)
            if any(content.values()):
                for key, n in _write(org_id, content).items():
                    done[key] += n
            # Re-sealed every run, whether or not anything waited: a change of the
            # ciphertext at release says nothing about whether anyone posted.
            sealed.store(inbox, {k: [] for k in sealed.EMPTY})
    return done


def _write(org_id: int, content: dict) -> dict[str, int]:
    rng = random.SystemRandom()
    posts = [
        Post(
            id=uuid.uuid4(),
            organisation_id=org_id,
            unit_id=p["unit"],
            kind=p["kind"],
            title=p["title"],
            body=p["body"],
            anonymous=True,
            follow_hash=p["follow"],
            raised_on=dt.date.fromisoformat(p["day"]),
            status=Post.Status.HELD if p["hold"] else Post.Status.NEW,
            hold_reasons=p["hold"],
        )
        for p in content["posts"]
    ]
    rng.shuffle(posts)
    Post.objects.bulk_create(posts)
    existing = set(Post.objects.filter(organisation_id=org_id).values_list("pk", flat=True))
    seen = set(
        Support.objects.filter(
            post__organisation_id=org_id, supporter_hash__in=[s["h"] for s in content["supports"]]
        ).values_list("post_id", "supporter_hash")
    )
    support_rows = []
    for s in content["supports"]:
        key = (uuid.UUID(s["post"]), s["h"])
        if key[0] in existing and key not in seen:
            seen.add(key)
            support_rows.append(Support(id=uuid.uuid4(), post_id=key[0], supporter_hash=s["h"]))
    rng.shuffle(support_rows)
    Support.objects.bulk_create(support_rows)
    replies = [
        Comment(
            id=uuid.uuid4(),
            post_id=uuid.UUID(r["post"]),
            body=r["body"],
            written_on=dt.date.fromisoformat(r["day"]),
            from_author=True,
        )
        for r in content["replies"]
        if uuid.UUID(r["post"]) in existing
    ]
    rng.shuffle(replies)
    Comment.objects.bulk_create(replies)
    return {"posts": len(posts), "supports": len(support_rows), "replies": len(replies)}


# --------------------------------------------------------------------------- merging


def merge(*, duplicate: Post, into: Post, membership: Membership) -> int:
    """Merge a duplicate into another post: its supporters count once on the other.
    Supports are keyed hashes of post and person, so each member's hash is recomputed in
    memory (never stored or logged) to carry each supporter across once. Returns how many
    supporters moved."""
    if duplicate.pk == into.pk or duplicate.organisation_id != into.organisation_id:
        raise ValueError("Choose a different post of the same organisation.")
    release(org_ids=[duplicate.organisation_id])
    moved = 0
    with transaction.atomic():
        dup_hashes = set(duplicate.supports.values_list("supporter_hash", flat=True))
        into_hashes = set(into.supports.values_list("supporter_hash", flat=True))
        users = Membership.objects.for_org(duplicate.organisation).exclude(user=None).values_list("user_id", flat=True)
        new = []
        for user_id in users:
            if sealed.supporter_hash(post_id=duplicate.pk, user_id=user_id) in dup_hashes:
                h = sealed.supporter_hash(post_id=into.pk, user_id=user_id)
                if h not in into_hashes:
                    into_hashes.add(h)
                    new.append(Support(id=uuid.uuid4(), post=into, supporter_hash=h))
        random.SystemRandom().shuffle(new)
        Support.objects.bulk_create(new)
        moved = len(new)
        duplicate.supports.all().delete()
        Post.objects.filter(pk=duplicate.pk).update(status=Post.Status.MERGED, duplicate_of=into)
        audit.record(
            "voice.post.merged",
            actor=membership.user,
            organisation=duplicate.organisation,
            obj=duplicate,
            data={"into": str(into.pk), "title": into.title},
        )
    return moved
