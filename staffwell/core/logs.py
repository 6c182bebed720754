"""Keep what people do in staffwell out of the logs the application writes: one filter, one
place, for every area whose request paths say something about a person.

Django names the request path in several loggers: ``django.server`` (the development
server's access log, what ``make run`` prints, one line per request with its time),
``django.request`` (every 4xx and 5xx: "Not Found: /path/", "Bad Request: /path/") and
``django.security.*`` (a failed CSRF check: "Forbidden (CSRF token missing.): /path/").
The filter sits on each of those loggers (so a record is cleaned before any handler, a test's
included, sees it) and on every handler configured when the app starts (so a record from
any other logger is cleaned before it is written). A record that names a path also carries
the request, which some handlers print (the admins' error email): it is removed when the
path is one of these.

The rules, and the guarantee each serves:

* **Staff voice** (docs/staff-voice.md): the line is dropped. Beside the time someone
  signed in, "POST .../voice/new/" would date an anonymous post and point at its author.
* **Survey answering** (docs/survey-anonymity.md): the personal link's token and the
  kiosk handle are rewritten to ``/s/…`` and ``/kiosk/…``.
* **Support after incidents** (docs/incident-support.md), **and every other page under
  ``/my/`` and ``/o/<org>/``**: everything after ``/my/`` or ``/o/<org>/`` is rewritten to
  ``…``, so a line keeps neither a support request's id (which joined who asked to who
  accepted) nor that it was a support page at all ("Bad Request: /my/support/new/" beside a
  sign-in would say who asked, even after they erased it). Rewriting only support paths was
  not enough: "/my/…" then meant "a support page" beside other paths kept in full.

A 4xx line (``django.request`` logs 403s with the exception) keeps its text but not its
traceback: the traceback names the view's module and function ("support/views/peer.py",
"peer_request"), which says what was asked for as plainly as the path. A 4xx is the
caller's mistake and its traceback helps nobody; 5xx tracebacks are kept.

staffwell's production server (Granian as configured) writes no access log; see
docs/operations.md for load balancers.
"""

import logging
import re

VOICE_PATH = "/voice/"
SURVEY_SECRET = re.compile(r"/(s|kiosk)/(?!…/)[^/\s\"'?#]+")
# Everything under /my/ (a person's own pages) and /o/<org>/ (an organisation's pages). Only
# support pages had to go, but rewriting only them left "/my/…" meaning "a support page"
# beside paths kept in full (found by an attack): now every such page reads the same.
PERSONAL_PATH = re.compile(r"(/my|/o/[^/\s\"'?#]+)/[^\s\"'#]+")
LOGGERS = ("django.server", "django.request", "django.security", "django.security.csrf")


def redact(text: str) -> str:
    """``text`` with survey secrets and support paths rewritten (voice lines are dropped,
    not rewritten: see ``keep``)."""
    return PERSONAL_PATH.sub(r"\1/…", SURVEY_SECRET.sub(r"/\1/…", text))


def keep(text: str) -> bool:
    return VOICE_PATH not in text


class RedactPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return True
        request = getattr(record, "request", None)
        path = str(getattr(request, "path", "") or "")
        if not keep(message) or not keep(path):
            return False
        if 400 <= (getattr(record, "status_code", None) or 0) < 500:
            record.exc_info, record.exc_text = None, None
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if path and redact(path) != path:
            record.request = None  # handlers that print the request would show the path
        return True


def _add(target) -> None:
    if not any(isinstance(f, RedactPaths) for f in target.filters):
        target.addFilter(RedactPaths())


def install() -> None:
    """Called once at start-up (``CoreConfig.ready``), after Django configured logging."""
    for name in LOGGERS:
        _add(logging.getLogger(name))
    for name in ("", "django", *LOGGERS):
        for handler in logging.getLogger(name).handlers:
            _add(handler)
