import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator

EMAIL_MAX = 254  # the longest email address there can be (RFC 5321)


# An email domain: labels of letters, digits and hyphens, separated by dots (no spaces,
# newlines or anything else an attack tried to save).
_DOMAIN = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+")


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive except the email.",
        "inactive": "This account is not active. Ask your organisation admin.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"maxlength": EMAIL_MAX})
        self.fields["username"].max_length = EMAIL_MAX
        self.fields["username"].validators.append(
            MaxLengthValidator(EMAIL_MAX, message=f"An email address is at most {EMAIL_MAX} characters long")
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].max_length = 4096
        self.fields["password"].validators.append(
            MaxLengthValidator(4096, message="A password here is at most 4,096 characters long")
        )
        self.fields["password"].error_messages["required"] = "Enter your password"


class ResetForm(PasswordResetForm):
    """Also for accounts that have never had a password: people a staff import added set their
    first one this way (Django's own form skips accounts with an unusable password)."""

    def get_users(self, email):
        from staffwell.accounts.models import User

        return User.objects.filter(email__iexact=email, is_active=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.nhs.uk"
        )


class NewPasswordForm(SetPasswordForm):
    pass


class ChangePasswordForm(PasswordChangeForm):
    pass


class SingleSignOnForm(forms.ModelForm):
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave blank to keep the secret already saved.",
    )

    class Meta:
        from staffwell.accounts.models import SingleSignOn

        model = SingleSignOn
        fields = [
            "kind",
            "issuer",
            "client_id",
            "allowed_domains",
            "email_claim",
            "require_email_verified",
            "is_enabled",
        ]
        labels = {"is_enabled": "Switch single sign-on on", "require_email_verified": "Require a verified email claim"}
        error_messages = {
            "issuer": {
                "required": "Enter the provider's issuer address",
                "invalid": "Enter the issuer as a web address",
            },
            "client_id": {"required": "Enter the client id the provider gave staffwell"},
            "allowed_domains": {"required": "Enter at least one email domain, like nhs.net"},
        }

    def clean_issuer(self):
        """An https issuer only, outside development and tests (STAFFWELL_ENV=development): over
        plain http anyone on the way could answer for the provider."""
        from django.conf import settings

        value = self.cleaned_data["issuer"].strip()
        if not value.lower().startswith("https://") and not settings.DEVELOPMENT:
            raise forms.ValidationError(
                "Enter the issuer as an https address (it starts with https://): staffwell only trusts a provider "
                "it reaches over an encrypted connection"
            )
        return value

    def clean_allowed_domains(self):
        value = self.cleaned_data["allowed_domains"]
        domains = [d.strip().lower().lstrip("@") for d in value.split(",") if d.strip()]
        bad = [d for d in domains if not _DOMAIN.fullmatch(d)]
        if not domains or bad:
            raise forms.ValidationError("Enter email domains separated by commas, like nhs.net, northgate.nhs.uk")
        return ", ".join(domains)

    def clean(self):
        data = super().clean()
        if not data.get("client_secret") and not (self.instance.pk and self.instance.client_secret):
            self.add_error("client_secret", "Enter the client secret the provider gave staffwell")
        return data


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, enrolling: bool, recovery_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery_only:
            field.label = "Recovery code"
            field.help_text = "One of the 10-digit recovery codes you saved when you set up your passkey."
            field.error_messages["required"] = "Enter one of your recovery codes"
        elif enrolling:
            field.help_text = "The 6 digits your authenticator app shows for staffwell."
        else:
            field.help_text = "The 6 digits your authenticator app shows, or one of your recovery codes."
