"""Survey submission under load, on PostgreSQL with the production server settings.

1. Create a throwaway database on 127.0.0.1:5432, migrate it, and seed one organisation
   with PEOPLE invited staff in UNITS wards and an open pulse campaign.
2. Start granian (WORKERS workers of THREADS threads, as docs/operations.md) with
   STAFFWELL_ENV=production.
3. Measure /healthz throughput (closed loop, 10 s), then submit RATE responses per second
   for DURATION seconds (open loop, each with a distinct personal link), then retry 500
   links that were already used (a double submit must not create a second response).
4. Count the responses in the database: exactly one per successful submission.
5. Stop the server and drop the database.

Environment knobs: BENCH_RATE (320), BENCH_DURATION (60), BENCH_WORKERS (4), BENCH_THREADS (2),
BENCH_PG (postgres://postgres@127.0.0.1:5432).
"""

import asyncio
import base64
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

from bench import loadgen

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RATE = float(os.environ.get("BENCH_RATE", "320"))
DURATION = float(os.environ.get("BENCH_DURATION", "60"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))  # as docs/operations.md
# Each commit waits for PostgreSQL to flush its log to disk; a second thread lets a worker
# take another request meanwhile (PostgreSQL then flushes several commits at once).
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
UNITS = 500  # about 40 staff per ward or team, as in a real trust
TARGET_RATE, TARGET_P99_MS = 300.0, 250.0
COMMAND = "make bench BENCH_ARGS=surveys"
CLOSE_PEOPLE = 20_000  # closing: every invited person has answered by then (bench/close_survey.py)
CLOSE_TARGET_S = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin():
    host = urllib.parse.urlparse(PG).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise RuntimeError("The benchmark only uses a PostgreSQL server on 127.0.0.1")
    return psycopg.connect(PG + "/postgres", autocommit=True)


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def run() -> list[dict]:
    total = int(RATE * DURATION)
    people = max(
        total + 1000, CLOSE_PEOPLE
    )  # every submission has its own link, plus spares for the retries and the form
    dbname = f"staffwell_bench_{secrets.token_hex(4)}"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "STAFFWELL_", "DJANGO_"))},
        "STAFFWELL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STAFFWELL_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{PG}/{dbname}",
        "STAFFWELL_BASE_URL": f"http://127.0.0.1:{port}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "staffwell.settings",
    }
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    server = None
    try:
        print(f"   database {dbname}: migrating and seeding {people} people", flush=True)
        _run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        _run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        tokens_file = Path(tempfile.mkstemp(prefix="bench-tokens-")[1])
        _run([PY, "-m", "bench.seed_surveys", str(people), str(UNITS), str(tokens_file)], env)
        tokens = tokens_file.read_text().split()
        tokens_file.unlink()
        print(f"   starting granian with {WORKERS} workers of {THREADS} threads on 127.0.0.1:{port}", flush=True)
        server = subprocess.Popen(
            [
                PY, "-m", "granian", "--interface", "wsgi", "staffwell.wsgi:application",
                "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
                "--blocking-threads", str(THREADS), "--backlog", "2048", "--log-level", "warning", "--no-ws",
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        _wait_for(port)
        figures = asyncio.run(_measure(port, tokens, total, dbname))
        print(f"   closing the survey of {CLOSE_PEOPLE} people: release and report", flush=True)
        out = subprocess.run(
            [PY, "-m", "bench.close_survey", str(CLOSE_PEOPLE)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        if out.returncode:
            raise RuntimeError(out.stderr[-2000:])
        seconds = float(out.stdout.split()[-1])
        figures.append(
            {
                "name": "surveys.close.release_and_report",
                "figure": round(seconds, 1),
                "unit": "s",
                "reference_name": "target",
                "reference": CLOSE_TARGET_S,
                "ratio": round(seconds / CLOSE_TARGET_S, 3),
                "target": f"< {CLOSE_TARGET_S:.0f} s for {CLOSE_PEOPLE:,} people",
                "met": seconds < CLOSE_TARGET_S,
                "command": COMMAND,
            }
        )
        return figures
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


async def _csrf(port: int, token: str) -> tuple[str, str]:
    """One GET of a survey form gives a CSRF cookie and form token, reused by the load client."""
    raw = loadgen.build("GET", f"/s/{token}/all/", port)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(-1), 10)
    writer.close()
    text = data.decode("utf-8", "replace")
    cookie = re.search(r"csrftoken=([^;\s]+)", text)
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    if not cookie or not field:
        raise RuntimeError("Could not read a CSRF token from the survey form")
    return cookie.group(1), field.group(1)


def _submission(port: int, token: str, cookie: str, form_token: str, i: int) -> bytes:
    answers = {f"q{n}": str(1 + (i * 7 + n * 3) % 5) for n in range(1, 6)}
    if i % 4 == 0:
        answers["q6"] = "More time for breaks on long shifts"
    fields = {"csrfmiddlewaretoken": form_token, **answers, "action": "submit"}
    body = urllib.parse.urlencode(fields).encode()
    return loadgen.build(
        "POST",
        f"/s/{token}/all/",
        port,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )


def _done(status: int, head: bytes) -> bool:
    return status == 302 and b"/done/" in head


async def _measure(port: int, tokens: list[str], total: int, dbname: str) -> list[dict]:
    cookie, form_token = await _csrf(port, tokens[-1])
    # Warm up every worker (connections, imports) with a few real submissions.
    warm = [_submission(port, t, cookie, form_token, i) for i, t in enumerate(tokens[total : total + 100])]
    await loadgen.open_loop(port, warm, 50, ok=_done)
    health = await loadgen.closed_loop(port, loadgen.build("GET", "/healthz", port), seconds=10, connections=16)
    healthz_rate = health.ok / health.elapsed
    print(f"   /healthz: {healthz_rate:,.0f} requests/s, errors {health.errors}", flush=True)

    requests = [_submission(port, t, cookie, form_token, i) for i, t in enumerate(tokens[:total])]
    print(f"   submitting {total} responses at {RATE:.0f}/s", flush=True)
    out = await loadgen.open_loop(port, requests, RATE, ok=_done)
    rate = out.ok / out.elapsed
    p50, p99 = out.percentile(50) * 1000, out.percentile(99) * 1000
    print(f"   {rate:,.0f}/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, errors {out.errors} {out.statuses}", flush=True)

    # Network retries and double submission: every request that got no good reply is sent
    # again (as a browser or proxy would retry), and so are 500 links that were answered.
    # Each must land on "done", and afterwards every link must have exactly one response.
    again_indices = sorted(set(out.failed) | set(range(500)))
    retries = [requests[i] for i in again_indices]
    again = await loadgen.open_loop(port, retries, 100, ok=_done, timeout=30)
    await asyncio.sleep(3)  # let the server finish anything still queued before counting

    with psycopg.connect(f"{PG}/{dbname}") as conn:
        stored = conn.execute("SELECT count(*) FROM surveys_sealedresponse").fetchone()[0]  # sealed until close
        marked = conn.execute(
            "SELECT coalesce(sum(jsonb_array_length(member_ids::jsonb)), 0) FROM surveys_participation"
        ).fetchone()[0]
    expected = total + 100  # one per link used: the run and the warm-up
    lost_or_dup = abs(stored - expected) + abs(marked - expected)
    ratio = round(rate / healthz_rate, 3) if healthz_rate else None
    common = {"command": COMMAND}
    return [
        {
            "name": "surveys.submit.throughput",
            "figure": round(rate, 1),
            "unit": "per second",
            "reference_name": "/healthz on the same server in the same run (closed loop, 16 connections)",
            "reference": round(healthz_rate, 1),
            "ratio": ratio,
            "target": f">= {TARGET_RATE:.0f}/s for {DURATION:.0f} s",
            "met": rate >= TARGET_RATE and out.elapsed >= DURATION * 0.98 and out.errors == 0,
            **common,
        },
        {
            "name": "surveys.submit.p99_latency",
            "figure": round(p99, 1),
            "unit": "ms",
            "reference_name": "target",
            "reference": TARGET_P99_MS,
            "ratio": round(p99 / TARGET_P99_MS, 3),
            "target": f"< {TARGET_P99_MS:.0f} ms",
            "met": p99 < TARGET_P99_MS,
            **common,
        },
        {
            "name": "surveys.submit.p50_latency",
            "figure": round(p50, 1),
            "unit": "ms",
            "reference_name": "/healthz median latency, closed loop",
            "reference": round(health.percentile(50) * 1000, 1),
            "ratio": round(p50 / (health.percentile(50) * 1000), 3) if health.latencies else None,
            "target": "(information)",
            "met": True,
            **common,
        },
        {
            "name": "surveys.submit.errors",
            "figure": out.errors,
            "unit": "requests",
            "reference_name": (
                f"{total} submissions ({again.errors} errors among {len(retries)} retries and repeated submissions)"
            ),
            "reference": total,
            "ratio": round(out.errors / total, 4),
            "target": "0",
            "met": out.errors == 0 and again.errors == 0,
            **common,
        },
        {
            "name": "surveys.responses.lost_or_duplicated",
            "figure": lost_or_dup,
            "unit": "responses",
            "reference_name": f"{expected} links answered ({stored} responses stored, {marked} marked as taken part)",
            "reference": expected,
            "ratio": round(lost_or_dup / expected, 4) if expected else None,
            "target": "0",
            "met": lost_or_dup == 0,
            **common,
        },
    ]
