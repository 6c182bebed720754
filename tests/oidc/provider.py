"""Start the real OpenID provider (tests/oidc/provider.mjs) on a free loopback port, and sign
in on it like a person would (its own sign-in form), without a browser."""

import base64
import hashlib
import html
import json
import re
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import requests

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-client-secret-0123456789"
REDIRECT = "http://testserver/sign-in/sso/{org}/callback/"


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(redirect_uris: list[str], accounts: dict | None = None) -> RunningProvider:
    clients = [
        {
            "client_id": client_id,
            "client_secret": SECRET,
            "redirect_uris": redirect_uris,
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }
        for client_id in ("staffwell", "another-app", "short-lived")
    ]
    port = _free_port()
    process = subprocess.Popen(
        [
            "node",
            str(ROOT / "tests/oidc/provider.mjs"),
            str(port),
            json.dumps({"clients": clients, "accounts": accounts or {}}),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # node starts slowly on a busy machine
    while time.monotonic() < deadline:
        try:
            if requests.get(issuer + "/.well-known/openid-configuration", timeout=2).ok:
                return RunningProvider(issuer, process)
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("The OpenID provider did not start (is oidc-provider in node_modules?).")


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


def sign_in_at_provider(authorize_url: str, login: str, stop_at: str) -> str:
    """Follow the provider's pages from ``authorize_url`` as ``login`` until it redirects to a
    URL starting with ``stop_at``; return that URL (the callback, with code and state)."""
    session = requests.Session()
    url, method, data = authorize_url, "GET", None
    for _ in range(20):
        response = session.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            location = urljoin(url, response.headers["Location"])
            if location.startswith(stop_at):
                return location
            url, method, data = location, "GET", None
            continue
        form = _FORM.search(response.text)
        if form is None:
            raise AssertionError(f"The provider answered {response.status_code}: {response.text[:500]}")
        fields = {name: html.unescape(value) for name, value in _HIDDEN.findall(form.group(2))}
        if 'name="login"' in form.group(2):
            fields.update({"login": login, "password": "any"})
        url, method, data = urljoin(url, html.unescape(form.group(1))), "POST", fields
    raise AssertionError("Too many steps at the provider.")


def token_for(issuer: str, client_id: str, login: str, redirect_uri: str) -> tuple[dict, str]:
    """A real token response for ``client_id`` (outside staffwell), and the nonce used."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    nonce, state = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    metadata = requests.get(issuer + "/.well-known/openid-configuration", timeout=5).json()
    query = (
        requests.Request(
            "GET",
            metadata["authorization_endpoint"],
            params={
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": "openid email profile",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "nonce": nonce,
                "state": state,
            },
        )
        .prepare()
        .url
    )
    callback = sign_in_at_provider(query, login, redirect_uri)
    code = parse_qs(urlparse(callback).query)["code"][0]
    token = requests.post(
        metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        auth=(client_id, SECRET),
        timeout=5,
    )
    token.raise_for_status()
    return token.json(), nonce
