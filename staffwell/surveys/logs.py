"""Keep personal links and kiosk handles out of the logs the application writes.

The development server's access log (logger ``django.server``, what ``make run`` prints)
and Django's request log (``django.request``, which names the path of every 404) would
otherwise carry each personal link, and the invitations table holds the hash that finds
its invitation. The answering paths are rewritten to ``/s/…/`` and ``/kiosk/…/`` before
any handler sees them.
"""

import logging
import re

SECRET_IN_PATH = re.compile(r"/(s|kiosk)/(?!…/)[^/\s\"'?#]+")


def redact(text: str) -> str:
    return SECRET_IN_PATH.sub(r"/\1/…", text)


class RedactSurveySecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path") and SECRET_IN_PATH.search(request.path or ""):
            record.request = None  # handlers that print the request would show the path
        return True


def install() -> None:
    for name in ("django.server", "django.request"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSurveySecrets) for f in logger.filters):
            logger.addFilter(RedactSurveySecrets())
