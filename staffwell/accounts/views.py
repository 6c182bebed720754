from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from staffwell.accounts.forms import ChangePasswordForm, NewPasswordForm, ResetForm, SignInForm
from staffwell.core.access import org_view, public
from staffwell.core.permissions import Perm

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


@never_cache
def organisations(request):
    """Confirm (or decline) organisations whose staff lists name you."""
    from staffwell.accounts import onboarding

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
    from staffwell.accounts import onboarding
    from staffwell.organisations.models import Membership

    member = get_object_or_404(Membership.objects.for_org(request.org).select_related("user"), pk=member_id)
    if member.user is None or not member.is_active:
        raise Http404
    onboarding.send_invitation(member.user, request.org, actor=request.user)
    messages.success(request, f"Invitation sent again to {member.user.email}.")
    return redirect("organisations:person", org=request.org.slug, member_id=member.pk)
