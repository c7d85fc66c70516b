"""Shared core tables: regions, congresses, terms, sessions, organisations, users and roles,
policies, the working-day calendar, deadlines, notifications and integration clients."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import divisions
from .crypto import EncryptedCharField


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("country")
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


class Region(TimeStamped):
    """An administrative division; its code, cut to its level's length, is its path."""

    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        blank=True,
        help_text=_("GB/T 2260 code, e.g. 440000 (province), 440100 (city), 440106 (county), 440106001 (township)."),
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=RegionLevel.values), name="region_level_valid"),
            models.CheckConstraint(
                condition=Q(level=RegionLevel.COUNTRY, parent__isnull=True) | Q(parent__isnull=False),
                name="region_parent_required_below_country",
                violation_error_message=_("A region below the country needs a parent region."),
            ),
        ]
        indexes = [
            # Prefix matches (subtree queries) need a pattern index on Postgres.
            models.Index(fields=["code"], name="region_code_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    @property
    def division_code(self) -> str:
        return divisions.display_code(self.code, self.level)

    def clean(self):
        try:
            self.code = divisions.normalise(self.code, self.level)
        except ValueError as exc:
            raise ValidationError({"code": str(exc)}) from exc
        if self.level == RegionLevel.COUNTRY:
            if self.parent_id:
                raise ValidationError({"parent": _("The country has no parent region.")})
            return
        if not self.parent_id:
            raise ValidationError({"parent": _("A region below the country needs a parent region.")})
        expected = divisions.parent_level(self.level)
        if self.parent.level != expected:
            raise ValidationError(
                {
                    "parent": _("The parent of a %(level)s must be a %(expected)s.")
                    % {"level": self.get_level_display(), "expected": RegionLevel(expected).label}
                }
            )
        if not self.code.startswith(self.parent.code):
            raise ValidationError(
                {
                    "code": _("Code %(code)s does not lie under its parent %(parent)s.")
                    % {"code": self.division_code, "parent": self.parent.division_code}
                }
            )


class Level(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    MUNICIPAL = "municipal", _("municipal")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")


REGION_TO_CONGRESS_LEVEL = {
    RegionLevel.COUNTRY: Level.NATIONAL,
    RegionLevel.PROVINCE: Level.PROVINCIAL,
    RegionLevel.CITY: Level.MUNICIPAL,
    RegionLevel.COUNTY: Level.COUNTY,
    RegionLevel.TOWNSHIP: Level.TOWNSHIP,
}


class Congress(TimeStamped):
    """A people's congress of one region (人民代表大会)."""

    region = models.OneToOneField(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="congress")
    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, editable=False)

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["region__code"]
        constraints = [models.CheckConstraint(condition=Q(level__in=Level.values), name="congress_level_valid")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.region_id:
            self.level = REGION_TO_CONGRESS_LEVEL.get(self.region.level, self.level)
        super().save(*args, **kwargs)

    @property
    def has_standing_committee(self) -> bool:
        """Township congresses have a presidium instead."""
        return self.level != Level.TOWNSHIP

    def clean(self):
        if not self.region_id:
            return
        level = REGION_TO_CONGRESS_LEVEL.get(self.region.level)
        if level is None:
            raise ValidationError({"region": _("Villages and communities have no people's congress.")})
        self.level = level


class Term(TimeStamped):
    """A term (届) of a congress, normally five years."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="term_dates_ordered",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="term_number_positive"),
        ]

    def __str__(self):
        return _("%(congress)s, term %(number)s") % {"congress": self.congress, "number": self.number}

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("A term must end after it starts.")})
        if self.congress_id and self.start_date and self.end_date:
            overlapping = Term.objects.filter(
                congress_id=self.congress_id, start_date__lt=self.end_date, end_date__gt=self.start_date
            ).exclude(pk=self.pk)
            other = overlapping.first()
            if other:
                raise ValidationError(
                    {
                        "start_date": _("The term overlaps term %(number)s (%(start)s to %(end)s) of this congress.")
                        % {"number": other.number, "start": other.start_date, "end": other.end_date}
                    }
                )
        if self.pk:
            outside = self.sessions.filter(Q(start_date__lt=self.start_date) | Q(end_date__gt=self.end_date)).first()
            if self.start_date and self.end_date and outside:
                raise ValidationError(
                    {"end_date": _("Session %(number)s would fall outside the term.") % {"number": outside.number}}
                )


class Session(TimeStamped):
    """A session (次会议) of a term, named 第N届第M次会议."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="session_dates_ordered",
                violation_error_message=_("A session must not end before it starts."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
        ]

    def __str__(self):
        return _("Term %(term)s, session %(number)s") % {"term": self.term.number, "number": self.number}

    @property
    def congress(self):
        return self.term.congress

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A session must not end before it starts.")})
        if self.term_id and self.start_date and self.end_date:
            term = self.term
            if self.start_date < term.start_date or self.end_date > term.end_date:
                raise ValidationError(
                    {
                        "start_date": _("The session must lie within its term (%(start)s to %(end)s).")
                        % {"start": term.start_date, "end": term.end_date}
                    }
                )


class OrganisationKind(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("standing committee")
    PRESIDIUM = "presidium", _("presidium")
    SPECIAL_COMMITTEE = "special_committee", _("special committee")
    WORKING_BODY = "working_body", _("working body")
    HANDLING_UNIT = "handling_unit", _("handling unit")


class UnitCategory(models.TextChoices):
    GOVERNMENT = "government", _("government department")
    COURT = "court", _("court")
    PROCURATORATE = "procuratorate", _("procuratorate")
    OTHER = "other", _("other body")


class Organisation(TimeStamped):
    """A body of a congress (committee, working body) or a handling unit of a region."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    unit_category = models.CharField(_("unit category"), max_length=20, choices=UnitCategory.choices, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations")
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), null=True, blank=True, on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent body"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    head = models.ForeignKey(
        "User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Told when the unit lets a deadline pass."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_name_unique_in_region"),
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="handling_unit", unit_category__in=UnitCategory.values)
                | (~Q(kind="handling_unit") & Q(unit_category="")),
                name="organisation_unit_category_only_for_units",
                violation_error_message=_("A handling unit needs a category."),
            ),
            models.CheckConstraint(
                condition=Q(kind="handling_unit") | Q(congress__isnull=False),
                name="organisation_congress_body_has_congress",
                violation_error_message=_("A committee or working body belongs to a congress."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == OrganisationKind.HANDLING_UNIT:
            if not self.unit_category:
                raise ValidationError({"unit_category": _("A handling unit needs a category.")})
        else:
            self.unit_category = ""
            if not self.congress_id:
                raise ValidationError({"congress": _("A committee or working body belongs to a congress.")})
        if self.congress_id and self.region_id and self.congress.region_id != self.region_id:
            raise ValidationError({"congress": _("The congress must be the one of the organisation's region.")})
        if self.kind == OrganisationKind.PRESIDIUM and self.congress_id and self.congress.level != Level.TOWNSHIP:
            raise ValidationError({"kind": _("Only township congresses have a presidium.")})
        if (
            self.kind == OrganisationKind.STANDING_COMMITTEE
            and self.congress_id
            and self.congress.level == Level.TOWNSHIP
        ):
            raise ValidationError({"kind": _("Township congresses have a presidium, not a standing committee.")})


class User(AbstractUser):
    name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or super().get_full_name()

    def get_short_name(self):
        return self.name or self.username


class Role(models.TextChoices):
    STAFF = "staff", _("staff")
    DEPUTY = "deputy", _("deputy")
    UNIT_OFFICER = "unit_officer", _("handling-unit officer")
    SUPERVISOR = "supervisor", _("supervisor")
    STATION_MANAGER = "station_manager", _("station manager")
    INTEGRATION_CLIENT = "integration_client", _("integration client")


class RoleMembership(TimeStamped):
    """One role of a user, tied to the congress or unit that bounds what they see."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("congress"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=(Q(role="unit_officer") & Q(organisation__isnull=False))
                | (~Q(role="unit_officer") & Q(congress__isnull=False)),
                name="membership_anchor_required",
                violation_error_message=_(
                    "A unit officer belongs to a handling unit; other roles belong to a congress."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "congress", "organisation"],
                name="membership_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation or self.congress}"

    def clean(self):
        if self.role == Role.UNIT_OFFICER:
            if not self.organisation_id:
                raise ValidationError({"organisation": _("A unit officer belongs to a handling unit.")})
            if self.organisation.kind != OrganisationKind.HANDLING_UNIT:
                raise ValidationError({"organisation": _("Choose a handling unit.")})
        elif not self.congress_id:
            raise ValidationError({"congress": _("This role belongs to a congress.")})


class PolicyValue(TimeStamped):
    """A congress's override of one declared policy (see congress/policies.py)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="policies"
    )
    key = models.CharField(_("policy"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["congress", "key"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "key"], name="policy_value_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="policy_value_not_negative",
                violation_error_message=_("A policy value cannot be negative."),
            ),
        ]

    def __str__(self):
        # Read by staff in the console's messages and history: the policy's name, not its key.
        from . import policies

        policy = policies.REGISTRY.get(self.key)
        value = f"{Decimal(str(self.value)).normalize():f}"
        return f"{policy.label}：{value}" if policy is not None else f"{self.key} = {value}"

    def clean(self):
        from . import policies

        definition = policies.REGISTRY.get(self.key)
        if definition is None:
            raise ValidationError({"key": _("Unknown policy %(key)s.") % {"key": self.key}})
        if self.value is not None:
            try:
                definition.validate(self.value)
            except ValueError as exc:
                raise ValidationError({"value": str(exc)}) from exc


class CalendarYear(TimeStamped):
    """Whether a year's official holiday schedule has been entered; years without it are provisional."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    complete = models.BooleanField(
        _("schedule complete"),
        default=False,
        help_text=_("Tick once every holiday and adjusted working day of the year is entered."),
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="calendar_year_range")]

    def __str__(self):
        return str(self.year)


class CalendarDay(TimeStamped):
    """A day that breaks the Monday-to-Friday rule: a holiday on a weekday or an adjusted working weekend."""

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class PeriodUnit(models.TextChoices):
    WORKDAYS = "workdays", _("working days")
    MONTHS = "months", _("months")
    DAYS = "days", _("calendar days")


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(met_at__isnull=True, cancelled_at__isnull=True)


class Deadline(TimeStamped):
    """A due date of any app's object, computed once on the working calendar."""

    class Stage(models.IntegerChoices):
        NONE = 0, _("not reminded")
        EARLY = 1, _("early reminder")
        LATE = 2, _("late reminder")
        DUE = 3, _("due today")
        OVERDUE = 4, _("overdue")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=60)
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    responsible_org = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    responsible_user = models.ForeignKey(
        User, verbose_name=_("responsible person"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    period_value = models.PositiveIntegerField(_("period"))
    period_unit = models.CharField(_("period unit"), max_length=10, choices=PeriodUnit.choices)
    due_date = models.DateField(_("due date"))
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Computed without the official holiday schedule of a year.")
    )
    reminded_stage = models.PositiveSmallIntegerField(_("reminded stage"), choices=Stage.choices, default=Stage.NONE)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadline_one_open_per_kind",
            ),
            models.CheckConstraint(condition=Q(period_unit__in=PeriodUnit.values), name="deadline_unit_valid"),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("start_date")), name="deadline_after_start"),
        ]
        indexes = [
            models.Index(
                fields=["due_date"],
                name="deadline_open_due",
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True, reminded_stage__lt=4),
            ),
            models.Index(
                fields=["due_date"],
                name="deadline_open_provisional",
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True, provisional=True),
            ),
            models.Index(fields=["content_type", "object_id"], name="deadline_subject"),
            # Work that acts on passed deadlines of one kind (feedback that lapses) and statistics by kind.
            models.Index(
                fields=["kind", "due_date"],
                name="deadline_open_kind_due",
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]

    def __str__(self):
        from .deadlines import kind_label  # the registry of labels lives with the deadline code

        return f"{kind_label(self.kind)} → {self.due_date}"


class Notification(models.Model):
    """One message in a user's inbox; (recipient, key) is unique so a reminder is stored once."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """A notification sent through one external channel (email, SMS)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped (no address, or turned off by the person)")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "skipped"]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["id"], name="delivery_unfinished", condition=Q(status__in=["pending", "sending"]))
        ]

    def __str__(self):
        return f"{self.channel}: {self.status}"


class NotificationPreference(models.Model):
    """How one person wants to be reached beyond the inbox; a row is made the first time they save it, and the
    defaults below hold until then."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    sms = models.BooleanField(_("reminders and invitations by SMS"), default=True)
    email = models.BooleanField(_("notifications by e-mail"), default=True)
    # Consent to texts at all: off, nothing is texted to the person's phone whatever the other switches say.
    sms_accepted = models.BooleanField(_("accept text messages"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    @property
    def wants_sms(self) -> bool:
        return self.sms and self.sms_accepted


class ApiClient(TimeStamped):
    """A provincial or national system that calls the API with a bearer token."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="api_client")
    # The person the token was last handed to (its creator, or whoever rotated it since): personal data the
    # client reads is logged against them too. Empty only on clients from before owners whose issuer the audit
    # log did not name (migration 0015); such a client gets its owner at its next rotation.
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_api_clients",
        null=True,
        blank=True,
        help_text=_(
            "The person the token was last issued to; personal data read through the client is logged against them."
        ),
    )
    token_prefix = models.CharField(_("token prefix"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    allowed_ips = models.TextField(
        _("allowed addresses"),
        max_length=2000,
        blank=True,
        help_text=_("One IP address or network (CIDR) per line; empty allows any address."),
    )
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600, help_text=_("Requests beyond this are answered 429.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration client")
        verbose_name_plural = _("integration clients")

    def __str__(self):
        return self.name


class IdempotencyRecord(models.Model):
    """The first answer to an API POST sent with an Idempotency-Key, replayed when the caller repeats it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=200)
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    # Empty while the first request is still being handled: a repeat meanwhile gets 409.
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    # JSON text rather than jsonb, so a replay returns the keys in the order first sent; encrypted like personal
    # data (an answer may hold a citizen's phone), and re-encrypted by `manage.py reencrypt_personal_data`.
    response_body = EncryptedCharField(_("response body"), blank=True)
    # The unmasked personal data the answer showed ({"model", "channel", "ids"} per kind of subject; ids only), so
    # that a replay writes the access record a fresh read would (congress.personal_data.seen_again).
    shown_personal_data = models.JSONField(_("personal data shown"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


class OutboxMessage(models.Model):
    """A Celery message stored in the transaction that called for it, published after commit (see outbox.py)."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Failures of the message itself (unknown task, unserialisable arguments); a broker that is down does not count.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["id"], name="outbox_unsent", condition=Q(sent_at__isnull=True)),
            models.Index(fields=["sent_at"], name="outbox_sent", condition=Q(sent_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.task} {self.pk}"


class SmsMessage(models.Model):
    """One text to one phone, stored in the transaction that called for it and sent by congress.sms (outbox):
    retried with backoff while the provider's failure may pass, recorded as failed when it cannot."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    phone = EncryptedCharField(_("phone"), max_length=20)
    # A keyed hash of the phone (congress.sms.limits.phone_key): the encrypted phone cannot be counted by.
    phone_hash = models.CharField(max_length=64, blank=True)
    # Whose quiet hours and daily limit apply (policies); none: the defaults.
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"params": {...}, "text": "..."}: may hold a verification code, so encrypted, and emptied once finished.
    payload = EncryptedCharField(_("content"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A text that is useless after a time (a verification code) is not sent after it.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The provider's id of the accepted message (Alibaba's BizId), which its delivery receipts name.
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    error_code = models.CharField(_("error code"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The provider's delivery receipt: whether the phone got the text, when, and the carrier's code if not.
    delivered = models.BooleanField(_("delivered"), null=True, blank=True)
    reported_at = models.DateTimeField(_("receipt time"), null=True, blank=True)
    receipt_error = models.CharField(_("receipt error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]), name="sms_message_status_valid"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="sms_message_unfinished",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # The daily limit counts one phone's texts of the day; receipts find a text by the provider's id.
            models.Index(fields=["phone_hash", "created_at"], name="sms_message_phone_day"),
            models.Index(fields=["provider_id"], name="sms_message_provider_id", condition=~Q(provider_id="")),
        ]

    def __str__(self):
        return f"{self.kind}: {self.status}"


class RobotMessage(models.Model):
    """One message to an enterprise messaging group (a 企业微信 or 钉钉 robot named in settings.MESSAGING_ROBOTS),
    stored in the transaction that called for it and sent by congress.messaging (outbox), retried with backoff
    while the failure may pass. `key` makes a message sent at most once (a digest per group and day)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    robot = models.CharField(_("robot"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("group robot message")
        verbose_name_plural = _("group robot messages")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]), name="robot_message_status_valid"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="robot_message_unfinished",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.robot}: {self.title}"


def audited_models():
    """Models whose every create, change and delete lands in the audit log."""
    return [
        (Region, {}),
        (Congress, {}),
        (Term, {}),
        (Session, {}),
        (Organisation, {}),
        (User, {"exclude_fields": ["password", "last_login"]}),
        (RoleMembership, {}),
        (PolicyValue, {}),
        (CalendarYear, {}),
        (CalendarDay, {}),
        (ApiClient, {"exclude_fields": ["token_hash", "last_used_at"]}),
    ]


class WebhookEndpoint(TimeStamped):
    """A URL an integration client wants events posted to, signed with a shared secret."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("integration client"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list, help_text=_("The event names this endpoint receives."))
    # Kept in clear: signing needs it. Shown to the client once, when created or rotated.
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["id"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event posted to one endpoint: kept with its outcome, retried with backoff, replayable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(_("event id"))
    event = models.CharField(_("event"), max_length=60)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once_per_event"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "delivered", "failed"]),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_unfinished",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}: {self.status}"


class Tombstone(models.Model):
    """A record that left the API (deleted, or merged into another), so a mirror can drop it too."""

    class Action(models.TextChoices):
        DELETED = "deleted", _("deleted")
        MERGED = "merged", _("merged")

    resource = models.CharField(_("resource"), max_length=60)
    object_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    merged_into = models.BigIntegerField(_("merged into"), null=True, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=["deleted", "merged"]), name="tombstone_action_valid"),
            models.CheckConstraint(
                condition=Q(action="deleted") | Q(merged_into__isnull=False), name="tombstone_merge_has_target"
            ),
        ]

    def __str__(self):
        return f"{self.resource} {self.object_id} {self.action}"


class ConsoleJob(TimeStamped):
    """A long console operation (an export, a bulk assignment) done in the background; its page shows its progress
    and, when it is done, its result and file. Only the staff member who started it sees it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(default=dict, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("items"), default=0)
    processed = models.PositiveIntegerField(_("items done"), default=0)
    message = models.TextField(_("result"), blank=True)
    file = models.FileField(_("file"), upload_to="console-jobs/", blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="console_job_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.processed / self.total)) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Authenticator(TOTPDevice):
    """django-otp's TOTP device under our name, so the console speaks of it in the interface's language."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")


class SmsAuthenticator(Device):
    """A phone that receives sign-in codes by text message (congress.twofactor_sms), the choice next to an
    authenticator app. A code is kept only as a keyed hash with its expiry, the wrong tries against it, and when
    codes were sent (the resend limits)."""

    phone = EncryptedCharField(_("mobile phone"), max_length=20)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    wrong_attempts = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # Codes sent since sends_window_start (at most twofactor_sms.SENDS_PER_HOUR in an hour).
    sends_in_window = models.PositiveSmallIntegerField(default=0)
    sends_window_start = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone for sign-in codes")
        verbose_name_plural = _("phones for sign-in codes")


class TallyRefresh(models.Model):
    """When an aggregate view behind the reports was last refreshed: the "as of" time a report shows."""

    name = models.CharField(_("aggregate view"), max_length=63, primary_key=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("aggregate refresh")
        verbose_name_plural = _("aggregate refreshes")

    def __str__(self) -> str:
        return self.name


class DocumentTemplate(TimeStamped):
    """A congress's own settings for one kind of generated document (congress.documents): the issuing body's name
    and the prefix of the document number as its office writes them, and optionally its own .docx template, with
    the same placeholders as the default one, in place of the default layout."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("document"), max_length=40)
    issuer = models.CharField(
        _("issuing body"), max_length=100, blank=True,
        help_text=_("As printed in red at the top; empty for the standing committee's name."),
    )  # fmt: skip
    number_prefix = models.CharField(
        _("number prefix"), max_length=30, blank=True,
        help_text=_("What precedes 〔year〕 in the document number, e.g. 海人常交."),
    )  # fmt: skip
    file = models.FileField(_("template (.docx)"), upload_to="document-templates/", blank=True)
    uploaded_by = models.ForeignKey(User, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["congress", "kind"]
        constraints = [models.UniqueConstraint(fields=["congress", "kind"], name="document_template_unique")]

    def __str__(self):
        from .documents import KINDS  # documents reads these models

        kind = KINDS.get(self.kind)
        return f"{self.congress} {kind.label if kind else self.kind}"


class IssuedDocument(TimeStamped):
    """The register of numbered documents (发文登记): one number per congress and year, in order, never given
    twice; a document generated again for the same subject keeps its number."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("document"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    issued_by = models.ForeignKey(User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["congress", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year", "sequence"], name="issued_document_number_unique"),
            models.UniqueConstraint(fields=["congress", "kind", "subject"], name="issued_document_subject_unique"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="issued_document_sequence_positive"),
        ]

    def __str__(self):
        return self.number


class Topic(TimeStamped):
    """A theme that citizens' opinions and deputies' suggestions of one congress keep raising (热点话题), found by
    congress.topics. Staff's rename and merge live here and outlast every recomputation: a recomputation matches
    its new groups to these rows instead of replacing them."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    label = models.CharField(_("computed name"), max_length=100, blank=True)
    staff_label = models.CharField(_("name given by staff"), max_length=100, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    item_count = models.PositiveIntegerField(_("items"), default=0)
    first_seen = models.DateField(_("first raised"), null=True, blank=True)
    last_seen = models.DateField(_("last raised"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-item_count", "pk"]
        indexes = [models.Index(fields=["congress", "-item_count"], name="topic_congress_count")]
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="topic_not_merged_into_itself")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.staff_label or self.label or _("topic %(number)s") % {"number": self.pk}


class TopicItem(models.Model):
    """One opinion or suggestion counted under a topic: its date and region copied, so a topic's trend by month
    and its count for a station's area are read from this table alone."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="items")
    # The topic whose group brought the item: itself, or one merged into it. The next recomputation matches its
    # groups to topics by these, so a merged topic's group still finds the merged topic.
    origin = models.ForeignKey(Topic, null=True, on_delete=models.SET_NULL, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    day = models.DateField()
    region_code = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "content_type", "object_id"], name="topic_item_once"),
        ]
        indexes = [
            models.Index(fields=["topic", "day"], name="topic_item_day"),
            models.Index(fields=["content_type", "object_id"], name="topic_item_object"),
        ]

    def __str__(self):
        return f"{self.topic_id}: {self.content_type_id}/{self.object_id}"
