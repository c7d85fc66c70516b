"""Deputy training (代表学习培训): five-year and annual plans with goals, courses with sittings and materials,
enrolments by nomination (点名) or sign-up (报名) with a waiting list, and attendance per sitting.

The enrolment state machine is in workflow.py; every write goes through services.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.models import Congress, Level, Organisation, Term, TimeStamped
from congress.tokens import new_token
from deputies.models import DeputyGroup, Mandate


def new_checkin_code() -> str:
    """A short code a deputy types at the sitting (no look-alike characters, like the stations' codes)."""
    return new_token(6)


class PlanKind(models.TextChoices):
    FIVE_YEAR = "five_year", _("five-year plan")
    ANNUAL = "annual", _("annual plan")


class Plan(TimeStamped):
    """A training plan of a congress's term: one five-year plan and an annual plan under it each year."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("five-year plan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="annual_plans", help_text=_("The five-year plan an annual plan belongs to."),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("Annual plans only."))
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"), blank=True)
    end_date = models.DateField(_("end date"), blank=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["congress", "-start_date", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlanKind.values), name="training_plan_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="annual", year__isnull=False, parent__isnull=False)
                | Q(kind="five_year", year__isnull=True, parent__isnull=True),
                name="training_plan_shape",
                violation_error_message=_(
                    "An annual plan has a year and a five-year plan; a five-year plan has neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="training_plan_dates_ordered",
                violation_error_message=_("A plan must not end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["term"], condition=Q(kind="five_year"), name="training_plan_one_five_year_per_term"
            ),
            models.UniqueConstraint(
                fields=["term", "year"], condition=Q(kind="annual"), name="training_plan_one_annual_per_year"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:coverage", args=[self.pk])

    def clean(self):
        errors = {}
        if self.term_id and self.congress_id and self.term.congress_id != self.congress_id:
            errors["term"] = _("The term belongs to another congress.")
        if self.kind == PlanKind.ANNUAL:
            if not self.year:
                errors["year"] = _("An annual plan is for one year.")
            if not self.parent_id:
                errors["parent"] = _("Choose the five-year plan this annual plan belongs to.")
            elif self.parent.kind != PlanKind.FIVE_YEAR or self.parent.term_id != self.term_id:
                errors["parent"] = _("Choose the five-year plan of the same term.")
        else:
            self.year, self.parent = None, None
        if errors:
            raise ValidationError(errors)
        if self.kind == PlanKind.ANNUAL and self.term_id:
            from datetime import date

            self.start_date = self.start_date or max(date(self.year, 1, 1), self.term.start_date)
            self.end_date = self.end_date or min(date(self.year, 12, 31), self.term.end_date)
        elif self.term_id:
            self.start_date = self.start_date or self.term.start_date
            self.end_date = self.end_date or self.term.end_date
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A plan must not end before it starts.")})


class GoalKind(models.TextChoices):
    INDUCTION = "induction", _("new deputies attend induction within their first months")
    TRAINED = "trained", _("deputies trained at least a number of times in the plan period")


class CourseKind(models.TextChoices):
    INDUCTION = "induction", _("induction")
    DUTY = "duty", _("duty training")
    THEMATIC = "thematic", _("thematic study")


class Goal(TimeStamped):
    """A coverage target of a plan, e.g. "every new deputy attends induction in their first year" (100%)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind"), max_length=10, choices=GoalKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Shown on the coverage page."))
    target_percent = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2, default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    min_courses = models.PositiveSmallIntegerField(
        _("courses at least"), default=1, help_text=_("How many courses each deputy attends (at least one sitting).")
    )
    within_months = models.PositiveSmallIntegerField(
        _("within months of taking their seat"), default=12, help_text=_("Induction goals only.")
    )
    level = models.CharField(
        _("deputies of level"), max_length=10, choices=Level.choices, blank=True,
        help_text=_("Empty: the deputies of the plan's own congress; a level: the deputies of that level in the "
                    "congress's region and below."),
    )  # fmt: skip
    grassroots_only = models.BooleanField(_("grassroots deputies only"), default=False)
    course_kind = models.CharField(
        _("counting courses of kind"), max_length=10, choices=CourseKind.choices, blank=True,
        help_text=_("Empty: any course counts. Induction goals count induction courses."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=GoalKind.values), name="training_goal_kind_valid"),
            models.CheckConstraint(
                condition=Q(target_percent__gte=0, target_percent__lte=100), name="training_goal_target_range"
            ),
            models.CheckConstraint(condition=Q(min_courses__gte=1), name="training_goal_min_courses_positive"),
            models.CheckConstraint(condition=Q(within_months__gte=1), name="training_goal_within_positive"),
            models.CheckConstraint(condition=Q(level="") | Q(level__in=Level.values), name="training_goal_level_valid"),
            models.CheckConstraint(
                condition=Q(course_kind="") | Q(course_kind__in=CourseKind.values), name="training_goal_course_kind"
            ),
        ]

    def __str__(self):
        return self.title or str(self.get_kind_display())

    @property
    def counted_kind(self) -> str:
        return CourseKind.INDUCTION if self.kind == GoalKind.INDUCTION else self.course_kind


class Mode(models.TextChoices):
    OFFLINE = "offline", _("offline")
    ONLINE = "online", _("online")
    MIXED = "mixed", _("offline and online")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("course status", "draft")
    PUBLISHED = "published", pgettext_lazy("course status", "published")
    CANCELLED = "cancelled", pgettext_lazy("course status", "cancelled")


class Course(TimeStamped):
    """A training course (培训班) organised by a congress, held in one or more sittings."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    # The congress's division code, copied so "this region and below" is an indexed prefix match.
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=CourseKind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The committee or working body running the course."),
    )  # fmt: skip
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    hours_per_sitting = models.DecimalField(_("credit hours per sitting"), max_digits=4, decimal_places=1, default=3)
    self_enrolment = models.BooleanField(_("open to sign-up"), default=True, help_text=_("Deputies may sign up."))
    sign_up_until = models.DateField(_("sign-up closes on"), null=True, blank=True)
    audience_levels = models.JSONField(
        _("levels"), default=list, blank=True, help_text=_("Empty: deputies of every level in the region.")
    )
    audience_regions = models.JSONField(
        _("regions"), default=list, blank=True, help_text=_("Division codes; empty: the whole region.")
    )
    audience_groups = models.ManyToManyField(
        DeputyGroup, verbose_name=_("deputy groups"), blank=True, related_name="+",
        help_text=_("Empty: any group."),
    )  # fmt: skip
    new_deputies_only = models.BooleanField(_("new deputies only"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT)
    # The first and last days of its sittings, kept here so lists sort and split past from coming courses.
    starts_on = models.DateField(_("first day"), null=True, blank=True, editable=False)
    ends_on = models.DateField(_("last day"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CourseKind.values), name="training_course_kind_valid"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="training_course_mode_valid"),
            models.CheckConstraint(condition=Q(status__in=CourseStatus.values), name="training_course_status_valid"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_course_capacity_positive"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")),
                name="training_course_not_overfilled",
                violation_error_message=_("More places are taken than the course has."),
            ),
            models.CheckConstraint(condition=Q(hours_per_sitting__gt=0), name="training_course_hours_positive"),
        ]
        indexes = [
            models.Index(
                fields=["region_code", "status"],
                name="training_course_region",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            ),
            models.Index(fields=["congress", "starts_on"], name="training_course_congress"),
            models.Index(fields=["updated_at", "id"], name="training_course_updated"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.congress_id and not self.region_code:
            self.region_code = self.congress.region.code
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("training:course", args=[self.pk])

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    def clean(self):
        errors = {}
        if self.plan_id and self.congress_id and self.plan.congress_id != self.congress_id:
            errors["plan"] = _("Choose a plan of the same congress.")
        if self.organiser_id and self.congress_id and self.organiser.congress_id not in (None, self.congress_id):
            errors["organiser"] = _("Choose a body of the same congress.")
        if self.mode in (Mode.ONLINE, Mode.MIXED) and not self.link:
            errors["link"] = _("An online or mixed course needs its online link.")
        if self.mode in (Mode.OFFLINE, Mode.MIXED) and not self.place:
            errors["place"] = _("An offline or mixed course needs its place.")
        levels = self.audience_levels or []
        if not isinstance(levels, list) or any(level not in Level.values for level in levels):
            errors["audience_levels"] = _("Choose levels from the list.")
        regions = self.audience_regions or []
        code = self.congress.region.code if self.congress_id else ""
        if not isinstance(regions, list) or any(not str(r).startswith(code) for r in regions):
            errors["audience_regions"] = _("Choose regions within the congress's own region.")
        if errors:
            raise ValidationError(errors)


class Material(TimeStamped):
    """A file or a link handed out for a course."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="training/materials/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["course", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="training_material_file_or_link",
                violation_error_message=_("Give either a file or a link."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))


class Sitting(TimeStamped):
    """One session of a course (a half-day or a day) where attendance is taken."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sittings")
    number = models.PositiveSmallIntegerField(_("number"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Empty: the course's place."))
    checkin_code = models.CharField(
        _("check-in code"), max_length=12, unique=True, default=new_checkin_code, editable=False
    )

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["course", "starts_at", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="training_sitting_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="training_sitting_ends_after_start",
                violation_error_message=_("A sitting must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="training_sitting_start")]

    def __str__(self):
        return _("%(course)s, sitting %(number)s") % {"course": self.course, "number": self.number}

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A sitting must end after it starts.")})


class Origin(models.TextChoices):
    NOMINATED = "nominated", _("nominated by the office")
    SELF = "self", _("signed up")


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", pgettext_lazy("enrolment status", "nominated, to confirm")
    SIGNED_UP = "signed_up", pgettext_lazy("enrolment status", "signed up, awaiting the office")
    CONFIRMED = "confirmed", pgettext_lazy("enrolment status", "confirmed")
    WAITLISTED = "waitlisted", pgettext_lazy("enrolment status", "on the waiting list")
    DECLINED = "declined", pgettext_lazy("enrolment status", "declined by the deputy")
    REFUSED = "refused", pgettext_lazy("enrolment status", "refused by the office")
    CANCELLED = "cancelled", pgettext_lazy("enrolment status", "cancelled")


# A deputy holds one of the course's places in these states; waitlisted ones wait for a freed place.
HOLDING = [EnrolmentStatus.NOMINATED, EnrolmentStatus.SIGNED_UP, EnrolmentStatus.CONFIRMED]
LIVE = [*HOLDING, EnrolmentStatus.WAITLISTED]


class Enrolment(TimeStamped):
    """A deputy's place on a course, under one of their mandates."""

    # What a deadline list reads to name an enrolment (congress.deadlines.subjects_prefetch).
    deadline_label_related = ("mandate__person", "course")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments")
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="training_enrolments"
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=500, blank=True)
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=1, default=0, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="training_enrolment_origin_valid"),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values), name="training_enrolment_status_valid"
            ),
            models.UniqueConstraint(
                fields=["course", "mandate"],
                condition=Q(status__in=LIVE),
                name="training_enrolment_once",
                violation_error_message=_("The deputy is already enrolled in this course."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="training_enrolment_waitlist_ordered",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="training_enrolment_hours_not_negative"),
        ]
        indexes = [
            models.Index(fields=["course", "status", "waitlisted_at"], name="training_enrolment_course"),
            models.Index(fields=["mandate", "status"], name="training_enrolment_mandate"),
            models.Index(fields=["updated_at", "id"], name="training_enrolment_updated"),
        ]

    def __str__(self):
        return f"{self.mandate.person} · {self.course}"

    def get_absolute_url(self):
        return reverse("training:mine")

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDING


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    LEAVE = "leave", _("absent with leave")
    ABSENT = "absent", _("absent without leave")


class Channel(models.TextChoices):
    STAFF = "staff", _("recorded by the office")
    CODE = "code", _("check-in code")
    LINK = "link", _("check-in link")


class Attendance(TimeStamped):
    """Whether an enrolled deputy attended one sitting; a present deputy earns the course's credit hours."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("sitting"), on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    channel = models.CharField(_("recorded through"), max_length=10, choices=Channel.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    hours = models.DecimalField(_("credit hours"), max_digits=4, decimal_places=1, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["sitting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "enrolment"], name="training_attendance_once"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="training_attendance_status_valid"
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="training_attendance_channel_valid"),
            models.CheckConstraint(
                condition=(Q(status="present") & Q(hours__gt=0)) | (~Q(status="present") & Q(hours=0)),
                name="training_attendance_hours_only_present",
            ),
        ]
        indexes = [
            models.Index(fields=["enrolment", "status"], name="training_attendance_enrolment"),
            models.Index(fields=["updated_at", "id"], name="training_attendance_updated"),
        ]

    def __str__(self):
        return f"{self.sitting} · {self.get_status_display()}"


def audited_models():
    return [
        (Plan, {}),
        (Goal, {}),
        (Course, {"m2m_fields": {"audience_groups"}}),
        (Material, {}),
        (Sitting, {}),
        (Enrolment, {}),
        (Attendance, {}),
    ]
