from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator

EMAIL_MAX = 254  # the longest email address there can be (RFC 5321)


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
