"""The owner's own pages about their records: who has looked, what is shared, their data."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from staffwell.records import registry, services
from staffwell.records.access import owned_or_404
from staffwell.records.forms import EraseForm, ShareForm
from staffwell.records.models import Grant


@never_cache
def access_log(request):
    page = Paginator(services.access_log(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "records/access_log.jinja", {"page": page})


@never_cache
def sharing(request):
    grants = list(Grant.objects.owned_by(request.user).select_related("grantee"))
    services.label_for_owner(grants)
    services.why_lapsed(grants, owner=request.user)
    return render(
        request,
        "records/sharing.jinja",
        {"live": [g for g in grants if g.is_live], "withdrawn": [g for g in grants if not g.is_live][:50]},
    )


def _kind_or_404(kind_key: str) -> registry.Kind:
    try:
        return registry.kind(kind_key)
    except KeyError:
        raise Http404 from None


@never_cache
def share(request, kind: str, record_id: int):
    k = _kind_or_404(kind)
    obj = owned_or_404(k.model._default_manager.all(), user=request.user, pk=record_id, owner_field=k.owner_field)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        owner=request.user,
        sections=k.sections(obj),
        whole_label=f"All of this {k.noun}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            g = services.grant(
                owner=request.user,
                candidate=form.candidate,
                obj=obj,
                kind_key=k.key,
                section=form.cleaned_data["section"],
            )
        except services.AlreadyShared as exc:
            form.add_error("person", str(exc))
        else:
            messages.success(request, f"{g.label} is now shared with {g.grantee.full_name}.")
            return redirect("records:share", kind=k.key, record_id=obj.pk)
    grants = list(Grant.objects.live().for_object(obj).select_related("grantee"))
    services.label_for_owner(grants)
    return render(
        request,
        "records/share.jinja",
        {
            "kind": k,
            "obj": obj,
            "title": k.title_for_owner(obj),
            "form": form,
            "grants": grants,
            "back_url": k.detail_url(obj) if k.detail_url else None,
        },
        status=400 if form.errors else 200,
    )


@never_cache
def withdraw(request, grant_id: int):
    g = get_object_or_404(Grant.objects.live().select_related("grantee"), pk=grant_id, owner=request.user)
    if request.method == "POST":
        services.withdraw(owner=request.user, grant=g)
        messages.success(request, f"You have stopped sharing {g.label} with {g.grantee.full_name}.")
        nxt = request.POST.get("next", "")
        if nxt.startswith("/my/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            return redirect(nxt)
        return redirect("records:sharing")
    services.label_for_owner([g])
    return render(request, "records/withdraw.jinja", {"grant": g, "next": request.GET.get("next", "")})


@never_cache
def my_data(request):
    return render(request, "records/my_data.jinja", {"apps": registry.owner_data()})


def _filename(ext: str) -> str:
    return f"staffwell-my-records-{timezone.localdate():%Y-%m-%d}.{ext}"


@never_cache
def export_json(request):
    data = services.export_all(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@never_cache
def export_pdf(request):
    from weasyprint import HTML

    data = services.export_all(request.user)
    html = render_to_string("records/export_pdf.jinja", {"data": data, "user": request.user}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response


@never_cache
def erase(request):
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.erase_all(request.user)
        messages.success(request, "Everything you kept in staffwell has been erased. We cannot get it back.")
        return redirect("records:my_data")
    return render(
        request,
        "records/erase.jinja",
        {"form": form, "apps": registry.owner_data()},
        status=400 if form.errors else 200,
    )
