import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from staffwell.accounts.forms import ChangePasswordForm, NewPasswordForm, ResetForm, SignInForm
from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.organisations.access import org_view, public
from staffwell.signin import agreement, policy


def login(request, *args, **kwargs):
    return SignInView.as_view()(request, *args, **kwargs)


login = public(login)
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


@never_cache
def organisations(request):
    """Confirm (or decline) organisations whose staff lists name you."""
    from staffwell.signin import onboarding

    links = list(onboarding.open_links(request.user))
    if request.method == "POST":
        link = next((item for item in links if str(item.pk) == request.POST.get("link")), None)
        answer = request.POST.get("answer")
        if link is None or answer not in ("accept", "decline"):
            raise Http404
        attached = onboarding.decide(link, user=request.user, accept=answer == "accept")
        org = link.membership.organisation
        if attached:
            messages.success(request, f"You are now in {org.name} on staffwell.")
        elif answer == "accept":
            messages.warning(request, f"{org.name} already has you on staffwell, so nothing changed.")
        else:
            messages.success(request, f"Declined. {org.name} cannot see or manage your account.")
        return redirect("accounts:organisations")
    current = request.user.memberships.filter(is_active=True).select_related("organisation")
    return render(request, "accounts/organisations.jinja", {"links": links, "current": current})


@org_view(Perm.MANAGE_PEOPLE)
@require_POST
def resend_invitation(request, member_id: int):
    from staffwell.organisations.models import Membership
    from staffwell.signin import onboarding

    member = get_object_or_404(Membership.objects.for_org(request.org).select_related("user"), pk=member_id)
    if member.user is None or not member.is_active:
        raise Http404
    if member.user.last_login is not None:
        # They have signed in: an invitation now is only a password link in their inbox that
        # they did not ask for (found by an attack). They can reset their own password.
        messages.error(request, f"{member.full_name} has signed in already, so there is no invitation to send.")
        return redirect("organisations:person", org=request.org.slug, member_id=member.pk)
    onboarding.send_invitation(member.user, request.org, actor=request.user)
    messages.success(request, f"Invitation sent again to {member.user.email}.")
    return redirect("organisations:person", org=request.org.slug, member_id=member.pk)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.jinja"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):

        user = form.get_user()
        if not policy.asks_for(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session["mfa_pending"] = {
            "user": user.pk,
            "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
            "next": self.get_success_url(),
            "since": int(time.time()),
        }
        return redirect("accounts:mfa")

    def get_context_data(self, **kwargs):
        from staffwell.accounts.models import SingleSignOn

        context = super().get_context_data(**kwargs)
        # Only configurations both sides agreed are offered (signin/agreement.py).
        enabled = SingleSignOn.objects.filter(is_enabled=True).select_related("organisation")
        context["single_sign_on"] = [sso for sso in enabled if agreement.trusted(sso)]
        return context


@public
@never_cache
def mfa_step(request):
    """The second step of a password sign-in: set up or use a passkey or an authenticator app, or
    use a recovery code. The authenticator app and recovery codes work without JavaScript."""
    import django_otp
    import segno
    from django.contrib.auth import login as auth_login

    from staffwell.accounts import mfa, passkeys
    from staffwell.accounts.forms import MfaCodeForm

    user, pending = mfa.pending_sign_in(request)
    if user is None:
        messages.warning(request, "Sign in again: the sign-in took too long or was not started.")
        return redirect("accounts:login")
    device = mfa.authenticator(user)
    has_passkey = mfa.passkeys(user).exists()
    enrolling = device is None and not has_passkey
    if enrolling:
        device = mfa.authenticator_being_set_up(request, user)
    form = MfaCodeForm(request.POST or None, enrolling=enrolling, recovery_only=device is None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        accepted = None
        if enrolling:
            if device.verify_token("".join(code.split())):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                accepted = device
        else:
            accepted = mfa.check(user, code)
        if accepted is None:
            audit.record("account.mfa.failed", actor=None, data={"user": user.pk})
            form.add_error(
                "code",
                "The code is not right. Enter a recovery code."
                if device is None
                else "The code is not right. Enter the 6 digits your authenticator app shows now, or a recovery code.",
            )
        else:
            request.session.pop("mfa_pending", None)
            request.session.pop("mfa_setup", None)
            auth_login(request, user, backend=pending["backend"])
            django_otp.login(request, accepted)
            audit.record(
                "account.mfa.enrolled" if enrolling else "account.mfa.verified",
                actor=user,
                data={"method": "recovery code" if accepted.__class__.__name__ == "StaticDevice" else "authenticator"},
            )
            if enrolling:
                codes = mfa.make_recovery_codes(user)
                return render(request, "accounts/recovery_codes.jinja", {"codes": codes, "next": pending["next"]})
            return redirect(pending["next"])
    context = {
        "form": form,
        "enrolling": enrolling,
        "has_passkey": has_passkey,
        "has_authenticator": device is not None and not enrolling,
        "user_email": user.email,
        "passkey_config": passkeys.config(request, registering=enrolling),
    }
    if enrolling:
        context["secret"] = mfa.readable_secret(device)
        context["qr"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code for your authenticator app"
        )
    return render(request, "accounts/mfa.jinja", context, status=400 if form.errors else 200)


@never_cache
def recovery_codes(request):
    """New recovery codes, shown once: after a first passkey, or when the person asks for new ones."""
    from staffwell.accounts import mfa

    next_url = request.session.pop("mfa_show_codes", None)
    if request.method == "POST":
        if not _may_change_second_step(request) or not mfa.has_second_factor(request.user):
            messages.warning(request, _SIGN_IN_AGAIN)
            return redirect("accounts:security")
        next_url = reverse("accounts:security")
        audit.record("account.mfa.recovery_codes_replaced", actor=request.user)
    if not next_url:
        return redirect("accounts:security")
    codes = mfa.make_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.jinja", {"codes": codes, "next": next_url})


_SIGN_IN_AGAIN = (
    "To change your second step, sign out, then sign in with your password and your passkey, authenticator app "
    "or a recovery code."
)


def _may_change_second_step(request) -> bool:
    """Only with the second step used in this session, unless there is none yet: a password (or a
    borrowed single sign-on session) alone never changes it."""
    from staffwell.accounts import mfa

    return request.user.is_verified() or not mfa.has_second_factor(request.user)


@never_cache
def security(request):
    """Your sign-in security: passkeys (add, remove), the authenticator app, recovery codes."""
    from staffwell.accounts import mfa, passkeys
    from staffwell.signin import sso as oidc

    user = request.user
    context = {
        "passkeys": list(mfa.passkeys(user)),
        "has_authenticator": mfa.authenticator(user) is not None,
        "codes_left": mfa.recovery_codes_left(user),
        "required": policy.required_for(user),
        "may_change": _may_change_second_step(request),
        "sso": request.session.get("signed_in_with") == "sso",
        "sso_sign_ins": list(oidc.sign_ins_of(user)),
        "passkey_config": passkeys.config(request, registering=True),
    }
    return render(request, "accounts/security.jinja", context)


@require_POST
def remove_passkey(request, passkey_id: int):
    from staffwell.accounts import mfa

    passkey = get_object_or_404(mfa.passkeys(request.user), pk=passkey_id)
    if not _may_change_second_step(request):
        messages.warning(request, _SIGN_IN_AGAIN)
        return redirect("accounts:security")
    if (
        policy.required_for(request.user)
        and mfa.authenticator(request.user) is None
        and mfa.passkeys(request.user).count() == 1
    ):
        # Your role needs a second step: removing the only one would sign you out at once.
        messages.error(
            request,
            "This is your only passkey, and your role needs a second step when you sign in with a password. "
            "Add another passkey first, then remove this one.",
        )
        return redirect("accounts:security")
    was_verified = request.user.is_verified()
    passkey.delete()
    audit.record("account.mfa.passkey_removed", actor=request.user, data={"passkey": passkey_id})
    remaining = mfa.authenticator(request.user) or mfa.passkeys(request.user).first()
    if was_verified and remaining is not None:
        # This session did pass a second step, perhaps with the passkey just removed: it stays
        # verified (as django-otp-webauthn does when a passkey is added), so the person can go on.
        import django_otp

        django_otp.login(request, remaining)
    left = mfa.has_second_factor(request.user)
    messages.success(
        request,
        "Passkey removed."
        if left or not policy.required_for(request.user)
        else "Passkey removed. You have no passkey or authenticator app now: you will set one up the next time "
        "you sign in with your password.",
    )
    return redirect("accounts:security")


@org_view(Perm.MANAGE_PEOPLE)
@require_POST
def mfa_settings(request):
    from staffwell.accounts.models import MfaRequirement

    required = request.POST.get("required") == "on"
    MfaRequirement.objects.update_or_create(organisation=request.org, defaults={"required": required})
    audit.record(
        "account.mfa.policy_changed", actor=request.user, organisation=request.org, data={"required": required}
    )
    messages.success(
        request,
        "Multi-factor authentication is now required for privileged roles."
        if required
        else "Multi-factor authentication is no longer required.",
    )
    return redirect("accounts:sso_settings", org=request.org.slug)
