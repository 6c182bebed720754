from django import forms

from staffwell.absence.reasons import GROUPS
from staffwell.core.forms import DateField

MAX_UPLOAD = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="ESR sickness absence extract (CSV)",
        help_text="One row per assignment and month, as ESR reports it. The file is read, reduced to counts and "
        "thrown away: no row about a person is kept, and groups smaller than this organisation's minimum group "
        "are combined into the unit above before anything is stored.",
        error_messages={"required": "Choose the extract to upload", "empty": "The chosen file is empty"},
    )


class MeasureForm(forms.Form):
    unit = forms.TypedChoiceField(
        label="Which part of the organisation", coerce=int, empty_value=0, error_messages={"required": "Choose a unit"}
    )
    reason_group = forms.ChoiceField(
        label="Which absence",
        choices=[(k, v[0]) for k, v in GROUPS.items() if k in {"all", "stress", "msk"}],
        error_messages={"required": "Choose which absence the action should reduce"},
    )
    starts_on = DateField(
        label="When the action started",
        help_text="For example, 1 3 2026. It is marked on the chart.",
        error_messages={"required": "Enter the date the action started"},
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(0, "The whole organisation")] + [(u.pk, str(u.name)) for u in units]


class SeriesChangeForm(forms.Form):
    """Mark a known change on one series: its chart starts a new mean and limits there."""

    series = forms.ChoiceField(label="Which chart", error_messages={"required": "Choose the chart to mark"})
    reason_group = forms.ChoiceField(
        label="Which absence",
        choices=[(k, v[0]) for k, v in GROUPS.items()],
        error_messages={"required": "Choose which absence the chart shows"},
    )
    month = forms.CharField(
        label="The first month after the change",
        help_text="For example, 2025-04. The chart's mean and limits are worked out again from this month.",
        max_length=20,
        error_messages={"required": "Enter the first month after the change"},
    )
    reason = forms.CharField(
        label="What changed",
        help_text="Both sides see this beside the chart. For example: new rostering system from April 2025.",
        max_length=300,
        error_messages={
            "required": "Say what changed, so both sides can see why the chart starts again",
            "max_length": "Keep what changed to 300 characters or fewer",
        },
    )

    def __init__(self, *args, series=(), months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = list(series)
        self.months = list(months)

    def clean_month(self):
        from staffwell.absence.esr_format import parse_month

        text = self.cleaned_data["month"]
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError("Enter the month like 2025-04")
        if self.months and not self.months[0] < month <= self.months[-1]:
            raise forms.ValidationError(
                f"Enter a month after {self.months[0]:%B %Y} and no later than {self.months[-1]:%B %Y}: "
                "a new baseline needs figures before and after it"
            )
        return month


class TriggerForm(forms.Form):
    """A trigger definition from the trust's agreed absence policy, proposed by one side."""

    spells = forms.IntegerField(
        label="Spells of sickness absence",
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Enter how many spells meet the definition",
            "invalid": "Enter the number of spells as a whole number, like 3",
            "min_value": "Enter at least 1 spell",
            "max_value": "Enter 20 spells or fewer",
        },
    )
    window_months = forms.IntegerField(
        label="In how many months",
        min_value=1,
        max_value=12,
        error_messages={
            "required": "Enter how many months the spells are counted over",
            "invalid": "Enter the number of months as a whole number, like 6",
            "min_value": "Enter at least 1 month",
            "max_value": "Enter 12 months or fewer",
        },
    )
    days = forms.IntegerField(
        label="Or FTE days lost in that time (optional)",
        required=False,
        min_value=1,
        max_value=366,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 14, or leave it blank",
            "min_value": "Enter at least 1 day, or leave it blank",
            "max_value": "Enter 366 days or fewer, or leave it blank",
        },
    )
