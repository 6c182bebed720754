from django import forms
from django.conf import settings

from staffwell.core.permissions import ASSIGNABLE_ROLES
from staffwell.organisations.models import (
    ODS_CODE,
    IntegratedCareSystem,
    Membership,
    Organisation,
    Unit,
    ods_skeleton,
)
from staffwell.organisations.staff_csv import describe_size


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Staff list (CSV file)",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file you chose is empty"},
    )

    allow_many_leavers = forms.BooleanField(
        label="Many people have left since the last import, and that is expected",
        required=False,
        help_text="Without this, a file that would mark more than 1 in 10 current staff as leavers is refused.",
    )
    allow_new_units = forms.BooleanField(
        label="Create the new units",
        required=False,
        help_text="Without this, a file that names a unit the organisation does not have yet is refused, and the "
        "new unit paths are listed for you to check: a mistyped name would otherwise become a new team.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.STAFFWELL_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {describe_size(upload.size)}. The largest staff list staffwell accepts is {describe_size(limit)}."
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The file must be a CSV file (ending .csv)")
        return upload


class UnitForm(forms.Form):
    name = forms.CharField(label="Unit name", max_length=200, error_messages={"required": "Enter a name for the unit"})
    parent = forms.ChoiceField(label="Part of", required=False)

    def __init__(self, *args, org: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.units = {str(u.pk): u for u in Unit.objects.for_org(org)}
        self.fields["parent"].choices = [("", "Nothing (a top-level unit)")] + [
            (key, u.indented_name) for key, u in self.units.items()
        ]

    def clean(self):
        cleaned = super().clean()
        parent = self.units.get(cleaned.get("parent") or "")
        cleaned["parent"] = parent
        name = cleaned.get("name", "").strip()
        if name and Unit.objects.for_org(self.org).filter(parent=parent, name__iexact=name).exists():
            self.add_error("name", f"There is already a unit called '{name}' there")
        return cleaned


class MembershipForm(forms.Form):
    unit = forms.ChoiceField(label="Unit", required=False)
    roles = forms.MultipleChoiceField(
        label="Roles",
        required=False,
        choices=[(r.value, r.label) for r in ASSIGNABLE_ROLES],
        help_text="Everyone is a staff member. Line managers come from the units they manage.",
    )
    manages = forms.MultipleChoiceField(label="Manages these units", required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_org(membership.organisation)
        choices = [(str(u.pk), u.indented_name) for u in units]
        self.fields["unit"].choices = [("", "No unit"), *choices]
        self.fields["manages"].choices = choices


class AppointRepForm(forms.Form):
    who = forms.CharField(
        label="Work email or person id of the new rep",
        max_length=254,
        error_messages={"required": "Enter the work email or person id of the person to appoint"},
    )

    def __init__(self, *args, org: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org

    def clean_who(self):
        from staffwell.organisations.staff_side import find_member

        member = find_member(self.org, self.cleaned_data["who"])
        if member is None:
            raise forms.ValidationError(f"Nobody working at {self.org.name} has that work email or person id")
        return member


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "ods_code", "kind", "ics"]
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "unique": "There is already an organisation with this name",
            },
            "slug": {
                "required": "Enter a short name for web addresses",
                "unique": "This short name is taken",
                "invalid": "Use only lower-case letters, numbers and hyphens (-), for example northgate",
            },
            "ods_code": {
                "required": "Enter the ODS code",
                "unique": "There is already an organisation with this ODS code",
            },
        }

    def clean_ods_code(self):
        """Upper case, no spaces, plain ASCII; never a look-alike of another organisation's code
        (``rzz01`` or ``RZZO1`` beside ``RZZ01``): signed passports name their issuer by it."""
        import unicodedata

        code = "".join(unicodedata.normalize("NFKC", self.cleaned_data["ods_code"]).split()).upper()
        if not ODS_CODE.fullmatch(code):
            raise forms.ValidationError("Enter the ODS code: 3 to 10 letters A to Z and digits, for example RZZ01")
        others = Organisation.objects.exclude(pk=self.instance.pk).values_list("ods_code", flat=True)
        clash = next((o for o in others if ods_skeleton(o) == ods_skeleton(code)), None)
        if clash is not None:
            raise forms.ValidationError(
                f"There is already an organisation with this ODS code, or one that looks the same ({clash})"
            )
        return code

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ics"].queryset = IntegratedCareSystem.objects.all()
        self.fields["ics"].empty_label = "Not part of an integrated care system"
