from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. What they do on the platform follows from `kind` and their memberships."""

    class Kind(models.TextChoices):
        TALENT = "talent", "Talent"
        BRAND = "brand", "Brand"
        STUDIO = "studio", "Studio / IP holder"
        CREATOR = "creator", "Creator"
        MODERATOR = "moderator", "Moderator"

    username = None
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CREATOR)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_moderator(self) -> bool:
        """Moderators review verifications, take down and refund; staff may act as one."""
        return bool(self.is_staff or self.kind == self.Kind.MODERATOR)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        STUDIO = "studio", "Studio"
        BRAND = "brand", "Brand"
        AGENCY = "agency", "Agency"
        ESTATE = "estate", "Estate"

    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    category = models.CharField(max_length=80, blank=True)  # a brand's market, e.g. "soft drinks" (for exclusivity)
    verified_at = models.DateTimeField(null=True, blank=True)  # set by a moderator: a "verified brand"
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="uniq_membership")]


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` on a creating POST: the first request's fingerprint and, once it
    finished, its answer. Unique per user, so a retry (or a race of two) replays one answer."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path and canonical body
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # null while the first request runs
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key_per_user")]


class Notification(models.Model):
    """Something that needs the person's attention, with a link to act on it; e-mailed too when
    their settings say so (`accounts.notifications.notify`)."""

    class Kind(models.TextChoices):
        APPROVAL_REQUEST = "approval_request", "Approval requests"
        APPROVAL_OUTCOME = "approval_outcome", "Answers to my briefs and outputs"
        SALE = "sale", "Sales of my licences"
        REFUSAL = "refusal", "Briefs refused by my rules"
        REVOCATION = "revocation", "Licences revoked"
        EXPIRY = "expiry", "Licences expiring soon or expired"
        PAYOUT = "payout", "Payouts sent or failed"
        REPORT = "report", "Misuse reports about me, and answers to mine"
        FEED = "feed", "Comments on my posts"

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=2000)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)
    # what a scheduled notice is about (e.g. "expiring:<licence id>"), so a task that runs again
    # never tells the person twice; blank for one-off notifications
    once_key = models.CharField(max_length=120, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "once_key"], condition=~models.Q(once_key=""), name="uniq_notification_once_key"),
        ]


class NotificationSettings(models.Model):
    """Which kinds of notification also come by e-mail (all of them unless switched off)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_settings")
    email_kinds = models.JSONField(default=list)


class ApiToken(models.Model):
    """A bearer token for the API, issued by the allauth login flow (so it honours verified e-mail,
    two-factor and lockouts) or minted by its owner. Only a hash of the key is stored."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        FULL = "full", "Full access"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.FULL)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # the first characters of the key, to tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.get_scope_display()})"
