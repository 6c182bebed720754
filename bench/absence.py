"""Sickness absence at scale, on PostgreSQL, beside DuckDB on the same files.

1. Create a throwaway database on 127.0.0.1:5432 and migrate it.
2. Generate (untimed, in its own process) 36 monthly ESR extracts for a 20,000-person trust
   in 500 units (about 720,000 assignment-month rows, one CSV per month), and an NHS England
   organisation file for 220 organisations x 60 months.
3. In a fresh process (``python -m bench.absence measure``):
   * import the 36 extracts through ``esr.import_extract`` (check every row, reduce to
     counts, store them; all-or-nothing per file), timed end to end, and the peak memory;
   * load the national file (untimed) and time ``national.comparison`` (the national table);
   * DuckDB on the same CSV files: the same reduction (sum of days, distinct people per
     month, unit and staff group), and the same national table (sum per organisation over
     the latest 12 months). The ratio is ours / DuckDB's.
4. Drop the database.

Environment: BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_ABSENCE_SCALE (1.0),
BENCH_KEEP_DB.
"""

import csv
import datetime
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SCALE = float(os.environ.get("BENCH_ABSENCE_SCALE", "1.0"))
COMMAND = "make bench BENCH_ARGS=absence"
PEOPLE, UNITS, MONTHS = int(20_000 * SCALE), max(10, int(500 * SCALE)), 36
ORGS, NATIONAL_MONTHS = 220, 60
IMPORT_TARGET_S, MEMORY_TARGET_MB, NATIONAL_TARGET_S = 60.0, 1024.0, 1.0


def _admin():
    import psycopg

    if urllib.parse.urlparse(PG).hostname not in ("127.0.0.1", "localhost"):
        raise RuntimeError("The benchmark only uses a PostgreSQL server on 127.0.0.1")
    return psycopg.connect(PG + "/postgres", autocommit=True)


def _run(cmd: list[str], env: dict, timeout: int = 3600) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def run() -> list[dict]:
    dbname = f"staffwell_bench_absence_{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "STAFFWELL_", "DJANGO_"))},
            "STAFFWELL_ENV": "development",
            "DATABASE_URL": f"{PG}/{dbname}",
            "DJANGO_SETTINGS_MODULE": "staffwell.settings",
            "BENCH_ABSENCE_DIR": tmp,
        }
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{dbname}"')
        try:
            _run([PY, "manage.py", "migrate", "-v0"], env)
            _run([PY, "-m", "bench.absence", "generate"], env)
            m = json.loads(_run([PY, "-m", "bench.absence", "measure"], env).strip().splitlines()[-1])
        finally:
            if not os.environ.get("BENCH_KEEP_DB"):
                with _admin() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    return [
        _figure(
            f"Import {MONTHS} ESR absence extracts ({m['rows']:,} rows, {PEOPLE:,} people, {UNITS} units)",
            m["import_s"],
            "s",
            "DuckDB: the same reduction (sums and distinct people per month, unit, staff group) on the same CSVs",
            m["duck_import_s"],
            IMPORT_TARGET_S,
        ),
        _figure("Peak memory of the importing process", m["peak_mb"], "MB", None, None, MEMORY_TARGET_MB),
        _figure(
            f"National comparison table ({ORGS} organisations x {NATIONAL_MONTHS} months)",
            m["national_s"],
            "s",
            "DuckDB: the same sums per organisation over the latest 12 months, on the same CSV",
            m["duck_national_s"],
            NATIONAL_TARGET_S,
        ),
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


def _setup_django():
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def _units() -> list[str]:
    per_directorate = max(1, UNITS // 10)
    return [f"Directorate {d} > Department {u // 5} > Team {u}" for d in range(10) for u in range(per_directorate)]


def generate() -> None:
    """The trust, its units and the files (untimed)."""
    _setup_django()
    from staffwell.absence import synthetic
    from staffwell.organisations.imports import _UnitTree
    from staffwell.organisations.models import Organisation

    out = Path(os.environ["BENCH_ABSENCE_DIR"])
    org = Organisation.objects.create(name="Bench Trust", slug="bench", ods_code="RBE")
    tree = _UnitTree(org)
    paths = _units()
    for path in paths:
        tree.get(tuple(p.strip() for p in path.split(">")), create=True)
    size = PEOPLE // len(paths)
    months = synthetic.months_back(MONTHS, today=datetime.date(2026, 1, 1))
    for month, rows in synthetic.by_month([(p, size) for p in paths], months, seed=5, ods="RBE"):
        (out / f"esr-{month:%Y-%m}.csv").write_bytes(synthetic.to_csv(rows))
    # The NHS England organisation file: 220 organisations x 60 months.
    with open(out / "national.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["DATE", "NHSE_REGION_CODE", "NHSE_REGION_NAME", "ORG_CODE", "ORG_NAME", "ORG_TYPE",
                    "FTE_DAYS_LOST", "FTE_DAYS_AVAILABLE", "SICKNESS_ABSENCE_RATE_PERCENT"])  # fmt: skip
        for month in synthetic.months_back(NATIONAL_MONTHS, today=datetime.date(2026, 1, 1)):
            end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
            for o in range(ORGS):
                available = 50_000 + 900 * o
                lost = round(available * (0.04 + (o % 17) / 1000), 1)
                w.writerow([end.strftime("%d/%m/%Y"), "Y63", "Region", f"R{o:03d}", f"Trust {o}",
                            "Acute" if o % 4 else "Mental Health", lost, available, round(100 * lost / available, 2)])  # fmt: skip


def measure() -> dict:
    import resource

    _setup_django()
    from staffwell.absence import esr, national
    from staffwell.organisations.models import Organisation

    folder = Path(os.environ["BENCH_ABSENCE_DIR"])
    files = sorted(folder.glob("esr-*.csv"))
    org = Organisation.objects.get(slug="bench")
    rows = 0
    started = time.perf_counter()
    for path in files:
        rows += esr.import_extract(org, path.read_bytes(), filename=path.name).rows
    import_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    national.load((folder / "national.csv").read_bytes(), filename="national.csv", source="bench")
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        table = national.comparison(org_code="R010")
        timings.append(time.perf_counter() - started)
    assert table and len(table["rows"]) == ORGS
    national_s = sorted(timings)[2]

    import duckdb

    con = duckdb.connect()
    glob = str(folder / "esr-*.csv")
    started = time.perf_counter()
    con.execute(
        f"""SELECT "Tm Year Month", "Unit Path", "Staff Group", count(DISTINCT "Unique Nhs Identifier"),
                   sum("Wte Days Available"), sum("Wte Days Lost This Month")
            FROM read_csv('{glob}', header=true, all_varchar=false)
            GROUP BY ALL"""  # noqa: S608 - a path we made
    ).fetchall()
    con.execute(
        f"""SELECT "Tm Year Month", "Unit Path", "Staff Group", "Attendance Reason", sum("Wte Days Lost This Month"),
                   count(*) FROM read_csv('{glob}', header=true) WHERE "Attendance Reason" IS NOT NULL GROUP BY ALL"""  # noqa: S608
    ).fetchall()
    duck_import_s = time.perf_counter() - started
    started = time.perf_counter()
    path = str(folder / "national.csv")
    con.execute(
        f"""WITH t AS (SELECT strptime("DATE", '%d/%m/%Y') AS d, * FROM read_csv('{path}', header=true, all_varchar=true))
            SELECT "ORG_CODE", sum(CAST("FTE_DAYS_LOST" AS DOUBLE)) / sum(CAST("FTE_DAYS_AVAILABLE" AS DOUBLE)) * 100
            FROM t WHERE d > (SELECT max(d) FROM t) - INTERVAL 12 MONTH GROUP BY 1"""  # noqa: S608
    ).fetchall()
    duck_national_s = time.perf_counter() - started
    return {
        "rows": rows,
        "import_s": import_s,
        "peak_mb": peak_mb,
        "national_s": national_s,
        "duck_import_s": duck_import_s,
        "duck_national_s": duck_national_s,
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["generate"]:
        generate()
    elif sys.argv[1:] == ["measure"]:
        print(json.dumps(measure()))
    else:
        raise SystemExit("usage: python -m bench.absence generate|measure")
