from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from staffwell.accounts.forms import ChangePasswordForm, NewPasswordForm, ResetForm, SignInForm
from staffwell.core.access import public

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.jinja", authentication_form=SignInForm, redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view(template_name="accounts/logged_out.jinja"))
logout_confirm = TemplateView.as_view(template_name="accounts/logout_confirm.jinja")

password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.jinja",
        form_class=ResetForm,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.jinja")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.jinja",
        form_class=NewPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.jinja")
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.jinja",
    form_class=ChangePasswordForm,
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.jinja")
