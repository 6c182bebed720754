import datetime as dt

from django import forms
from django.utils import timezone

from staffwell.core.forms import DateField
from staffwell.support import content
from staffwell.support.models import PeerSupporter, ProgrammeSettings

MAX_TEXT = 4000


def _text(label, *, required=False, help_text="", textarea=True, max_length=MAX_TEXT, required_message=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={
            "max_length": f"{label.split(' (')[0]} must be {max_length:,} characters or fewer.",
            "required": required_message or f"Enter {label[:1].lower() + label[1:]}.",
        },
    )


class AskForm(forms.Form):
    about = forms.ChoiceField(
        label="Who is the support for?",
        choices=content.About.choices,
        widget=forms.RadioSelect,
        initial=content.About.MYSELF,
        error_messages={"required": "Choose who the support is for."},
    )
    colleague = _text(
        "Your colleague's name, or the team (optional)",
        textarea=False,
        max_length=200,
        help_text="Only if you are asking as a manager.",
    )
    event_kind = forms.ChoiceField(
        label="What kind of thing happened?",
        choices=content.EventKind.choices,
        widget=forms.RadioSelect,
        help_text="No incident number is needed.",
        error_messages={"required": "Choose what kind of thing happened."},
    )
    what_happened = _text("What happened (optional)", help_text="Say as much or as little as you like.")
    what_would_help = _text("What would help (optional)", help_text="For example, someone to talk to this week.")
    contact = _text(
        "How and when to get in touch (optional)",
        textarea=False,
        max_length=300,
        help_text="For example, a phone number and the best time to call.",
    )
    incident_reference = _text(
        "Incident reference (optional)",
        textarea=False,
        max_length=60,
        help_text="For your own records only. It is never shown to anyone else, and never linked to any investigation.",
    )
    to_programme = forms.BooleanField(
        label="Send this to the peer support programme so a trained peer supporter gets in touch",
        required=False,
        initial=True,
    )
    programme_sections = forms.MultipleChoiceField(
        label="What the peer support programme may see",
        choices=content.REQUEST_SECTIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=["what_would_help", "contact"],
        help_text="They always see the kind of thing that happened and when you asked. Nothing else unless you tick it.",
    )
    trigger_label = _text(
        "A date that may be hard (optional)",
        textarea=False,
        max_length=100,
        help_text="For example, an inquest or an anniversary. We will check in with you shortly before it.",
    )
    trigger_date = DateField(label="When is it?", required=False, help_text="For example, 27 3 2027.")

    def clean(self):
        data = super().clean()
        if data.get("to_programme") and "contact" not in (data.get("programme_sections") or []):
            self.add_error(
                "programme_sections",
                "Tick 'How and when to get in touch' so a peer supporter can reach you, or untick sending it to "
                "the programme.",
            )
        if data.get("trigger_label") and not data.get("trigger_date"):
            self.add_error("trigger_date", "Enter the date of the day you named.")
        if data.get("trigger_date") and not data.get("trigger_label"):
            self.add_error("trigger_label", "Say what the date is, for example 'the inquest'.")
        when = data.get("trigger_date")
        if when and when < timezone.localdate():
            self.add_error("trigger_date", "Enter a date in the future.")
        if when and when > timezone.localdate() + dt.timedelta(days=3 * 365):
            self.add_error("trigger_date", "Enter a date within the next three years.")
        return data

    def details(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k, "") for k in ("what_happened", "what_would_help", "contact", "colleague")}

    def triggers(self):
        d = self.cleaned_data
        return [(d["trigger_date"], d["trigger_label"])] if d.get("trigger_date") else []


class ReferForm(forms.Form):
    service = forms.ChoiceField(
        label="Which service?",
        choices=content.REFERRAL_SERVICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a service."},
    )


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = ProgrammeSettings
        fields = [
            "response_target_hours",
            "followup_days",
            "escalate_to",
            "occupational_health",
            "psychology",
            "chaplaincy",
            "eap",
        ]
        error_messages = {
            "response_target_hours": {"invalid": "Enter a whole number of hours, for example 24."},
            "escalate_to": {"invalid": "Enter an email address like name@example.nhs.uk."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for q in content.QUESTIONS:
            self.fields[f"q_{q.key}"] = forms.CharField(
                label=f"{content.TEST_LABELS[q.test]} test: local wording (optional)",
                required=False,
                max_length=400,
                help_text=f"staffwell's wording: {q.text}",
                initial=(self.instance.local_questions or {}).get(q.key, ""),
                error_messages={"max_length": "Local wording must be 400 characters or fewer."},
            )

    def clean_response_target_hours(self):
        hours = self.cleaned_data["response_target_hours"]
        if not 1 <= hours <= 168:
            raise forms.ValidationError("Enter a target between 1 and 168 hours (a week).")
        return hours

    def clean_followup_days(self):
        text = self.cleaned_data["followup_days"]
        try:
            days = content.parse_days(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not days:
            raise forms.ValidationError("Enter at least one number of days, for example 3,14,42.")
        return ",".join(str(d) for d in days)

    def save(self, commit=True):
        obj = super().save(commit=False)
        obj.local_questions = {
            q.key: self.cleaned_data[f"q_{q.key}"].strip()
            for q in content.QUESTIONS
            if self.cleaned_data.get(f"q_{q.key}", "").strip()
        }
        if commit:
            obj.save()
        return obj


class PeerSupporterForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="Who?",
        queryset=None,
        error_messages={"required": "Choose a person.", "invalid_choice": "Choose a person from the list."},
    )
    trained_on = DateField(label="Date trained", error_messages={"required": "Enter the date they were trained."})
    refresher_due = DateField(
        label="Refresher training due", error_messages={"required": "Enter when their refresher is due."}
    )

    def __init__(self, *args, org, appointer=None, **kwargs):
        super().__init__(*args, **kwargs)
        from staffwell.organisations.models import Membership

        people = Membership.objects.for_org(org).active().filter(user__isnull=False)
        if appointer is not None:
            # An admin who made themselves a peer supporter would read requests for support
            # no colleague chose to send them: someone else appoints them, in the audit log.
            people = people.exclude(pk=appointer.pk)
        self.fields["membership"].queryset = people.exclude(peer_supporter__is_active=True)
        self.fields["membership"].label_from_instance = lambda m: f"{m.full_name} ({m.unit or 'no unit'})"

    def clean(self):
        data = super().clean()
        t, r = data.get("trained_on"), data.get("refresher_due")
        if t and t > timezone.localdate():
            self.add_error("trained_on", "Enter a training date in the past.")
        if t and r and r <= t:
            self.add_error("refresher_due", "The refresher must be due after the training date.")
        return data


class WalkthroughForm(forms.Form):
    person = forms.ModelChoiceField(label="The person concerned", queryset=None)
    event = _text(
        "The one action or omission you are looking at",
        required=True,
        help_text="Describe what was done or not done, not the person. One action or omission per walk-through.",
    )
    hr = forms.ModelChoiceField(label="Who from HR takes part", queryset=None, required=False)
    rep = forms.ModelChoiceField(
        label="Their staff-side rep, if the person wishes (optional)", queryset=None, required=False
    )

    def __init__(self, *args, org, me, **kwargs):
        super().__init__(*args, **kwargs)
        from staffwell.core.permissions import Role
        from staffwell.organisations.models import Membership

        people = Membership.objects.for_org(org).active()
        self.fields["person"].queryset = people.exclude(pk=me.pk)
        self.fields["person"].error_messages.update({"required": "Choose the person concerned."})
        self.fields["hr"].queryset = people.filter(role_assignments__role=Role.EMPLOYER_LEAD).distinct()
        self.fields["rep"].queryset = people.filter(role_assignments__role=Role.STAFF_SIDE_REP).distinct()
        for name in ("person", "hr", "rep"):
            self.fields[name].label_from_instance = lambda m: m.full_name


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    rationale = _text(
        "Why",
        required=True,
        help_text="Record the reasons for this answer, as the conversation agreed them.",
        required_message="Say why you chose this answer.",
    )


class FinishForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label="Which action plan", queryset=None, error_messages={"required": "Choose an action plan."}
    )
    title = _text(
        "What the organisation will change",
        required=True,
        textarea=False,
        max_length=200,
        help_text="Everyone who sees the action plan sees this: describe the system, never the person.",
    )
    description = _text("More detail (optional)")
    measure = _text("How you will know it worked", required=True)
    due_date = DateField(label="Due by", error_messages={"required": "Enter the date it is due by."})

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        from staffwell.assessments.models import Cycle

        self.fields["cycle"].queryset = Cycle.objects.for_org(org)
        self.fields["cycle"].initial = (
            Cycle.objects.for_org(org).order_by("-created_at").values_list("pk", flat=True).first()
        )
        self.fields["cycle"].label_from_instance = lambda c: c.title

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("Enter a date in the future.")
        return due


class OutcomeForm(forms.Form):
    investigation = forms.BooleanField(label="A formal investigation followed", required=False)
    suspended = forms.BooleanField(label="The person was suspended", required=False)
    days_suspended = forms.IntegerField(
        label="Days suspended",
        min_value=0,
        max_value=3650,
        required=False,
        error_messages={"invalid": "Enter a whole number of days.", "min_value": "Enter 0 or more days."},
    )
    no_case_to_answer = forms.BooleanField(label="The outcome was no case to answer", required=False)
    ethnic_group = forms.ChoiceField(
        label="The person's ethnic group, as recorded in ESR (optional)",
        choices=[("", "Not recorded"), *content.EthnicGroup.choices],
        required=False,
        help_text="Only for the board's suppressed figures on disproportionate action. Leave blank if ESR has none.",
    )

    def clean(self):
        data = super().clean()
        data["days_suspended"] = data.get("days_suspended") or 0
        if data["days_suspended"] and not data.get("suspended"):
            self.add_error("days_suspended", "Tick 'The person was suspended' or leave the days at 0.")
        return data


class RestorativeForm(forms.Form):
    held_on = DateField(label="When it was held", error_messages={"required": "Enter the date it was held."})
    who_hurt = _text("Who has been hurt", required=True)
    needs = _text("What they need", required=True)
    obligation = _text("Whose obligation it is to meet those needs", required=True)
    agreed = _text("What was agreed", required=True)

    def clean_held_on(self):
        held = self.cleaned_data["held_on"]
        if held > timezone.localdate():
            raise forms.ValidationError("Enter a date in the past or today.")
        return held


__all__ = ["PeerSupporter"]
