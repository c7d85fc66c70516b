"""The roster: persons and their mandates (代表资格) in congresses and terms, with delegations, deputy
groups and electoral units; committee members' contact duty; guest attendance; duty records and points."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.crypto import DerivedCharField, EncryptedCharField, id_number_index
from congress.models import Congress, Level, Region, Session, Term, TimeStamped
from congress.softdelete import Archivable

from . import idnumbers
from .validators import validate_mobile


class CodeList(models.Model):
    """A standard code list that staff keep (codes and labels as in the national standards)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class EthnicGroup(CodeList):
    """民族 (GB 3304)."""

    class Meta(CodeList.Meta):
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")


class Party(CodeList):
    """政治面貌 (GB/T 4762)."""

    class Meta(CodeList.Meta):
        verbose_name = _("political affiliation")
        verbose_name_plural = _("political affiliations")


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class ContactChannel(models.TextChoices):
    """How a deputy prefers handling units and the office to reach them."""

    PHONE = "phone", _("phone call")
    SMS = "sms", _("text message")
    WECHAT = "wechat", _("WeChat (same number)")
    EMAIL = "email", _("e-mail")
    OFFICE = "office", _("through the congress office")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("postgraduate")
    UNDERGRADUATE = "undergraduate", _("university")
    COLLEGE = "college", _("college")
    SECONDARY = "secondary", _("secondary school")
    PRIMARY = "primary", _("junior school or below")


class Occupation(models.TextChoices):
    WORKER_FARMER = "worker_farmer", _("front-line workers and farmers")
    PROFESSIONAL = "professional", _("professional and technical staff")
    CADRE = "cadre", _("Party and government cadres")
    MANAGER = "manager", _("enterprise managers")
    MILITARY = "military", _("military")
    OTHER = "other", _("others")


class Tag(models.Model):
    """An expertise or industry label used to pick deputies for an activity."""

    class Kind(models.TextChoices):
        EXPERTISE = "expertise", _("expertise")
        INDUSTRY = "industry", _("industry")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="tag_unique")]

    def __str__(self):
        return self.name


class Person(TimeStamped):
    """A deputy as a person; their seats are mandates."""

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnic_group = models.ForeignKey(EthnicGroup, verbose_name=_("ethnic group"), on_delete=models.PROTECT)
    birth_date = models.DateField(_("birth date"))
    # Encrypted at rest (congress.crypto); looked up and kept unique through its keyed hash.
    id_number = EncryptedCharField(_("ID number"), max_length=18)
    id_number_hash = DerivedCharField(max_length=64, unique=True, source="id_number", derive=id_number_index)
    party = models.ForeignKey(Party, verbose_name=_("political affiliation"), on_delete=models.PROTECT)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    occupation = models.CharField(_("occupation category"), max_length=20, choices=Occupation.choices)
    work_unit = models.CharField(_("work unit and title"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("expertise and industry"), blank=True, related_name="persons")
    grassroots = models.BooleanField(_("grassroots deputy"), default=False)
    returned_overseas = models.BooleanField(_("returned overseas Chinese"), default=False)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True, validators=[validate_mobile])
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactChannel.choices, blank=True,
        help_text=_("How handling units should reach the deputy about a suggestion."),
    )  # fmt: skip
    contact_note = models.CharField(
        _("contact note"), max_length=100, blank=True, help_text=_("e.g. weekdays after 18:00")
    )
    photo = models.FileField(_("photo"), upload_to="deputies/photos/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name", "id"]
        permissions = [("view_personal_data", _("Can see unmasked ID numbers and phones"))]
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="person_gender_valid"),
            models.CheckConstraint(condition=Q(education__in=Education.values), name="person_education_valid"),
            models.CheckConstraint(condition=Q(occupation__in=Occupation.values), name="person_occupation_valid"),
            models.CheckConstraint(
                condition=Q(preferred_contact="") | Q(preferred_contact__in=ContactChannel.values),
                name="person_preferred_contact_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def validate_unique(self, exclude=None):
        # The ID number's uniqueness is checked by clean(), on the field the user typed in.
        super().validate_unique(exclude={*(exclude or ()), "id_number_hash"})

    def clean(self):
        try:
            self.id_number = idnumbers.normalise(self.id_number)
        except ValueError as exc:
            raise ValidationError({"id_number": str(exc)}) from exc
        self.id_number_hash = id_number_index(self.id_number)
        errors = {}
        if Person.objects.filter(id_number_hash=self.id_number_hash).exclude(pk=self.pk).exists():
            errors["id_number"] = _("A deputy with this ID number is already in the roster.")
        if self.birth_date and idnumbers.birth_date(self.id_number) != self.birth_date:
            errors["birth_date"] = _("The birth date does not match the ID number.")
        if self.gender and idnumbers.gender(self.id_number) != self.gender:
            errors["gender"] = _("The gender does not match the ID number.")
        if errors:
            raise ValidationError(errors)


class TermBody(Archivable, TimeStamped):
    """Something a congress sets up for one term, known by its name within the term; archived, never deleted."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="%(class)s_unique_in_term")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.term_id and self.congress_id and self.term.congress_id != self.congress_id:
            raise ValidationError({"term": _("The term belongs to another congress.")})


class ElectoralUnit(TermBody):
    """A constituency (选区, county and township) or an electoral unit (选举单位, higher levels)."""

    class Meta(TermBody.Meta):
        verbose_name = _("constituency or electoral unit")
        verbose_name_plural = _("constituencies and electoral units")


class Delegation(TermBody):
    """代表团: how deputies sit at a session."""

    class Meta(TermBody.Meta):
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")


class GroupKind(models.TextChoices):
    REGIONAL = "regional", _("regional deputy group")
    PROFESSIONAL = "professional", _("professional deputy group")
    WORKING = "working", _("working group")


class GroupRole(models.TextChoices):
    LEADER = "leader", _("group leader")
    DEPUTY_LEADER = "deputy_leader", _("deputy group leader")
    MEMBER = "member", _("group member")


class DeputyGroup(TermBody):
    """How deputies act between sessions: a regional deputy group (代表小组), a professional group (代表专业小组)
    with its field, or a working group (工作小组); a deputy may belong to several."""

    kind = models.CharField(_("kind"), max_length=12, choices=GroupKind.choices, default=GroupKind.REGIONAL)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT)
    remit = models.CharField(
        _("field or remit"),
        max_length=200,
        blank=True,
        help_text=_("For a professional group: e.g. 法制, 财经, 教科文卫."),
    )
    members = models.ManyToManyField(
        "Mandate", through="GroupMembership", verbose_name=_("members"), related_name="deputy_groups"
    )

    class Meta(TermBody.Meta):
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        constraints = [
            *TermBody.Meta.constraints,
            models.CheckConstraint(condition=Q(kind__in=GroupKind.values), name="deputygroup_kind_valid"),
        ]


class EndReason(models.TextChoices):
    MOVED_OUT = "moved_out", _("moved out of the administrative area")
    RESIGNED = "resigned", _("resignation accepted")
    ABSENT_TWICE = "absent_twice", _("missed two sessions without leave")
    RECALLED = "recalled", _("recalled")
    LOST_NATIONALITY = "lost_nationality", _("lost Chinese nationality")
    LOST_POLITICAL_RIGHTS = "lost_political_rights", _("sentenced to deprivation of political rights")
    LOST_CAPACITY = "lost_capacity", _("lost legal capacity")


class SuspensionReason(models.TextChoices):
    DETAINED = "detained", _("held in custody in a criminal case")
    SERVING_SENTENCE = "serving_sentence", _("serving a sentence without deprivation of political rights")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("mandate status", "active")
    SUSPENDED = "suspended", pgettext_lazy("mandate status", "suspended")
    ENDED = "ended", pgettext_lazy("mandate status", "ended")


class Mandate(TimeStamped):
    """A person's seat in one congress and term (代表资格)."""

    # Indexed with region_code (mandate_person_region) rather than alone.
    person = models.ForeignKey(
        Person, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="mandates", db_index=False
    )
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="mandates"
    )
    # The congress's division code on the mandate's own row, so scope (a prefix of it) is decided without joins:
    # the planner then knows how many mandates a client sees, and a sync walks the client's deputies by person
    # id in one index. A trigger (migration 0011) keeps it on every write path, COPY and bulk inserts included.
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="mandates")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, editable=False)
    electoral_unit = models.ForeignKey(
        ElectoralUnit, verbose_name=_("constituency or electoral unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), null=True, blank=True, on_delete=models.PROTECT
    )
    start_date = models.DateField(_("elected on"))
    status = models.CharField(_("status"), max_length=10, choices=MandateStatus.choices, default=MandateStatus.ACTIVE)
    end_date = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=30, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-term__start_date", "congress", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "congress", "term"],
                condition=~Q(status="ended"),
                name="mandate_one_live_per_term",
                violation_error_message=_("This person already holds a live mandate in this congress and term."),
            ),
            models.CheckConstraint(condition=Q(status__in=MandateStatus.values), name="mandate_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="ended") & Q(end_date__isnull=False) & ~Q(end_reason=""))
                | (~Q(status="ended") & Q(end_date__isnull=True) & Q(end_reason="")),
                name="mandate_end_recorded",
                violation_error_message=_("An ended mandate has an end date and reason; a live one has neither."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mandate_end_after_start",
                violation_error_message=_("A mandate cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "term", "status"], name="mandate_roster"),
            models.Index(fields=["level", "status"], name="mandate_level_status"),
            # A person's mandates, and a cursor's walk over the persons of a region subtree (index-only).
            models.Index(fields=["person", "region_code"], name="mandate_person_region"),
            models.Index(fields=["region_code"], name="mandate_region_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.congress} · {self.term.number}"

    @property
    def is_live(self) -> bool:
        return self.status != MandateStatus.ENDED

    @property
    def legacy_group_id(self) -> int | None:
        """What the API's deprecated `group` shows (one group per mandate, before groups were many): the first
        regional group, else the first group of any kind."""
        memberships = list(self.memberships.all())
        regional = [m for m in memberships if m.group.kind == GroupKind.REGIONAL]
        first = (regional or memberships or [None])[0]
        return first.group_id if first is not None else None

    @property
    def group_names(self) -> str:
        """The names of the mandate's deputy groups joined with 、 (lists prefetch `memberships__group`)."""
        return "、".join(membership.group.name for membership in self.memberships.all())

    def clean(self):
        errors = {}
        if self.term_id and self.congress_id and self.term.congress_id != self.congress_id:
            errors["term"] = _("The term belongs to another congress.")
        for field in ("electoral_unit", "delegation"):
            related = getattr(self, field)
            if related is not None and self.term_id and related.term_id != self.term_id:
                errors[field] = _("It belongs to another term.")
            elif related is not None and related.is_archived and self._newly_placed_in(field, related):
                errors[field] = _("%(name)s is archived; restore it first.") % {"name": related}
        if self.term_id and self.start_date and not (self.term.start_date <= self.start_date <= self.term.end_date):
            errors["start_date"] = _("The date must lie within the term.")
        if errors:
            raise ValidationError(errors)

    def _newly_placed_in(self, field: str, body) -> bool:
        """Mandates already in an archived body stay there; none are newly placed in one."""
        return self._state.adding or not Mandate.objects.filter(pk=self.pk, **{f"{field}_id": body.pk}).exists()

    def save(self, *args, **kwargs):
        if self.congress_id:
            self.level = self.congress.level
            self.region_code = self.congress.region.code  # as the trigger will, so the audit log sees no change
        super().save(*args, **kwargs)


class GroupMembership(TimeStamped):
    """A mandate's place in a deputy group, with its role (组长 / 副组长 / 成员); one leader per group."""

    group = models.ForeignKey(
        DeputyGroup, verbose_name=_("deputy group"), on_delete=models.PROTECT, related_name="memberships"
    )
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=14, choices=GroupRole.choices, default=GroupRole.MEMBER)
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "mandate"], name="groupmembership_once",
                violation_error_message=_("This deputy is already in the group."),
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(role="leader"), name="groupmembership_one_leader",
                violation_error_message=_("The group already has a leader."),
            ),
            models.CheckConstraint(condition=Q(role__in=GroupRole.values), name="groupmembership_role_valid"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["mandate", "group"], name="groupmembership_mandate")]

    def __str__(self):
        return f"{self.group} · {self.mandate.person} · {self.get_role_display()}"

    def clean(self):
        if (
            self.group_id
            and self.mandate_id
            and (self.group.congress_id != self.mandate.congress_id or self.group.term_id != self.mandate.term_id)
        ):
            raise ValidationError({"mandate": _("The deputy and the group belong to different congresses or terms.")})


class Suspension(TimeStamped):
    """A period during which a mandate's duties were suspended (暂停执行代表职务)."""

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=SuspensionReason.choices)
    start_date = models.DateField(_("suspended on"))
    end_date = models.DateField(_("restored on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate"], condition=Q(end_date__isnull=True), name="suspension_one_open_per_mandate"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="suspension_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.start_date}"


class ContactAssignment(TimeStamped):
    """A standing-committee member's fixed duty to keep in touch with a deputy (常委会组成人员联系代表)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committee member"), on_delete=models.PROTECT, related_name="+"
    )
    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="contacts")
    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact assignment")
        verbose_name_plural = _("contact assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "mandate"], condition=Q(active=True), name="contact_assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.mandate.person}"


class ContactMode(models.TextChoices):
    VISIT = "visit", _("visit")
    MEETING = "meeting", pgettext_lazy("contact mode", "meeting")
    PHONE = "phone", _("phone")
    ONLINE = "online", _("online")
    LETTER = "letter", _("letter")


class ContactRecord(TimeStamped):
    assignment = models.ForeignKey(
        ContactAssignment, verbose_name=_("contact assignment"), on_delete=models.CASCADE, related_name="records"
    )
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=ContactMode.choices)
    topic = models.CharField(_("topic"), max_length=200)
    raised = models.TextField(_("what the deputy raised"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["assignment", "date"], name="contact_record_year")]

    def __str__(self):
        return f"{self.date} {self.topic}"


class GuestInvitation(TimeStamped):
    """A deputy invited to attend a standing-committee meeting as a non-voting guest (列席)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ATTENDED = "attended", _("attended")
        ABSENT = "absent", _("absent")

    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="invitations")
    meeting = models.CharField(_("meeting name"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    session = models.ForeignKey(Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)

    class Meta:
        verbose_name = _("guest invitation")
        verbose_name_plural = _("guest invitations")
        ordering = ["-meeting_date"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "meeting", "meeting_date"], name="guest_invitation_unique")
        ]

    def __str__(self):
        return f"{self.meeting} {self.meeting_date}"


class DutyKind(models.Model):
    """A kind of duty item (履职积分项目), shared by every congress, with the default points and cap a new
    congress's own catalogue starts from (PointsItem)."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    points = models.DecimalField(
        _("default points"), max_digits=6, decimal_places=2, help_text=_("Per unit; negative for a deduction.")
    )
    cap = models.DecimalField(
        _("default yearly cap"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The most points the item adds (or deducts) in a year; empty for no cap."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    recorded_by_staff = models.BooleanField(
        _("recorded by staff"), default=True, help_text=_("Off for entries other apps add on their own.")
    )

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty item catalogue")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(cap__gt=0) | Q(cap__isnull=True), name="duty_kind_cap_positive")
        ]

    def __str__(self):
        return self.name


class PointsItem(models.Model):
    """One item of a congress's own points catalogue: what a unit of the duty is worth there, and the yearly cap
    on what the item adds (or, for a deduction, takes away)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="points_items"
    )
    kind = models.ForeignKey(DutyKind, verbose_name=_("duty item"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, help_text=_("Per unit; negative for a deduction.")
    )
    cap = models.DecimalField(
        _("yearly cap"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The most points the item adds (or deducts) in a year; empty for no cap."),
    )

    class Meta:
        verbose_name = _("points catalogue item")
        verbose_name_plural = _("points catalogue")
        ordering = ["congress", "kind__position", "kind__code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "kind"], name="points_item_once_per_congress"),
            models.CheckConstraint(condition=Q(cap__gt=0) | Q(cap__isnull=True), name="points_item_cap_positive"),
        ]

    def __str__(self):
        return f"{self.kind.name} {self.points}"


class DutyEntry(TimeStamped):
    """One thing a deputy did, in their duty record (履职档案)."""

    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.CASCADE, related_name="duty_entries"
    )
    kind = models.ForeignKey(DutyKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=6, decimal_places=1, default=1)
    source = models.CharField(_("source"), max_length=80, blank=True, help_text=_("e.g. suggestions:123"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("duty entry")
        verbose_name_plural = _("duty entries")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "kind", "source"], condition=~Q(source=""), name="duty_entry_once_per_source"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="duty_entry_quantity_positive"),
        ]
        indexes = [models.Index(fields=["mandate", "year"], name="duty_entry_year")]

    def __str__(self):
        return f"{self.date} {self.title}"

    def save(self, *args, **kwargs):
        self.year = self.date.year
        super().save(*args, **kwargs)


class PointsTable(TimeStamped):
    """A published yearly points table of one congress's term; published rows never change."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("published points table")
        verbose_name_plural = _("published points tables")
        constraints = [models.UniqueConstraint(fields=["term", "year"], name="points_table_once_per_year")]

    def __str__(self):
        return f"{self.congress} {self.year}"


class Grade(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")


class PointsRow(models.Model):
    table = models.ForeignKey(PointsTable, on_delete=models.CASCADE, related_name="rows")
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandate"), on_delete=models.PROTECT, related_name="points_rows"
    )
    points = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=5, choices=Grade.choices)
    flagged = models.BooleanField(_("second poor year in a row"), default=False)
    # The evaluation as published (base, each item's points and cap): the catalogue may change later.
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)

    class Meta:
        verbose_name = _("points row")
        verbose_name_plural = _("points rows")
        constraints = [models.UniqueConstraint(fields=["table", "mandate"], name="points_row_unique")]

    def __str__(self):
        return f"{self.mandate.person} {self.points}"


class ImportJob(TimeStamped):
    """A roster spreadsheet: uploaded, checked in the background, then applied all at once or not at all."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        APPLYING = "applying", _("applying")
        APPLIED = "applied", _("applied")
        FAILED = "failed", pgettext_lazy("import status", "failed")

    # The states in which a background worker has work to take up.
    WAITING = frozenset({Status.UPLOADED, Status.CHECKING, Status.APPLYING})

    file = models.FileField(_("file"), upload_to="imports/roster/")
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class ImportIssue(models.Model):
    """One problem in one cell (or row) of an import."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=30, blank=True)
    message = models.CharField(_("message"), max_length=300)

    class Meta:
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")
        ordering = ["row", "id"]

    def __str__(self):
        return f"{self.row} {self.column}: {self.message}"


def audited_models():
    return [
        (
            Person,
            {
                "mask_fields": ["id_number", "phone"],
                "mask_callable": "congress.crypto.audit_mask",
                "exclude_fields": ["id_number_hash"],
            },
        ),
        (Mandate, {}),
        (Suspension, {}),
        (ElectoralUnit, {}),
        (Delegation, {}),
        (DeputyGroup, {"exclude_fields": ["members"]}),
        (GroupMembership, {}),
        (ContactAssignment, {}),
        (ContactRecord, {}),
        (GuestInvitation, {}),
        (DutyKind, {}),
        (PointsItem, {}),
        (DutyEntry, {}),
        (EthnicGroup, {}),
        (Party, {}),
    ]
