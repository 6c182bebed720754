"""The benchmarks' own set-up, at a tiny scale. ``make bench`` is not part of ``make test``,
so a refactor once broke the survey benchmark's seed (it still called a removed function)
and nothing noticed until the next benchmark run. These run the same seed, close and
generate/measure code on the test database, with a few people."""

import pytest

from bench import absence, close_survey, seed_surveys
from staffwell.surveys import services
from staffwell.surveys.models import Campaign, Response
from tests.surveys.helpers import shipped

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _django_already_set_up(monkeypatch):
    """The benchmark scripts call ``django.setup()`` as their own processes must; here Django is
    set up already, and setting it up again would reconfigure logging for the rest of the
    worker's tests (replacing the handlers that carry the log filter)."""
    import django

    monkeypatch.setattr(django, "setup", lambda *args, **kwargs: None)


def test_the_survey_benchmark_seeds_a_launched_campaign_answers_it_and_closes_it(tmp_path, capsys):
    shipped()  # an earlier transactional test may have flushed the data migration's instruments
    tokens_file = tmp_path / "tokens"
    seed_surveys.main(30, 3, str(tokens_file))
    tokens = tokens_file.read_text().split()
    assert len(tokens) == 30
    campaign = Campaign.objects.get(name="Benchmark pulse")
    assert campaign.status == Campaign.Status.LAUNCHED
    assert all(services.ticket_for_token(t) is not None for t in tokens)
    close_survey.main(30)
    assert "released 30 responses" in capsys.readouterr().out
    assert Response.objects.filter(campaign=campaign).count() == 30


def test_the_absence_benchmark_generates_imports_and_compares_at_a_small_scale(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_ABSENCE_DIR", str(tmp_path))
    monkeypatch.setattr(absence, "PEOPLE", 200)
    monkeypatch.setattr(absence, "UNITS", 10)
    monkeypatch.setattr(absence, "MONTHS", 3)
    absence.generate()
    assert len(list(tmp_path.glob("esr-*.csv"))) == 3
    figures = absence.measure()
    assert figures["rows"] > 0
    assert figures["import_s"] > 0 and figures["duck_import_s"] > 0
