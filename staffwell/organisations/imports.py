"""The staff list import: an ESR-shaped CSV in, people and units out.

The whole file is checked before anything changes. If any row is wrong, nothing is
imported and every problem is reported by row ("Row 14: FTE '1,2' is not a number
between 0 and 1"). Re-importing updates people in place; people missing from the file
are deactivated (they have left), never deleted. The format is in docs/staff-import.md.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.core.permissions import Role
from staffwell.core.spreadsheets import looks_like_formula
from staffwell.organisations import hooks
from staffwell.organisations.models import Membership, Organisation, RoleAssignment, StaffGroup, StaffImport, Unit

COLUMNS = ("person_id", "name", "email", "unit_path", "staff_group", "fte", "manager_of")
REQUIRED_COLUMNS = ("person_id", "name", "unit_path", "staff_group", "fte")
UNIT_SEPARATOR = ">"
LIST_SEPARATOR = ";"
MAX_DEPTH = 12
MAX_FIELD_CHARS = 1000
MAX_ERRORS_SHOWN = 200
# Never quoted back in an error: a refused file keeps no personal data.
PERSONAL_COLUMNS = frozenset({"name", "email"})
# A file that would mark more than this share of current staff as leavers is probably a
# partial extract; it is refused unless the uploader says the leavers are real.
LEAVER_GUARD_SHARE = 0.1
LEAVER_GUARD_MIN = 5
PERSON_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$")

_STAFF_GROUPS = {label.casefold(): value for value, label in StaffGroup.choices}
_STAFF_GROUPS.update({value.casefold(): value for value, _ in StaffGroup.choices})


class ImportRejected(Exception):
    """The file cannot be imported. ``errors`` says why, row by row where it can."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


@dataclass
class StaffRow:
    line: int
    person_id: str
    name: str
    email: str
    unit_path: tuple[str, ...]
    staff_group: str
    fte: Decimal
    manager_of: list[tuple[str, ...]] = field(default_factory=list)


def describe_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def decode(content: bytes, *, max_bytes: int) -> str:
    if len(content) > max_bytes:
        raise ImportRejected(
            [
                f"The file is {describe_size(len(content))}. The largest staff list staffwell accepts is "
                f"{describe_size(max_bytes)}. Check you chose the right file."
            ]
        )
    if not content.strip():
        raise ImportRejected(["The file is empty."])
    if b"\x00" in content[:65536]:
        raise ImportRejected(
            ["The file is not a CSV text file. Save the staff list as 'CSV UTF-8 (comma delimited)' and upload that."]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                f"The file is not in UTF-8 text encoding (the first problem is on line {line}). "
                "In Excel, use 'Save as' and choose 'CSV UTF-8 (comma delimited)'."
            ]
        ) from None
    return text


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _split_path(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(UNIT_SEPARATOR))


def _check_path(row: int, column: str, path: tuple[str, ...], errors: list[str]) -> bool:
    if any(not part for part in path):
        errors.append(
            f"Row {row}: {column} '{' > '.join(path)}' has an empty level. "
            f"Separate levels with '{UNIT_SEPARATOR}', like 'Medicine > Cardiology > Ward 7'."
        )
        return False
    if len(path) > MAX_DEPTH:
        errors.append(f"Row {row}: {column} has {len(path)} levels; staffwell allows up to {MAX_DEPTH}.")
        return False
    if any(len(part) > 200 for part in path):
        errors.append(f"Row {row}: {column} has a unit name longer than 200 characters.")
        return False
    return True


def is_plain_email(email: str) -> bool:
    """Whether an address has no look-alike characters: unchanged by Unicode compatibility
    folding (NFKC turns full-width letters and the long s, U+017F, into plain ones) and by case folding beyond
    lower case. Look-alikes would make a second account whose failed sign-ins lock the real
    person out (found by an attack)."""
    folded = unicodedata.normalize("NFKC", email)
    return folded == email and folded.casefold() == folded.lower()


def normalise_email(email: str) -> str:
    """One spelling of an address: the local part in lower case (as staffwell has always
    matched it), the domain NFKC-folded and case-folded."""
    local, _, domain = email.strip().rpartition("@")
    domain = unicodedata.normalize("NFKC", domain).casefold()
    return f"{local.lower()}@{domain}" if local else email.strip().lower()


def parse(text: str, *, on_progress: Callable[[int, int], None] | None = None) -> list[StaffRow]:
    """Check every row. Returns the rows, or raises ImportRejected with every problem found."""
    lines = text.splitlines()
    total = max(0, len([line for line in lines if line.strip()]) - 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRejected(["The file is empty or is not a CSV file."]) from None
    header = [_clean(h).lower().replace(" ", "_") for h in header]
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise ImportRejected([f"The first row names these columns more than once: {', '.join(repeated)}."])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            [
                f"The file is missing these columns: {', '.join(missing)}. The first row must name the columns "
                f"{', '.join(COLUMNS)} (email and manager_of may be left empty)."
            ]
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}

    errors: list[str] = []
    rows: list[StaffRow] = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    row_number = 1
    try:
        for record in reader:
            row_number = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if on_progress and len(rows) % 500 == 0:
                on_progress(len(rows), total)
            if len(record) != len(header):
                errors.append(
                    f"Row {row_number}: has {len(record)} values but the first row names {len(header)} columns."
                )
                continue
            values = {name: _clean(record[i]) for name, i in index.items()}
            row_errors: list[str] = []
            for name, value in values.items():
                if len(value) > MAX_FIELD_CHARS:
                    row_errors.append(f"Row {row_number}: {name} is longer than {MAX_FIELD_CHARS} characters.")
                elif looks_like_formula(value) and not (name == "fte" and value.startswith("-")):
                    shown = "" if name in PERSONAL_COLUMNS else f" '{value[:40]}'"
                    row_errors.append(
                        f"Row {row_number}: {name}{shown} starts with '{value[0]}', which a spreadsheet "
                        "would treat as a formula. Remove that character."
                    )
            if row_errors:
                errors.extend(row_errors)
                continue

            person_id = values["person_id"]
            if not person_id:
                row_errors.append(f"Row {row_number}: person_id is empty.")
            elif not PERSON_ID.match(person_id):
                row_errors.append(
                    f"Row {row_number}: person_id '{person_id}' should be up to 30 letters, numbers, '-', '/', '.' or '_'."
                )
            elif person_id in seen_ids:
                row_errors.append(f"Row {row_number}: person_id '{person_id}' is also on row {seen_ids[person_id]}.")
            name = values["name"]
            if not name:
                row_errors.append(f"Row {row_number}: name is empty.")
            elif len(name) > 200:
                row_errors.append(f"Row {row_number}: name is longer than 200 characters.")
            email = values.get("email", "").strip()
            if email and not is_plain_email(email):
                row_errors.append(
                    f"Row {row_number}: the email address has look-alike characters (such as full-width letters "
                    "or a long s, \u017f). Type it again in plain letters."
                )
            elif email:
                email = normalise_email(email)
                try:
                    validate_email(email)
                except ValidationError:
                    row_errors.append(
                        f"Row {row_number}: the email address is not a valid email address (like name@nhs.net)."
                    )
                else:
                    if email in seen_emails:
                        row_errors.append(f"Row {row_number}: the email address is also on row {seen_emails[email]}.")
            unit_path: tuple[str, ...] = ()
            if not values["unit_path"]:
                row_errors.append(f"Row {row_number}: unit_path is empty.")
            else:
                unit_path = _split_path(values["unit_path"])
                _check_path(row_number, "unit_path", unit_path, row_errors)
            staff_group = _STAFF_GROUPS.get(values["staff_group"].casefold())
            if staff_group is None:
                row_errors.append(
                    f"Row {row_number}: staff_group '{values['staff_group']}' is not an ESR staff group. "
                    f"Use one of: {', '.join(label for _, label in StaffGroup.choices)}."
                )
            fte = None
            try:
                fte = Decimal(values["fte"])
                if not fte.is_finite() or not (Decimal(0) <= fte <= Decimal(1)) or fte.as_tuple().exponent < -3:
                    fte = None
            except InvalidOperation:
                fte = None
            if fte is None:
                row_errors.append(
                    f"Row {row_number}: FTE '{values['fte']}' is not a number between 0 and 1 "
                    "(use a point for decimals, like 0.6)."
                )
            manager_of: list[tuple[str, ...]] = []
            for item in values.get("manager_of", "").split(LIST_SEPARATOR):
                if item.strip():
                    path = _split_path(item)
                    if _check_path(row_number, "manager_of", path, row_errors):
                        manager_of.append(path)
            if row_errors:
                errors.extend(row_errors)
                continue
            seen_ids[person_id] = row_number
            if email:
                seen_emails[email] = row_number
            rows.append(
                StaffRow(
                    line=row_number,
                    person_id=person_id,
                    name=name,
                    email=email,
                    unit_path=unit_path,
                    staff_group=staff_group,
                    fte=fte,
                    manager_of=manager_of,
                )
            )
    except csv.Error as exc:
        errors.append(f"Row {reader.line_num}: the file could not be read as CSV ({exc}).")
    if on_progress:
        on_progress(len(rows), total)
    if not errors and not rows:
        errors.append("The file names the columns but has no rows of staff.")
    if errors:
        raise ImportRejected(errors)
    return rows


class _UnitTree:
    """Finds or creates units by their path of names, within one organisation."""

    def __init__(self, org: Organisation):
        self.org = org
        self.by_key: dict[tuple[int | None, str], Unit] = {
            (u.parent_id, u.name.casefold()): u for u in Unit.objects.for_org(org)
        }
        self.created = 0

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


def apply(org: Organisation, rows: list[StaffRow], *, actor=None, allow_many_leavers: bool = False) -> dict[str, int]:
    """Apply checked rows in one transaction. Returns what changed."""
    from staffwell.accounts.models import User

    summary = {"rows": len(rows), "created": 0, "updated": 0, "unchanged": 0, "reactivated": 0, "deactivated": 0}
    with transaction.atomic():
        tree = _UnitTree(org)
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
        # attached by this upload: the person confirms first (staffwell.accounts.onboarding).
        held = {u.pk for u in users.values() if u.is_platform_admin} | set(
            Membership.objects.filter(user_id__in=[u.pk for u in users.values()])
            .exclude(organisation=org)
            .values_list("user_id", flat=True)
        )
        awaiting: dict[str, object] = {}
        attached: set[int] = set()

        to_create: list[Membership] = []
        to_update: list[Membership] = []
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
        links = _ask_to_confirm(org, awaiting, ids, actor)
        summary["awaiting_confirmation"] = len(links)
        invite = sorted(attached)
        transaction.on_commit(lambda: _enqueue_onboarding(org, invite, [link.pk for link in links], actor))
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


def _enqueue_onboarding(org: Organisation, user_ids: list[int], link_ids: list[int], actor) -> None:
    from staffwell.accounts import tasks

    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    if user_ids:
        tasks.send_invitations.enqueue(org.pk, user_ids, actor_id)
    if link_ids:
        tasks.ask_to_confirm.enqueue(org.pk, link_ids)


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
        summary = apply(org, rows, actor=staff_import.uploaded_by, allow_many_leavers=staff_import.allow_many_leavers)
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
