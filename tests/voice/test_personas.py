"""Who sees what on the staff voice pages."""

from django.urls import reverse

from tests.voice.helpers import named_post


def _get(client_for, persona, name, world, **kw):
    return client_for(persona).get(reverse(f"voice:{name}", kwargs={"org": world.org.slug, **kw}))


def test_every_member_reads_the_board_but_only_the_two_sides_triage(world, client_for):
    post = named_post(world)
    for persona in ("staff", "manager", "editor", "admin", "lead", "rep"):
        assert post.title in _get(client_for, persona, "board", world).content.decode()
        triage_link = "Triage posts with the other side" in _get(client_for, persona, "index", world).content.decode()
        assert triage_link == (persona in {"lead", "rep"})
    for persona in ("staff", "manager", "editor", "admin"):
        assert _get(client_for, persona, "triage", world).status_code == 403
        assert _get(client_for, persona, "triage_post", world, post_id=post.pk).status_code == 403


def test_a_named_author_sees_their_held_post_and_why_but_colleagues_do_not(world, client_for):
    post = named_post(world, body="Tell Manager Person to stop", title="Rota")
    assert "Held for review" in _get(client_for, "staff", "post", world, post_id=post.pk).content.decode()
    assert _get(client_for, "manager", "post", world, post_id=post.pk).status_code == 404
    assert post.title in _get(client_for, "staff", "mine", world).content.decode()
    assert post.title not in _get(client_for, "manager", "mine", world).content.decode()


def test_nobody_sees_who_supports_a_post(world, client_for):
    from staffwell.voice import services

    post = named_post(world)
    services.support(user=world.users["manager"], post=post)
    services.release()
    for persona in ("lead", "rep", "admin"):
        for name in ("post", "triage_post"):
            response = _get(client_for, persona, name, world, post_id=post.pk)
            if response.status_code == 200:
                assert "Manager Person" not in response.content.decode()


def test_both_sides_see_the_same_new_and_held_posts_in_triage(world, client_for):
    fresh = named_post(world, title="Fresh idea")
    held = named_post(world, title="Held idea", body="Diagnosed with cancer last year")
    for persona in ("lead", "rep"):
        page = _get(client_for, persona, "triage", world).content.decode()
        assert fresh.title in page and held.title in page
