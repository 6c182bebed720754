from django import forms

from staffwell.passports import signing
from staffwell.passports.models import CONTENT_FIELDS, Status

MAX_WORDS = 5000


class PassportForm(forms.Form):
    """The person's own words; fields depend on the kind of passport."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for i, (key, label, hint) in enumerate(CONTENT_FIELDS[kind]):
            self.fields[key] = forms.CharField(
                label=label,
                help_text=hint,
                required=i == 0,
                max_length=MAX_WORDS,
                strip=True,
                widget=forms.Textarea,
                error_messages={
                    "required": f"Enter {label[0].lower()}{label[1:]}, in your own words.",
                    "max_length": f"{label} must be {MAX_WORDS:,} characters or fewer.",
                },
            )

    def content(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in self.fields}


class AdjustmentForm(forms.Form):
    request = forms.CharField(
        label="What would help?",
        help_text="One adjustment or arrangement, in your own words. You can add more afterwards.",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the adjustment or arrangement you are asking for.",
            "max_length": "Keep each adjustment to 2,000 characters or fewer; add another for the next one.",
        },
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            (Status.AGREED, "Agreed as asked"),
            (Status.AGREED_WITH_CHANGES, "Agreed with changes"),
            (Status.NOT_AGREED, "Not agreed"),
        ],
        error_messages={"required": "Choose whether you agree the adjustment."},
    )
    agreed_text = forms.CharField(
        label="What is agreed instead",
        help_text="Only if you agreed with changes. Talk it through with the person first.",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if you did not agree it, or agreed with changes. The person will see it.",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Status.AGREED_WITH_CHANGES and not data.get("agreed_text"):
            self.add_error("agreed_text", "Say what is agreed instead of what was asked for.")
        if decision in (Status.NOT_AGREED, Status.AGREED_WITH_CHANGES) and not data.get("reason"):
            self.add_error("reason", "Give the reason: the person will see it and can raise it with you.")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your signed passport (.json)",
        help_text="The .json file you downloaded from your previous employer's staffwell.",
        error_messages={"required": "Choose the signed passport file to import.", "empty": "The file is empty."},
    )
    confirm = forms.BooleanField(
        label="This passport is mine",
        help_text="Only import your own passport.",
        error_messages={"required": "Confirm that this passport is yours."},
    )


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="Signed passport file (.json)",
        required=False,
        help_text="Or paste its contents below.",
    )
    text = forms.CharField(
        label="Or paste the signed passport",
        required=False,
        widget=forms.Textarea,
        max_length=signing.MAX_BYTES,
        error_messages={"max_length": "The pasted text is larger than 1 MB, far larger than any passport."},
    )
    public_key = forms.CharField(
        label="Issuer's public key (optional)",
        required=False,
        max_length=signing.MAX_KEY_FILE_CHARS,
        error_messages={"max_length": "The key is far longer than any staffwell key file."},
        widget=forms.Textarea,
        help_text="Leave blank to check against organisations on this staffwell. Otherwise paste the key file from "
        "the issuer's passports/keys address, or the base64 public key.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None and not (data.get("text") or "").strip():
            self.add_error("file", "Choose a signed passport file, or paste one below.")
            return data
        data["raw"] = upload.read(signing.MAX_BYTES + 1) if upload is not None else data["text"]
        try:
            data["extra_keys"] = signing.key_from_published(data.get("public_key") or "")
        except signing.VerificationError as exc:
            self.add_error("public_key", exc.message)
        return data


class TrustedKeyForm(forms.Form):
    key_file = forms.CharField(
        label="The issuer's published key file",
        widget=forms.Textarea,
        max_length=signing.MAX_KEY_FILE_CHARS,
        help_text="Open the issuer's passports/keys/<ODS code>.json address and paste all of it here.",
        error_messages={"required": "Paste the issuer's key file."},
    )
    fingerprint_checked = forms.BooleanField(
        label="I have checked the fingerprint with the issuing organisation",
        help_text="By phone or another channel you trust, not only by the web page.",
        error_messages={"required": "Check the fingerprint with the issuing organisation first."},
    )

    def clean_key_file(self):
        text = self.cleaned_data["key_file"]
        try:
            keys = signing.key_from_published(text)
        except signing.VerificationError as exc:
            raise forms.ValidationError(exc.message) from None
        if not keys or not keys[0].ods_code:
            raise forms.ValidationError(
                "Paste the whole key file (it names the issuing organisation), not just the key."
            )
        if not signing.ODS_CODE.fullmatch(keys[0].ods_code):
            raise forms.ValidationError(
                f"The key file's ODS code “{keys[0].ods_code}” is not an ODS code (3 to 10 letters A to Z and digits)."
            )
        local = signing.find_local_org(keys[0].ods_code, keys[0].name)
        if local is not None:
            raise forms.ValidationError(
                signing.imitation_message("The key file names", keys[0].ods_code, keys[0].name, local)
                + ". Its own keys are already trusted; a key from elsewhere can never be stored under its name or "
                "code, or one that looks like them. Do not trust this key: whoever sent it may be passing as "
                f"{local.name}."
            )
        problem = signing.mixed_script_problem(keys[0].name, "The key file's organisation name")
        if problem:
            raise forms.ValidationError(problem)
        self.keys = keys
        return text
