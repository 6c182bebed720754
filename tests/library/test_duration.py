"""Podcast durations are read from the audio file (MP3, M4A, OGG); the typed duration is the
fallback for a file that cannot be read, and the editor is told which was used."""

import math
import shutil
import struct
import subprocess
import wave
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffwell.library.duration import read_duration, whole_seconds
from staffwell.library.models import BUNDLED_AUDIO_DIR, Episode

PLACEHOLDER = BUNDLED_AUDIO_DIR / "hswpg-placeholder.mp3"
needs_lame = pytest.mark.skipif(shutil.which("lame") is None, reason="needs the lame encoder to make test files")


def seconds_of(path: Path, kind: str) -> float | None:
    with open(path, "rb") as fh:
        return read_duration(fh, kind)


# --- Files made for the tests ------------------------------------------------------------


def tone_wav(path: Path, seconds: float, rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(int(seconds * rate))
        )
        w.writeframes(frames)
    return path


def lame(tmp_path: Path, seconds: float, *args: str) -> Path:
    wav = tone_wav(tmp_path / "tone.wav", seconds)
    out = tmp_path / f"tone{'-'.join(args)}.mp3"
    subprocess.run(["lame", "--quiet", *args, str(wav), str(out)], check=True)
    return out


def mpeg1_layer3_frames(count: int) -> bytes:
    """Constant bit rate MPEG-1 Layer III frames: 128 kbit/s, 44.1 kHz, mono, 417 bytes each,
    1152 samples each; framed by an ID3v2 tag in front and an ID3v1 tag at the end."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC0])
    frame = header + b"\x00" * (417 - 4)
    id3v2 = b"ID3\x04\x00\x00" + bytes([0, 0, 0x01, 0x00]) + b"\x00" * 128  # 128-byte tag body
    return id3v2 + frame * count + b"TAG" + b"\x00" * 125


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def m4a(timescale: int, duration: int, *, version: int = 0, moov_first: bool = False) -> bytes:
    if version == 0:
        mvhd = bytes([0, 0, 0, 0]) + struct.pack(">IIII", 0, 0, timescale, duration) + b"\x00" * 80
    else:
        mvhd = bytes([1, 0, 0, 0]) + struct.pack(">QQIQ", 0, 0, timescale, duration) + b"\x00" * 80
    ftyp = box(b"ftyp", b"M4A \x00\x00\x02\x00M4A mp42isom")
    moov = box(b"moov", box(b"mvhd", mvhd) + box(b"trak", b"\x00" * 32))
    mdat = box(b"mdat", b"\x55" * 5000)
    return ftyp + (moov + mdat if moov_first else mdat + moov)


def ogg_page(packet: bytes, granule: int, serial: int, sequence: int, header_type: int = 0) -> bytes:
    segments = [255] * (len(packet) // 255) + [len(packet) % 255]
    head = b"OggS" + struct.pack("<BBqIIIB", 0, header_type, granule, serial, sequence, 0, len(segments))
    return head + bytes(segments) + packet


def ogg(first_packet: bytes, last_granule: int) -> bytes:
    serial = 0x1234
    pages = [ogg_page(first_packet, 0, serial, 0, header_type=2)]
    pages += [
        ogg_page(b"\x00" * 3000, g, serial, i + 1) for i, g in enumerate(range(1, last_granule, last_granule // 5))
    ]
    pages.append(ogg_page(b"\x00" * 100, last_granule, serial, 99, header_type=4))
    return b"".join(pages)


def vorbis_head(rate: int) -> bytes:
    return b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 2, rate, 0, 128000, 0, 0xB8, 1)


def opus_head(pre_skip: int) -> bytes:
    return b"OpusHead" + struct.pack("<BBHIhB", 1, 2, pre_skip, 48000, 0, 0)


# --- Reading durations -------------------------------------------------------------------


def test_the_shipped_placeholder_mp3_is_read_as_27_seconds():
    # 1,021 MPEG-2 Layer III frames of 576 samples at 22.05 kHz, no Xing header: the frames are counted.
    assert seconds_of(PLACEHOLDER, "mp3") == pytest.approx(1021 * 576 / 22050)
    assert whole_seconds(seconds_of(PLACEHOLDER, "mp3")) == 27


def test_the_seeded_episode_takes_its_duration_from_the_placeholder_file(db):
    episode = Episode.objects.get(slug="hswpg-partnership-working")
    assert episode.duration_seconds == 27 and episode.duration_source == "file"


@needs_lame
@pytest.mark.parametrize(
    "args",
    [("-V", "6"), ("-b", "32"), ("-b", "32", "-t")],
    ids=["variable bit rate, Xing header", "constant bit rate", "constant bit rate, no tag"],
)
def test_an_mp3_made_by_an_encoder_is_read_to_within_a_frame(tmp_path, args):
    path = lame(tmp_path, 7.5, *args)
    if args[0] == "-V":
        assert b"Xing" in path.read_bytes()[:64]  # the frame count comes from the Xing header
    # The encoder pads the start and end by up to a couple of frames (26 ms each at 22.05 kHz).
    assert seconds_of(path, "mp3") == pytest.approx(7.5, abs=0.12)


def test_constant_bit_rate_frames_are_counted_between_id3_tags(tmp_path):
    path = tmp_path / "frames.mp3"
    path.write_bytes(mpeg1_layer3_frames(2297))  # 2,297 x 1152 / 44100 = 60.0 seconds
    assert seconds_of(path, "mp3") == pytest.approx(2297 * 1152 / 44100)
    assert whole_seconds(seconds_of(path, "mp3")) == 60


def test_an_info_header_frame_count_is_used_when_there_is_one(tmp_path):
    """An "Info" header (MPEG-1 mono: after 17 bytes of side information) saying 4,594 frames:
    the header is believed rather than the few frames that follow it."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC0])
    info = b"Info" + struct.pack(">II", 1, 4594)
    first = header + b"\x00" * 17 + info + b"\x00" * (417 - 4 - 17 - len(info))
    path = tmp_path / "info.mp3"
    path.write_bytes(first + (header + b"\x00" * 413) * 10)
    assert seconds_of(path, "mp3") == pytest.approx(4594 * 1152 / 44100)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (m4a(44100, 44100 * 95 + 22050), 95.5),
        (m4a(1000, 3_725_000, version=1, moov_first=True), 3725.0),
        (m4a(600, 600 * 42, moov_first=True), 42.0),
    ],
    ids=["moov after the audio", "64-bit mvhd", "moov first"],
)
def test_an_m4a_duration_comes_from_the_movie_header(tmp_path, data, expected):
    path = tmp_path / "episode.m4a"
    path.write_bytes(data)
    assert seconds_of(path, "m4a") == pytest.approx(expected)


def test_ogg_vorbis_and_opus_durations_come_from_the_last_granule_position(tmp_path):
    vorbis = tmp_path / "v.ogg"
    vorbis.write_bytes(ogg(vorbis_head(44100), 44100 * 125))
    assert seconds_of(vorbis, "ogg") == pytest.approx(125.0)
    opus = tmp_path / "o.ogg"
    opus.write_bytes(ogg(opus_head(312), 48000 * 61 + 312))
    assert seconds_of(opus, "ogg") == pytest.approx(61.0)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("mp3", b"ID3\x04\x00\x00" + bytes(range(256)) * 40),
        ("mp3", b""),
        ("m4a", b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 60),
        ("m4a", m4a(0, 1000)),
        ("ogg", b"OggS\x00\x02" + b"\x00" * 60),
        ("ogg", ogg(b"\x01unknown codec" + b"\x00" * 20, 1000)),
        ("wav", b"RIFF....WAVE"),
    ],
)
def test_a_file_whose_duration_cannot_be_read_gives_none_without_an_error(tmp_path, kind, data):
    path = tmp_path / f"odd.{kind}"
    path.write_bytes(data)
    assert seconds_of(path, kind) is None


# --- The editor's form -------------------------------------------------------------------


def _post(client, data, upload=None, pk=None):
    url = (
        reverse("library:editorial_edit", kwargs={"kind": "podcasts", "pk": pk})
        if pk
        else reverse("library:editorial_create", kwargs={"kind": "podcasts"})
    )
    payload = {"title": "Night shifts", "slug": "night-shifts", "summary": "Sleep and night work.", **data}
    if upload:
        payload["audio_file"] = upload
    return client.post(url, payload, follow=True)


def test_an_uploaded_file_sets_the_duration_and_the_form_says_it_was_read_from_the_file(
    editor_client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("night.mp3", mpeg1_layer3_frames(2297), content_type="audio/mpeg")
    page = _post(editor_client, {"duration": "12:30"}, upload).content.decode()
    episode = Episode.objects.get(slug="night-shifts")
    assert episode.duration_seconds == 60 and episode.duration_source == "file"
    assert "Duration 1:00: read from the audio file. The duration typed (12:30) was not used." in page
    # The edit page says where the duration came from and has nothing to type.
    assert "read from the audio file" in page and 'name="duration"' not in page
    # Saving again without a new file keeps the duration read from the file.
    _post(editor_client, {"title": "Night shifts, again"}, pk=episode.pk)
    episode.refresh_from_db()
    assert episode.title == "Night shifts, again" and episode.duration_seconds == 60


def test_a_file_that_cannot_be_read_falls_back_to_the_typed_duration_and_says_so(editor_client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unreadable = SimpleUploadedFile("night.mp3", b"ID3\x04\x00\x00" + bytes(range(256)) * 40)
    page = _post(editor_client, {"duration": "12:30"}, unreadable).content.decode()
    episode = Episode.objects.get(slug="night-shifts")
    assert episode.duration_seconds == 750 and episode.duration_source == "typed"
    assert "could not be read from this file, so the duration typed (12:30) is used" in page
    assert "the duration typed here is used" in page and 'name="duration"' in page


def test_a_file_that_cannot_be_read_with_nothing_typed_asks_for_the_duration_and_keeps_the_file(
    editor_client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    unreadable = SimpleUploadedFile("night.mp3", b"ID3\x04\x00\x00" + bytes(range(256)) * 40)
    page = _post(editor_client, {}, unreadable).content.decode()
    episode = Episode.objects.get(slug="night-shifts")
    assert episode.audio and episode.duration_seconds is None
    assert "Type it in, like 24:30, before it is published" in page
    assert "Enter the duration." in episode.publish_problems()


@needs_lame
def test_replacing_the_placeholder_with_a_real_recording_reads_the_new_duration(editor_client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    episode = Episode.objects.get(slug="hswpg-partnership-working")
    recording = lame(tmp_path, 95.0, "-V", "6").read_bytes()
    data = {
        "title": episode.title,
        "slug": episode.slug,
        "summary": episode.summary,
        "transcript": "The whole conversation.",
        "audio_file": SimpleUploadedFile("chairs.mp3", recording),
    }
    response = editor_client.post(
        reverse("library:editorial_edit", kwargs={"kind": "podcasts", "pk": episode.pk}), data, follow=True
    )
    assert "Duration 1:35: read from the audio file." in response.content.decode()
    episode.refresh_from_db()
    assert episode.duration_seconds == 95 and episode.duration_source == "file" and not episode.is_placeholder_audio
