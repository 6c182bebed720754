"""Check every outbound link in the library: bounded concurrency, timeouts, redirects followed.

``check_urls`` does the network work and returns results; ``check_all`` gathers every
address the library links to, checks them and records each result in ``LinkCheck``.
A link is "moved" when it only works after a permanent redirect to another address, and
"broken" when it answers with an error (4xx/5xx), times out or cannot be reached.
"""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.utils import timezone

USER_AGENT = "staffwell-link-checker/1.0 (+https://github.com/staffwell)"
DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 8
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Result:
    url: str
    state: str  # "ok", "moved" or "broken"
    status_code: int | None
    final_url: str
    error: str = ""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects (up to MAX_REDIRECTS), noting whether any was permanent."""

    max_redirections = MAX_REDIRECTS

    def __init__(self):
        self.permanent = False

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if code in (301, 308):
            self.permanent = True
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _fetch(url: str, method: str, timeout: float):
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})  # noqa: S310 - check_url only lets http(s) through
    with opener.open(request, timeout=timeout) as response:
        return response.status, response.geturl(), redirects.permanent


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Result:
    if not url.lower().startswith(("http://", "https://")):
        return Result(url, "broken", None, "", "Not a web address (http or https).")
    try:
        try:
            status, final, permanent = _fetch(url, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            if exc.code not in (403, 405, 501):
                raise
            # Some servers refuse HEAD: ask again with GET.
            status, final, permanent = _fetch(url, "GET", timeout)
    except urllib.error.HTTPError as exc:
        return Result(url, "broken", exc.code, exc.geturl() or url, f"The server answered {exc.code} {exc.reason}.")
    except TimeoutError:
        return Result(url, "broken", None, "", f"No answer within {timeout:g} seconds.")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Result(url, "broken", None, "", f"No answer within {timeout:g} seconds.")
        return Result(url, "broken", None, "", f"Could not connect: {reason}"[:300])
    except (OSError, ValueError) as exc:
        return Result(url, "broken", None, "", f"Could not check: {exc}"[:300])
    moved = permanent and final.rstrip("/") != url.rstrip("/")
    return Result(url, "moved" if moved else "ok", status, final)


def check_urls(
    urls: list[str], *, concurrency: int = DEFAULT_CONCURRENCY, timeout: float = DEFAULT_TIMEOUT
) -> list[Result]:
    unique = list(dict.fromkeys(urls))
    if not unique:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(unique)))) as pool:
        return list(pool.map(lambda u: check_url(u, timeout=timeout), unique))


def library_urls() -> list[str]:
    from staffwell.library.models import CaseStudy, Episode, Resource

    urls = list(Resource.objects.values_list("url", flat=True))
    urls += CaseStudy.objects.exclude(url="").values_list("url", flat=True)
    urls += Episode.objects.exclude(source_url="").values_list("source_url", flat=True)
    return sorted(set(urls))


def check_all(*, concurrency: int = DEFAULT_CONCURRENCY, timeout: float = DEFAULT_TIMEOUT) -> list[Result]:
    from staffwell.library.models import LinkCheck

    results = check_urls(library_urls(), concurrency=concurrency, timeout=timeout)
    now = timezone.now()
    for r in results:
        LinkCheck.objects.update_or_create(
            url=r.url,
            defaults={
                "state": r.state,
                "status_code": r.status_code,
                "final_url": r.final_url[:1000],
                "error": r.error[:300],
                "checked_at": now,
            },
        )
    return results
