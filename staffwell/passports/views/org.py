"""Organisation pages: suppressed insight, and the admin's list of trusted issuers' keys."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.organisations.access import org_view
from staffwell.passports import insight as insight_service
from staffwell.passports import signing
from staffwell.passports.forms import TrustedKeyForm
from staffwell.passports.models import TrustedIssuerKey


@org_view(Perm.VIEW_ORG_AGGREGATES)
def insight(request):
    return render(request, "passports/insight.jinja", {"insight": insight_service.for_org(request.org)})


@org_view(Perm.MANAGE_PEOPLE)
def trusted_keys(request):
    org = request.org
    form = TrustedKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = 0
        for key in form.keys:
            if key.ods_code == org.ods_code:
                form.add_error("key_file", "That is your own organisation's key: it is trusted already.")
                break
            try:
                t = TrustedIssuerKey.objects.create(
                    organisation=org,
                    issuer_ods_code=key.ods_code[:10],
                    issuer_name=key.name[:200],
                    key_id=key.key_id[:32],
                    public_key=key.public_key,
                    added_by=request.user,
                )
            except IntegrityError:
                continue
            audit.record(
                "passport.trusted_key.added",
                actor=request.user,
                organisation=org,
                obj=t,
                data={"issuer": key.ods_code, "key_id": key.key_id},
            )
            added += 1
        if not form.errors:
            messages.success(
                request,
                f"{added} key{'s' if added != 1 else ''} added." if added else "Those keys are trusted already.",
            )
            return redirect("passports:trusted_keys", org=org.slug)
    keys = [
        {"key": k, "fingerprint": signing.fingerprint(k.public_key), "problem": _impostor_problem(k)}
        for k in TrustedIssuerKey.objects.filter(organisation=org).select_related("added_by")
    ]
    own = signing.published_keys(org)
    return render(
        request,
        "passports/trusted_keys.jinja",
        {"form": form, "keys": keys, "own": own, "own_url": signing.public_key_url(org)},
        status=400 if form.errors else 200,
    )


@org_view(Perm.MANAGE_PEOPLE)
@require_POST
def trusted_key_delete(request, key_id: int):
    key = get_object_or_404(TrustedIssuerKey.objects.filter(organisation=request.org), pk=key_id)
    audit.record(
        "passport.trusted_key.removed",
        actor=request.user,
        organisation=request.org,
        obj=key,
        data={"issuer": key.issuer_ods_code, "key_id": key.key_id},
    )
    key.delete()
    messages.success(request, f"Passports signed with key {key.key_id} can no longer be imported.")
    return redirect("passports:trusted_keys", org=request.org.slug)


def _impostor_problem(key: TrustedIssuerKey) -> str:
    """Why a key trusted before look-alikes were refused is an impostor, or "". Nothing it signed
    verifies or imports (``signing.verify`` refuses it); the admin is told to stop trusting it."""
    imitated = signing.find_local_org(key.issuer_ods_code, key.issuer_name)
    if imitated is not None:
        return (
            "Impostor: "
            + signing.imitation_message("this key names", key.issuer_ods_code, key.issuer_name, imitated)
            + ". Nothing it signed verifies or imports here: stop trusting it."
        )
    problem = signing.mixed_script_problem(key.issuer_name, "This key's organisation name")
    return f"{problem} Nothing it signed verifies or imports here: stop trusting it." if problem else ""
