import datetime
from pathlib import Path

from django import forms

from staffwell.assessments.models import Action, Evidence
from staffwell.core.forms import DateField
from staffwell.core.permissions import Perm
from staffwell.organisations.models import Membership

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Allowed document types: extension -> (content type, how the file must start).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".csv": ("text/csv", ()),
    ".txt": ("text/plain", ()),
}


def people_with(org, perm: Perm):
    return Membership.objects.for_org(org).holding(perm).filter(user__isnull=False).order_by("full_name")


class CycleForm(forms.Form):
    title = forms.CharField(
        label="Name of this assessment",
        max_length=200,
        help_text="For example: 'Health and wellbeing diagnostic 2026'.",
        error_messages={"required": "Enter a name for the assessment"},
    )
    elements = forms.MultipleChoiceField(
        label="Elements in scope",
        help_text="Choose the elements you will assess this time.",
        error_messages={"required": "Choose at least one element to assess"},
    )
    staff_reps = forms.MultipleChoiceField(
        label="Staff-side reps taking part",
        help_text="At least one staff-side rep must take part: the assessment is done in partnership.",
        error_messages={"required": "Choose at least one staff-side rep to take part"},
    )
    employer_leads = forms.MultipleChoiceField(
        label="Other employer-side leads taking part", required=False, help_text="You take part automatically."
    )

    def __init__(self, *args, org, framework, opener, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.element_objects = {str(e.pk): e for e in framework.elements.all()}
        self.fields["elements"].choices = [(k, f"{e.code}. {e.title}") for k, e in self.element_objects.items()]
        self.reps = {str(m.pk): m for m in people_with(org, Perm.TAKE_PART_AS_STAFF_SIDE).exclude(pk=opener.pk)}
        self.leads = {str(m.pk): m for m in people_with(org, Perm.LEAD_PARTNERSHIP_WORK).exclude(pk=opener.pk)}
        self.fields["staff_reps"].choices = [(k, m.full_name) for k, m in self.reps.items()]
        self.fields["employer_leads"].choices = [(k, m.full_name) for k, m in self.leads.items()]
        if not self.is_bound:
            self.initial.setdefault("elements", list(self.element_objects))


class InviteForm(forms.Form):
    person = forms.ChoiceField(label="Person to invite", error_messages={"required": "Choose someone to invite"})

    def __init__(self, *args, org, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        taking_part = set(cycle.participants.active().values_list("membership_id", flat=True))
        self.people = {}
        for side, perm, label in (
            ("employer", Perm.LEAD_PARTNERSHIP_WORK, "employer side"),
            ("staff", Perm.TAKE_PART_AS_STAFF_SIDE, "staff side"),
        ):
            for m in people_with(org, perm).exclude(pk__in=taking_part):
                self.people.setdefault(str(m.pk), (m, side, label))
        self.fields["person"].choices = [("", "Choose a person")] + [
            (k, f"{m.full_name} ({label})") for k, (m, _, label) in self.people.items()
        ]


class AgreeForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Agreed rating", coerce=int, error_messages={"required": "Choose the rating both sides agree on"}
    )
    rationale = forms.CharField(
        label="Why this rating",
        widget=forms.Textarea,
        max_length=5000,
        help_text="What the two sides took into account. This is shown in the results and the board report.",
        error_messages={"required": "Explain why both sides agreed this rating"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv.value, f"{lv.value}. {lv.label}") for lv in levels]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of evidence",
        choices=Evidence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of evidence"},
    )
    title = forms.CharField(
        label="Short title", max_length=200, error_messages={"required": "Enter a short title for the evidence"}
    )
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False, max_length=5000)
    url = forms.URLField(
        label="Web address",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, like https://intranet.example/policy"},
    )
    file = forms.FileField(
        label="Document",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, CSV or text; up to 10 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        suffix = Path(upload.name).suffix.lower()
        if suffix not in EVIDENCE_TYPES:
            raise forms.ValidationError(
                f"'{upload.name}' is not a type of document staffwell accepts. Use PDF, Word, Excel, PowerPoint, "
                "OpenDocument text, PNG, JPEG, CSV or text."
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(f"'{upload.name}' is larger than 10 MB. Upload a smaller file or add a link.")
        if upload.size == 0:
            raise forms.ValidationError(f"'{upload.name}' is empty.")
        content_type, signatures = EVIDENCE_TYPES[suffix]
        head = upload.read(16)
        upload.seek(0)
        if signatures and not any(head.startswith(sig) for sig in signatures):
            raise forms.ValidationError(f"'{upload.name}' does not look like a {suffix[1:].upper()} file.")
        if not signatures and b"\x00" in upload.read(4096):
            raise forms.ValidationError(f"'{upload.name}' is not a text file.")
        upload.seek(0)
        upload.staffwell_content_type = content_type
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Evidence.Kind.LINK and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", "Enter the web address of the evidence")
        if kind == Evidence.Kind.DOCUMENT and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", "Choose a document to upload")
        if kind == Evidence.Kind.NOTE and not cleaned.get("note", "").strip():
            self.add_error("note", "Write the note")
        if kind != Evidence.Kind.DOCUMENT:
            cleaned["file"] = None
        if kind != Evidence.Kind.LINK:
            cleaned["url"] = ""
        return cleaned


class SignForm(forms.Form):
    role = forms.CharField(
        label="Your role, as it should appear on the sign-off",
        max_length=200,
        help_text="For example: 'Director of People' or 'Staff-side chair, UNISON'.",
        error_messages={"required": "Enter your role for the sign-off record"},
    )
    confirm = forms.BooleanField(
        label="I confirm my side agrees these ratings",
        error_messages={"required": "Confirm that your side agrees these ratings"},
    )


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label="Why does the signed-off assessment need to change?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Explain why the assessment needs to change"},
    )


class ActionForm(forms.Form):
    title = forms.CharField(label="Action", max_length=200, error_messages={"required": "Enter the action"})
    description = forms.CharField(label="What will be done", widget=forms.Textarea, required=False, max_length=5000)
    measure = forms.CharField(
        label="How will we know it worked?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="The measure, for example 'rest space available on every ward, checked in the next survey'.",
        error_messages={"required": "Enter the measure that will show the action worked"},
    )
    link = forms.ChoiceField(label="Linked to", required=False)
    employer_owner = forms.ChoiceField(label="Owner on the employer side", required=False)
    staff_owner = forms.ChoiceField(label="Owner on the staff side", required=False)
    due_date = DateField(
        label="Due date",
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter the due date"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.elements = {f"e-{e.pk}": e for e in cycle.elements.all()}
        self.statements = {f"s-{s.pk}": s for s in cycle.statements()}
        self.fields["link"].choices = (
            [("", "The whole framework")]
            + [(k, f"Element {e.code}: {e.title}") for k, e in self.elements.items()]
            + [(k, f"Statement {s.code}: {s.text[:80]}") for k, s in self.statements.items()]
        )
        org = cycle.organisation
        self.employers = {str(m.pk): m for m in people_with(org, Perm.LEAD_PARTNERSHIP_WORK)}
        self.staff = {str(m.pk): m for m in people_with(org, Perm.TAKE_PART_AS_STAFF_SIDE)}
        self.fields["employer_owner"].choices = [("", "No employer-side owner")] + [
            (k, m.full_name) for k, m in self.employers.items()
        ]
        self.fields["staff_owner"].choices = [("", "No staff-side owner")] + [
            (k, m.full_name) for k, m in self.staff.items()
        ]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Enter a due date after the year 2000")
        return due

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("employer_owner") and not cleaned.get("staff_owner"):
            self.add_error("employer_owner", "Choose an owner on at least one side")
        return cleaned

    def action_data(self) -> dict:
        c = self.cleaned_data
        link = c.get("link") or ""
        return {
            "title": c["title"].strip(),
            "description": c["description"].strip(),
            "measure": c["measure"].strip(),
            "element": self.elements.get(link),
            "statement": self.statements.get(link),
            "employer_owner": self.employers.get(c.get("employer_owner") or ""),
            "staff_owner": self.staff.get(c.get("staff_owner") or ""),
            "due_date": c["due_date"],
        }

    @staticmethod
    def initial_for(action: Action) -> dict:
        link = (
            f"s-{action.statement_id}"
            if action.statement_id
            else (f"e-{action.element_id}" if action.element_id else "")
        )
        return {
            "title": action.title,
            "description": action.description,
            "measure": action.measure,
            "link": link,
            "employer_owner": str(action.employer_owner_id or ""),
            "staff_owner": str(action.staff_owner_id or ""),
            "due_date": action.due_date.strftime("%d/%m/%Y"),
            "version": action.version,
        }


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)
    text = forms.CharField(
        label="Progress update",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Describe the progress made"},
    )


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file (CSV)",
        help_text="In the staffwell framework format. Download the example to start from.",
        error_messages={"required": "Choose a framework file to upload", "empty": "The file you chose is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The framework file must be a CSV file (ending .csv)")
        return upload


class SharingForm(forms.Form):
    """One step in agreeing to share: the buttons on the sharing page post one of these."""

    ACTIONS = {
        "propose": "Propose sharing",
        "agree": "Agree to share",
        "decline": "Decline or withdraw the proposal",
        "stop": "Stop sharing",
    }
    action = forms.ChoiceField(
        choices=list(ACTIONS.items()),
        error_messages={
            "required": "Choose what to do about sharing",
            "invalid_choice": "Choose one of the buttons on this page",
        },
    )
