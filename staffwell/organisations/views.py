from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.core.permissions import ASSIGNABLE_ROLES, Perm, Role
from staffwell.organisations import hooks, staff_side
from staffwell.organisations.access import org_view
from staffwell.organisations.forms import AppointRepForm, MembershipForm, StaffImportForm, UnitForm
from staffwell.organisations.models import Membership, RoleAssignment, StaffImport, Unit
from staffwell.organisations.staff_csv import COLUMNS
from staffwell.organisations.tasks import run_staff_import

PAGE_SIZE = 50


def _unit_tree(units: list[Unit]) -> list[dict]:
    """Nest units (already ordered by path) for display."""
    nodes = {u.pk: {"unit": u, "children": []} for u in units}
    roots = []
    for u in units:
        (nodes[u.parent_id]["children"] if u.parent_id in nodes else roots).append(nodes[u.pk])
    return roots


@org_view(Perm.VIEW_STRUCTURE)
def overview(request):
    org = request.org
    units = list(
        Unit.objects.for_org(org).annotate(
            people=Count("members", filter=Q(members__is_active=True)),
        )
    )
    managers: dict[int, list[str]] = {}
    for a in RoleAssignment.objects.filter(membership__organisation=org, role=Role.LINE_MANAGER).select_related(
        "membership"
    ):
        managers.setdefault(a.unit_id, []).append(a.membership.full_name)
    totals: dict[int, int] = {}
    for u in units:
        for ancestor_id in u.path.strip("/").split("/"):
            totals[int(ancestor_id)] = totals.get(int(ancestor_id), 0) + u.people
    for u in units:
        u.manager_names = sorted(managers.get(u.pk, []))
        u.total = totals.get(u.pk, 0)
    form = UnitForm(org=org) if request.membership.has_perm(Perm.MANAGE_STRUCTURE) else None
    context = {
        "tree": _unit_tree(units),
        "unit_count": len(units),
        "people_count": Membership.objects.for_org(org).active().count(),
        "form": form,
    }
    return render(request, "organisations/overview.jinja", context)


@org_view(Perm.MANAGE_STRUCTURE)
@require_POST
def unit_create(request):
    form = UnitForm(request.POST, org=request.org)
    if form.is_valid():
        unit = Unit.objects.create(
            organisation=request.org, parent=form.cleaned_data["parent"], name=form.cleaned_data["name"].strip()
        )
        audit.record("org.unit.created", actor=request.user, organisation=request.org, obj=unit)
        messages.success(request, f"Unit '{unit.name}' added.")
        return redirect("organisations:overview", org=request.org.slug)
    return render(request, "organisations/unit_form.jinja", {"form": form}, status=400)


@org_view(Perm.VIEW_STRUCTURE)
def unit_detail(request, unit_id: int):
    unit = get_object_or_404(Unit.objects.for_org(request.org), pk=unit_id)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": unit.children.annotate(people=Count("members", filter=Q(members__is_active=True))),
        "managers": Membership.objects.managing_unit(unit),
        "people_here": unit.members.filter(is_active=True).count(),
        "people_below": Membership.objects.active().in_subtree(unit).count(),
    }
    return render(request, "organisations/unit_detail.jinja", context)


@org_view(Perm.MANAGE_PEOPLE)
def people(request):
    org = request.org
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "active")
    members = Membership.objects.for_org(org).select_related("unit").prefetch_related("role_assignments")
    if status == "active":
        members = members.filter(is_active=True)
    elif status == "left":
        members = members.filter(is_active=False)
    if q:
        members = members.filter(
            Q(full_name__icontains=q) | Q(email__icontains=q) | Q(person_id__iexact=q) | Q(unit__name__icontains=q)
        )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/people.jinja", {"page": page, "q": q, "status": status})


@org_view(Perm.MANAGE_PEOPLE)
def person_detail(request, member_id: int):
    member = get_object_or_404(
        Membership.objects.for_org(request.org).select_related("unit", "user").prefetch_related("role_assignments"),
        pk=member_id,
    )
    if request.method == "POST":
        form = MembershipForm(request.POST, membership=member)
        if form.is_valid():
            try:
                _save_membership(request, member, form.cleaned_data)
            except staff_side.NotAllowed as exc:
                form.add_error("roles", str(exc))
            else:
                messages.success(request, f"Changes to {member.full_name} saved.")
                return redirect("organisations:person", org=request.org.slug, member_id=member.pk)
    else:
        form = MembershipForm(
            membership=member,
            initial={
                "unit": str(member.unit_id or ""),
                "roles": [a.role for a in member.role_assignments.all() if a.role != Role.LINE_MANAGER],
                "manages": [str(a.unit_id) for a in member.role_assignments.all() if a.role == Role.LINE_MANAGER],
            },
        )
    context = {
        "member": member,
        "form": form,
        "line_managers": member.line_managers(),
        "unit_name": member.unit.full_name() if member.unit else "",
        "is_rep": member.has_role(Role.STAFF_SIDE_REP),
    }
    return render(request, "organisations/person.jinja", context)


def _save_membership(request, member: Membership, data: dict) -> None:
    org = request.org
    units = {str(u.pk): u for u in Unit.objects.for_org(org)}
    with transaction.atomic():
        new_unit = units.get(data["unit"] or "")
        if (new_unit.pk if new_unit else None) != member.unit_id:
            audit.record(
                "org.person.moved",
                actor=request.user,
                organisation=org,
                obj=member,
                data={"from": member.unit_id, "to": new_unit.pk if new_unit else None},
            )
            member.unit = new_unit
            member.save(update_fields=["unit", "updated_at"])
        if Role.EMPLOYER_LEAD.value in data["roles"]:
            staff_side.refuse_lead_for_rep(member)  # under a lock, against a rep appointed meanwhile
        wanted = {(r, None) for r in data["roles"]} | {(Role.LINE_MANAGER.value, units[u].pk) for u in data["manages"]}
        current = {(a.role, a.unit_id): a for a in member.role_assignments.all()}
        for key, assignment in current.items():
            if key not in wanted and (key[0] in {r.value for r in ASSIGNABLE_ROLES} or key[0] == Role.LINE_MANAGER):
                assignment.delete()
                audit.record(
                    "org.role.removed",
                    actor=request.user,
                    organisation=org,
                    obj=member,
                    data={"role": key[0], "unit": key[1]},
                )
        for role, unit_id in wanted - set(current):
            RoleAssignment.objects.create(membership=member, role=role, unit_id=unit_id)
            audit.record(
                "org.role.granted",
                actor=request.user,
                organisation=org,
                obj=member,
                data={"role": role, "unit": unit_id},
            )
        hooks.structure_changed(org=org, actor=request.user)


@org_view(Perm.IMPORT_STAFF)
def imports(request):
    org = request.org
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            staff_import = StaffImport.objects.create(
                organisation=org,
                uploaded_by=request.user,
                filename=upload.name[:255],
                content=upload.read(),
                allow_many_leavers=form.cleaned_data["allow_many_leavers"],
                allow_new_units=form.cleaned_data["allow_new_units"],
            )
            audit.record("import.staff.uploaded", actor=request.user, organisation=org, obj=staff_import)
            transaction.on_commit(lambda: run_staff_import.enqueue(staff_import.pk))
            return redirect("organisations:import", org=org.slug, import_id=staff_import.pk)
    else:
        form = StaffImportForm()
    history = StaffImport.objects.filter(organisation=org).defer("content").select_related("uploaded_by")[:20]
    return render(request, "organisations/imports.jinja", {"form": form, "history": history, "columns": COLUMNS})


def _get_import(request, import_id: int) -> StaffImport:
    return get_object_or_404(StaffImport.objects.filter(organisation=request.org).defer("content"), pk=import_id)


def _progress_text(staff_import: StaffImport) -> str:
    if staff_import.status == StaffImport.Status.CHECKING:
        return f"Checked {staff_import.rows_checked:,} of {staff_import.total_rows:,} rows"
    return staff_import.get_status_display()


@org_view(Perm.IMPORT_STAFF)
def import_detail(request, import_id: int):
    staff_import = _get_import(request, import_id)
    context = {"staff_import": staff_import, "progress_text": _progress_text(staff_import)}
    return render(request, "organisations/import_detail.jinja", context)


@org_view(Perm.IMPORT_STAFF)
def import_progress(request, import_id: int):
    staff_import = _get_import(request, import_id)
    return JsonResponse(
        {
            "status": staff_import.status,
            "text": _progress_text(staff_import),
            "percent": staff_import.percent,
            "finished": staff_import.is_finished,
        }
    )


@org_view(Perm.IMPORT_STAFF)
def import_template(request):
    example = [
        ",".join(COLUMNS),
        "10000001,Alex Example,alex.example@nhs.example,Medicine > Cardiology > Ward 7,Nursing and Midwifery Registered,1,",
        "10000002,Sam Sample,,Estates > Portering,Estates and Ancillary,0.6,",
        "10000003,Jo Manager,jo.manager@nhs.example,Medicine > Cardiology,Nursing and Midwifery Registered,1,"
        "Medicine > Cardiology > Ward 7;Medicine > Cardiology",
    ]
    response = HttpResponse("\r\n".join(example) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="staffwell-staff-list-template.csv"'
    return response


@org_view((Perm.VIEW_AUDIT_LOG, Perm.VIEW_PARTNERSHIP_AUDIT))
def audit_log(request):
    events = AuditEvent.objects.for_org(request.org).select_related("actor")
    full = request.membership.has_perm(Perm.VIEW_AUDIT_LOG)
    if not full:
        events = events.partnership()
    # Reads of staff-owned records belong to their owners, not to the organisation's log.
    events = events.filter(owner__isnull=True)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/audit.jinja", {"page": page, "action": action, "full": full})


@org_view(Perm.APPOINT_STAFF_SIDE)
def staff_side_reps(request):
    """The staff side's own page: who its reps are, and appointing more."""
    org = request.org
    form = AppointRepForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["who"]
        try:
            staff_side.appoint(org, member, actor=request.user, actor_membership=request.membership)
        except staff_side.NotAllowed as exc:
            form.add_error("who", str(exc))
        else:
            messages.success(request, f"{member.full_name} is now a staff-side rep.")
            return redirect("organisations:staff_side", org=org.slug)
    context = {"reps": staff_side.reps(org), "form": form}
    return render(request, "organisations/staff_side.jinja", context, status=400 if form.errors else 200)


@org_view(Perm.APPOINT_STAFF_SIDE)
@require_POST
def staff_side_remove(request, member_id: int):
    org = request.org
    member = get_object_or_404(Membership.objects.for_org(org), pk=member_id)
    try:
        staff_side.remove(org, member, actor=request.user, actor_membership=request.membership)
    except staff_side.NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("organisations:staff_side", org=org.slug)
    if member.pk == request.membership.pk:
        messages.success(request, "You are no longer a staff-side rep.")
        return redirect("core:home")
    messages.success(request, f"{member.full_name} is no longer a staff-side rep.")
    return redirect("organisations:staff_side", org=org.slug)
