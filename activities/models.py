"""Deputies' activities between sessions (闭会期间活动): inspections, research, law-enforcement checks, topical
inquiries, appraisals, group activities, organised by a congress body, a deputy group or a station, and possibly
with other congresses (joint activities across regions). Deputies are invited, accept or decline, and check in at
each sitting; their attendance writes their duty record.

The activity's and the invitation's state machines are in workflow.py; every write goes through services.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.crypto import DerivedCharField, EncryptedCharField, phone_index
from congress.models import Congress, Organisation, TimeStamped
from congress.tokens import new_token
from deputies.models import DeputyGroup, DutyKind, Mandate, Person
from deputies.validators import validate_mobile
from liaison_stations.models import Station


def new_checkin_code() -> str:
    """A short code a deputy types at the sitting (no look-alike characters, like training's)."""
    return new_token(6)


class ActivityKind(models.Model):
    """A kind of activity (视察, 调研, 执法检查 …): a code list staff extend, like the other code lists. Each kind
    names the duty item that attending such an activity writes into the deputy's duty record."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    duty_kind = models.ForeignKey(
        DutyKind, verbose_name=_("duty item"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The duty record item a deputy present at such an activity earns; empty: none."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("activity status", "planned")
    INVITING = "inviting", pgettext_lazy("activity status", "invitations sent")
    UNDER_WAY = "under_way", pgettext_lazy("activity status", "under way")
    REPORTED = "reported", pgettext_lazy("activity status", "report submitted")
    CLOSED = "closed", pgettext_lazy("activity status", "closed")


class Activity(TimeStamped):
    """One activity of deputies, organised by a body of a congress (or a deputy group, or a station), possibly
    with co-organising congresses whose staff invite their own deputies."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("organising congress"), on_delete=models.PROTECT, related_name="+"
    )
    # The congress's division code, copied so "this region and below" is an indexed prefix match.
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    kind = models.ForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True, help_text=_("The yearly focus it serves."))
    description = models.TextField(_("description"), max_length=10000, blank=True)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("organising body"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("The standing committee, special committee or working body."),
    )  # fmt: skip
    organiser_group = models.ForeignKey(
        DeputyGroup, verbose_name=_("organising deputy group"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    organiser_station = models.ForeignKey(
        Station, verbose_name=_("organising station"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    co_congresses = models.ManyToManyField(
        Congress, verbose_name=_("co-organising congresses"), blank=True, related_name="+",
        help_text=_("For a joint activity across regions: their staff invite their own deputies."),
    )  # fmt: skip
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    places = models.CharField(_("places visited"), max_length=500, blank=True, help_text=_("Where it goes."))
    capacity = models.PositiveIntegerField(_("places for deputies"))
    taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED, editable=False
    )
    report = models.TextField(_("report"), max_length=50000, blank=True, editable=False)
    report_submitted_at = models.DateTimeField(_("report submitted at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = pgettext_lazy("deputies' activity", "activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActivityStatus.values), name="activity_status_valid"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")),
                name="activity_not_overfilled",
                violation_error_message=_("More places are taken than the activity has."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activity_dates_ordered",
                violation_error_message=_("An activity must not end before it starts."),
            ),
            # One organiser: a body, a deputy group or a station (none: the congress itself).
            models.CheckConstraint(
                condition=Q(organiser__isnull=True, organiser_group__isnull=True)
                | Q(organiser__isnull=True, organiser_station__isnull=True)
                | Q(organiser_group__isnull=True, organiser_station__isnull=True),
                name="activity_one_organiser",
                violation_error_message=_("Name one organiser: a body, a deputy group or a station."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_code", "status"],
                name="activity_region",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            ),
            models.Index(fields=["congress", "starts_on"], name="activity_congress"),
            models.Index(fields=["updated_at", "id"], name="activity_updated"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.congress_id and not self.region_code:
            self.region_code = self.congress.region.code
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("activities:activity", args=[self.pk])

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def organised_by(self):
        return self.organiser or self.organiser_group or self.organiser_station or self.congress

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("An activity must not end before it starts.")
        if sum(1 for o in (self.organiser_id, self.organiser_group_id, self.organiser_station_id) if o) > 1:
            errors["organiser"] = _("Name one organiser: a body, a deputy group or a station.")
        if self.congress_id:
            if self.organiser_id and self.organiser.congress_id != self.congress_id:
                errors["organiser"] = _("Choose a body of the organising congress.")
            if self.organiser_group_id and self.organiser_group.congress_id != self.congress_id:
                errors["organiser_group"] = _("Choose a deputy group of the organising congress.")
            if self.organiser_station_id and self.organiser_station.congress_id != self.congress_id:
                errors["organiser_station"] = _("Choose a station of the organising congress.")
        if errors:
            raise ValidationError(errors)


class Material(TimeStamped):
    """A file or a link handed out for an activity (a briefing, a route, a questionnaire)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=pgettext_lazy("deputies' activity", "activity"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="activities/materials/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("activity material")
        verbose_name_plural = _("activity materials")
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="activity_material_file_or_link",
                violation_error_message=_("Give either a file or a link."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))


class Sitting(TimeStamped):
    """One part of an activity (a morning's visit, a hearing) where attendance is taken."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=pgettext_lazy("deputies' activity", "activity"),
        on_delete=models.CASCADE,
        related_name="sittings",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    checkin_code = models.CharField(
        _("check-in code"), max_length=12, unique=True, default=new_checkin_code, editable=False
    )

    class Meta:
        verbose_name = _("activity sitting")
        verbose_name_plural = _("activity sittings")
        ordering = ["activity", "starts_at", "number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="activity_sitting_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_sitting_ends_after_start",
                violation_error_message=_("A sitting must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="activity_sitting_start")]

    def __str__(self):
        return _("%(activity)s, sitting %(number)s") % {"activity": self.activity, "number": self.number}

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A sitting must end after it starts.")})


class InvitationStatus(models.TextChoices):
    INVITED = "invited", pgettext_lazy("invitation status", "invited, to answer")
    ACCEPTED = "accepted", pgettext_lazy("invitation status", "accepted")
    WAITLISTED = "waitlisted", pgettext_lazy("invitation status", "on the waiting list")
    DECLINED = "declined", pgettext_lazy("invitation status", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("invitation status", "withdrawn by the office")


class Invitation(TimeStamped):
    """A deputy's invitation to an activity, under one of their mandates; a deputy is invited once."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=pgettext_lazy("deputies' activity", "activity"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="activity_invitations"
    )
    # The mandate's person, copied so "invited once" holds for a deputy with mandates in several congresses.
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the deputy was told of the invitation (invitations made while the activity is planned are told when they
    # go out): the unanswered-invitation reminder counts from here.
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True, editable=False)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InvitationStatus.values), name="activity_invitation_status"),
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="activity_invitation_once",
                violation_error_message=_("The deputy is already invited to this activity."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="activity_invitation_waitlist_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="activity_invitation_decline_has_reason",
                violation_error_message=_("Say why the invitation is declined."),
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "waitlisted_at"], name="activity_invitation_activity"),
            models.Index(fields=["mandate", "status"], name="activity_invitation_mandate"),
            models.Index(fields=["updated_at", "id"], name="activity_invitation_updated"),
        ]

    def __str__(self):
        return f"{self.mandate.person} · {self.activity}"

    def get_absolute_url(self):
        return reverse("activities:mine")


class ParticipantKind(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    EXPERT = "expert", _("expert")
    OTHER = "other", _("other participant")


class ExpertAnswer(models.TextChoices):
    INVITED = "invited", pgettext_lazy("expert's answer", "invited, to answer")
    ACCEPTED = "accepted", pgettext_lazy("expert's answer", "accepted")
    DECLINED = "declined", pgettext_lazy("expert's answer", "declined")


class ExpertPool(models.Model):
    """A congress's pool of experts (法律专家库, 财经专家库 …): a code list its staff extend."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("expert pool")
        verbose_name_plural = _("expert pools")
        ordering = ["congress", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "code"], name="expert_pool_code_unique",
                violation_error_message=_("The congress already has a pool with this code."),
            ),
            models.UniqueConstraint(
                fields=["congress", "name"], name="expert_pool_name_unique",
                violation_error_message=_("The congress already has a pool with this name."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name


EXPERTISE_SEPARATOR = "、"


class Expert(TimeStamped):
    """A non-deputy expert of a congress's pools, whom its staff invite to activities. Their phone and e-mail are
    personal data: stored encrypted (congress.crypto), shown masked, revealed only with an access record. An expert
    who leaves the pool is archived, never deleted: the activities they took part in keep naming them."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    pools = models.ManyToManyField(ExpertPool, verbose_name=_("expert pools"), related_name="experts")
    name = models.CharField(_("full name"), max_length=50)
    expertise = models.CharField(
        _("fields of expertise"), max_length=300,
        help_text=_("Separated by 、 or commas, e.g. 行政法、环境资源法."),
    )  # fmt: skip
    title = models.CharField(_("title or position"), max_length=100, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=200, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True, validators=[validate_mobile])
    # Keeps one expert per phone in a congress's pools, the phone itself unreadable in the database.
    phone_hash = DerivedCharField(max_length=64, source="phone", derive=phone_index)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True, validators=[EmailValidator()])
    available = models.BooleanField(_("available for invitations"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "phone_hash"], condition=~Q(phone_hash=""), name="expert_phone_once",
                violation_error_message=_("An expert with this phone is already in the congress's pools."),
            ),
            models.CheckConstraint(condition=~Q(expertise=""), name="expert_has_expertise"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["congress", "archived_at", "name"], name="expert_congress"),
            models.Index(fields=["updated_at", "id"], name="expert_updated"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:expert", args=[self.pk])

    def validate_unique(self, exclude=None):
        # The phone's uniqueness is checked by the service, on the number the user typed in.
        super().validate_unique(exclude={*(exclude or ()), "phone_hash"})

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def fields_of_expertise(self) -> list[str]:
        return split_expertise(self.expertise)


def split_expertise(text: str) -> list[str]:
    """The fields of expertise typed as one line, separated by 、 , ， ; or ；."""
    for separator in (",", "，", ";", "；", "\n"):
        text = (text or "").replace(separator, EXPERTISE_SEPARATOR)
    return [part.strip() for part in text.split(EXPERTISE_SEPARATOR) if part.strip()]


class Participant(TimeStamped):
    """A citizen, expert or other person taking part who is not a deputy (recorded by the office). An expert of the
    pool is invited once per activity; having no account, their answer is recorded by the office."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=pgettext_lazy("deputies' activity", "activity"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ParticipantKind.choices)
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(_("work unit or field"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="participations", editable=False,
    )  # fmt: skip
    answer = models.CharField(
        _("expert's answer"), max_length=10, choices=ExpertAnswer.choices, blank=True, editable=False
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    told_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True, editable=False)
    emailed_at = models.DateTimeField(_("invitation e-mailed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("non-deputy participant")
        verbose_name_plural = _("non-deputy participants")
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ParticipantKind.values), name="activity_participant_kind"),
            models.UniqueConstraint(
                fields=["activity", "expert"], condition=Q(expert__isnull=False), name="activity_expert_once",
                violation_error_message=_("The expert is already invited to this activity."),
            ),
            models.CheckConstraint(
                condition=Q(expert__isnull=True, answer="")
                | Q(expert__isnull=False, kind="expert", answer__in=ExpertAnswer.values),
                name="activity_participant_expert_answer",
            ),
            models.CheckConstraint(
                condition=~Q(answer="declined") | ~Q(decline_reason=""),
                name="activity_participant_decline_reason",
                violation_error_message=_("Say why the invitation is declined."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def clean(self):
        if self.expert_id and self.kind != ParticipantKind.EXPERT:
            raise ValidationError({"kind": _("An expert invited from the pool stays an expert.")})


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    LEAVE = "leave", _("absent with leave")
    ABSENT = "absent", _("absent without leave")


class Channel(models.TextChoices):
    STAFF = "staff", _("recorded by the office")
    CODE = "code", _("check-in code")
    LINK = "link", _("check-in link")


class Attendance(TimeStamped):
    """Whether an invited deputy attended one sitting; once the activity is closed it changes only by a
    recorded correction."""

    sitting = models.ForeignKey(Sitting, verbose_name=_("sitting"), on_delete=models.PROTECT, related_name="attendance")
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    channel = models.CharField(_("recorded through"), max_length=10, choices=Channel.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("activity attendance")
        verbose_name_plural = _("activity attendance")
        ordering = ["sitting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "invitation"], name="activity_attendance_once"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="activity_attendance_status"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="activity_attendance_channel"),
        ]
        indexes = [
            models.Index(fields=["invitation", "status"], name="activity_attendance_invitation"),
            models.Index(fields=["updated_at", "id"], name="activity_attendance_updated"),
        ]

    def __str__(self):
        return f"{self.sitting} · {self.get_status_display()}"


class Correction(models.Model):
    """A change to a closed activity's attendance: who changed what, when and why (the only way to change it)."""

    attendance = models.ForeignKey(
        Attendance, verbose_name=_("attendance"), on_delete=models.PROTECT, related_name="corrections"
    )
    before = models.CharField(_("before"), max_length=10, choices=AttendanceStatus.choices, blank=True)
    after = models.CharField(_("after"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=500)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["attendance", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="activity_correction_has_reason"),
            models.CheckConstraint(condition=~Q(before=F("after")), name="activity_correction_changes"),
        ]

    def __str__(self):
        return f"{self.attendance}: {self.before} → {self.after}"


class Finding(TimeStamped):
    """A numbered finding of an activity's report (调研报告); what became of it is its outcome."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=pgettext_lazy("deputies' activity", "activity"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("finding"), max_length=5000)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["activity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="activity_finding_number_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="activity_finding_has_text"),
        ]

    def __str__(self):
        return _("%(activity)s, finding %(number)s") % {"activity": self.activity, "number": self.number}

    def get_absolute_url(self):
        return reverse("activities:activity", args=[self.activity_id]) + f"#finding-{self.number}"


class OutcomeKind(models.TextChoices):
    DRAFT = "draft", _("suggestion draft for the participants")
    REFERRAL = "referral", _("referred to a unit")


class FindingOutcome(TimeStamped):
    """What a finding became, once: a suggestion draft the participating deputies co-sign, or a referral to a
    handling unit with a deadline in working days (the one-to-one link keeps a finding from being taken up twice)."""

    finding = models.OneToOneField(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        related_name="outcome",
        error_messages={"unique": _("This finding has already been taken up.")},
    )
    kind = models.CharField(_("outcome"), max_length=10, choices=OutcomeKind.choices)
    suggestion = models.OneToOneField(
        "suggestions.Suggestion", verbose_name=_("suggestion"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    unit = models.ForeignKey(
        Organisation, verbose_name=_("handling unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    workdays = models.PositiveSmallIntegerField(_("working days to answer"), null=True, blank=True)
    answer = models.TextField(_("the unit's answer"), max_length=10000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("outcome of a finding")
        verbose_name_plural = _("outcomes of findings")
        ordering = ["finding", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="draft", suggestion__isnull=False, unit__isnull=True, due_on__isnull=True)
                | Q(
                    kind="referral",
                    suggestion__isnull=True,
                    unit__isnull=False,
                    referred_on__isnull=False,
                    due_on__isnull=False,
                    workdays__isnull=False,
                ),
                name="activity_finding_outcome_shape",
                violation_error_message=_("A finding becomes either a suggestion draft or a referral to a unit."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(kind="referral"),
                name="activity_finding_answer_referral",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="activity_finding_outcome_upd")]

    # What a deadline list reads of it (congress.deadlines.subjects_prefetch).
    deadline_label_related = ("finding__activity", "unit")

    def __str__(self):
        return f"{self.finding} → {self.get_kind_display()}"

    def deadline_label(self) -> str:
        return str(self.finding)

    def get_absolute_url(self):
        return self.finding.get_absolute_url()

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def overdue(self, today) -> bool:
        return self.kind == OutcomeKind.REFERRAL and not self.answered and self.due_on < today


def audited_models():
    return [
        (ActivityKind, {}),
        (Activity, {"m2m_fields": {"co_congresses"}}),
        (Material, {}),
        (Sitting, {}),
        (Invitation, {}),
        (Participant, {}),
        (ExpertPool, {}),
        (
            Expert,
            {
                "mask_fields": ["phone", "email"],
                "mask_callable": "congress.crypto.audit_mask",
                "exclude_fields": ["phone_hash"],
                "m2m_fields": {"pools"},
            },
        ),
        (Attendance, {}),
        (Finding, {}),
        (FindingOutcome, {}),
    ]


REPORT_TO_VOTERS = "report_to_voters"  # the activity kind of a report to voters (activities/reference.py)


class VoterReport(TimeStamped):
    """A deputy's report to voters (代表向选民述职) at a report-to-voters activity: what they reported and the voters'
    appraisal as counted at the meeting (满意 / 基本满意 / 不满意). A mandate belongs to one term, so its reports
    are its term's: the coverage page counts them against the policy's number per term."""

    activity = models.ForeignKey(
        Activity, verbose_name=pgettext_lazy("deputies' activity", "activity"), on_delete=models.CASCADE,
        related_name="voter_reports",
    )  # fmt: skip
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="voter_reports"
    )
    text = models.TextField(_("report to voters"), max_length=30000)
    voters = models.PositiveIntegerField(_("voters present"))
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("report to voters")
        verbose_name_plural = _("reports to voters")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "mandate"], name="voter_report_once"),
            models.CheckConstraint(
                condition=Q(voters__gte=F("satisfied") + F("basically_satisfied") + F("dissatisfied")),
                name="voter_report_appraisals_within_voters",
                violation_error_message=_("More appraisals are counted than voters were present."),
            ),
        ]
        indexes = [models.Index(fields=["mandate"], name="voter_report_mandate")]

    def __str__(self):
        return f"{self.mandate.person} · {self.activity}"

    @property
    def appraised(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def approval(self):
        """满意 and 基本满意 among those who appraised, in percent (None before any appraisal)."""
        if not self.appraised:
            return None
        return round(100 * (self.satisfied + self.basically_satisfied) / self.appraised, 1)
