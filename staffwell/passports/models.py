"""Reasonable adjustment and working carer's passports: owned by the staff member.

Everything the person writes (their words, each adjustment, each reason) is encrypted at
rest with ``staffwell.records``. Plain columns hold only what the service needs to work
without reading content: the kind of passport, statuses, dates and who acted.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from staffwell.core.fields import EncryptedJSONField, EncryptedTextField

# How long a line manager has to decide on a requested adjustment (docs/passports.md).
DECISION_DAYS = 28
# How often a passport is reviewed, and how long before the review both people are reminded.
REVIEW_MONTHS = 6
REMINDER_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def default_review_date() -> dt.date:
    return add_months(timezone.localdate(), REVIEW_MONTHS)


class PassportKind(models.TextChoices):
    ADJUSTMENTS = "adjustments", "Reasonable adjustments passport"
    CARER = "carer", "Working carer's passport"


# The person's own words, by kind: (key, label, hint). Our own wording.
CONTENT_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    PassportKind.ADJUSTMENTS: [
        (
            "what_is_hard",
            "What I find harder at work",
            "In your own words. You do not need to name a condition or give a diagnosis.",
        ),
        (
            "what_helps",
            "What helps me do my best work",
            "For example, a quieter place for handovers, notes in writing, a later start after a bad night.",
        ),
        (
            "if_unwell",
            "If I become unwell or things get harder at work",
            "What the people I work with should do, and who to contact. Leave blank if nothing applies.",
        ),
    ],
    PassportKind.CARER: [
        (
            "caring_situation",
            "Who I care for and what that involves",
            "In your own words: you decide how much to say.",
        ),
        (
            "flexibility_needed",
            "The flexibility I need",
            "For example, fixed days off for appointments, swapping shifts at short notice, a phone on me.",
        ),
        (
            "emergency_arrangements",
            "What happens in an emergency",
            "How you may need to leave at short notice, who covers, and who to tell.",
        ),
    ],
}

SECTIONS = [
    ("about", "In my own words"),
    ("adjustments", "Adjustments and what is agreed"),
]


class PassportQuerySet(models.QuerySet):
    def for_org(self, org) -> "PassportQuerySet":
        return self.filter(organisation=org)

    def in_use(self) -> "PassportQuerySet":
        return self.filter(archived_at__isnull=True)

    def review_overdue(self, today: dt.date | None = None) -> "PassportQuerySet":
        return self.in_use().filter(review_due__lt=today or timezone.localdate())


class Passport(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passports")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="passports")
    kind = models.CharField(max_length=20, choices=PassportKind.choices)
    content = EncryptedJSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Reviews
    review_due = models.DateField(default=default_review_date)
    last_reviewed_on = models.DateField(null=True, blank=True)
    review_reminded_for = models.DateField(null=True, blank=True, help_text="The review date last reminded about.")
    # Confirmation of the agreed passport by both people
    owner_confirmed_at = models.DateTimeField(null=True, blank=True)
    confirming_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    manager_confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_unit_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The owner's unit when the manager confirmed: a move makes the review due."
    )
    # Imported from another organisation's signed passport
    imported_from_ods = models.CharField(max_length=10, blank=True)
    imported_from_name = models.CharField(max_length=200, blank=True)
    imported_key_id = models.CharField(max_length=32, blank=True)
    imported_issued_at = models.DateTimeField(null=True, blank=True, help_text="When the issuer signed the file.")
    imported_at = models.DateTimeField(null=True, blank=True)
    source_document = EncryptedTextField(blank=True, default="", help_text="The signed file as it arrived.")

    objects = PassportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind"]), models.Index(fields=["review_due"])]
        constraints = [models.UniqueConstraint(fields=["owner", "kind"], name="one_passport_of_each_kind")]

    def __str__(self) -> str:  # copied into the audit log: never content
        return f"Passport {self.pk}"

    @property
    def title(self) -> str:
        return self.get_kind_display()

    def fields(self) -> list[dict]:
        return [
            {"key": key, "label": label, "hint": hint, "value": (self.content or {}).get(key, "")}
            for key, label, hint in CONTENT_FIELDS[self.kind]
        ]

    @property
    def is_imported(self) -> bool:
        return bool(self.imported_from_ods)

    @cached_property
    def origin_problem(self) -> str:
        """Why this import's recorded origin cannot be relied on (it imitates an organisation on
        this staffwell, or mixes alphabets), or "": see ``transfer.laundered_origin``."""
        from staffwell.passports.transfer import laundered_origin

        return laundered_origin(self)

    @property
    def review_overdue(self) -> bool:
        return self.review_due < timezone.localdate()

    @property
    def is_confirmed(self) -> bool:
        return bool(self.owner_confirmed_at and self.manager_confirmed_at)

    def unconfirm(self) -> None:
        self.owner_confirmed_at = None
        self.manager_confirmed_at = None
        self.save(update_fields=["owner_confirmed_at", "manager_confirmed_at", "updated_at"])


class Status(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AGREED = "agreed", "Agreed"
    AGREED_WITH_CHANGES = "agreed_with_changes", "Agreed with changes"
    NOT_AGREED = "not_agreed", "Not agreed"
    IN_PLACE = "in_place", "In place"
    REVIEWED = "reviewed", "Reviewed"


DECISIONS = (Status.AGREED, Status.AGREED_WITH_CHANGES, Status.NOT_AGREED)
AGREED_STATES = (Status.AGREED, Status.AGREED_WITH_CHANGES, Status.IN_PLACE, Status.REVIEWED)
# Which step may follow which.
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    Status.REQUESTED: DECISIONS,
    Status.AGREED: (Status.IN_PLACE,),
    Status.AGREED_WITH_CHANGES: (Status.IN_PLACE,),
    Status.NOT_AGREED: (),
    Status.IN_PLACE: (Status.REVIEWED,),
    Status.REVIEWED: (Status.REVIEWED,),
}


class AdjustmentQuerySet(models.QuerySet):
    def awaiting_decision(self) -> "AdjustmentQuerySet":
        return self.filter(status=Status.REQUESTED)


class Adjustment(models.Model):
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="adjustments")
    request = EncryptedTextField(help_text="What the person asks for, in their words.")
    agreed_text = EncryptedTextField(blank=True, default="", help_text="What was agreed, when agreed with changes.")
    reason = EncryptedTextField(blank=True, default="", help_text="Why not agreed, or why changed.")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decision_due = models.DateField()
    decided_at = models.DateTimeField(null=True, blank=True)
    imported = models.BooleanField(default=False)

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Adjustment {self.pk}"

    @property
    def is_agreed(self) -> bool:
        return self.status in AGREED_STATES

    @property
    def decision_overdue(self) -> bool:
        return self.status == Status.REQUESTED and self.decision_due < timezone.localdate()

    @property
    def what_is_agreed(self) -> str:
        if self.status == Status.NOT_AGREED or self.status == Status.REQUESTED:
            return ""
        return self.agreed_text or self.request

    def next_steps(self) -> tuple[str, ...]:
        return NEXT_STEPS.get(self.status, ())


class AdjustmentStep(models.Model):
    """One step in an adjustment's history: who moved it to which status, and when."""

    adjustment = models.ForeignKey(Adjustment, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=60, blank=True)  # "the passport holder", "line manager"
    note = EncryptedTextField(blank=True, default="")
    at = models.DateTimeField(default=timezone.now)
    imported_from = models.CharField(max_length=200, blank=True, help_text="The issuer, for imported history.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Adjustment step {self.pk}"


class ManagerChange(models.Model):
    """The person's line manager changed: they are asked whether to share with the new one."""

    class State(models.TextChoices):
        ASKING_OWNER = "asking_owner", "Waiting for you to decide"
        SHARED = "shared", "Shared: waiting for the new manager to confirm"
        DECLINED = "declined", "You chose not to share"
        CONFIRMED = "confirmed", "Confirmed by the new manager"

    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="manager_changes")
    previous_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.ASKING_OWNER)
    detected_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]

    def __str__(self) -> str:
        return f"Manager change {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.ASKING_OWNER, self.State.SHARED}


class SigningKey(models.Model):
    """An organisation's Ed25519 key for signing exported passports. The private key is
    encrypted at rest; the public key is published at passports/keys/<ods_code>.json."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="passport_signing_keys"
    )
    key_id = models.CharField(max_length=32, unique=True)
    public_key = models.CharField(max_length=64, help_text="Raw 32-byte public key, base64.")
    private_key = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the private key may be known to others: nothing it signed verifies."
    )
    revocation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Signing key {self.key_id}"


class PublishedVersion(models.Model):
    """The latest signed version of each passport an organisation issued. Earlier versions are
    superseded: they are published as such and refused. Holds no personal data (the passport's
    random id and a time), and stays when the passport is deleted so its downloads stay superseded."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="passport_versions"
    )
    passport_uid = models.CharField(max_length=40)
    issued_at = models.DateTimeField()
    revision = models.PositiveIntegerField(
        default=0, help_text="Counts each signing; only the latest revision verifies (0: signed before revisions)."
    )
    withdrawn = models.BooleanField(default=False, help_text="The passport was deleted: every download is superseded.")

    class Meta:
        ordering = ["passport_uid"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "passport_uid"], name="one_published_version_per_passport")
        ]

    def __str__(self) -> str:
        return f"{self.passport_uid} issued {self.issued_at:%Y-%m-%d %H:%M}"


class TrustedIssuerKey(models.Model):
    """A public key of another staffwell instance's organisation, recorded by an admin here
    after checking its fingerprint with the issuer."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="trusted_passport_keys"
    )
    issuer_ods_code = models.CharField("issuer ODS code", max_length=10)
    issuer_name = models.CharField(max_length=200)
    key_id = models.CharField(max_length=32)
    public_key = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issuer_name", "key_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key_id"], name="one_trusted_key_per_org_and_key_id")
        ]

    def __str__(self) -> str:
        return f"Trusted key {self.key_id} ({self.issuer_ods_code})"
