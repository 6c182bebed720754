"""Editorial pages: content editors (from any organisation) keep the shared library true."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from staffwell.core import audit
from staffwell.library import services, urgent
from staffwell.library.access import editor_view
from staffwell.library.forms import (
    CaseStudyForm,
    EpisodeForm,
    ListItemForm,
    ResourceForm,
    UrgentContactForm,
)
from staffwell.library.models import (
    Audience,
    CaseStudy,
    Episode,
    LinkCheck,
    Resource,
    Status,
    Topic,
    UrgentContact,
)

KINDS = {
    "resources": (Resource, ResourceForm, "resource", "library:resource"),
    "case-studies": (CaseStudy, CaseStudyForm, "case study", "library:case_study"),
    "podcasts": (Episode, EpisodeForm, "episode", "library:episode"),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _all_items():
    for kind, (model, _form, label, _public) in KINDS.items():
        for item in model.objects.all():
            item.kind_slug, item.kind_label = kind, label
            yield item


def _link_rows() -> list[dict]:
    """Every outbound address the library uses now, with its last check (if any)."""
    checks = {c.url: c for c in LinkCheck.objects.all()}
    rows = []
    for item in _all_items():
        url = getattr(item, "url", "") or getattr(item, "source_url", "")
        if url:
            rows.append({"item": item, "url": url, "check": checks.get(url)})
    return rows


def _problem_links(rows: list[dict]) -> list[dict]:
    """Broken, then moved, addresses of items in the library (old checks of addresses no
    longer used are left out)."""
    problems = [r for r in rows if r["check"] and r["check"].state != LinkCheck.State.OK]
    problems.sort(key=lambda r: (r["check"].state, r["item"].title.lower()))
    return problems


@editor_view
def dashboard(request):
    """Everything that needs an editor, at a glance: reviews, stale items, ending offers, links."""
    items = sorted(_all_items(), key=lambda i: (i.kind_label, i.title.lower()))
    today = timezone.localdate()
    problem_links = _problem_links(_link_rows())
    context = {
        "to_review": [i for i in items if i.status == Status.IN_REVIEW and request.user.pk not in i.authors()],
        "waiting": [i for i in items if i.status == Status.IN_REVIEW and request.user.pk in i.authors()],
        "drafts": [i for i in items if i.status in (Status.DRAFT, Status.UNPUBLISHED)],
        "stale": [i for i in items if i.status == Status.PUBLISHED and i.is_stale(today)],
        "ending_soon": services.offers_ending_soon(today),
        "problem_links": problem_links,
        "broken_links": sum(1 for r in problem_links if r["check"].state == LinkCheck.State.BROKEN),
        "items": items,
        "today": today,
    }
    return render(request, "library/editorial/dashboard.jinja", context)


@editor_view
def create(request, kind: str):
    _model, form_class, label, _public = _kind(kind)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        services.save_content(item=item, user=request.user, created=True)
        form.save_m2m()
        if isinstance(item, (Resource, CaseStudy)):
            services.search.refresh(item)
        messages.success(request, f"Draft {label} '{item.title}' saved. Send it for review when it is ready.")
        if getattr(form, "duration_note", ""):
            messages.info(request, form.duration_note)
        return redirect("library:editorial_edit", kind=kind, pk=item.pk)
    return render(
        request,
        "library/editorial/form.jinja",
        {"form": form, "kind": kind, "label": label, "item": None},
        status=400 if form.is_bound else 200,
    )


@editor_view
def edit(request, kind: str, pk: int):
    model, form_class, label, public_name = _kind(kind)
    item = get_object_or_404(model, pk=pk)
    was_published = item.status == Status.PUBLISHED
    form = form_class(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        services.save_content(item=item, user=request.user, created=False)
        form.save_m2m()
        if isinstance(item, (Resource, CaseStudy)):
            services.search.refresh(item)
        note = " It is off the library until another editor reviews it." if was_published else ""
        messages.success(request, f"Changes to '{item.title}' saved as a draft.{note}")
        if getattr(form, "duration_note", ""):
            messages.info(request, form.duration_note)
        return redirect("library:editorial_edit", kind=kind, pk=item.pk)
    context = {
        "form": form,
        "kind": kind,
        "label": label,
        "item": item,
        "public_url": public_name,
        "can_review": item.status == Status.IN_REVIEW and request.user.pk not in item.authors(),
        "publish_problems": item.publish_problems(),
        "history": audit.AuditEvent.objects.filter(object_type=item._meta.label_lower, object_id=str(item.pk)).order_by(
            "-created_at"
        )[:20],
    }
    return render(request, "library/editorial/form.jinja", context, status=400 if form.is_bound else 200)


ACTIONS = {
    "submit": (services.submit_for_review, "Sent for review. Another editor needs to check and publish it."),
    "publish": (services.approve_and_publish, "Published."),
    "unpublish": (services.unpublish, "Unpublished: it no longer shows in the library."),
    "reviewed": (services.mark_reviewed, "Marked as reviewed today."),
}


@editor_view
@require_POST
def action(request, kind: str, pk: int):
    model, _form, _label, _public = _kind(kind)
    item = get_object_or_404(model, pk=pk)
    name = request.POST.get("action", "")
    try:
        if name == "return":
            services.return_to_draft(item=item, user=request.user, note=request.POST.get("note", ""))
            messages.success(request, "Sent back to the author as a draft, with your note.")
        elif name in ACTIONS:
            function, done = ACTIONS[name]
            function(item=item, user=request.user)
            messages.success(request, done)
        else:
            messages.error(request, "Choose what to do with this item.")
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("library:editorial_edit", kind=kind, pk=item.pk)


@editor_view
def links(request):
    rows = _link_rows()
    problems = _problem_links(rows)
    unchecked = [r for r in rows if not r["check"]]
    last = LinkCheck.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
    return render(
        request,
        "library/editorial/links.jinja",
        {"problems": problems, "unchecked": unchecked, "total": len(rows), "last_checked": last},
    )


@editor_view
def urgent_contacts(request):
    return render(request, "library/editorial/urgent.jinja", {"contacts": UrgentContact.objects.all()})


@editor_view
def urgent_contact_edit(request, pk: int):
    contact = get_object_or_404(UrgentContact, pk=pk)
    form = UrgentContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        urgent.clear()
        audit.record("library.urgentcontact.edited", actor=request.user, obj=contact)
        messages.success(request, f"{contact.name} saved. The panel on every page now shows it.")
        return redirect("library:editorial_urgent")
    return render(
        request,
        "library/editorial/urgent_edit.jinja",
        {"form": form, "contact": contact},
        status=400 if form.is_bound else 200,
    )


LISTS = {"topic": Topic, "audience": Audience}


@editor_view
def lists(request):
    list_forms = {name: ListItemForm(prefix=name, model=model) for name, model in LISTS.items()}
    status = 200
    if request.method == "POST":
        which = request.POST.get("which", "")
        if which not in LISTS:
            raise Http404
        form = ListItemForm(request.POST, prefix=which, model=LISTS[which])
        list_forms[which] = form
        if form.is_valid():
            obj = LISTS[which].objects.create(name=form.cleaned_data["name"], slug=form.cleaned_data["slug"])
            audit.record(f"library.{which}.created", actor=request.user, obj=obj)
            messages.success(request, f"{which.title()} '{obj.name}' added.")
            return redirect("library:editorial_lists")
        status = 400
    return render(
        request,
        "library/editorial/lists.jinja",
        {"list_forms": list_forms, "topics": Topic.objects.all(), "audiences": Audience.objects.all()},
        status=status,
    )
