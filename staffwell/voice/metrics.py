"""Figures both sides see. Every figure about people passes the one suppression service;
the number of posts is the length of the list the board shows everyone."""

from collections import defaultdict

from staffwell import suppression
from staffwell.voice.models import Post, Support
from staffwell.voice.services import settings_for


def figures(org, posts=None) -> dict:
    posts = list(Post.objects.for_org(org).public() if posts is None else posts)
    days = settings_for(org).response_days
    answered = [p for p in posts if p.first_answered_on]
    in_target = [p for p in answered if (p.first_answered_on - p.raised_on).days <= days]
    done = [p for p in posts if p.status == Post.Status.DONE]
    supports = Support.objects.filter(post__in=[p.pk for p in posts]).count()
    return {
        # The number of posts the board lists, post by post, to everyone in the
        # organisation: counting them tells nobody anything the list does not, so it is
        # shown as it is (docs/staff-voice.md, "Figures").
        "posts": len(posts),
        # A running count that moves with each release: stepped like every support count.
        "supporters": suppression.progress(supports, org=org),
        "days_to_answer": suppression.mean(
            [float((p.first_answered_on - p.raised_on).days) for p in answered], org=org
        ),
        "within_target": suppression.share(len(in_target), len(posts), org=org),
        "done": suppression.share(len(done), len(posts), org=org),
    }


def by_area_and_month(org):
    """Public posts grouped by area (directorate, or the whole organisation) then month."""
    groups: dict = defaultdict(lambda: defaultdict(list))
    posts = Post.objects.for_org(org).public().select_related("unit__parent").order_by("-raised_on", "title")
    for post in posts:
        area = post.unit
        while area is not None and area.parent_id is not None:
            area = area.parent
        groups[area.name if area else "The whole organisation"][post.raised_on.replace(day=1)].append(post)
    return {area: dict(sorted(months.items(), reverse=True)) for area, months in sorted(groups.items())}
