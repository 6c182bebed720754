"""Settings are secure by default; health check; headers on every response."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"STAFFWELL_ENV", "DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "staffwell.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


SETTINGS_DUMP = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'DEBUG': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
    "'hsts': s.SECURE_HSTS_SECONDS, 'frame': s.X_FRAME_OPTIONS, 'hasher': s.PASSWORD_HASHERS[0], 'demo': s.DEMO_MODE, "
    "'engine': s.DATABASES['default']['ENGINE']}))"
)


KEY = "x7K0cRkm1l0c0cJ8W4QGf0xD1eIuYvJx1bq2Z3n4o5U="


def test_production_is_the_default_and_is_secure():
    result = run_python(
        SETTINGS_DUMP, SECRET_KEY="x" * 50, ALLOWED_HOSTS="staffwell.example", STAFFWELL_ENCRYPTION_KEYS=KEY
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "session_secure": True,
        "csrf_secure": True,
        "hsts": 31536000,
        "frame": "DENY",
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "demo": False,
        "engine": "django.db.backends.sqlite3",
    }


def test_production_refuses_to_start_without_an_encryption_key():
    result = run_python(SETTINGS_DUMP, SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "Set STAFFWELL_ENCRYPTION_KEYS" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(SETTINGS_DUMP)
    assert result.returncode != 0 and "Set the environment variable SECRET_KEY." in result.stderr


def test_demo_mode_is_refused_in_production():
    result = run_python(SETTINGS_DUMP, SECRET_KEY="x" * 50, STAFFWELL_DEMO_MODE="true", STAFFWELL_ENCRYPTION_KEYS=KEY)
    assert "STAFFWELL_DEMO_MODE is only allowed with STAFFWELL_ENV=development." in result.stderr


def test_database_url_selects_postgresql():
    result = run_python(
        SETTINGS_DUMP,
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@127.0.0.1:5432/staffwell",
        STAFFWELL_ENCRYPTION_KEYS=KEY,
    )
    assert json.loads(result.stdout)["engine"] == "django.db.backends.postgresql"


def test_sqlite_runs_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = run_python(code, STAFFWELL_ENV="development", SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    assert result.stdout.strip() == "wal", result.stderr


def test_healthz_reports_an_unreachable_database_as_503():
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    result = run_python(
        code, STAFFWELL_ENV="development", ALLOWED_HOSTS="testserver", DATABASE_URL="postgres://nobody@127.0.0.1:1/none"
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503" and json.loads(body)["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_every_response_carries_a_strict_content_security_policy_and_no_framing(client):
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_page_template_contains_inline_script_or_style(client):
    for path in ["/sign-in/", "/accessibility/", "/privacy/", "/cookies/"]:
        html = client.get(path).content.decode()
        assert "<script>" not in html and " style=" not in html and "onclick=" not in html


@pytest.mark.django_db
def test_only_essential_cookies_are_set(client):
    response = client.get("/sign-in/")
    assert set(response.cookies) <= {"csrftoken", "sessionid"}
