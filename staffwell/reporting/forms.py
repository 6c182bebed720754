from django import forms

from staffwell.suppression import FLOOR_MIN_GROUP


class ProposalForm(forms.Form):
    min_group = forms.IntegerField(
        label="Minimum reporting group",
        help_text=f"No figure is shown about fewer people than this. Never below {FLOOR_MIN_GROUP}.",
        min_value=FLOOR_MIN_GROUP,
        max_value=100,
        error_messages={
            "required": "Enter the minimum reporting group",
            "min_value": f"The minimum reporting group cannot be below {FLOOR_MIN_GROUP}",
            "max_value": "Enter a number of 100 or fewer",
            "invalid": "Enter a whole number, like 10",
        },
    )
    free_text_min_group = forms.IntegerField(
        label="Minimum group for comments",
        help_text="Comments are shown only for groups of at least this many people.",
        min_value=FLOOR_MIN_GROUP,
        max_value=200,
        error_messages={
            "required": "Enter the minimum group for comments",
            "min_value": f"The minimum group for comments cannot be below {FLOOR_MIN_GROUP}",
            "max_value": "Enter a number of 200 or fewer",
            "invalid": "Enter a whole number, like 15",
        },
    )
    reason = forms.CharField(
        label="Why change it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the thresholds should change"},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("min_group")
            and data.get("free_text_min_group")
            and data["free_text_min_group"] < data["min_group"]
        ):
            self.add_error("free_text_min_group", "The group for comments must be at least the minimum reporting group")
        return data


class BenchmarkForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter a name for the table"})
    source = forms.CharField(
        label="Where the figures come from",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter where the figures come from"},
    )
    year = forms.IntegerField(
        label="Year of the figures",
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={"min_value": "Enter a year like 2024", "max_value": "Enter a year like 2024"},
    )
    file = forms.FileField(
        label="CSV file with columns scale, p20, p50, p80",
        error_messages={"required": "Choose a CSV file"},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 100_000:
            raise forms.ValidationError("The file must be smaller than 100 KB")
        return f
