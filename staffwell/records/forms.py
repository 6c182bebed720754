from django import forms

from staffwell.records.services import Candidate, find_colleague, share_candidates

SOMEONE_ELSE = "someone_else"


class ShareForm(forms.Form):
    section = forms.ChoiceField(
        label="What do you want to share?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to share."},
    )
    person = forms.ChoiceField(
        label="Who do you want to share it with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you want to share it with."},
    )
    email = forms.EmailField(
        label="Their work email address",
        required=False,
        help_text="Someone in your organisation with a staffwell account.",
        error_messages={"invalid": "Enter an email address like name@example.nhs.uk."},
    )

    def __init__(self, *args, owner, sections: list[tuple[str, str]], whole_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.candidates = {c.key: c for c in share_candidates(owner)}
        section_choices = [("all", whole_label)] + [(key, label) for key, label in sections]
        self.fields["section"].choices = section_choices
        if not sections:
            self.fields["section"].initial = "all"
        self.fields["person"].choices = [(k, c.description) for k, c in self.candidates.items()] + [
            (SOMEONE_ELSE, "Someone else in my organisation")
        ]

    def clean(self):
        data = super().clean()
        if data.get("person") == SOMEONE_ELSE:
            email = data.get("email")
            if not email and "email" not in self.errors:
                self.add_error("email", "Enter the email address of the person you want to share with.")
            elif email:
                candidate = find_colleague(self.owner, email)
                if candidate is None:
                    self.add_error(
                        "email",
                        "Nobody with a staffwell account in your organisation has that email address. "
                        "Check it, or ask them to sign in first.",
                    )
                else:
                    data["candidate"] = candidate
        elif data.get("person"):
            data["candidate"] = self.candidates[data["person"]]
        if data.get("section") == "all":
            data["section"] = ""
        return data

    @property
    def candidate(self) -> Candidate | None:
        return self.cleaned_data.get("candidate")


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label="Type ERASE to confirm",
        error_messages={"required": "Type ERASE to confirm that you want to erase everything."},
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "ERASE":
            raise forms.ValidationError("Type the word ERASE to confirm. Nothing has been erased.")
        return value
