"""Where an episode's duration came from: read from its audio file, or typed by an editor.
Existing episodes have their audio read now (the shipped placeholder included)."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.db import migrations, models

from staffwell.library.duration import read_duration, whole_seconds

BUNDLED_AUDIO_DIR = Path(__file__).resolve().parent.parent / "audio"


def _open(episode):
    if episode.audio:
        return default_storage.open(episode.audio.name, "rb")
    return open(BUNDLED_AUDIO_DIR / Path(episode.bundled_audio).name, "rb")


def read_existing(apps, schema_editor):
    Episode = apps.get_model("library", "Episode")
    for episode in Episode.objects.all():
        name = episode.audio.name if episode.audio else episode.bundled_audio
        seconds = None
        if name:
            try:
                with _open(episode) as fh:
                    seconds = whole_seconds(read_duration(fh, name.rsplit(".", 1)[-1].lower()))
            except OSError:
                seconds = None
        if seconds:
            episode.duration_seconds, episode.duration_source = seconds, "file"
        elif episode.duration_seconds:
            episode.duration_source = "typed"
        episode.save(update_fields=["duration_seconds", "duration_source"])


class Migration(migrations.Migration):
    dependencies = [("library", "0004_casestudy_search_text")]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="duration_source",
            field=models.CharField(
                blank=True,
                choices=[("file", "Read from the audio file"), ("typed", "Typed by an editor")],
                max_length=10,
            ),
        ),
        migrations.RunPython(read_existing, migrations.RunPython.noop),
    ]
