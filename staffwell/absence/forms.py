from django import forms

from staffwell.absence.reasons import GROUPS
from staffwell.core.forms import DateField

MAX_UPLOAD = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="ESR sickness absence extract (CSV)",
        help_text="One row per assignment and month, as ESR reports it. The file is read, reduced to counts and "
        "thrown away: no row about a person is kept.",
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
