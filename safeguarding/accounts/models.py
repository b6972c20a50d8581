from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q

from safeguarding.core.permissions import Role


class Area(models.Model):
    """A local-authority area (a partnership may span more than one)."""

    code = models.CharField(max_length=20, unique=True, help_text="e.g. an ONS area code")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police force"
        ICB = "icb", "Integrated care board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        SCHOOL = "school", "School or college"
        FIRE_RESCUE = "fire_rescue", "Fire and rescue service"
        PROBATION = "probation", "Probation service"
        YOUTH_JUSTICE = "youth_justice", "Youth justice service"
        HOUSING = "housing", "Housing provider"
        VOLUNTARY = "voluntary", "Voluntary or community sector"
        PARTNERSHIP = "partnership", "Safeguarding children partnership"
        OTHER = "other", "Other"

    class Standing(models.TextChoices):
        STATUTORY_PARTNER = "statutory_partner", "Statutory safeguarding partner"
        RELEVANT_AGENCY = "relevant_agency", "Relevant agency"
        NEIGHBOURING_PARTNERSHIP = "neighbouring_partnership", "Neighbouring partnership"
        OTHER = "other", "Other organisation"

    STATUTORY_KINDS = (Kind.LOCAL_AUTHORITY, Kind.POLICE, Kind.ICB)

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    standing = models.CharField(max_length=30, choices=Standing.choices)
    areas = models.ManyToManyField(Area, blank=True, related_name="organisations")
    email_domains = models.CharField(
        max_length=500,
        blank=True,
        help_text="Work e-mail domains, separated by commas (e.g. northshire.gov.uk).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(standing="statutory_partner") | Q(kind__in=["local_authority", "police", "icb"]),
                name="statutory_partner_is_la_police_or_icb",
            ),
            models.CheckConstraint(
                condition=~Q(standing="neighbouring_partnership") | Q(kind="partnership"),
                name="neighbouring_partnership_is_a_partnership",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_statutory_partner(self) -> bool:
        return self.standing == self.Standing.STATUTORY_PARTNER


class Seniority(models.TextChoices):
    """Ordered from most to least senior; ``seniority_rank`` compares them."""

    LEAD_PARTNER = "lead_partner", "Lead Safeguarding Partner"
    DELEGATED_PARTNER = "delegated_partner", "Delegated Safeguarding Partner"
    DIRECTOR = "director", "Director"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    MANAGER = "manager", "Manager"
    PRACTITIONER = "practitioner", "Practitioner"


SENIORITY_RANK = {value: len(Seniority.values) - index for index, value in enumerate(Seniority.values)}


def seniority_rank(seniority: str) -> int:
    """Higher is more senior: a Lead Partner outranks a director."""
    return SENIORITY_RANK[seniority]


class Person(models.Model):
    """Someone who works in or with the partnership. Their jobs are ``Post`` rows,
    so history survives a change of job or organisation."""

    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    reference = models.CharField(
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text="A stable key for data packages (person_key); set on import.",
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name


class Post(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="posts")
    job_title = models.CharField(max_length=200)
    seniority = models.CharField(max_length=30, choices=Seniority.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-started_on"]
        indexes = [models.Index(fields=["organisation", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="post_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_current_post_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title}, {self.organisation}"

    def held_on(self, day) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


class User(AbstractUser):
    """A log-in. Belongs to a person (absent only for break-glass superusers)."""

    person = models.OneToOneField(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="user")
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_counter = models.BigIntegerField(
        default=0, help_text="The last time-step accepted, so a code is never used twice."
    )
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class ApiToken(models.Model):
    """A partner system's key to the API. Only a hash is stored; the token itself is
    shown once when created. Revoked tokens stay for the audit trail."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=200, help_text="Which system uses it.")
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class EnrolmentCode(models.Model):
    """An administrator-issued, single-use code that lets a user enrol an authenticator,
    so a password alone cannot set up two-step verification for a role that sees children's
    data. Only a hash is stored; the code is shown once to the administrator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("issued_at")), name="enrolment_code_expires_after_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} (issued {self.issued_at:%d %b %Y %H:%M})"
