from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from staffwell.core import crypto
from staffwell.core.fields import EncryptedTextField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser):
    """A sign-in account. What a person may do comes from their memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_platform_admin = models.BooleanField(
        default=False, help_text="Manages organisations and system settings. Sees no health data."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Invitation(models.Model):
    """An organisation invited a person to sign in for the first time (after a staff import)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    first_sent_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    times_sent = models.PositiveIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="Their first sign-in.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_invitation_per_org")]

    def __str__(self) -> str:
        return f"Invitation for {self.user} from {self.organisation}"


class AccountLink(models.Model):
    """A staff list names someone whose account already belongs elsewhere (a membership of
    another organisation, or a platform admin). Their membership here is attached only when
    they confirm it, after signing in."""

    membership = models.ForeignKey("organisations.Membership", on_delete=models.CASCADE, related_name="account_links")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_links")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "user"], condition=models.Q(decided_at__isnull=True), name="one_open_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.membership.organisation_id}"


class SingleSignOn(models.Model):
    """An organisation's OpenID Connect provider (docs/operations.md, ADR 0012). People sign in
    with it only if its staff list has them: an account is never made from the provider's claims."""

    class Kind(models.TextChoices):
        NHSMAIL = "nhsmail", "NHSmail (Microsoft Entra ID)"
        CIS2 = "cis2", "Care Identity Service 2 (CIS2)"
        OTHER = "other", "Another OpenID Connect provider"

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="single_sign_on"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NHSMAIL)
    issuer = models.URLField(max_length=300, help_text="The provider's issuer; its discovery document is below it.")
    client_id = models.CharField(max_length=200)
    client_secret = EncryptedTextField()
    fingerprint_key = EncryptedTextField(
        default=crypto.new_key,
        editable=False,
        help_text="The key of the client secret's fingerprint (crypto.keyed_fingerprint): encrypted, never shown.",
    )
    allowed_domains = models.CharField(
        max_length=500, help_text="Email domains that may sign in this way, separated by commas: nhs.net, trust.nhs.uk"
    )
    email_claim = models.CharField(
        max_length=40,
        default="email",
        help_text="The claim holding the work email (Entra ID: email or preferred_username).",
    )
    require_email_verified = models.BooleanField(
        default=True,
        help_text="Refuse tokens without email_verified=true. Entra ID sends no such claim: turn off only for a "
        "tenant whose addresses the organisation controls (NHSmail).",
    )
    is_enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who saved the settings as they are now (the last change to what both sides agree): they "
        "cannot agree them for either side (signin/agreement.py).",
    )
    saved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "single sign-on provider"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.organisation_id}"

    @property
    def domains(self) -> set[str]:
        return {d.strip().lower().lstrip("@") for d in self.allowed_domains.split(",") if d.strip()}

    @property
    def button_text(self) -> str:
        return {"nhsmail": "Sign in with NHSmail", "cis2": "Sign in with your NHS Care Identity"}.get(
            self.kind, "Sign in with your work account"
        )


class MfaRequirement(models.Model):
    """An organisation's choice: its privileged roles need a second factor to sign in with a password."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="mfa_requirement"
    )
    required = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"MFA {'required' if self.required else 'optional'} for {self.organisation_id}"
