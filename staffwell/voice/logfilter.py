"""Keep staff voice requests out of the application's own request logs.

``make run``'s development server logs every request line with its exact time, method and
status; Django logs 4xx responses with their path. Beside session creation times, such a
line ("POST .../voice/new/ 200" a minute after someone signed in) would say when an
anonymous post was made and by whom it most likely was. These lines are dropped for staff
voice paths (docs/staff-voice.md). The production server (Granian) writes no access log.
"""

import logging

VOICE_PATH = "/voice/"


class DropVoiceRequests(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") or getattr(request, "path_info", "")
        return VOICE_PATH not in message and VOICE_PATH not in str(path)


def install() -> None:
    for name in ("django.server", "django.request"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropVoiceRequests) for f in logger.filters):
            logger.addFilter(DropVoiceRequests())
