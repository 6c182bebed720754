import datetime

from django import forms
from django.utils import timezone

from staffwell.core.forms import DateField
from staffwell.organisations.models import Unit
from staffwell.surveys.kiosk import KIOSK_MAX_BATCH
from staffwell.surveys.models import Instrument

DEFAULT_INVITATION = (
    "We would like to know how work is for you, so that we can put right what makes it harder. "
    "It takes a few minutes, and your answers are anonymous."
)
DEFAULT_REMINDER = (
    "If you have not had a chance yet, there is still time to tell us how work is for you. "
    "If you have already answered, thank you: you will not be reminded again."
)


class CampaignForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter a name for the survey"})
    instrument = forms.ChoiceField(
        label="Question set",
        error_messages={"required": "Choose a question set", "invalid_choice": "Choose a question set from the list"},
    )
    units = forms.MultipleChoiceField(
        label="Who is asked",
        help_text="Everyone in the units you tick, and in every unit below them.",
        error_messages={"required": "Tick at least one unit", "invalid_choice": "Tick units from the list"},
    )
    opens_on = DateField(
        label="Opens on",
        help_text="For example, 2 3 2026",
        error_messages={"required": "Enter the date the survey opens"},
    )
    closes_on = DateField(
        label="Closes on",
        help_text="The last day people can answer",
        error_messages={"required": "Enter the date the survey closes"},
    )
    invitation_message = forms.CharField(
        label="Invitation email",
        widget=forms.Textarea,
        initial=DEFAULT_INVITATION,
        help_text="The personal link and what is stored are added below your text.",
        error_messages={"required": "Write the invitation email"},
    )
    reminder_message = forms.CharField(
        label="Reminder email",
        widget=forms.Textarea,
        initial=DEFAULT_REMINDER,
        help_text="Sent only to people who have not answered.",
        error_messages={"required": "Write the reminder email"},
    )
    remind_every_days = forms.IntegerField(
        label="Remind people who have not answered every (days)",
        min_value=0,
        max_value=60,
        initial=7,
        help_text="0 for no automatic reminders.",
        error_messages={
            "required": "Enter how many days between reminders (0 for none)",
            "min_value": "Enter 0 or more days",
            "max_value": "Enter 60 days or fewer",
            "invalid": "Enter a whole number of days",
        },
    )
    ask_staff_group = forms.BooleanField(
        label="Store each person's staff group with their answers, where enough people share it",
        required=False,
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.instruments = {
            str(i.pk): i for i in Instrument.objects.available_to(org).filter(status=Instrument.Status.AGREED)
        }
        self.fields["instrument"].choices = [("", "Choose a question set")] + [
            (k, str(i)) for k, i in self.instruments.items()
        ]
        self.unit_options = {str(u.pk): u for u in Unit.objects.for_org(org)}
        self.fields["units"].choices = [(k, u.indented_name) for k, u in self.unit_options.items()]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        if closes and closes < timezone.localdate():
            self.add_error("closes_on", "The closing date must be today or later")
        if opens and opens > timezone.localdate() + datetime.timedelta(days=366):
            self.add_error("opens_on", "The opening date must be within the next year")
        cleaned["instrument"] = self.instruments.get(cleaned.get("instrument") or "")
        cleaned["units"] = [self.unit_options[k] for k in cleaned.get("units", []) if k in self.unit_options]
        return cleaned


class KioskBatchForm(forms.Form):
    unit = forms.ChoiceField(
        label="Unit",
        error_messages={
            "required": "Choose the unit the slips are for",
            "invalid_choice": "Choose a unit from the list",
        },
    )
    size = forms.IntegerField(
        label="How many codes",
        min_value=1,
        max_value=KIOSK_MAX_BATCH,
        help_text="One for each person without email in that unit, and a few spare.",
        error_messages={
            "required": "Enter how many codes to make",
            "min_value": "Make at least 1 code",
            "max_value": f"Make {KIOSK_MAX_BATCH} codes or fewer at a time",
            "invalid": "Enter a whole number",
        },
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [int(k) for k in campaign.report_units]
        self.unit_options = {str(u.pk): u for u in Unit.objects.filter(pk__in=ids, organisation=campaign.organisation)}
        self.fields["unit"].choices = [("", "Choose a unit")] + [
            (k, u.indented_name) for k, u in self.unit_options.items()
        ]

    def clean_unit(self):
        return self.unit_options[self.cleaned_data["unit"]]


class InstrumentForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name for the question set"}
    )
    summary = forms.CharField(label="What it is for", widget=forms.Textarea, required=False)
    recall_period = forms.CharField(
        label="Period people should think about",
        max_length=200,
        required=False,
        help_text="For example, 'the last month'",
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question or statement", max_length=500, error_messages={"required": "Enter the question"}
    )
    answer_type = forms.ChoiceField(
        label="How people answer",
        choices=[
            ("agreement", "How much they agree (strongly disagree to strongly agree)"),
            ("frequency", "How often (never to always)"),
            ("free_text", "In their own words (optional)"),
        ],
        error_messages={"required": "Choose how people answer", "invalid_choice": "Choose how people answer"},
    )
    reverse_scored = forms.BooleanField(label="A higher answer is worse (reverse scored)", required=False)
