import datetime as dt
import json

from django import forms
from django.utils import timezone

from staffwell.core.forms import DateField
from staffwell.records.models import Relationship
from staffwell.records.services import find_colleague, share_candidates
from staffwell.wellbeing import content
from staffwell.wellbeing.models import Conversation, SupportContacts

MAX_TEXT = 4000


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label="How are you doing today?",
        coerce=int,
        choices=[(m.value, f"{m.name}: {m.sentence}") for m in content.MOODS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you are doing today."},
    )
    help_now = forms.BooleanField(
        label="I need help now",
        required=False,
        help_text="Choose this to see urgent support straight away. Nobody is told.",
    )
    note = forms.CharField(
        label="Anything you want to note (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        help_text="Only you can see this unless you choose to share it.",
        error_messages={"max_length": f"Your note must be {MAX_TEXT:,} characters or fewer."},
    )

    contribute = forms.BooleanField(
        label="Add my mood, without my name, to my team's anonymous pulse figures",
        required=False,
        initial=False,
        help_text="Only your mood is sent, never your note or anything else. It cannot be traced back to you "
        "or to this check-in, and so it cannot be taken back later.",
    )

    def __init__(self, *args, can_contribute: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_contribute:
            del self.fields["contribute"]
        for key, label in content.FACTORS:
            self.fields[f"factor_{key}"] = forms.ChoiceField(
                label=f"{label} (optional)",
                choices=content.FACTOR_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )

    def factor_fields(self):
        return [self[f"factor_{key}"] for key, _ in content.FACTORS]

    def factors(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"factor_{key}"]
            for key, _ in content.FACTORS
            if self.cleaned_data.get(f"factor_{key}")
        }


class PlanForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Is any of this about... (optional)",
        choices=content.PLAN_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="We suggest support from the library for what you choose.",
    )
    right_now = forms.ChoiceField(
        label="Right now, which is closest to how you are?",
        choices=content.RIGHT_NOW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which is closest to how you are right now."},
    )
    review_on = DateField(
        label="When do you want to look at your plan again? (optional)",
        required=False,
        help_text="For example 27 3 2027. We will remind you by email a week before. Most people review every 3 to 6 months.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for q in content.PLAN_QUESTIONS:
            self.fields[q.key] = forms.CharField(
                label=q.question,
                help_text=q.hint,
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea,
                error_messages={"max_length": f"Your answer must be {MAX_TEXT:,} characters or fewer."},
            )

    def question_fields(self):
        return [self[q.key] for q in content.PLAN_QUESTIONS]

    def clean_review_on(self):
        value = self.cleaned_data.get("review_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError("Enter a review date in the future.")
        if value and value > timezone.localdate() + dt.timedelta(days=2 * 366):
            raise forms.ValidationError("Enter a review date within the next 2 years.")
        return value

    def clean(self):
        data = super().clean()
        if not any((data.get(q.key) or "").strip() for q in content.PLAN_QUESTIONS) and not self.errors:
            raise forms.ValidationError("Answer at least one question to save your plan.")
        return data

    def answers(self) -> dict:
        d = {q.key: (self.cleaned_data.get(q.key) or "").strip() for q in content.PLAN_QUESTIONS}
        d["topics"] = list(self.cleaned_data.get("topics") or [])
        d["right_now"] = self.cleaned_data["right_now"]
        return with_fixed_choices(d, ("topics", "right_now"))


def _choice_length(d: dict, keys) -> int:
    return len(json.dumps({k: d[k] for k in keys}, sort_keys=True))


def with_fixed_choices(d: dict, keys) -> dict:
    """``d`` with a ``_pad`` of spaces so that its choices take the same room in the stored JSON
    whatever was chosen: an encrypted value's length must say nothing about the choices in it
    ("I need help now", which topics; found by an attack), only, roughly, how much was written."""
    widest = {
        "topics": [key for key, _ in content.PLAN_TOPICS],
        "right_now": max((k for k, _ in content.RIGHT_NOW_CHOICES), key=len),
    }
    room = _choice_length(widest, keys)
    return {**d, "_pad": " " * (room - _choice_length(d, keys))}


ACTION_ROWS = 3


class ConversationForm(forms.Form):
    who = forms.ChoiceField(
        label="Who is the conversation with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the conversation is with."},
    )
    email = forms.EmailField(
        label="Their work email address (if they use staffwell)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.nhs.uk."},
    )
    name = forms.CharField(label="Their name", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Has it happened yet?",
        choices=[
            (Conversation.Status.BOOKED, "No, I am booking it"),
            (Conversation.Status.HELD, "Yes, I am recording it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the conversation has happened yet."},
    )
    date = DateField(label="Date", required=False, help_text="For example 27 3 2027.")
    time = forms.TimeField(
        label="Time (if booking)",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text="For example 14:30.",
        error_messages={"invalid": "Enter a time like 14:30."},
    )
    place = forms.CharField(label="Where (optional)", required=False, max_length=200)
    summary = forms.CharField(
        label="What you talked about (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        error_messages={"max_length": f"This must be {MAX_TEXT:,} characters or fewer."},
    )
    notes = forms.CharField(
        label="My own notes (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        help_text="Private to you unless you choose to share them.",
        error_messages={"max_length": f"Your notes must be {MAX_TEXT:,} characters or fewer."},
    )
    share_their_actions = forms.BooleanField(
        label="Let them see the actions agreed for them",
        required=False,
        initial=False,
        help_text="Only if they use staffwell. They see their own actions and nothing else unless you share it. You can stop this at any time.",
    )

    def __init__(self, *args, owner, existing_actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.managers = [c for c in share_candidates(owner) if c.relationship == Relationship.LINE_MANAGER]
        self.fields["who"].choices = [(f"manager:{c.user.pk}", c.description) for c in self.managers] + [
            ("someone_else", "Someone else I trust")
        ]
        existing = list(existing_actions)
        rows = max(ACTION_ROWS, len(existing) + 1)
        self.action_rows = []
        for side, side_label in (("mine", "What I will do"), ("theirs", "What they will do")):
            side_existing = [a for a in existing if a.side == side]
            names = []
            for i in range(rows):
                prefix = f"{side}_{i}"
                a = side_existing[i] if i < len(side_existing) else None
                self.fields[f"{prefix}_text"] = forms.CharField(
                    label=f"{side_label}: action {i + 1}",
                    required=False,
                    max_length=500,
                    initial=a.text if a else "",
                    error_messages={"max_length": "Keep each action to 500 characters or fewer."},
                )
                self.fields[f"{prefix}_done"] = forms.BooleanField(
                    label=f"Action {i + 1} done", required=False, initial=a.done if a else False
                )
                names.append(prefix)
            self.action_rows.append((side, side_label, names))

    def clean(self):
        data = super().clean()
        who = data.get("who")
        data["with_user"] = None
        data["with_kind"] = Conversation.With.SOMEONE_ELSE
        if who and who.startswith("manager:"):
            manager = next((c for c in self.managers if f"manager:{c.user.pk}" == who), None)
            data["with_user"] = manager.user if manager else None
            data["with_kind"] = Conversation.With.LINE_MANAGER
        elif who == "someone_else":
            email = data.get("email")
            if email:
                candidate = find_colleague(self.owner, email)
                if candidate is None:
                    self.add_error(
                        "email",
                        "Nobody with a staffwell account in your organisation has that email address. "
                        "Leave it blank and give their name instead.",
                    )
                else:
                    data["with_user"] = candidate.user
            elif not (data.get("name") or "").strip() and "email" not in self.errors:
                self.add_error("name", "Enter the name of the person you are having the conversation with.")
        status = data.get("status")
        day = data.get("date")
        today = timezone.localdate()
        if status and not day and "date" not in self.errors:
            self.add_error("date", "Enter the date of the conversation.")
        elif status == Conversation.Status.HELD and day and day > today:
            self.add_error("date", "A conversation that has happened must have a date today or in the past.")
        elif status == Conversation.Status.BOOKED and day and day < today:
            self.add_error("date", "Enter a date today or in the future for a booked conversation.")
        if status == Conversation.Status.BOOKED and day and not data.get("time") and "time" not in self.errors:
            self.add_error("time", "Enter the time the conversation is booked for.")
        return data

    def booked_for(self):
        day, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if not day or not time:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))

    def actions(self) -> list[dict]:
        out = []
        for side, _label, names in self.action_rows:
            for prefix in names:
                text = (self.cleaned_data.get(f"{prefix}_text") or "").strip()
                if text:
                    out.append({"side": side, "text": text, "done": self.cleaned_data.get(f"{prefix}_done")})
        return out


class SupportContactsForm(forms.ModelForm):
    class Meta:
        model = SupportContacts
        fields = [
            "oh_name",
            "oh_phone",
            "oh_email",
            "oh_hours",
            "eap_name",
            "eap_phone",
            "eap_url",
            "eap_hours",
            "other",
        ]
        error_messages = {
            "oh_email": {"invalid": "Enter an email address like occupational.health@example.nhs.uk."},
            "eap_url": {"invalid": "Enter a web address starting with https://."},
        }

    def clean_oh_phone(self):
        return _phone(self.cleaned_data["oh_phone"])

    def clean_eap_phone(self):
        return _phone(self.cleaned_data["eap_phone"])


def _phone(value: str) -> str:
    value = value.strip()
    if value and not all(ch.isdigit() or ch in " +()-" for ch in value):
        raise forms.ValidationError("Enter a phone number using digits, spaces and + only, like 0161 496 0000.")
    return value
