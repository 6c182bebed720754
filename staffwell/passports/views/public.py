"""Public pages: anyone can check a signed passport, and fetch an organisation's public key."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from staffwell.organisations.access import public
from staffwell.organisations.models import Organisation
from staffwell.passports import signing
from staffwell.passports.forms import VerifyForm
from staffwell.passports.models import Status


@public
@never_cache
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = error = None
    key_note = ""
    if request.method == "POST" and form.is_valid():
        supplied = form.cleaned_data.get("extra_keys", [])
        try:
            result = signing.verify(form.cleaned_data["raw"], keys=signing.known_keys(extra=supplied))
        except signing.VerificationError as exc:
            error = exc
        key_note = signing.supplied_key_note(form.cleaned_data["raw"], supplied, result)
    return render(
        request,
        "passports/verify.jinja",
        {"form": form, "result": result, "error": error, "key_note": key_note, "Status": Status},
        status=400 if form.errors or error else 200,
    )


@public
def public_key(request, ods_code: str):
    org = Organisation.objects.filter(ods_code=ods_code).first()
    if org is None:
        raise Http404
    response = HttpResponse(
        json.dumps(signing.published_keys(org), indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
