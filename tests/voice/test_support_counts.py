"""Support counts pass the one suppression service (docs/staff-voice.md, "Figures").

Found by an attacker: the board and each post page showed exact counts such as "7 people
support this" with a minimum reporting group of 10. An exact small count that moves after
an hourly release in which few people were active narrows down who pressed "me too". Each
count is now the service's stepped running count (``suppression.progress``): withheld
below k, "at least 10" for 10 to 19, and so on, on every page and export, for both sides.
"""

import re
import uuid

from django.urls import reverse

from staffwell.voice import exports, services
from staffwell.voice.models import Post, Support
from tests.voice.helpers import anonymous_post, named_post


def _url(name, world, **kw):
    return reverse(f"voice:{name}", kwargs={"org": world.org.slug, **kw})


def _supporters(post: Post, n: int) -> None:
    """``n`` released supports: keyed hashes, as the release writes them."""
    Support.objects.bulk_create(Support(id=uuid.uuid4(), post=post, supporter_hash=uuid.uuid4().hex) for _ in range(n))


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _pages(client_for, world, post, code=None):
    """Every page that shows the post's support, for every persona that can see it."""
    for persona in ("staff", "manager", "editor", "lead", "rep"):
        client = client_for(persona)
        yield f"{persona} board", _text(client.get(_url("index", world)))
        yield f"{persona} post", _text(client.get(_url("post", world, post_id=post.pk)))
    for persona in ("lead", "rep"):
        yield f"{persona} triage", _text(client_for(persona).get(_url("triage_post", world, post_id=post.pk)))
    if code:
        yield "author", _text(client_for("staff").post(_url("follow", world), {"code": code}))


def test_a_count_below_the_minimum_group_is_never_shown_exactly(world, client_for):
    post, code = anonymous_post(world.org)
    _supporters(post, 7)
    for where, text in _pages(client_for, world, post, code):
        assert "7 people support this" not in text, where
        assert "Fewer than 10 people support this" in text, where


def test_a_count_of_at_least_k_is_shown_in_whole_steps_of_k(world, client_for):
    post, code = anonymous_post(world.org)
    _supporters(post, 23)
    for where, text in _pages(client_for, world, post, code):
        assert "23 people" not in text, where
        assert "At least 20 people support this" in text, where
    _supporters(post, 6)  # 29: the same step, so a reader sees no change
    for where, text in _pages(client_for, world, post, code):
        assert "At least 20 people support this" in text and "29 people" not in text, where


def test_the_summary_and_its_pdf_step_the_supporters_and_show_the_posts_the_board_lists(world, client_for):
    posts = [named_post(world, title=f"Idea {n}") for n in range(3)]
    _supporters(posts[0], 8)
    _supporters(posts[1], 6)  # 14 in all
    for persona in ("lead", "rep"):
        text = _text(client_for(persona).get(_url("summary", world)))
        row = text.split("Posts", 1)[1].split("Supporters", 1)[0]
        assert row.strip() == "3"  # the board lists all three to everyone: nothing to hide
        supporters = text.split('Supporters ("me too")', 1)[1].split("Days to first answer", 1)[0]
        assert supporters.strip() == "at least 10"
    context = exports.summary_context(world.org)
    assert str(context["figures"]["supporters"]) == "at least 10" and str(context["figures"]["posts"]) == "3"
    html = exports.summary_html(world.org)
    assert "at least 10" in html and ">14<" not in html


def test_the_summary_counts_exactly_the_posts_the_board_lists(world, client_for):
    named_post(world, title="Listed idea")
    held = named_post(world, title="Held idea", body="Diagnosed with cancer last year")
    assert held.status == Post.Status.HELD
    board = client_for("staff").get(_url("board", world)).content.decode()
    listed = board.count('href="/o/' + world.org.slug + "/voice/posts/")
    figures = exports.summary_context(world.org)["figures"]
    assert str(figures["posts"]) == str(listed) == "1"


def test_merging_says_supporters_moved_without_an_exact_count(world, client_for):
    first, dup = named_post(world, title="Bike racks"), named_post(world, "manager", title="More cycle racks")
    for persona in ("staff", "editor", "rep"):
        services.support(user=world.users[persona], post=dup)
    response = client_for("lead").post(_url("merge", world, post_id=dup.pk), {"into": str(first.pk)}, follow=True)
    text = _text(response)
    assert "Merged into" in text
    assert "3 supporters" not in text
    assert "Fewer than 10 people support this" in text
