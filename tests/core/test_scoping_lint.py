"""The scoping lint (scripts/check_scoping.py, run by `make lint`): a view that queries a
sensitive model's manager directly, instead of starting from the organisation or the
person, fails CI unless it is a reviewed exception with a reason."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_scoping", ROOT / "scripts" / "check_scoping.py")
lint = importlib.util.module_from_spec(spec)
sys.modules["check_scoping"] = lint
spec.loader.exec_module(lint)

SENSITIVE = {"Cycle", "Passport", "Membership"}

BAD = """
from django.shortcuts import get_object_or_404
from staffwell.assessments.models import Cycle
from staffwell.passports.models import Passport as P


def detail(request, cycle_id):
    cycle = Cycle.objects.get(pk=cycle_id)
    also = get_object_or_404(Cycle, pk=cycle_id)
    every = Cycle.objects.all()
    theirs = P.objects.select_related("owner").get(pk=request.GET["id"])
"""

GOOD = """
from django.shortcuts import get_object_or_404
from staffwell.assessments.models import Cycle
from staffwell.organisations.models import Membership
from staffwell.passports.models import Passport


def detail(request, cycle_id):
    cycle = get_object_or_404(Cycle.objects.for_org(request.org).select_related("framework"), pk=cycle_id)
    mine = Passport.objects.select_related("owner").filter(owner=request.user)
    same = get_object_or_404(Passport, pk=1, owner=request.user)
    Cycle.objects.filter(pk=cycle.pk).update(title="x")
    people = Membership.objects.for_org(request.org).holding("partnership.lead")
"""


def test_a_view_querying_a_sensitive_model_directly_is_caught():
    found = lint.check_source(BAD, "staffwell/x/views.py", SENSITIVE)
    assert [(f.line, f.model, f.method) for f in found] == [
        (8, "Cycle", "get"),
        (9, "Cycle", "lookup"),
        (10, "Cycle", "all"),
        (11, "Passport", "select_related"),
    ]
    assert "for_org(request.org)" in str(found[0])


def test_queries_scoped_to_the_organisation_the_person_or_an_object_already_held_pass():
    assert lint.check_source(GOOD, "staffwell/x/views.py", SENSITIVE) == []


def test_the_tree_passes_and_every_exception_still_occurs_and_has_a_reason(capsys):
    assert lint.main() == 0, capsys.readouterr().out
    for (path, _), reason in lint.read_exceptions(lint.EXCEPTIONS).items():
        assert (ROOT / path).exists() and len(reason) > 20


def test_a_bad_view_in_the_tree_fails_the_check_and_a_stale_exception_is_reported(tmp_path, capsys):
    app = tmp_path / "staffwell" / "things"
    (app / "views").mkdir(parents=True)
    (app / "models.py").write_text("from django.db import models\n\n\nclass Cycle(models.Model):\n    pass\n")
    (app / "views" / "pages.py").write_text(BAD.replace("staffwell.passports.models", "staffwell.things.models"))
    exceptions = tmp_path / "exceptions.txt"
    exceptions.write_text("staffwell/things/views/gone.py  Cycle.get  # a reason long enough to be reviewed\n")
    assert lint.main(tmp_path, exceptions) == 1
    out = capsys.readouterr().out
    assert "staffwell/things/views/pages.py:8: Cycle.objects.get(...)" in out
    assert "no longer occurs" in out


def test_an_exception_without_a_reason_is_refused(tmp_path):
    exceptions = tmp_path / "exceptions.txt"
    exceptions.write_text("staffwell/x/views.py  Cycle.get\n")
    with pytest.raises(SystemExit, match="reason is required"):
        lint.read_exceptions(exceptions)
