"""The owner's own passport pages, under my/passports/."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staffwell.passports import services, signing
from staffwell.passports.forms import AdjustmentForm, ImportForm, PassportForm
from staffwell.passports.models import ManagerChange, Passport, PassportKind, Status
from staffwell.records.access import owned_or_404
from staffwell.records.models import Grant


def _mine(request, passport_id: int) -> Passport:
    return owned_or_404(
        Passport.objects.select_related("organisation", "confirming_manager"), user=request.user, pk=passport_id
    )


@never_cache
def mine(request):
    passports = list(Passport.objects.filter(owner=request.user).select_related("organisation"))
    have = {p.kind for p in passports}
    changes = ManagerChange.objects.filter(
        passport__owner=request.user, state=ManagerChange.State.ASKING_OWNER
    ).select_related("passport", "new_manager")
    return render(
        request,
        "passports/mine.jinja",
        {
            "passports": passports,
            "missing": [k for k in PassportKind if k.value not in have],
            "changes": changes,
            "has_membership": services.owner_membership(request.user) is not None,
        },
    )


@never_cache
def new(request, kind: str):
    if kind not in PassportKind.values:
        raise Http404
    existing = Passport.objects.filter(owner=request.user, kind=kind).first()
    if existing is not None:
        messages.info(request, f"You already have a {PassportKind(kind).label.lower()}: here it is.")
        return redirect("passports:detail", passport_id=existing.pk)
    form = PassportForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            passport = services.create_passport(owner=request.user, kind=kind, content=form.content())
        except services.NotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your {passport.get_kind_display().lower()} is saved. Only you can see it.")
            return redirect("passports:detail", passport_id=passport.pk)
    return render(
        request,
        "passports/form.jinja",
        {"form": form, "kind_label": PassportKind(kind).label, "passport": None},
        status=400 if form.errors else 200,
    )


@never_cache
def detail(request, passport_id: int):
    passport = _mine(request, passport_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.confirm(passport=passport, actor=request.user)
                messages.success(request, "You have confirmed your passport.")
            elif action == "review":
                services.record_review(passport=passport, actor=request.user)
                messages.success(
                    request, f"Review recorded. The next review is due by {passport.review_due:%-d %B %Y}."
                )
            else:
                messages.error(request, "Choose what you want to do.")
        except services.NotAllowed as exc:
            messages.error(request, str(exc))
        return redirect("passports:detail", passport_id=passport.pk)
    grants = Grant.objects.live().for_object(passport).select_related("grantee")
    return render(
        request,
        "passports/detail.jinja",
        {
            "passport": passport,
            "adjustments": passport.adjustments.prefetch_related("steps"),
            "grants": grants,
            "change": services.open_manager_change(passport),
            "confirm_problem": services.can_confirm(passport),
            "Status": Status,
        },
    )


@never_cache
def edit(request, passport_id: int):
    passport = _mine(request, passport_id)
    form = PassportForm(request.POST or None, kind=passport.kind, initial=passport.content)
    if request.method == "POST" and form.is_valid():
        services.update_content(passport=passport, content=form.content(), actor=request.user)
        messages.success(request, "Your changes are saved.")
        return redirect("passports:detail", passport_id=passport.pk)
    return render(
        request,
        "passports/form.jinja",
        {"form": form, "kind_label": passport.get_kind_display(), "passport": passport},
        status=400 if form.errors else 200,
    )


@never_cache
def delete(request, passport_id: int):
    passport = _mine(request, passport_id)
    if request.method == "POST":
        label = passport.get_kind_display()
        services.delete_passport(passport=passport, actor=request.user)
        messages.success(request, f"Your {label.lower()} is deleted, and nobody can see it any more.")
        return redirect("passports:mine")
    return render(request, "passports/delete.jinja", {"passport": passport})


@never_cache
def adjustment_new(request, passport_id: int):
    passport = _mine(request, passport_id)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        adj = services.request_adjustment(passport=passport, text=form.cleaned_data["request"], actor=request.user)
        messages.success(
            request,
            f"Added. If you share your passport with your line manager, they should decide by "
            f"{adj.decision_due:%-d %B %Y}.",
        )
        if request.POST.get("another"):
            return redirect("passports:adjustment_new", passport_id=passport.pk)
        return redirect("passports:detail", passport_id=passport.pk)
    return render(
        request,
        "passports/adjustment_form.jinja",
        {"form": form, "passport": passport},
        status=400 if form.errors else 200,
    )


@require_POST
def adjustment_step(request, passport_id: int, adjustment_id: int):
    passport = _mine(request, passport_id)
    adjustment = get_object_or_404(passport.adjustments.all(), pk=adjustment_id)
    try:
        services.move(adjustment=adjustment, to=request.POST.get("to", ""), actor=request.user)
        messages.success(request, f"Marked as {adjustment.get_status_display().lower()}.")
    except (services.NotAllowed, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, services.NotAllowed) else "Choose a valid step.")
    return redirect("passports:detail", passport_id=passport.pk)


@never_cache
def manager_change(request, passport_id: int, change_id: int):
    passport = _mine(request, passport_id)
    change = get_object_or_404(
        passport.manager_changes.filter(state=ManagerChange.State.ASKING_OWNER).select_related(
            "new_manager", "previous_manager"
        ),
        pk=change_id,
    )
    error = ""
    if request.method == "POST":
        choice = request.POST.get("choice")
        try:
            if choice == "share":
                services.share_with_new_manager(
                    change=change, owner=request.user, stop_previous=request.POST.get("stop_previous") == "on"
                )
                messages.success(
                    request,
                    f"Shared with {change.new_manager.full_name}. They will be asked to confirm your agreed adjustments.",
                )
                return redirect("passports:detail", passport_id=passport.pk)
            if choice == "decline":
                services.decline_new_manager(change=change, owner=request.user)
                messages.success(request, "Nothing has been shared. You can share your passport at any time.")
                return redirect("passports:detail", passport_id=passport.pk)
            error = "Choose whether to share your passport with your new manager."
        except services.NotAllowed as exc:
            error = str(exc)
    previous_grants = Grant.objects.live().for_object(passport).filter(grantee_id=change.previous_manager_id).exists()
    return render(
        request,
        "passports/manager_change.jinja",
        {"passport": passport, "change": change, "error": error, "previous_grants": previous_grants},
        status=400 if error else 200,
    )


def _filename(passport: Passport, ext: str) -> str:
    return f"staffwell-{passport.kind}-passport-{timezone.localdate():%Y-%m-%d}.{ext}"


@never_cache
def export_json(request, passport_id: int):
    passport = _mine(request, passport_id)
    try:
        document = services.signed_export(passport=passport, actor=request.user)
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("passports:detail", passport_id=passport.pk)
    response = HttpResponse(services.signed_bytes(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(passport, "json")}"'
    return response


@never_cache
def export_pdf(request, passport_id: int):
    from weasyprint import HTML, Attachment

    passport = _mine(request, passport_id)
    try:
        document = services.signed_export(passport=passport, actor=request.user)
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("passports:detail", passport_id=passport.pk)
    key = signing.signing_key_for(passport.organisation)
    html = render_to_string(
        "passports/export_pdf.jinja",
        {
            "p": document["passport"],
            "signature": document["signature"],
            "key_fingerprint": signing.fingerprint(key.public_key),
            "signature_fingerprint": signing.signature_fingerprint(document["signature"]["value"]),
            "verify_url": request.build_absolute_uri(reverse_verify()),
            "Status": Status,
        },
        request=request,
    )
    attachment = Attachment(
        string=services.signed_bytes(document).decode("utf-8"),
        name=_filename(passport, "json"),
        description="The signed passport, for machines",
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(attachments=[attachment])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(passport, "pdf")}"'
    return response


def reverse_verify() -> str:
    from django.urls import reverse

    return reverse("passports:verify")


@never_cache
def import_passport(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(signing.MAX_BYTES + 1)
        orgs = [m.organisation for m in request.user.memberships.filter(is_active=True).select_related("organisation")]
        try:
            verified = signing.verify(raw, keys=signing.known_keys(trusted_by=orgs))
            passport = services.import_verified(verified=verified, owner=request.user, raw=raw.decode("utf-8"))
        except signing.VerificationError as exc:
            form.add_error("file", exc.message)
        except services.NotAllowed as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                f"Imported. The signature from {verified.key.name} checked out, and your agreed adjustments "
                "came with their history. Share it with your new line manager to have them confirmed.",
            )
            return redirect("passports:detail", passport_id=passport.pk)
    return render(request, "passports/import.jinja", {"form": form}, status=400 if form.errors else 200)
