from django.apps import AppConfig


class SigninConfig(AppConfig):
    """Sign-in as an organisation runs it: single sign-on per organisation, invitations and
    confirmations after a staff import, and which roles need a second factor. It sits above
    ``organisations`` (it reads memberships); ``accounts`` below holds the person's account and
    credentials."""

    name = "staffwell.signin"
    label = "signin"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from staffwell.organisations.hooks import on_people_added
        from staffwell.signin import agreement, onboarding, tasks

        agreement.register()

        user_logged_in.connect(onboarding.mark_first_sign_in, dispatch_uid="signin.mark_first_sign_in")
        on_people_added(tasks.enqueue_onboarding)
