import re

from django import forms

from staffwell.core.forms import DateField
from staffwell.library import audio
from staffwell.library.duration import read_duration, whole_seconds
from staffwell.library.models import Audience, CaseStudy, Episode, Resource, Topic, UrgentContact


class ContentForm(forms.ModelForm):
    """Shared by every kind of library content: a unique slug with a clear message."""

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        model = self._meta.model
        if model.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another item already uses this web address. Choose a different one.")
        return slug


class ResourceForm(ContentForm):
    topics = forms.ModelMultipleChoiceField(Topic.objects.all(), required=False)
    audiences = forms.ModelMultipleChoiceField(Audience.objects.all(), required=False)

    class Meta:
        model = Resource
        fields = [
            "title",
            "slug",
            "provider",
            "url",
            "kind",
            "summary",
            "topics",
            "audiences",
            "offer",
            "offer_starts",
            "offer_ends",
        ]
        field_classes = {"offer_starts": DateField, "offer_ends": DateField}
        error_messages = {
            "title": {"required": "Enter a title."},
            "slug": {
                "required": "Enter a web address name, like working-carers-passport.",
                "invalid": "Use only lower-case letters, numbers and hyphens (-), for example night-shift-sleep.",
            },
            "provider": {"required": "Enter who provides it."},
            "url": {"required": "Enter the web address.", "invalid": "Enter a full web address, starting https://"},
            "kind": {"required": "Choose what kind of resource this is."},
            "summary": {"required": "Write a short summary in our own words."},
        }

    def clean(self):
        data = super().clean()
        offer, starts, ends = data.get("offer"), data.get("offer_starts"), data.get("offer_ends")
        if (starts or ends) and not offer:
            self.add_error("offer", "Describe the offer, or remove its dates.")
        if offer and not ends:
            self.add_error("offer_ends", "Enter the date the offer ends, so it is never shown after it has ended.")
        if starts and ends and ends < starts:
            self.add_error("offer_ends", "The end date must be on or after the start date.")
        return data


class CaseStudyForm(ContentForm):
    topics = forms.ModelMultipleChoiceField(Topic.objects.all(), required=False)
    framework_elements = forms.TypedMultipleChoiceField(
        choices=CaseStudy.Element.choices,
        coerce=int,
        required=False,
        label="NHS Health and Wellbeing Framework elements it illustrates",
    )

    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "slug",
            "organisation_name",
            "partners",
            "theme",
            "what_they_did",
            "what_changed",
            "framework_elements",
            "topics",
            "url",
        ]
        error_messages = {
            "title": {"required": "Enter a title."},
            "slug": {
                "required": "Enter a web address name.",
                "invalid": "Use only lower-case letters, numbers and hyphens (-), for example night-shift-sleep.",
            },
            "organisation_name": {"required": "Enter the organisation."},
            "theme": {"required": "Enter the theme."},
            "what_they_did": {"required": "Describe what they did."},
            "what_changed": {"required": "Describe what changed."},
            "url": {"invalid": "Enter a full web address, starting https://"},
        }


DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def _clock(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class EpisodeForm(ContentForm):
    """An episode. Its duration is read from the audio file when the file says how long it is;
    the duration an editor types is kept as the fallback for a file we cannot read.
    ``duration_note`` says, after saving, which was used."""

    duration = forms.CharField(
        required=False,
        label="Duration",
        help_text="Only needed if it cannot be read from the audio file. Minutes and seconds, like 24:30 (or 1:02:05).",
    )
    audio_file = forms.FileField(
        required=False,
        label="Audio file",
        help_text="An MP3, M4A or OGG file.",
    )

    class Meta:
        model = Episode
        fields = ["title", "slug", "summary", "speakers", "transcript", "source_url", "recorded_on"]
        field_classes = {"recorded_on": DateField}
        error_messages = {
            "title": {"required": "Enter a title."},
            "slug": {
                "required": "Enter a web address name.",
                "invalid": "Use only lower-case letters, numbers and hyphens (-), for example night-shift-sleep.",
            },
            "summary": {"required": "Write a short summary."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duration_note = ""
        self.read_seconds = None
        if self.duration_from_file:
            # Read from the current file: nothing to type (a new upload is read again).
            del self.fields["duration"]
        elif self.instance.duration_seconds and not self.is_bound:
            self.initial["duration"] = self.instance.duration_display()
        limit = audio.max_upload_bytes() // (1024 * 1024)
        self.fields["audio_file"].help_text = f"An MP3, M4A or OGG file, up to {limit} MB."

    def clean_duration(self):
        value = self.cleaned_data["duration"].strip()
        if not value:
            return None
        match = DURATION.match(value)
        if not match or (int(match.group(2)) >= 60 and match.group(1)) or int(match.group(3)) >= 60:
            raise forms.ValidationError("Enter the duration as minutes and seconds, like 24:30.")
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        total = hours * 3600 + minutes * 60 + seconds
        if total == 0:
            raise forms.ValidationError("The duration must be more than 0 seconds.")
        return total

    def clean_audio_file(self):
        upload = self.cleaned_data.get("audio_file")
        if not upload:
            return None
        limit = audio.max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest allowed is {limit // (1024 * 1024)} MB."
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in Episode.AUDIO_TYPES:
            raise forms.ValidationError("The file must be an MP3, M4A or OGG file.")
        upload.seek(0)
        kind = audio.sniff(upload.read(16))
        upload.seek(0)
        if kind is None:
            raise forms.ValidationError("This file is not MP3, M4A or OGG audio, whatever its name says.")
        if kind != extension:
            raise forms.ValidationError(f"This file is {kind.upper()} audio but its name ends .{extension}.")
        upload.audio_kind = kind
        self.read_seconds = whole_seconds(read_duration(upload, kind))
        return upload

    @property
    def duration_from_file(self) -> bool:
        """The saved duration was read from the episode's current audio file."""
        return bool(self.instance.pk and self.instance.has_audio and self.instance.duration_source == "file")

    def _choose_duration(self, episode, upload) -> None:
        typed = self.cleaned_data.get("duration")
        if upload and self.read_seconds:
            episode.duration_seconds, episode.duration_source = self.read_seconds, "file"
            note = f"Duration {_clock(self.read_seconds)}: read from the audio file."
            if typed and typed != self.read_seconds:
                note += f" The duration typed ({_clock(typed)}) was not used."
            self.duration_note = note
        elif upload:
            episode.duration_seconds, episode.duration_source = typed, "typed" if typed else ""
            self.duration_note = (
                f"The duration could not be read from this file, so the duration typed ({_clock(typed)}) is used."
                if typed
                else "The duration could not be read from this file. Type it in, like 24:30, before it is published."
            )
        elif not self.duration_from_file:
            episode.duration_seconds, episode.duration_source = typed, "typed" if typed else ""

    def save(self, commit=True):
        episode = super().save(commit=False)
        upload = self.cleaned_data.get("audio_file")
        self._choose_duration(episode, upload)
        if upload:
            episode.audio.save(f"{episode.slug}.{upload.audio_kind}", upload, save=False)
            episode.audio_type = Episode.AUDIO_TYPES[upload.audio_kind]
            episode.audio_bytes = upload.size
            episode.bundled_audio = ""
            episode.is_placeholder_audio = False
        if commit:
            episode.save()
        return episode


class UrgentContactForm(forms.ModelForm):
    class Meta:
        model = UrgentContact
        fields = ["name", "number", "action", "text_message", "when", "order", "is_active", "last_checked"]
        field_classes = {"last_checked": DateField}
        error_messages = {
            "name": {"required": "Enter the service name."},
            "number": {"required": "Enter the number."},
            "when": {"required": "Say when to use it."},
            "last_checked": {"required": "Enter the date you last checked it.", "invalid": "Enter a real date."},
        }

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not any(c.isdigit() for c in number):
            raise forms.ValidationError("Enter a number to call or text, like 116 123.")
        if re.search(r"[^0-9 +]", number):
            raise forms.ValidationError("Use only digits and spaces, like 116 123.")
        return number

    def clean_last_checked(self):
        from django.utils import timezone

        value = self.cleaned_data["last_checked"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Enter a date in the past or today.")
        return value


class ListItemForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages={"required": "Enter a name."})
    slug = forms.SlugField(
        max_length=60,
        error_messages={
            "required": "Enter a short name for web addresses.",
            "invalid": "Use only lower-case letters, numbers and hyphens (-), for example shift-work.",
        },
    )

    def __init__(self, *args, model, **kwargs):
        self.model = model
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("name") and self.model.objects.filter(name__iexact=data["name"]).exists():
            self.add_error("name", f"There is already one called {data['name']}.")
        if data.get("slug") and self.model.objects.filter(slug=data["slug"]).exists():
            self.add_error("slug", "That short name is already used.")
        return data
