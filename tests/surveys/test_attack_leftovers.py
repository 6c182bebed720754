"""Attack leftovers (issue 12): the answering pages name who is signed in; the task table
keeps how many had not answered at each reminder round; the console email backend prints
personal links into the log; comments published under successive thresholds or unit trees
are set against each other."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from staffwell.core.navigation import navigation_for
from staffwell.suppression import publication
from staffwell.suppression.disclosure import find_leak
from staffwell.surveys.tasks import send_invitations, send_reminders
from tests.core.test_security_and_health import KEY, SETTINGS_DUMP, run_python
from tests.surveys.helpers import add_people, answer_as, make_campaign

# --------------------------------------------------------------------------- shared devices


def test_the_answering_pages_do_not_show_who_is_signed_in(world, client_for, rf):
    add_people(world.org, world.team, 11)
    campaign = make_campaign(world, units=[world.team])
    manager = world.memberships["manager"]
    from staffwell.surveys import services

    token = services.invitation_token(campaign.invitations.get(membership=manager).secret)
    client = client_for("manager")
    user = world.users["manager"]
    home = client.get(reverse("core:home")).content.decode()
    assert user.full_name in home  # elsewhere the header names them
    request = rf.get("/")
    request.user = user
    role_links = [item["href"] for item in navigation_for(request) if item.get("href") not in (None, "/")]

    def url(step, **kw):
        return reverse(f"surveys:respond_{step}", kwargs={"token": token, **kw})

    pages = {"start": client.get(url("start"))}
    client.post(url("start"), {"mode": "one"})
    first = campaign.instrument.ordered_questions()[0].number
    pages["question"] = client.get(url("question", number=first))
    pages["all"] = client.get(url("all"))
    pages["check"] = client.get(url("check"))
    pages["saved"] = client.get(url("saved"))
    answer_as(manager, campaign)
    pages["done"] = client.get(url("done"))
    pages["kiosk"] = client.get(reverse("surveys:kiosk"))
    for step, response in pages.items():
        assert response.status_code in (200, 400), step
        page = response.content.decode()
        assert user.full_name not in page, f"the {step} page names who is signed in"
        assert user.email not in page, f"the {step} page shows who is signed in"
        for href in role_links:
            assert f'href="{href}"' not in page, f"the {step} page shows the signed-in person's menu ({href})"
        assert "Sign out" in page  # they can still sign out


# --------------------------------------------------------------------------- task results


@pytest.mark.django_db(transaction=True)
def test_the_task_table_keeps_no_count_of_who_has_not_answered(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    people = add_people(world.org, world.team, 14)
    campaign = make_campaign(world, units=[world.team])
    for m in people[:5]:
        assert answer_as(m, campaign)
    send_invitations.enqueue(campaign.pk)
    send_reminders.enqueue(campaign.pk)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, stdout=io.StringIO())
    results = list(DBTaskResult.objects.filter(task_path__startswith="staffwell.surveys.tasks"))
    assert {r.task_path.rsplit(".", 1)[1] for r in results} >= {"send_invitations", "send_reminders"}
    for r in results:
        assert r.status == "SUCCESSFUL", (r.task_path, r.traceback)
        assert r.return_value is None, f"{r.task_path} kept {r.return_value!r} in the task table"


# --------------------------------------------------------------------------- logs


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_production_refuses_an_email_backend_that_writes_links_into_a_log(backend):
    result = run_python(
        SETTINGS_DUMP,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="staffwell.example",
        STAFFWELL_ENCRYPTION_KEYS=KEY,
        EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend",
    )
    assert result.returncode != 0
    assert "only allowed with STAFFWELL_ENV=development" in result.stderr


def test_production_starts_with_smtp_email():
    result = run_python(
        SETTINGS_DUMP, SECRET_KEY="x" * 50, ALLOWED_HOSTS="staffwell.example", STAFFWELL_ENCRYPTION_KEYS=KEY
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------- comments over time

# Found by searching small publications with the attacker's exact test: comments shown for
# each unit under one unit tree, then under another (or another comment threshold), with a
# plan for each on its own, together give the comments of a group below the threshold.
TREE = publication.Tree({1: None, 2: 1, 3: 1, 4: None})
MOVED = publication.Tree({1: None, 2: 1, 3: 4, 4: None})  # unit 3 moves from 1 to 4
SIZES = {(1, ""): 9, (2, ""): 21, (3, ""): 2, (4, ""): 14}


def _comments(tree, threshold, history):
    _, plan = publication.make_plans(
        tree=tree, sizes=SIZES, threshold=10, free_text_threshold=threshold, comment_history=history
    )
    groups = publication.comment_catalogue(tree=tree, cells=list(SIZES))
    shown = {k: groups[k] for k in plan.published if groups[k]}
    return shown, [*history, *((g, threshold) for g in shown.values())]


def _combined(readings, threshold):
    known = {(i, k): g for i, reading in enumerate(readings) for k, g in reading.items()}
    return find_leak(known, threshold, SIZES)


STEPS = [
    [(TREE, 10), (MOVED, 10)],
    [(MOVED, 10), (TREE, 10)],
    [(TREE, 10), (TREE, 15)],
    [(TREE, 15), (TREE, 10)],
    [(TREE, 10), (MOVED, 15), (TREE, 10)],
]


def test_the_comment_attack_is_real_without_a_history():
    readings = [_comments(tree, k, [])[0] for tree, k in STEPS[0]]
    leak = _combined(readings, 10)
    assert leak is not None and leak.weight < 10


@pytest.mark.parametrize("steps", STEPS, ids=["tree", "tree-back", "raised", "lowered", "tree-and-threshold"])
def test_comments_shown_over_time_take_the_earlier_ones_into_account(steps):
    history, readings = [], []
    for tree, k in steps:
        shown, history = _comments(tree, k, history)
        readings.append(shown)
    lowest = min(k for _, k in steps)
    leak = _combined(readings, lowest)
    assert leak is None, f"{steps} together isolate {leak.describe()}"


def test_the_report_records_the_comments_it_shows_and_the_next_plan_uses_them(world):
    from staffwell.organisations.models import Unit
    from staffwell.reporting.data import prepared
    from staffwell.reporting.models import PublicationHistory
    from staffwell.surveys import services
    from tests.factories import UnitFactory

    surgery = UnitFactory(organisation=world.org, name="Surgery")
    ward9 = UnitFactory(organisation=world.org, parent=surgery, name="Ward 9")
    answering = {world.team: 8, world.other_team: 10, ward9: 10}
    for unit in answering:
        add_people(world.org, unit, 12)
    campaign = make_campaign(world, units=list(answering))
    for unit, n in answering.items():
        for inv in list(campaign.invitations.filter(membership__unit=unit).select_related("membership"))[:n]:
            assert answer_as(inv.membership, campaign, text=f"comment from {unit.name}")
    services.close(campaign=campaign, actor=world.users["lead"])
    first = prepared(campaign)
    entries = PublicationHistory.objects.get(campaign=campaign).groups
    assert any(e.get("kind") == "comments" for e in entries), "the comments shown are not recorded"
    Unit.objects.filter(pk=world.other_team.pk).update(parent=surgery)
    second = prepared(campaign)
    groups_then = publication.comment_catalogue(tree=first.tree, cells=list(first.sizes), units=list(first.units))
    groups_now = publication.comment_catalogue(tree=second.tree, cells=list(second.sizes), units=list(second.units))
    readings = [
        {k: groups_then[k] for k in first.comment_plan.published if groups_then.get(k)},
        {k: groups_now[k] for k in second.comment_plan.published if groups_now.get(k)},
    ]
    known = {(i, k): g for i, r in enumerate(readings) for k, g in r.items()}
    leak = find_leak(known, first.comment_plan.threshold, second.sizes)
    assert leak is None, f"the comments shown before and after the move isolate {leak.describe()}"
