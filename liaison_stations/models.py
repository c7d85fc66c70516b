"""The 家站点 network: stations, stationing, reception days, visits, citizens' opinions and star ratings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import text
from congress.crypto import DerivedCharField, EncryptedCharField, last_four, phone_index
from congress.models import Congress, Organisation, Region, TimeStamped
from congress.tokens import CODE_ALPHABET, new_token  # noqa: F401 - the frozen migrations name models.new_token
from deputies.models import Mandate


class Kind(models.TextChoices):
    HOME = "home", _("deputy home")
    STATION = "station", _("liaison station")
    POINT = "point", _("liaison point")
    ONLINE = "online", _("online station")


class Tier(models.TextChoices):
    HEAD = "head", _("head station")
    CENTRAL = "central", _("central station")
    ORDINARY = "ordinary", _("ordinary station")


class Theme(models.TextChoices):
    GENERAL = "general", _("general")
    VILLAGE = "village", _("village or community")
    INDUSTRY = "industry", _("industry")
    PARK = "park", _("industrial park")
    BORDER = "border", _("border")
    PROJECT = "project", _("project")


class Station(TimeStamped):
    """A deputy home, liaison station, liaison point or online station (家站点)."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.ORDINARY)
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("congress"),
        on_delete=models.PROTECT,
        related_name="stations",
        help_text=_("The congress whose staff keep the station and whose policies apply."),
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stations")
    # Copied from the region so the network list and the ledger filter by a prefix without a join.
    region_code = models.CharField(_("division code"), max_length=12, editable=False, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    theme = models.CharField(_("theme"), max_length=10, choices=Theme.choices, default=Theme.GENERAL)
    theme_detail = models.CharField(_("theme detail"), max_length=100, blank=True, help_text=_("e.g. education"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("public phone"), max_length=30, blank=True)
    online_url = models.URLField(_("online address"), blank=True)
    chief = models.CharField(_("chief"), max_length=50, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), blank=True, related_name="managed_stations"
    )
    stars = models.PositiveSmallIntegerField(_("star rating"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The public page and the check-in QR code use this instead of the id.
    slug = models.CharField(_("public code"), max_length=12, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["region_code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_name_unique_in_region"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="station_kind_valid"),
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="station_tier_valid"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="station_theme_valid"),
            models.CheckConstraint(condition=Q(stars__lte=5), name="station_stars_range"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="station_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="station_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="online") | ~Q(address=""),
                name="station_offline_has_address",
                violation_error_message=_("A station people visit needs an address."),
            ),
        ]
        indexes = [
            models.Index(fields=["region_code"], name="station_region_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "tier"], name="station_kind_tier"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("liaison_stations:public_station", args=[self.slug])

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both coordinates or neither.")
        if self.kind != Kind.ONLINE and not self.address:
            # The constraint says it too, but only here does the form show it beside the address field.
            errors["address"] = _("A station people visit needs an address.")
        if self.kind == Kind.ONLINE and not self.online_url:
            errors["online_url"] = _("An online station needs its web address.")
        if self.region_id and self.congress_id and not self.region.code.startswith(self.congress.region.code):
            errors["region"] = _("The station must lie in the congress's region.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A station cannot sit under itself.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.region_id:
            self.region_code = self.region.code
        super().save(*args, **kwargs)


class Stationing(TimeStamped):
    """A deputy's assignment to a station (进驻); ended stationings stay as history."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="stationings"
    )
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="stationings"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("stationing")
        verbose_name_plural = _("stationings")
        ordering = ["station", "mandate"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "mandate"],
                condition=Q(end_date__isnull=True),
                name="stationing_one_live",
                violation_error_message=_("The deputy is already stationed here."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="stationing_dates"
            ),
        ]
        indexes = [models.Index(fields=["mandate", "end_date"], name="stationing_mandate")]

    def __str__(self):
        return f"{self.mandate.person} @ {self.station}"


class ReceptionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("reception status", "planned")
    PUBLISHED = "published", pgettext_lazy("reception status", "published")
    HELD = "held", pgettext_lazy("reception status", "held")
    CANCELLED = "cancelled", pgettext_lazy("reception status", "cancelled")


class Reception(TimeStamped):
    """A reception day (接待日) at a station with the deputies on duty."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="receptions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    deputies = models.ManyToManyField(Mandate, verbose_name=_("deputies on duty"), related_name="receptions")
    status = models.CharField(
        _("status"), max_length=10, choices=ReceptionStatus.choices, default=ReceptionStatus.PLANNED
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    citizens_received = models.PositiveIntegerField(_("citizens received"), default=0)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReceptionStatus.values), name="reception_status_valid"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="reception_times"),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(published_at__isnull=False),
                name="reception_published_at",
            ),
        ]
        indexes = [models.Index(fields=["station", "date"], name="reception_station_date")]

    def __str__(self):
        return f"{self.station} {self.date:%Y-%m-%d}"


class Activity(models.TextChoices):
    RECEPTION = "reception", _("receiving citizens")
    RESEARCH = "research", _("research")
    BRIEFING = "briefing", _("briefing")
    GROUP = "group_activity", _("group activity")
    COUNCIL = "council_meeting", _("council meeting")


class Visit(TimeStamped):
    """A deputy's duty visit to a station (进站履职); it enters the duty record."""

    class Channel(models.TextChoices):
        QR = "qr", _("station QR code")
        PORTAL = "portal", _("deputy portal")
        MANAGER = "manager", _("recorded by the manager")
        RECEPTION = "reception", _("reception day")
        API = "api", _("integration")

    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="visits")
    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="visits")
    reception = models.ForeignKey(
        Reception, verbose_name=_("reception day"), null=True, blank=True, on_delete=models.SET_NULL
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    visited_at = models.DateTimeField(_("time"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    citizens_received = models.PositiveIntegerField(_("citizens received"), default=0)
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    channel = models.CharField(_("recorded through"), max_length=10, choices=Channel.choices)
    # Flagged when the deputy is not stationed at the station (allowed or refused by policy).
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=200, blank=True)
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("station visit")
        verbose_name_plural = _("station visits")
        ordering = ["-visited_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(activity__in=Activity.values), name="visit_activity_valid"),
            models.UniqueConstraint(
                fields=["mandate", "submission_key"], condition=~Q(submission_key=""), name="visit_submitted_once"
            ),
            models.UniqueConstraint(
                fields=["mandate", "reception"], condition=Q(reception__isnull=False), name="visit_once_per_reception"
            ),
        ]
        indexes = [
            models.Index(fields=["mandate", "year"], name="visit_mandate_year"),
            models.Index(fields=["station", "visited_at"], name="visit_station_time"),
        ]

    def __str__(self):
        return f"{self.mandate.person} @ {self.station} {self.visited_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.year = self.visited_at.year
        super().save(*args, **kwargs)


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("attendance status", "awaiting the deputy's confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("attendance status", "confirmed")
    DECLINED = "declined", pgettext_lazy("attendance status", "not present, says the deputy")


class Attendance(TimeStamped):
    """A station manager's record that a deputy stationed there was present at a held reception day. It counts as
    a visit only once the deputy confirms it (the visit is then created); the deputy may say they were not there."""

    reception = models.ForeignKey(
        Reception, verbose_name=_("reception day"), on_delete=models.CASCADE, related_name="attendances"
    )
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="station_attendances"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PENDING
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    visit = models.OneToOneField(
        Visit, verbose_name=_("station visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance at a reception day")
        verbose_name_plural = _("attendances at reception days")
        ordering = ["-reception__date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reception", "mandate"], name="attendance_once_per_reception"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(answered_at__isnull=False), name="attendance_answered_at"
            ),
        ]
        indexes = [models.Index(fields=["mandate", "status"], name="attendance_mandate_status")]

    def __str__(self):
        return f"{self.mandate.person} @ {self.reception}"


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("opinion status", "received")
    ANSWERED = "answered", pgettext_lazy("opinion status", "answered on the spot")
    REFERRED = "referred", pgettext_lazy("opinion status", "referred")
    UNIT_REPLIED = "unit_replied", pgettext_lazy("opinion status", "replied by the unit")
    TO_SUGGESTION = "to_suggestion", pgettext_lazy("opinion status", "taken up as a suggestion")
    DECLINED = "declined", pgettext_lazy("opinion status", "declined")
    CLOSED = "closed", pgettext_lazy("opinion status", "closed")


class Route(models.TextChoices):
    ANSWERED = "answered", _("answered on the spot")
    REFERRED = "referred", _("referred to a responsible body")
    TO_SUGGESTION = "to_suggestion", _("taken up by a deputy as a suggestion")
    DECLINED = "declined", _("declined")


class DeclineReason(models.TextChoices):
    LITIGATION = "litigation", _("in litigation")
    ARBITRATION = "arbitration", _("in arbitration")
    REVIEW = "review", _("in administrative review")


class Category(models.TextChoices):
    ECONOMY = "economy", _("economy and development")
    URBAN = "urban", _("urban construction and transport")
    RURAL = "rural", _("agriculture and rural affairs")
    ENVIRONMENT = "environment", _("ecology and environment")
    EDUCATION = "education", _("education, science and culture")
    HEALTH = "health", _("health care")
    WELFARE = "welfare", _("employment and social security")
    SAFETY = "safety", _("public safety")
    GOVERNANCE = "governance", _("community governance")
    OTHER = "other", _("other")


class CitizenOpinion(TimeStamped):
    """A citizen's opinion (群众意见) with its route, the unit's answer and the feedback that closes it."""

    class Channel(models.TextChoices):
        RECEPTION = "reception", _("at a reception")
        STATION_PAGE = "station_page", _("station's public page")
        DEPUTY_PAGE = "deputy_page", _("deputy's QR page")
        API = "api", _("integration")

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_token, editable=False)
    station = models.ForeignKey(
        Station, verbose_name=_("station"), null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    addressed_to = models.ForeignKey(
        Mandate,
        verbose_name=_("addressed to deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citizen_opinions",
    )
    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    reception = models.ForeignKey(
        Reception, verbose_name=_("reception day"), null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    citizen_name = models.CharField(_("name"), max_length=50, blank=True)
    # Encrypted at rest (congress.crypto): the hash finds a resubmitted form, the clear last four digits
    # let the citizen follow the opinion.
    phone = EncryptedCharField(_("mobile phone"), max_length=11)
    phone_hash = DerivedCharField(max_length=64, source="phone", derive=phone_index)
    phone_tail = DerivedCharField(max_length=4, source="phone", derive=last_four)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    content = models.TextField(_("opinion"), max_length=2000)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=15, choices=OpinionStatus.choices, default=OpinionStatus.RECEIVED)
    route = models.CharField(_("route"), max_length=15, choices=Route.choices, blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    referred_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_opinions",
    )
    referral_due = models.DateField(_("reply due"), null=True, blank=True)
    unit_reply = models.TextField(_("unit's reply"), blank=True, max_length=4000)
    unit_replied_at = models.DateTimeField(_("unit replied at"), null=True, blank=True)
    taken_up_by = models.ForeignKey(
        Mandate,
        verbose_name=_("taken up by deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taken_up_opinions",
    )
    # Taken up as a suggestion, the opinion waits for it: when the suggestion is replied to, declined or withdrawn
    # the citizen's feedback clock starts (and the opinion may be closed).
    suggestion_settled_at = models.DateTimeField(_("suggestion answered at"), null=True, blank=True)
    # The citizen's choice, made when leaving the opinion: an SMS to the phone above once the suggestion made of it
    # is replied to, declined or withdrawn; sms_sent_at marks it sent, so it goes out once.
    sms_wanted = models.BooleanField(_("SMS when the opinion has its result"), default=False)
    sms_sent_at = models.DateTimeField(_("SMS sent at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason declined"), max_length=15, choices=DeclineReason.choices, blank=True)
    feedback = models.TextField(_("feedback to the citizen"), blank=True, max_length=4000)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The content words of the opinion (congress.text), kept for the topics; NULL for rows from before, which the
    # topics computation segments as it reads them.
    terms = models.TextField(_("content words"), null=True, blank=True, editable=False)
    # The open opinion of the same area this one repeats (liaison_stations/repeats.py), set after intake: a flag
    # for whoever triages it, never a refusal.
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("repeats the open opinion"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="repeats", editable=False,
    )  # fmt: skip
    repeat_score = models.FloatField(_("similarity to it"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("citizen opinion")
        verbose_name_plural = _("citizen opinions")
        ordering = ["-received_at", "-id"]
        permissions = [("view_citizen_phone", _("Can see citizens' phone numbers"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OpinionStatus.values), name="opinion_status_valid"),
            models.CheckConstraint(condition=Q(route="") | Q(route__in=Route.values), name="opinion_route_valid"),
            models.CheckConstraint(
                condition=Q(station__isnull=False) | Q(addressed_to__isnull=False),
                name="opinion_has_station_or_deputy",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(feedback="") & Q(feedback_at__isnull=False)),
                name="opinion_closed_after_feedback",
                violation_error_message=_("An opinion closes only after feedback to the citizen is recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(route="referred") | Q(referred_unit__isnull=False),
                name="opinion_referral_has_unit",
                violation_error_message=_("A referral needs the responsible body."),
            ),
            models.CheckConstraint(
                condition=~Q(route="declined") | ~Q(decline_reason=""),
                name="opinion_decline_has_reason",
            ),
            models.UniqueConstraint(
                fields=["phone_hash", "submission_key"], condition=~Q(submission_key=""), name="opinion_submitted_once"
            ),
        ]
        indexes = [
            # The ledger filters by a region prefix and a status, newest first: the planner walks the
            # region index for a small region and the status-time index for a large one.
            models.Index(
                fields=["region_code", "status"],
                name="opinion_ledger",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            ),
            models.Index(fields=["status", "-received_at"], name="opinion_status_time"),
            models.Index(fields=["-received_at"], name="opinion_time"),
            models.Index(fields=["station", "status"], name="opinion_station_status"),
            models.Index(fields=["referred_unit", "status"], name="opinion_unit_status"),
        ]

    def __str__(self):
        return self.tracking_code

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "content" in fields:
            self.terms = text.document("", self.content)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "terms"}
        super().save(*args, **kwargs)

    SUBJECT_LENGTH = 40

    @property
    def subject(self) -> str:
        """What the opinion is about, for lists: its first line, cut short (citizens write no title, and a code
        alone tells a reader nothing)."""
        first = next((line.strip() for line in self.content.splitlines() if line.strip()), "")
        return first if len(first) <= self.SUBJECT_LENGTH else first[: self.SUBJECT_LENGTH - 1] + "…"

    def deadline_label(self):
        """How a deadline list names the opinion: its code alone means nothing to the unit that must reply."""
        return _("Citizen opinion %(code)s (%(category)s)") % {
            "code": self.tracking_code,
            "category": self.get_category_display(),
        }

    def get_absolute_url(self):
        return reverse("liaison_stations:opinion", args=[self.pk])


class OpinionAttachment(models.Model):
    opinion = models.ForeignKey(CitizenOpinion, on_delete=models.CASCADE, related_name="attachments")
    # Stored under MEDIA_ROOT, which is never served directly; a view checks access first.
    file = models.FileField(_("file"), upload_to="opinions/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class DeputyQrCode(TimeStamped):
    """A deputy's public QR page where citizens leave opinions for them."""

    mandate = models.OneToOneField(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="qr_code")
    token = models.CharField(max_length=12, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("deputy QR code")
        verbose_name_plural = _("deputy QR codes")

    def __str__(self):
        return self.token


class RatingCriterion(TimeStamped):
    """One item of a congress's star-rating checklist, with its weight."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("criterion"), max_length=150)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("star-rating criterion")
        verbose_name_plural = _("star-rating criteria")
        ordering = ["congress", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="criterion_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"),
        ]

    def __str__(self):
        return self.name


class StarRating(TimeStamped):
    """A station's yearly evaluation (星级评定): weighted score out of 100 and the stars it gives."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    stars = models.PositiveSmallIntegerField(_("stars"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["station", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="star_rating_once_a_year"),
            models.CheckConstraint(condition=Q(stars__gte=0, stars__lte=5), name="star_rating_stars_range"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="star_rating_score_range"),
        ]

    def __str__(self):
        return f"{self.station} {self.year}: {'★' * self.stars}"


class CriterionScore(models.Model):
    rating = models.ForeignKey(StarRating, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RatingCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT)
    weight = models.PositiveSmallIntegerField(_("weight"))  # as it was when scored
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="criterion_scored_once"),
            models.CheckConstraint(condition=Q(score__lte=100), name="criterion_score_range"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


def audited_models():
    return [
        (Station, {"m2m_fields": {"managers"}}),
        (Stationing, {}),
        (Reception, {"m2m_fields": {"deputies"}}),
        (Visit, {}),
        (Attendance, {}),
        (
            CitizenOpinion,
            {
                "mask_fields": ["phone"],
                "mask_callable": "congress.crypto.audit_mask",
                "exclude_fields": ["submission_key", "phone_hash", "phone_tail", "terms", "repeat_score"],
            },
        ),
        (DeputyQrCode, {}),
        (RatingCriterion, {}),
        (StarRating, {}),
    ]


class StationHonour(models.Model):
    """An honour on a station's star record, such as being chosen a demonstration station in a case selection;
    ``source`` names what gave it, so the same selection never records it twice."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="honours")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("honour"), max_length=300)
    awarded_on = models.DateField(_("awarded on"))
    source = models.CharField(_("source"), max_length=100, unique=True)
    link = models.CharField(_("link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("station honour")
        verbose_name_plural = _("station honours")
        ordering = ["station", "-awarded_on", "-pk"]

    def __str__(self):
        return f"{self.station} {self.year}: {self.title}"
