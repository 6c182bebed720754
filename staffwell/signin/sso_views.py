"""Single sign-on pages: starting and finishing a sign-in with an organisation's provider,
and the organisation's sign-in settings, which the admin edits and both sides agree
(signin/agreement.py, ADR 0012 "Update (session 5)")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staffwell.accounts.models import MfaRequirement, SingleSignOn
from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view, public
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.signin import agreement
from staffwell.signin import sso as oidc

NOT_AGREED = (
    "{org} has set up single sign-on, but it is not in use yet: the employer side and the staff side both "
    "agree who can sign people in, and they have not both agreed these settings. Sign in with your staffwell "
    "password."
)
INSECURE = (
    "{org}'s single sign-on provider is not at a secure (https) address, so staffwell does not trust it. Sign "
    "in with your staffwell password, and tell your organisation admin."
)


def _single_sign_on(org_slug: str):
    sso = (
        SingleSignOn.objects.filter(organisation__slug=org_slug, is_enabled=True).select_related("organisation").first()
    )
    if sso is None:
        raise Http404
    return sso


def _usable(sso) -> None:
    """Refused unless both sides agreed this configuration and its issuer is https."""
    if not agreement.issuer_allowed(sso.issuer):
        raise oidc.Refused(INSECURE.format(org=sso.organisation.name), reason="insecure_issuer")
    if not agreement.trusted(sso):
        raise oidc.Refused(NOT_AGREED.format(org=sso.organisation.name), reason="not_agreed")


def _refused(request, sso, refused):
    audit.record("account.sso.refused", organisation=sso.organisation, data={"reason": refused.reason[:100]})
    return render(request, "accounts/sso_refused.jinja", {"sso": sso, "message": refused.message}, status=400)


@public
@never_cache
def sso_start(request, org: str):
    provider = _single_sign_on(org)
    redirect_uri = request.build_absolute_uri(
        reverse("accounts:sso_callback", kwargs={"org": provider.organisation.slug})
    )
    try:
        _usable(provider)
        return oidc.start(request, provider, redirect_uri)
    except oidc.Refused as refused:
        return _refused(request, provider, refused)


@public
@never_cache
def sso_callback(request, org: str):
    from django.contrib.auth import login

    provider = _single_sign_on(org)
    try:
        _usable(provider)
        claims = oidc.claims_from_callback(request, provider)
        member = oidc.member_for(provider, claims)
    except oidc.Refused as refused:
        return _refused(request, provider, refused)
    login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["signed_in_with"] = "sso"
    audit.record(
        "account.sso.signed_in",
        actor=member.user,
        organisation=provider.organisation,
        obj=member,
        data={"provider": provider.get_kind_display(), "issuer": agreement.normalised_issuer(provider.issuer)},
    )
    return redirect("core:home")


@org_view((Perm.MANAGE_PEOPLE, *PARTNERSHIP))
def sso_settings(request):
    """The admin edits; the employer-side lead and staff-side reps read it and agree it."""
    from staffwell.accounts.forms import SingleSignOnForm

    instance = SingleSignOn.objects.filter(organisation=request.org).first() or SingleSignOn(organisation=request.org)
    may_edit = request.membership.has_perm(Perm.MANAGE_PEOPLE)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    before = agreement.version(instance) if instance.pk else None
    form = SingleSignOnForm(request.POST or None, instance=instance) if may_edit else None
    if request.method == "POST" and form.is_valid():
        sso = form.save(commit=False)
        if form.cleaned_data.get("client_secret"):
            sso.client_secret = form.cleaned_data["client_secret"]
        new_version = agreement.save(sso, before=before, actor=request.user)
        audit.record(
            "account.sso.configured",
            actor=request.user,
            organisation=request.org,
            obj=sso,
            data={
                "issuer": sso.issuer,
                "client_id": sso.client_id,
                "enabled": sso.is_enabled,
                "domains": sso.allowed_domains,
                "version": agreement.version(sso),
                "needs_agreement": new_version,
            },
        )
        if agreement.trusted(sso):
            messages.success(request, "Single sign-on settings saved.")
        else:
            messages.success(
                request,
                "Single sign-on settings saved. They are not used for signing in until the employer-side lead and "
                "a staff-side rep have both agreed them"
                + (": as you saved them, neither agreement can be yours." if new_version else "."),
            )
        return redirect("accounts:sso_settings", org=request.org.slug)
    saved = instance.pk is not None
    state = agreement.state(instance) if saved else None
    callback = request.build_absolute_uri(reverse("accounts:sso_callback", kwargs={"org": request.org.slug}))
    context = {
        "form": form,
        "may_edit": may_edit,
        "sso": instance,
        "callback": callback,
        "saved": saved,
        "terms": agreement.terms(instance) if saved else None,
        "version": agreement.version(instance) if saved else "",
        "sso_state": state,
        "my_side": side_of(request.membership),
        "saved_by_you": agreement.SAVED_BY_YOU if saved and agreement.saved_by(instance, request.user) else "",
        "insecure": saved and not agreement.issuer_allowed(instance.issuer),
        "mfa_required": MfaRequirement.objects.filter(organisation=request.org, required=True).exists(),
    }
    return render(request, "accounts/sso_settings.jinja", context, status=400 if form and form.errors else 200)


@org_view(PARTNERSHIP)
@require_POST
def sso_agree(request):
    sso = get_object_or_404(SingleSignOn, organisation=request.org)
    try:
        state = agreement.agree(sso=sso, membership=request.membership, seen_version=request.POST.get("version", ""))
    except partnership.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        if state.complete:
            messages.success(request, "Both sides have agreed. Staff can now sign in with these settings.")
        else:
            messages.success(request, "Your side has agreed. Single sign-on is used once the other side agrees too.")
    return redirect("accounts:sso_settings", org=request.org.slug)
