"""Podcast audio: checking uploads by their content, and serving files with HTTP Range requests."""

import re

from django.http import HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"dash", b"M4V "}


def sniff(head: bytes) -> str | None:
    """'mp3', 'm4a' or 'ogg' from a file's first bytes, or None if it is none of them."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0):
        return "mp3"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in M4A_BRANDS:
        return "m4a"
    if head.startswith(b"OggS"):
        return "ogg"
    return None


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(start, end) inclusive for one satisfiable byte range; None to send the whole file
    (no header, or one we do not handle such as several ranges); "unsatisfiable" otherwise."""
    match = RANGE.match(header.strip()) if header else None
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return "unsatisfiable"
    return start, end


def _stream(fh, start: int, length: int):
    try:
        fh.seek(start)
        remaining = length
        while remaining > 0:
            data = fh.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        fh.close()


def serve(request, *, fh, size: int, content_type: str, filename: str, download: bool = False):
    """Send a file, or the byte range the browser asked for (206), so seeking works."""
    disposition = "attachment" if download else "inline"
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted == "unsatisfiable":
        fh.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if wanted is None:
        start, end, status = 0, size - 1, 200
    else:
        start, end = wanted
        status = 206
    length = end - start + 1 if size else 0
    if request.method == "HEAD":
        fh.close()
        response = HttpResponse(status=status)
    else:
        response = StreamingHttpResponse(_stream(fh, start, length), status=status)
    response["Content-Type"] = content_type
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def max_upload_bytes() -> int:
    """The upload limit (STAFFWELL_PODCAST_MAX_MB, default 100 MB)."""
    from django.conf import settings

    return getattr(settings, "STAFFWELL_PODCAST_MAX_BYTES", 100 * 1024 * 1024)
