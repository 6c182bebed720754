"""Survey reporting at national scale, on PostgreSQL, beside DuckDB on the same data.

1. Create a throwaway database on 127.0.0.1:5432 and migrate it.
2. ``manage.py generate_survey_data``: 700,000 respondents answering the HSE Indicator Tool
   (about 24.5 million answers) in 50 organisations with deep unit trees; the largest has
   20,000 staff in 1,000 units. Bulk loaded with COPY.
3. In a fresh process (``python -m bench.bench_reporting measure``):
   * prepare every campaign once, as happens when a survey closes (answer counts per unit
     and staff group, and the publication plan with complementary suppression);
   * time the heatmap report for the largest organisation (median of 5 page builds, for an
     employer lead: every unit, every scale, banded, compared, suppressed);
   * time the national benchmark table (``reports.national_table``): the seven scale scores
     of every organisation, each through its own plan, and their percentiles;
   * record the process's peak memory;
   * then load the same answers into DuckDB (untimed) and time DuckDB computing the same
     unsuppressed aggregates: scale means per unit subtree for the largest organisation,
     and per organisation for the national table. The ratio is ours / DuckDB's.
4. Drop the database.

Environment: BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_REPORTING_SCALE (1.0:
multiply the number of respondents and of organisations other than the largest; 0.05 for
a quick run), BENCH_KEEP_DB (set to keep the database afterwards).
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SCALE = float(os.environ.get("BENCH_REPORTING_SCALE", "1.0"))
COMMAND = "make bench BENCH_ARGS=reporting"
HEATMAP_TARGET_MS, NATIONAL_TARGET_S, MEMORY_TARGET_MB = 300.0, 3.0, 2048.0


def _admin():
    import psycopg

    host = urllib.parse.urlparse(PG).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise RuntimeError("The benchmark only uses a PostgreSQL server on 127.0.0.1")
    return psycopg.connect(PG + "/postgres", autocommit=True)


def _run(cmd: list[str], env: dict, timeout: int = 7200) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def run() -> list[dict]:
    dbname = f"staffwell_bench_reporting_{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "STAFFWELL_ENV": "development",
        "DATABASE_URL": f"{PG}/{dbname}",
        "DJANGO_SETTINGS_MODULE": "staffwell.settings",
    }
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    try:
        _run([PY, "manage.py", "migrate", "-v0"], env)
        respondents = int(700_000 * SCALE) if SCALE < 1 else 700_000
        organisations = max(2, int(50 * SCALE)) if SCALE < 1 else 50
        largest = min(20_000, respondents)
        started = time.perf_counter()
        _run(
            [PY, "manage.py", "generate_survey_data", "--respondents", str(respondents),
             "--organisations", str(organisations), "--largest", str(largest), "--largest-units", "1000"],
            env,
        )  # fmt: skip
        generate_s = time.perf_counter() - started
        out = _run([PY, "-m", "bench.bench_reporting", "measure"], env)
        m = json.loads(out.strip().splitlines()[-1])
    finally:
        if not os.environ.get("BENCH_KEEP_DB"):
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    scale_note = "" if SCALE >= 1 else f" (scale {SCALE})"
    return [
        _figure(f"Generate {respondents:,} HSE respondents{scale_note}", generate_s, "s", None, None, 1800.0),
        _figure(
            "Prepare the largest organisation's campaign at close (aggregates and plan)",
            m["prepare_largest_s"],
            "s",
            None,
            None,
            60.0,
        ),
        _figure(
            f"Heatmap report, largest organisation ({m['largest_units']:,} units, {m['largest_respondents']:,} "
            "respondents), median of 5",
            m["heatmap_ms"],
            "ms",
            "DuckDB: the same unsuppressed scale means per unit subtree",
            m["duck_heatmap_ms"],
            HEATMAP_TARGET_MS,
        ),
        _figure(
            f"National benchmark table ({m['organisations']} organisations, {m['respondents']:,} respondents)",
            m["national_s"],
            "s",
            "DuckDB: the same unsuppressed scale means per organisation",
            m["duck_national_s"],
            NATIONAL_TARGET_S,
        ),
        _figure("Peak memory of the reporting process", m["peak_mb"], "MB", None, None, MEMORY_TARGET_MB),
    ]


def _figure(name, figure, unit, reference_name, reference, target) -> dict:
    return {
        "name": name,
        "figure": round(figure, 3),
        "unit": unit,
        "reference_name": reference_name,
        "reference": None if reference is None else round(reference, 3),
        "ratio": None if not reference else round(figure / reference, 2),
        "target": target,
        "met": figure < target,
        "command": COMMAND,
    }


# --- the measuring process ---------------------------------------------------------------------


def measure() -> dict:
    import resource

    import django

    django.setup()
    from staffwell.core.permissions import Role
    from staffwell.organisations.models import Membership, RoleAssignment, Unit
    from staffwell.reporting import reports
    from staffwell.reporting.data import prepared
    from staffwell.surveys.models import Campaign, Response

    campaigns = list(Campaign.objects.select_related("instrument", "organisation").order_by("pk"))
    counts = {c.pk: Response.objects.filter(campaign=c).count() for c in campaigns}
    largest = max(campaigns, key=lambda c: counts[c.pk])
    started = time.perf_counter()
    prepared(largest)
    prepare_largest = time.perf_counter() - started
    for c in campaigns:
        if c.pk != largest.pk:
            prepared(c)
    org = largest.organisation
    lead = Membership.objects.create(organisation=org, person_id="BENCH-LEAD", full_name="Bench Lead")
    RoleAssignment.objects.create(membership=lead, role=Role.EMPLOYER_LEAD)
    lead = Membership.objects.prefetch_related("role_assignments").get(pk=lead.pk)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        report = reports.build(largest, lead)
        timings.append(time.perf_counter() - started)
    assert len(report["heatmap"]) > 100
    started = time.perf_counter()
    table = reports.national_table(campaigns)
    national = time.perf_counter() - started
    assert len(table["rows"]) == len(campaigns) and (len(campaigns) < 5 or len(table["percentiles"]) == 7)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    duck = _duckdb(largest, Unit)
    return {
        "prepare_largest_s": prepare_largest,
        "heatmap_ms": 1000 * statistics.median(timings),
        "national_s": national,
        "peak_mb": peak_mb,
        "largest_units": Unit.objects.for_org(org).count(),
        "largest_respondents": counts[largest.pk],
        "organisations": len(campaigns),
        "respondents": sum(counts.values()),
        **duck,
    }


def _duckdb(largest, Unit) -> dict:
    """The same unsuppressed aggregates in DuckDB, from the same rows."""
    import duckdb
    from django.db import connection

    from staffwell.surveys.models import Answer, Campaign, Question, Response

    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers.csv"
        a, r, c, _q = (m._meta.db_table for m in (Answer, Response, Campaign, Question))
        sql = (
            f"COPY (SELECT c.organisation_id, r.campaign_id, r.unit_id, a.question_id, a.value FROM {a} a "  # noqa: S608
            f"JOIN {r} r ON r.id = a.response_id JOIN {c} c ON c.id = r.campaign_id) TO STDOUT WITH CSV"
        )
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, answers.open("wb") as f, cursor.copy(sql) as copy:
            for block in copy:
                f.write(block)
        con.execute(
            "CREATE TABLE answers AS SELECT * FROM read_csv(?, header=false, "
            "columns={'org': 'INTEGER', 'campaign': 'INTEGER', 'unit': 'INTEGER', 'question': 'INTEGER', "
            "'value': 'SMALLINT'})",
            [str(answers)],
        )
    questions = [(x.pk, x.scale.name, x.reverse_scored) for x in Question.objects.select_related("scale")
                 if x.scale_id and x.instrument.key == "hse-indicator-tool"]  # fmt: skip
    con.execute("CREATE TABLE questions (question INTEGER, scale VARCHAR, reverse BOOLEAN)")
    con.executemany("INSERT INTO questions VALUES (?, ?, ?)", questions)
    closure = []
    for unit in Unit.objects.for_org(largest.organisation):
        for ancestor in unit.path.strip("/").split("/"):
            closure.append((unit.pk, int(ancestor)))
    con.execute("CREATE TABLE closure (unit INTEGER, ancestor INTEGER)")
    con.executemany("INSERT INTO closure VALUES (?, ?)", closure)
    heatmap_sql = f"""
        SELECT cl.ancestor, q.scale, avg(CASE WHEN q.reverse THEN 6 - a.value ELSE a.value END)
        FROM answers a JOIN questions q USING (question) JOIN closure cl ON cl.unit = a.unit
        WHERE a.campaign = {largest.pk} GROUP BY ALL"""  # noqa: S608
    national_sql = """
        SELECT a.org, q.scale, avg(CASE WHEN q.reverse THEN 6 - a.value ELSE a.value END)
        FROM answers a JOIN questions q USING (question) GROUP BY ALL"""
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        con.execute(heatmap_sql).fetchall()
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    con.execute(national_sql).fetchall()
    national = time.perf_counter() - started
    return {"duck_heatmap_ms": 1000 * statistics.median(timings), "duck_national_s": national}


if __name__ == "__main__" and sys.argv[1:] == ["measure"]:
    print(json.dumps(measure()))
