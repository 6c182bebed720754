"""The staff list import: an ESR-shaped CSV in, people and units out.

The whole file is checked first (``staff_csv``). If any row is wrong, nothing is imported
and every problem is reported by row. Re-importing updates people in place; people missing
from the file are deactivated (they have left), never deleted. Units the organisation does
not have yet are created only when the uploader confirms them: a mistyped unit path is
refused, not silently turned into a new team. The format is in docs/staff-import.md.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.core.permissions import Role
from staffwell.organisations import hooks, staff_side
from staffwell.organisations.models import Membership, Organisation, RoleAssignment, StaffImport, Unit
from staffwell.organisations.staff_csv import (  # noqa: F401 - the import's public names
    COLUMNS,
    MAX_ERRORS_SHOWN,
    ImportRejected,
    StaffRow,
    decode,
    describe_size,
    parse,
)

# A file that would mark more than this share of current staff as leavers is probably a
# partial extract; it is refused unless the uploader says the leavers are real.
LEAVER_GUARD_SHARE = 0.1
LEAVER_GUARD_MIN = 5
# How many unknown unit paths a refusal names.
NEW_UNITS_SHOWN = 20


class _UnitTree:
    """Finds or creates units by their path of names, within one organisation."""

    def __init__(self, org: Organisation):
        self.org = org
        self.by_key: dict[tuple[int | None, str], Unit] = {
            (u.parent_id, u.name.casefold()): u for u in Unit.objects.for_org(org)
        }
        self.created = 0

    def first_missing(self, path: tuple[str, ...]) -> int | None:
        """The index of the first level of path that is not a unit yet (None: all exist)."""
        parent = None
        for i, name in enumerate(path):
            parent = self.by_key.get((parent.pk if parent else None, name.casefold()))
            if parent is None:
                return i
        return None

    def get(self, path: tuple[str, ...], *, create: bool) -> Unit | None:
        parent = None
        for name in path:
            key = (parent.pk if parent else None, name.casefold())
            unit = self.by_key.get(key)
            if unit is None:
                if not create:
                    return None
                unit = Unit.objects.create(organisation=self.org, parent=parent, name=name)
                self.by_key[key] = unit
                self.created += 1
            parent = unit
        return parent


def _new_units(tree: _UnitTree, rows: list[StaffRow]) -> list[str]:
    """Every unit path in the file that the organisation does not have, with its rows."""
    found: dict[tuple[str, ...], list[int]] = {}
    for row in rows:
        keys = {tuple(p.casefold() for p in path): path for path in (row.unit_path, *row.manager_of)}
        for key, path in keys.items():
            if tree.first_missing(path) is not None:
                found.setdefault(key, [path, []])[1].append(row.line)
    problems = []
    for path, lines in sorted(found.values(), key=lambda item: item[1][0]):
        new = path[tree.first_missing(path) :]
        rows_text = f"Row {lines[0]}" + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")
        problems.append(
            f"{rows_text}: '{' > '.join(path)}' is not a unit here yet; "
            f"{'the new level would be' if len(new) == 1 else 'the new levels would be'} '{' > '.join(new)}'."
        )
    return problems


def apply(
    org: Organisation,
    rows: list[StaffRow],
    *,
    actor=None,
    allow_many_leavers: bool = False,
    allow_new_units: bool = False,
) -> dict[str, int]:
    """Apply checked rows in one transaction. Returns what changed.

    An organisation's first import builds its structure. After that, a unit path it does
    not have is refused unless ``allow_new_units``: usually it is a typing mistake.
    """
    from staffwell.accounts.models import User

    summary = {"rows": len(rows), "created": 0, "updated": 0, "unchanged": 0, "reactivated": 0, "deactivated": 0}
    with transaction.atomic():
        tree = _UnitTree(org)
        if tree.by_key and not allow_new_units:
            unknown = _new_units(tree, rows)
            if unknown:
                shown = unknown[:NEW_UNITS_SHOWN]
                more = len(unknown) - len(shown)
                raise ImportRejected(
                    [
                        f"The file names {len(unknown)} unit path{'s' if len(unknown) != 1 else ''} that "
                        f"{org.name} does not have. If a name is mistyped, correct it in the file. If "
                        "they really are new units, upload the file again and tick 'Create the new units'.",
                        *shown,
                        *([f"And {more} more new unit paths."] if more else []),
                    ]
                )
        existing = {m.person_id: m for m in Membership.objects.for_org(org)}

        # Sign-in accounts for people with an email address.
        emails = {r.email for r in rows if r.email}
        users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
        new_users = [
            User(email=email, full_name=next(r.name for r in rows if r.email == email), password=make_password(None))
            for email in sorted(emails - set(users))
        ]
        User.objects.bulk_create(new_users, batch_size=500)
        if new_users:
            users.update({u.email: u for u in User.objects.filter(email__in=[u.email for u in new_users])})
        taken = dict(Membership.objects.for_org(org).filter(user__isnull=False).values_list("user_id", "person_id"))
        # Accounts that belong elsewhere (another organisation, or a platform admin) are never
        # attached by this upload: the person confirms first (``staffwell.signin.onboarding``).
        held = {u.pk for u in users.values() if u.is_platform_admin} | set(
            Membership.objects.filter(user_id__in=[u.pk for u in users.values()])
            .exclude(organisation=org)
            .values_list("user_id", flat=True)
        )
        awaiting: dict[str, object] = {}
        attached: set[int] = set()

        to_create: list[Membership] = []
        to_update: list[Membership] = []
        new_account: list[int] = []  # existing records now signed in to by a different account
        fields = ["full_name", "email", "unit", "staff_group", "fte", "is_active", "left_on", "user", "updated_at"]
        now = timezone.now()
        conflicts: list[str] = []
        for row in rows:
            unit = tree.get(row.unit_path, create=True)
            user = users.get(row.email) if row.email else None
            if user is not None and taken.get(user.pk, row.person_id) != row.person_id:
                conflicts.append(
                    f"Row {row.line}: the email address belongs to person_id '{taken[user.pk]}' in staffwell already."
                )
                continue
            membership = existing.get(row.person_id)
            if user is not None and user.pk in held and (membership is None or membership.user_id != user.pk):
                awaiting[row.person_id] = user
                user = None
            if user is not None and (membership is None or membership.user_id != user.pk):
                attached.add(user.pk)
            if membership is None:
                to_create.append(
                    Membership(
                        organisation=org,
                        person_id=row.person_id,
                        full_name=row.name,
                        email=row.email,
                        unit=unit,
                        staff_group=row.staff_group,
                        fte=row.fte,
                        user=user,
                    )
                )
                continue
            before = (
                membership.full_name,
                membership.email,
                membership.unit_id,
                membership.staff_group,
                membership.fte,
                membership.is_active,
                membership.user_id,
            )
            if not membership.is_active:
                summary["reactivated"] += 1
            membership.full_name, membership.email, membership.unit = row.name, row.email, unit
            membership.staff_group, membership.fte = row.staff_group, row.fte
            membership.is_active, membership.left_on = True, None
            if user is not None:
                membership.user = user
            after = (
                membership.full_name,
                membership.email,
                membership.unit_id,
                membership.staff_group,
                membership.fte,
                membership.is_active,
                membership.user_id,
            )
            if before[-1] is not None and before[-1] != membership.user_id:
                new_account.append(membership.pk)
            if before != after:
                membership.updated_at = now
                to_update.append(membership)
                summary["updated"] += 1
            else:
                summary["unchanged"] += 1
        if conflicts:
            raise ImportRejected(conflicts)

        Membership.objects.bulk_create(to_create, batch_size=500)
        Membership.objects.bulk_update(to_update, fields, batch_size=500)
        summary["created"] = len(to_create)

        in_file = {r.person_id for r in rows}
        leavers = [pid for pid, m in existing.items() if m.is_active and pid not in in_file]
        active = sum(1 for m in existing.values() if m.is_active)
        if not allow_many_leavers and len(leavers) >= LEAVER_GUARD_MIN and len(leavers) > LEAVER_GUARD_SHARE * active:
            raise ImportRejected(
                [
                    f"This file would mark {len(leavers):,} of {active:,} current staff as leavers, because they are "
                    "not in it. If the file is only part of the staff list, upload the whole list. If they really "
                    "have left, upload it again and confirm that many leavers is expected."
                ]
            )
        summary["deactivated"] = (
            Membership.objects.for_org(org)
            .filter(person_id__in=leavers)
            .update(is_active=False, left_on=timezone.localdate(), updated_at=now)
        )

        # Line manager roles follow the file exactly.
        ids = dict(Membership.objects.for_org(org).values_list("person_id", "pk"))
        wanted = {
            (ids[r.person_id], tree.get(path, create=True).pk)
            for r in rows
            for path in r.manager_of
            if r.person_id in ids
        }
        current = {
            (a.membership_id, a.unit_id): a.pk
            for a in RoleAssignment.objects.filter(membership__organisation=org, role=Role.LINE_MANAGER)
        }
        RoleAssignment.objects.filter(pk__in=[pk for key, pk in current.items() if key not in wanted]).delete()
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(membership_id=m, unit_id=u, role=Role.LINE_MANAGER) for m, u in wanted - set(current)],
            batch_size=500,
        )
        summary["units_created"] = tree.created
        summary["managers"] = len({m for m, _ in wanted})
        summary["accounts_created"] = len(new_users)
        summary["reps_ended"] = staff_side.end_for_new_accounts(
            org, new_account, actor=actor, why="the staff list gave their record a different email and sign-in account"
        )
        links = _ask_to_confirm(org, awaiting, ids, actor)
        summary["awaiting_confirmation"] = len(links)
        invite = sorted(attached)
        link_ids = [link.pk for link in links]
        transaction.on_commit(lambda: hooks.people_added(org=org, user_ids=invite, link_ids=link_ids, actor=actor))
        audit.record("import.staff.completed", actor=actor, organisation=org, data=summary)
        hooks.structure_changed(org=org, actor=actor)
    return summary


def _ask_to_confirm(org: Organisation, awaiting: dict, ids: dict[str, int], actor) -> list:
    """An open confirmation for each account that belongs elsewhere, unless the person already
    answered one for this membership (a declined link is not asked again)."""
    from staffwell.accounts.models import AccountLink

    asked = set(
        AccountLink.objects.filter(membership__organisation=org, user__in=awaiting.values()).values_list(
            "membership_id", "user_id"
        )
    )
    links = [
        AccountLink(membership_id=ids[person_id], user=user, requested_by=actor if actor else None)
        for person_id, user in awaiting.items()
        if (ids[person_id], user.pk) not in asked
    ]
    AccountLink.objects.bulk_create(links)
    for link in links:
        audit.record(
            "account.link.requested",
            actor=actor,
            organisation=org,
            obj=link.user,
            data={"membership": link.membership_id},
        )
    return links


def run(staff_import: StaffImport, *, max_bytes: int) -> None:
    """Check and apply one uploaded file, recording progress and the outcome on it."""
    org = staff_import.organisation

    def progress(done: int, total: int) -> None:
        StaffImport.objects.filter(pk=staff_import.pk).update(rows_checked=done, total_rows=total)

    StaffImport.objects.filter(pk=staff_import.pk).update(status=StaffImport.Status.CHECKING)
    try:
        text = decode(bytes(staff_import.content), max_bytes=max_bytes)
        rows = parse(text, on_progress=progress)
        StaffImport.objects.filter(pk=staff_import.pk).update(status=StaffImport.Status.APPLYING)
        summary = apply(
            org,
            rows,
            actor=staff_import.uploaded_by,
            allow_many_leavers=staff_import.allow_many_leavers,
            allow_new_units=staff_import.allow_new_units,
        )
    except ImportRejected as rejected:
        StaffImport.objects.filter(pk=staff_import.pk).update(
            content=b"",  # a refused file keeps no personal data
            status=StaffImport.Status.FAILED,
            errors=rejected.errors[:MAX_ERRORS_SHOWN],
            summary={"error_count": len(rejected.errors)},
            finished_at=timezone.now(),
        )
        audit.record(
            "import.staff.rejected",
            actor=staff_import.uploaded_by,
            organisation=org,
            obj=staff_import,
            data={"error_count": len(rejected.errors)},
        )
        return
    StaffImport.objects.filter(pk=staff_import.pk).update(
        status=StaffImport.Status.COMPLETED, summary=summary, finished_at=timezone.now(), content=b""
    )
