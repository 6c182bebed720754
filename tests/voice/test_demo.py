"""The demo: staff voice posts with supporters and agreed answers, and guardian contacts."""

import pytest
from django.core.management import call_command

from staffwell.organisations.models import Organisation
from staffwell.voice.models import Post, Support, VoiceSettings


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    return Organisation.objects.get(slug="northgate")


def test_the_demo_has_named_and_anonymous_posts_supporters_and_agreed_answers(demo):
    posts = Post.objects.for_org(demo)
    assert posts.filter(anonymous=True, author=None).count() == 2 and posts.filter(anonymous=False).count() == 2
    assert Support.objects.filter(post__organisation=demo).count() >= 12
    assert posts.filter(status=Post.Status.DONE).exists() and posts.exclude(answer="").count() == 2
    assert VoiceSettings.objects.get(organisation=demo).guardian_contacts
