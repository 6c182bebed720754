"""Organisations, their unit tree, and the people in them.

Every query for an organisation's data starts from the organisation (``org.units``,
``Membership.objects.for_org(org)``), so nothing crosses from one organisation to another.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.core.lookalike import skeleton
from staffwell.core.permissions import Perm, Role, permissions_for, roles_with

# An ODS code as staffwell accepts it: plain ASCII capitals and digits (NHS ODS codes are 3 to
# 10 characters). Signed passports are checked against the same pattern.
ODS_CODE = re.compile(r"[A-Z0-9]{3,10}")


def ods_skeleton(code: str) -> str:
    """An ODS code as a reader sees it (``staffwell.core.lookalike.skeleton``, the one fold for
    issuer codes and names): compatibility forms, spaces, case, accents, letters from other
    scripts that look Latin, and O/0, I/L/1 set aside. Two codes with the same skeleton are
    look-alikes, and never both allowed or trusted."""
    return skeleton(code)


class IntegratedCareSystem(models.Model):
    name = models.CharField(max_length=200, unique=True)
    ods_code = models.CharField("ODS code", max_length=10, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care system"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ACUTE = "acute", "Acute trust"
        COMMUNITY = "community", "Community trust"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        AMBULANCE = "ambulance", "Ambulance trust"
        INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
        PRIMARY_CARE = "primary_care", "Primary care"
        OTHER = "other", "Other employer"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in web addresses.")
    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACUTE)
    ics = models.ForeignKey(
        IntegratedCareSystem,
        verbose_name="integrated care system",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(models.functions.Upper("ods_code"), name="organisation_ods_code_unique_any_case")
        ]

    def __str__(self) -> str:
        return self.name


class StaffGroup(models.TextChoices):
    """ESR staff groups, as NHS workforce statistics publish them."""

    ADD_PROF_SCIENTIFIC = "add_prof_scientific", "Add Prof Scientific and Technic"
    ADDITIONAL_CLINICAL = "additional_clinical", "Additional Clinical Services"
    ADMIN_CLERICAL = "admin_clerical", "Administrative and Clerical"
    ALLIED_HEALTH = "allied_health", "Allied Health Professionals"
    ESTATES_ANCILLARY = "estates_ancillary", "Estates and Ancillary"
    HEALTHCARE_SCIENTISTS = "healthcare_scientists", "Healthcare Scientists"
    MEDICAL_DENTAL = "medical_dental", "Medical and Dental"
    NURSING_MIDWIFERY = "nursing_midwifery", "Nursing and Midwifery Registered"
    STUDENTS = "students", "Students"


class UnitQuerySet(models.QuerySet):
    def for_org(self, org: Organisation) -> "UnitQuerySet":
        return self.filter(organisation=org)


class Unit(models.Model):
    """A directorate, department, ward or team: a tree of any depth.

    ``path`` holds the ids from the root down ("/3/17/42/") so a whole subtree is one
    indexed prefix query on SQLite and PostgreSQL alike.
    """

    PATH_SEPARATOR = " > "

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "parent", "name"], name="unique_unit_name_under_parent"),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=models.Q(parent__isnull=True),
                name="unique_top_level_unit_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.parent_id and self.parent.organisation_id != self.organisation_id:
            raise ValueError("A unit's parent must belong to the same organisation.")
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        depth = path.count("/") - 2
        if path != self.path or depth != self.depth:
            self.path, self.depth = path, depth
            Unit.objects.filter(pk=self.pk).update(path=path, depth=depth)

    @property
    def indented_name(self) -> str:
        """The name with a dash for each level, for choosing from a flat list."""
        return "– " * self.depth + self.name

    def subtree(self) -> UnitQuerySet:
        """This unit and every unit below it."""
        return Unit.objects.filter(organisation_id=self.organisation_id, path__startswith=self.path)

    def ancestors(self) -> list["Unit"]:
        """From the root down to this unit's parent."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [found[i] for i in ids if i in found]

    def full_name(self) -> str:
        return self.PATH_SEPARATOR.join([u.name for u in self.ancestors()] + [self.name])


class MembershipQuerySet(models.QuerySet):
    def for_org(self, org: Organisation) -> "MembershipQuerySet":
        return self.filter(organisation=org)

    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)

    def in_subtree(self, unit: Unit) -> "MembershipQuerySet":
        return self.filter(unit__organisation_id=unit.organisation_id, unit__path__startswith=unit.path)

    def holding(self, *perms: Perm) -> "MembershipQuerySet":
        """Who holds any of these permissions: active members with a role that grants one
        (the role table, core/permissions.py). Start it from ``for_org(org)``."""
        roles = {role for perm in perms for role in roles_with(perm)}
        if Role.STAFF.value in roles:
            return self.active()  # every member is staff
        held = models.Q(role_assignments__role__in=roles)
        if Role.PLATFORM_ADMIN.value in roles:
            held |= models.Q(user__is_platform_admin=True)
        return self.active().filter(held).distinct()

    def managing_unit(self, unit: Unit) -> "MembershipQuerySet":
        """The line managers of exactly this unit."""
        return self.active().filter(role_assignments__role=Role.LINE_MANAGER, role_assignments__unit=unit).distinct()

    def managing(self, membership: "Membership") -> "MembershipQuerySet":
        """Who manages this person (the line-manager rule, ``nearest_managers``)."""
        if not membership.unit_id:
            return self.none()
        by_unit: dict[int, set[int]] = {}
        for unit_id, manager_id in RoleAssignment.objects.filter(
            role=Role.LINE_MANAGER,
            unit_id__in=unit_chain(membership.unit),
            membership__is_active=True,
        ).values_list("unit_id", "membership_id"):
            by_unit.setdefault(unit_id, set()).add(manager_id)
        return self.filter(pk__in=nearest_managers(unit_chain(membership.unit), by_unit, membership.pk))


def unit_chain(unit: Unit) -> list[int]:
    """The unit's id and its ancestors' ids, nearest first."""
    return list(reversed([int(x) for x in unit.path.strip("/").split("/") if x]))


def nearest_managers(chain: list[int], by_unit: dict[int, set[int]], member_id: int) -> set[int]:
    """The line-manager rule, the one place it is written: a person's managers are the line
    managers of their unit, or of the nearest unit above it that has any, never themselves.

    ``chain``: unit ids nearest first (``unit_chain``); ``by_unit``: unit id -> the ids of the
    active memberships managing it."""
    for unit_id in chain:
        found = by_unit.get(unit_id, set()) - {member_id}
        if found:
            return found
    return set()


class Membership(models.Model):
    """A person employed by (or working in) an organisation: the ESR record.

    A membership may have no sign-in account: many ward and estates staff have no email.
    Leavers are deactivated, never deleted.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    person_id = models.CharField("person id", max_length=30, help_text="The ESR person or assignment number.")
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    staff_group = models.CharField(max_length=40, choices=StaffGroup.choices, blank=True)
    fte = models.DecimalField("FTE", max_digits=4, decimal_places=3, default=Decimal("1.000"))
    is_active = models.BooleanField(default=True)
    left_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person_id"], name="unique_person_id_in_org"),
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=models.Q(user__isnull=False), name="one_membership_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"

    @property
    def roles(self) -> frozenset[str]:
        if not hasattr(self, "_roles"):
            roles = {Role.STAFF.value}
            roles |= {a.role for a in self.role_assignments.all()}
            if self.user_id and self.user.is_platform_admin:
                roles.add(Role.PLATFORM_ADMIN.value)
            self._roles = frozenset(roles)
        return self._roles

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    def has_perm(self, perm: Perm) -> bool:
        return self.is_active and perm in permissions_for(self.roles)

    def managed_units(self) -> UnitQuerySet:
        ids = self.role_assignments.filter(role=Role.LINE_MANAGER).values("unit_id")
        return Unit.objects.filter(pk__in=ids)

    def line_managers(self) -> "MembershipQuerySet":
        """Who manages this person (``Membership.objects.managing``, the one rule)."""
        return Membership.objects.managing(self)

    def leave(self) -> None:
        self.is_active = False
        self.left_on = timezone.localdate()
        self.save(update_fields=["is_active", "left_on", "updated_at"])


class RoleAssignment(models.Model):
    """A role held through a membership. Line managers hold it once for each unit they manage."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role", "unit"], name="unique_role_assignment"),
            models.UniqueConstraint(
                fields=["membership", "role"], condition=models.Q(unit__isnull=True), name="unique_role_without_unit"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="line_manager") | models.Q(unit__isnull=False),
                name="line_manager_needs_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.unit or ''}".strip()


class StaffImport(models.Model):
    """One upload of a staff list: validated in full, then applied all at once or not at all."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        APPLYING = "applying", "Applying changes"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Not imported"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(editable=False)
    allow_many_leavers = models.BooleanField(default=False)
    allow_new_units = models.BooleanField(
        default=False, help_text="The uploader confirmed that unit paths new to the organisation are real units."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.COMPLETED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.COMPLETED:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.rows_checked / self.total_rows))
