from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "staffwell.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from staffwell.accounts.onboarding import mark_first_sign_in

        user_logged_in.connect(mark_first_sign_in, dispatch_uid="accounts.mark_first_sign_in")
