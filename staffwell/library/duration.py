"""How long an MP3, M4A or OGG file plays, read from the file itself.

No dependency: each format keeps its length (or enough to work it out) in a few well-known
places, and we only read those.

- **MP3**: skip an ID3v2 tag, find the first MPEG audio frame (checked against the next
  one), then use the frame count in a Xing/Info or VBRI header if the encoder wrote one
  (LAME always does). Without one, walk the frame headers and add up each frame's samples,
  which is right for constant and variable bit rates alike.
- **M4A** (MP4): the ``mvhd`` box inside ``moov`` holds the duration and its time scale;
  ``moov`` may come before or after the audio data.
- **OGG**: the first page says which codec (Vorbis, Opus, Speex or FLAC) and its sample
  rate; the granule position of the stream's last page is the number of samples played
  (Opus: at 48 kHz, less its pre-skip).

Every reader returns seconds (a float) or None when it cannot tell; it never raises on a
damaged or odd file, so an upload is never lost because its duration could not be read.
"""

import contextlib
import struct

MAX_FRAMES_WALKED = 2_000_000  # about 14 hours at 44.1 kHz: beyond any episode
OGG_TAIL = 256 * 1024

# MPEG audio: bit rates (kbit/s) by (version 1?, layer) and index 1-14; sample rates by version.
BITRATES = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def read_duration(fh, kind: str) -> float | None:
    """Seconds of audio in an open binary file of ``kind`` ('mp3', 'm4a' or 'ogg')."""
    reader = {"mp3": mp3_duration, "m4a": m4a_duration, "ogg": ogg_duration}.get(kind)
    if reader is None:
        return None
    try:
        fh.seek(0)
        seconds = reader(fh)
    except (OSError, ValueError, struct.error, OverflowError, ZeroDivisionError):
        seconds = None
    finally:
        with contextlib.suppress(OSError, ValueError):
            fh.seek(0)
    if seconds is None or not (0 < seconds < 24 * 3600):
        return None
    return seconds


def whole_seconds(seconds: float | None) -> int | None:
    """Rounded to the nearest second, and never 0 for a file that plays at all."""
    if seconds is None:
        return None
    return max(1, round(seconds))


# --- MP3 ---------------------------------------------------------------------------------


def _size(fh) -> int:
    here = fh.tell()
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(here)
    return size


def _frame(header: bytes):
    """(frame length in bytes, samples, sample rate, version 1?, mono?) or None."""
    if len(header) < 4 or header[0] != 0xFF or (header[1] & 0xE0) != 0xE0:
        return None
    version = (header[1] >> 3) & 3  # 0: 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
    layer = 4 - ((header[1] >> 1) & 3)  # 1, 2 or 3 (4 means reserved)
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 3
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    v1 = version == 3
    bitrate = BITRATES[(v1, layer)][bitrate_index - 1] * 1000
    rate = SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    mono = (header[3] >> 6) == 3
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, 384, rate, v1, mono
    samples = 1152 if (layer == 2 or v1) else 576
    return samples // 8 * bitrate // rate + padding, samples, rate, v1, mono


def _first_frame(fh, size: int) -> tuple[int, tuple] | None:
    """Where the audio starts (after any ID3v2 tags) and its first frame."""
    start = 0
    while True:  # ID3v2 tags, possibly more than one
        fh.seek(start)
        tag = fh.read(10)
        if len(tag) < 10 or not tag.startswith(b"ID3"):
            break
        length = (tag[6] & 0x7F) << 21 | (tag[7] & 0x7F) << 14 | (tag[8] & 0x7F) << 7 | (tag[9] & 0x7F)
        start += 10 + length + (10 if tag[5] & 0x10 else 0)
    fh.seek(start)
    window = fh.read(64 * 1024)  # some files have padding or junk before the first frame
    for i in range(len(window) - 3):
        if window[i] != 0xFF:
            continue
        frame = _frame(window[i : i + 4])
        if frame is None:
            continue
        position = start + i
        # A real frame is followed by another (or by the end of the file, or a tag).
        fh.seek(position + frame[0])
        following = fh.read(4)
        if position + frame[0] >= size or _frame(following) or following[:3] == b"TAG":
            return position, frame
    return None


def mp3_duration(fh) -> float | None:
    size = _size(fh)
    found = _first_frame(fh, size)
    if found is None:
        return None
    position, (length, samples, rate, v1, mono) = found
    fh.seek(position)
    first = fh.read(max(length, 4 + 36 + 18))
    # Xing ("Xing" for variable, "Info" for constant bit rate) after the side information.
    side = (17 if mono else 32) if v1 else (9 if mono else 17)
    xing = first[4 + side : 4 + side + 12]
    if xing[:4] in (b"Xing", b"Info"):
        flags = struct.unpack(">I", xing[4:8])[0]
        if flags & 1:
            frames = struct.unpack(">I", xing[8:12])[0]
            if frames:
                return frames * samples / rate
    vbri = first[36:50]
    if vbri[:4] == b"VBRI":
        frames = struct.unpack(">I", vbri[10:14])[0]
        if frames:
            return frames * samples / rate
    # No header with the frame count: walk the frames.
    total = 0
    walked = 0
    while position + 4 <= size and walked < MAX_FRAMES_WALKED:
        fh.seek(position)
        frame = _frame(fh.read(4))
        if frame is None:
            break  # an ID3v1 or APE tag at the end, or damage: stop at what we have
        total += frame[1] / frame[2]
        position += frame[0]
        walked += 1
    return total if walked >= 2 else None


# --- M4A / MP4 ---------------------------------------------------------------------------


def _boxes(fh, start: int, end: int):
    """(type, payload start, payload end) of each box between start and end."""
    position = start
    while position + 8 <= end:
        fh.seek(position)
        head = fh.read(8)
        if len(head) < 8:
            return
        size, kind = struct.unpack(">I4s", head)
        header = 8
        if size == 1:
            size = struct.unpack(">Q", fh.read(8))[0]
            header = 16
        elif size == 0:
            size = end - position
        if size < header:
            return
        yield kind, position + header, min(position + size, end)
        position += size


def m4a_duration(fh) -> float | None:
    size = _size(fh)
    for kind, start, end in _boxes(fh, 0, size):
        if kind != b"moov":
            continue
        for inner, inner_start, _inner_end in _boxes(fh, start, end):
            if inner != b"mvhd":
                continue
            fh.seek(inner_start)
            version = fh.read(1)[0]
            if version == 1:
                fh.seek(inner_start + 4 + 16)
                timescale, duration = struct.unpack(">IQ", fh.read(12))
            else:
                fh.seek(inner_start + 4 + 8)
                timescale, duration = struct.unpack(">II", fh.read(8))
            if not timescale or duration in (0, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
                return None
            return duration / timescale
    return None


# --- OGG ---------------------------------------------------------------------------------


def _ogg_codec(packet: bytes) -> tuple[int, int] | None:
    """(sample rate of the granule position, samples to skip at the start) from the first packet."""
    if packet.startswith(b"\x01vorbis") and len(packet) >= 16:
        return struct.unpack("<I", packet[12:16])[0], 0
    if packet.startswith(b"OpusHead") and len(packet) >= 12:
        return 48000, struct.unpack("<H", packet[10:12])[0]
    if packet.startswith(b"Speex   ") and len(packet) >= 40:
        return struct.unpack("<I", packet[36:40])[0], 0
    if packet.startswith(b"\x7fFLAC") and len(packet) >= 30:
        # Ogg FLAC mapping header, then "fLaC" and the STREAMINFO block: 20 bits of sample rate.
        info = packet[13:]
        if info[:4] == b"fLaC":
            return (int.from_bytes(info[18:21], "big") >> 4), 0
    return None


def ogg_duration(fh) -> float | None:
    size = _size(fh)
    fh.seek(0)
    head = fh.read(27)
    if len(head) < 27 or not head.startswith(b"OggS"):
        return None
    serial = head[14:18]
    segments = head[26]
    lacing = fh.read(segments)
    codec = _ogg_codec(fh.read(sum(lacing)))
    if codec is None or not codec[0]:
        return None
    rate, skip = codec
    # The last page of this stream: search the file's tail, backwards, for "OggS".
    tail_start = max(0, size - OGG_TAIL)
    fh.seek(tail_start)
    tail = fh.read()
    at = len(tail)
    while True:
        at = tail.rfind(b"OggS", 0, at)
        if at < 0:
            return None
        page = tail[at : at + 27]
        if len(page) == 27 and page[4] == 0 and page[14:18] == serial:
            granule = struct.unpack("<q", page[6:14])[0]
            if granule > 0:
                return max(0, granule - skip) / rate
        if at == 0:
            return None
