"""Sign-in pages. The URL namespace stays ``accounts``: they are the person's account pages."""

from django.urls import path

from staffwell.accounts import passkeys
from staffwell.signin import sso_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.login, name="login"),
    path("sign-in/verify/", views.mfa_step, name="mfa"),
    path("sign-in/verify/passkey/begin/", passkeys.sign_in_begin, name="passkey_sign_in_begin"),
    path("sign-in/verify/passkey/complete/", passkeys.sign_in_complete, name="passkey_sign_in_complete"),
    path("sign-in/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("sign-in/sso/<slug:org>/", sso_views.sso_start, name="sso_start"),
    path("sign-in/sso/<slug:org>/callback/", sso_views.sso_callback, name="sso_callback"),
    path("sign-out/", views.logout_confirm, name="logout"),
    path("sign-out/done/", views.logout, name="logout_post"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/organisations/", views.organisations, name="organisations"),
    path("account/sign-in-security/", views.security, name="security"),
    path("account/sign-in-security/passkeys/add/begin/", passkeys.add_begin, name="passkey_add_begin"),
    path("account/sign-in-security/passkeys/add/complete/", passkeys.add_complete, name="passkey_add_complete"),
    path("account/sign-in-security/passkeys/<int:passkey_id>/remove/", views.remove_passkey, name="passkey_remove"),
    path("account/password/changed/", views.password_change_done, name="password_change_done"),
    # An organisation admin's sign-in pages, beside the organisation's own pages.
    path("o/<slug:org>/people/<int:member_id>/invitation/", views.resend_invitation, name="resend_invitation"),
    path("o/<slug:org>/sign-in-settings/", sso_views.sso_settings, name="sso_settings"),
    path("o/<slug:org>/sign-in-settings/agree/", sso_views.sso_agree, name="sso_agree"),
    path("o/<slug:org>/sign-in-settings/mfa/", views.mfa_settings, name="mfa_settings"),
]
