"""Deputies' suggestions and motions: intake, review, assignment to units, handling, replies, feedback,
supervision and disclosure. The state machine is in workflow.py; every write goes through services.py."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import text
from congress.models import Congress, Organisation, Session, Term, TimeStamped
from deputies.models import Delegation, Mandate


class Category(TimeStamped):
    """A heading of the staff-kept taxonomy (e.g. 教育, 交通) suggestions are filed under."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent heading"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("suggestion category")
        verbose_name_plural = _("suggestion categories")
        ordering = ["congress", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="category_name_unique")]

    def __str__(self):
        return f"{self.parent} / {self.name}" if self.parent_id else self.name


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("suggestion")
    MOTION = "motion", _("motion")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("suggestion status", "draft")
    SUBMITTED = "submitted", pgettext_lazy("suggestion status", "submitted")
    RETURNED = "returned", pgettext_lazy("suggestion status", "returned for revision")
    DECLINED = "declined", pgettext_lazy("suggestion status", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("suggestion status", "withdrawn")
    ACCEPTED = "accepted", pgettext_lazy("suggestion status", "accepted")
    ASSIGNED = "assigned", pgettext_lazy("suggestion status", "assigned")
    IN_HANDLING = "in_handling", pgettext_lazy("suggestion status", "in handling")
    REPLIED = "replied", pgettext_lazy("suggestion status", "replied")
    REHANDLING = "rehandling", pgettext_lazy("suggestion status", "re-handling")
    FOLLOW_UP = "follow_up", pgettext_lazy("suggestion status", "follow-up")
    CLOSED = "closed", pgettext_lazy("suggestion status", "closed")


class DeclineReason(models.TextChoices):
    PERSONAL = "personal", _("a personal or family matter")
    LITIGATION = "litigation", _("a case in court, review or arbitration")
    PETITION = "petition", _("a petition, complaint or accusation")
    FORWARDED = "forwarded", _("a forwarded letter")
    ACADEMIC = "academic", _("an academic topic or product promotion")
    EMPTY = "empty", _("no substantive content")
    OUTSIDE_POWERS = "outside_powers", _("outside the powers of this congress's region")


class Suggestion(TimeStamped):
    """A deputy's suggestion (建议) or motion (议案), from draft to closed."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUGGESTION)
    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    # The congress's division code, copied so "this region and below" is an indexed prefix match.
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty for a suggestion made between sessions."),
    )  # fmt: skip
    lead = models.ForeignKey(
        Mandate, verbose_name=_("lead deputy"), on_delete=models.PROTECT, related_name="suggestions_led"
    )
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("on behalf of delegation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # A delegation's motion needs a majority of all the delegation's members (代表团全体代表的过半数).
    delegation_votes_for = models.PositiveSmallIntegerField(_("delegation members voting for"), null=True, blank=True)
    delegation_members = models.PositiveSmallIntegerField(_("delegation members in all"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    content = models.TextField(_("content"), max_length=20000, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Numbers run per term and session (or per term and year between sessions) and kind.
    sequence = models.CharField(_("number series"), max_length=40, blank=True, editable=False)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    number_label = models.CharField(_("number"), max_length=60, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), max_length=2000, blank=True)
    decline_reason = models.CharField(_("reason declined"), max_length=20, choices=DeclineReason.choices, blank=True)
    withdraw_reason = models.TextField(_("reason withdrawn"), max_length=2000, blank=True)
    converted_from_motion = models.BooleanField(_("converted from a motion"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged",
    )  # fmt: skip
    opinion = models.ForeignKey(
        "liaison_stations.CitizenOpinion", verbose_name=_("from citizen opinion"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="suggestions",
    )  # fmt: skip
    closing_note = models.TextField(_("closing decision"), max_length=2000, blank=True)
    # Disclosure (公开): the published text is a copy with personal data removed, fixed at publication.
    disclosure_objection = models.TextField(_("deputy's objection to publication"), max_length=2000, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_title = models.CharField(_("published title"), max_length=200, blank=True)
    public_content = models.TextField(_("published content"), blank=True)
    # The content words of the title and text (congress.text.document), kept for the unit recommendation and the
    # duplicate search; Postgres indexes them (migration 0014). NULL: not computed yet (rows from before, or
    # bulk loads), which the nightly routing task fills in.
    terms = models.TextField(_("content words"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-id"]
        permissions = [("view_all_personal_data", "Can see deputies' personal data in suggestions")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="suggestion_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="suggestion_status_valid"),
            models.CheckConstraint(
                condition=Q(decline_reason="") | Q(decline_reason__in=DeclineReason.values),
                name="suggestion_decline_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="suggestion_declined_has_reason",
                violation_error_message=_("A declined suggestion records why."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | ~Q(sequence=""), name="suggestion_number_in_series"
            ),
            models.UniqueConstraint(
                fields=["sequence", "number"], condition=Q(number__isnull=False), name="suggestion_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")), name="suggestion_not_merged_into_self"
            ),
            models.CheckConstraint(
                condition=Q(delegation_votes_for__isnull=True)
                | Q(delegation_members__isnull=True)
                | Q(delegation_votes_for__lte=F("delegation_members")),
                name="suggestion_delegation_vote_within_members",
                violation_error_message=_("More members voted for than the delegation has."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["region_code", "status"],
                name="suggestion_region_status",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            ),
            models.Index(fields=["congress", "status"], name="suggestion_congress_status"),
            models.Index(fields=["session", "status"], name="suggestion_session_status"),
            models.Index(fields=["lead", "status"], name="suggestion_lead_status"),
            models.Index(fields=["updated_at", "id"], name="suggestion_updated"),
            models.Index(
                fields=["-published_at"], name="suggestion_published", condition=Q(published_at__isnull=False)
            ),
        ]

    def __str__(self):
        title = self.title or _("(untitled draft)")
        return f"{self.number_label} {title}" if self.number_label else str(title)

    def save(self, *args, **kwargs):
        if self.congress_id and not self.region_code:
            self.region_code = self.congress.region.code
        fields = kwargs.get("update_fields")
        if fields is None or {"title", "content"} & set(fields):
            self.terms = text.document(self.title, self.content)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "terms"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("suggestions:detail", args=[self.pk])


class CoSignerStatus(models.TextChoices):
    INVITED = "invited", _("invited")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", pgettext_lazy("co-signing", "declined")
    # Still invited when the office accepted the suggestion: kept on record, not counted, and told.
    LAPSED = "lapsed", pgettext_lazy("co-signing", "not confirmed before acceptance")


class CoSigner(TimeStamped):
    """A deputy asked to co-sign (联名/附议); only confirmed co-signers count."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=CoSignerStatus.choices, default=CoSignerStatus.INVITED
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "mandate"], name="cosigner_once"),
            models.CheckConstraint(condition=Q(status__in=CoSignerStatus.values), name="cosigner_status_valid"),
        ]

    def __str__(self):
        return str(self.mandate.person)


class Attachment(TimeStamped):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="suggestions/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.name


class UnitRole(models.TextChoices):
    LEAD = "lead", _("lead unit")
    CO = "co", _("co-handling unit")
    SEPARATE = "separate", _("separately assigned unit")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("assignment status", "awaiting receipt")
    RECEIVED = "received", pgettext_lazy("assignment status", "in handling")
    RELEASE_REQUESTED = "release_requested", pgettext_lazy("assignment status", "re-assignment requested")
    RELEASED = "released", pgettext_lazy("assignment status", "released")
    REPLIED = "replied", pgettext_lazy("assignment status", "replied")
    REHANDLING = "rehandling", pgettext_lazy("assignment status", "re-handling")
    DISPUTED = "disputed", pgettext_lazy("assignment status", "dissatisfied twice, for staff to decide")
    FOLLOW_UP = "follow_up", pgettext_lazy("assignment status", "follow-up")
    DONE = "done", pgettext_lazy("assignment status", "done")


class Assignment(TimeStamped):
    """A suggestion handed to one unit (交办) as lead, co-handler or separately."""

    # What a deadline list reads to name an assignment (congress.deadlines.subjects_prefetch).
    deadline_label_related = ("suggestion", "unit")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Organisation, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=UnitRole.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    handling_plan = models.TextField(_("handling plan"), max_length=5000, blank=True)
    # Due dates are copies of the open deadlines, kept here so portal lists sort and colour without a join.
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("months of extension"), default=0)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    # Kept here rather than looked up in the contact log so the statistics read one table (ContactLog keeps the detail).
    met_face_to_face = models.BooleanField(_("met the deputy face to face"), default=False, editable=False)
    co_opinion = models.TextField(_("co-handling opinion"), max_length=10000, blank=True)
    co_opinion_at = models.DateTimeField(_("co-handling opinion sent at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion", "role", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=UnitRole.values), name="assignment_role_valid"),
            models.CheckConstraint(condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"),
            models.UniqueConstraint(
                fields=["suggestion", "unit"], condition=~Q(status="released"), name="assignment_unit_once"
            ),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(role="lead") & ~Q(status="released"), name="assignment_one_lead"
            ),
            models.CheckConstraint(
                condition=Q(role="co") | ~Q(co_opinion__gt=""), name="assignment_co_opinion_only_from_co"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "reply_due"], name="assignment_unit_portal"),
            # The unit portal's order (reply due, soonest first, then id): one unit's page is a range of the
            # first; an officer of very many units walks the second and stops after the page (issue 25).
            models.Index(fields=["unit", "reply_due", "id"], name="assignment_unit_due"),
            models.Index(fields=["reply_due", "id"], name="assignment_due"),
            # The review list's "overdue" filter: the assignments still owing a reply, by due date.
            models.Index(
                fields=["reply_due", "suggestion"],
                name="assignment_owing_review",
                condition=Q(status__in=["assigned", "received", "release_requested", "rehandling"]),
            ),
            models.Index(fields=["session", "unit"], name="assignment_statistics"),
            # The statistics page's overdue list: the work still owed of one congress, the longest overdue first.
            models.Index(
                fields=["congress", "reply_due", "id"],
                condition=Q(status__in=["assigned", "received", "release_requested", "rehandling"]),
                name="assignment_owing_due",
            ),
            models.Index(fields=["region_code"], name="assignment_region", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["updated_at", "id"], name="assignment_updated"),
        ]

    def __str__(self):
        return f"{self.suggestion} → {self.unit} ({self.get_role_display()})"

    @property
    def answers(self) -> bool:
        """Lead and separately assigned units reply to the deputy; co-handlers write to the lead unit."""
        return self.role != UnitRole.CO

    def get_absolute_url(self):
        return reverse("suggestions:detail", args=[self.suggestion_id])


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request status", "pending")
    APPROVED = "approved", pgettext_lazy("request status", "approved")
    REFUSED = "refused", pgettext_lazy("request status", "refused")


class DecidedRequest(TimeStamped):
    """What a unit asks of staff and staff decide: who asked, who decided, when and why."""

    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)

    class Meta:
        abstract = True


class ReassignmentRequest(DecidedRequest):
    """A unit asks to be released from an assignment it believes is not its remit (申请调整)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reassignment_requests")
    reason = models.TextField(_("reason"), max_length=3000)
    suggested_unit = models.ForeignKey(
        Organisation, verbose_name=_("unit suggested instead"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    previous_status = models.CharField(max_length=20, choices=AssignmentStatus.choices)

    class Meta:
        verbose_name = _("re-assignment request")
        verbose_name_plural = _("re-assignment requests")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="reassignment_status_valid"),
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="pending"), name="reassignment_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.get_status_display()}"


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("face to face")
    PHONE = "phone", _("by phone")
    MEETING = "meeting", _("at a meeting")
    WRITTEN = "written", _("in writing")


class ContactLog(TimeStamped):
    """A contact between the unit and the deputy about the suggestion (沟通)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=15, choices=ContactMode.choices)
    summary = models.TextField(_("what was said"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact with the deputy")
        verbose_name_plural = _("contacts with the deputy")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(mode__in=ContactMode.values), name="contact_mode_valid")]

    def __str__(self):
        return f"{self.date} {self.get_mode_display()}"


class Result(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: to be solved later because of current limits")
    D = "D", _("D: kept for reference")


class Reply(TimeStamped):
    """A unit's reply letter to the deputy (答复); a re-handled assignment gets a second one."""

    # What a deadline list reads to name a reply (congress.deadlines.subjects_prefetch), and the feedback reminder
    # to find the suggestion it answers.
    deadline_label_related = ("assignment__suggestion", "assignment__unit")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    text = models.TextField(_("reply"), max_length=30000)
    letter = models.FileField(_("signed letter (PDF)"), upload_to="replies/%Y/%m/", blank=True)
    result = models.CharField(_("result"), max_length=1, choices=Result.choices)
    follow_up_plan = models.TextField(_("promised follow-up"), max_length=5000, blank=True)
    # Whom the deputy may call about the reply, as the letter names them (联系人, 联系电话): an official's work line.
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    replied_on = models.DateField(_("replied on"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replied by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    solved_on = models.DateField(_("reported solved on"), null=True, blank=True)
    solved_note = models.TextField(_("how it was solved"), max_length=5000, blank=True)
    public_text = models.TextField(_("published reply"), blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["assignment", "round"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="reply_round_once"),
            models.CheckConstraint(condition=Q(result__in=Result.values), name="reply_result_valid"),
            models.CheckConstraint(
                condition=~Q(result__in=["B", "C"]) | ~Q(follow_up_plan=""),
                name="reply_follow_up_promised",
                violation_error_message=_("A reply in category B or C states the promised follow-up."),
            ),
        ]

    def __str__(self):
        return f"{self.assignment.unit} · {self.get_result_display()}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


# What a lapsed feedback period records: silence is not satisfaction (policy suggestion.no_response_satisfied
# decides, per congress, whether the statistics count it as satisfied).
NO_RESPONSE = "no_response"
FEEDBACK_VALUES = [*Satisfaction.choices, (NO_RESPONSE, _("no response"))]


class Feedback(TimeStamped):
    """A deputy's rating of one reply, in two parts (the result, the unit's attitude); a feedback period that
    lapsed is recorded as no response."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="feedback")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="feedback")
    # The rated unit and its congress, copied from the reply's assignment so the statistics count ratings per
    # unit from this table alone.
    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="+", editable=False)
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", editable=False)
    on_result = models.CharField(_("satisfaction with the result"), max_length=20, choices=FEEDBACK_VALUES)
    on_attitude = models.CharField(_("satisfaction with the unit's attitude"), max_length=20, choices=FEEDBACK_VALUES)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)
    deemed = models.BooleanField(
        _("no response"),
        default=False,
        help_text=_("No feedback within the period: recorded as no response, not as satisfaction."),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "suggestion"], name="feedback_once_per_reply"),
            models.CheckConstraint(
                condition=Q(on_result__in=[*Satisfaction.values, NO_RESPONSE]), name="feedback_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(on_attitude__in=[*Satisfaction.values, NO_RESPONSE]), name="feedback_attitude_valid"
            ),
            # No response is what a lapsed period records, and nothing else does.
            models.CheckConstraint(
                condition=Q(deemed=True, on_result=NO_RESPONSE, on_attitude=NO_RESPONSE)
                | (Q(deemed=False) & ~Q(on_result=NO_RESPONSE) & ~Q(on_attitude=NO_RESPONSE)),
                name="feedback_no_response_is_lapsed",
            ),
        ]
        indexes = [models.Index(fields=["congress", "unit"], name="feedback_congress_unit")]

    def __str__(self):
        return f"{self.suggestion} · {self.get_on_result_display()}"

    @property
    def dissatisfied(self) -> bool:
        return Satisfaction.DISSATISFIED in (self.on_result, self.on_attitude)


class ExtensionRequest(DecidedRequest):
    """A unit asks for more months to reply (延期); staff decide; never past the policy's maximum."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    months = models.PositiveSmallIntegerField(_("months asked for"))
    reason = models.TextField(_("reason"), max_length=3000)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="extension_status_valid"),
            models.CheckConstraint(condition=Q(months__gte=1), name="extension_months_positive"),
            models.UniqueConstraint(fields=["assignment"], condition=Q(status="pending"), name="extension_one_pending"),
        ]

    def __str__(self):
        return f"{self.assignment} +{self.months} · {self.get_status_display()}"


class KeySupervision(TimeStamped):
    """A key supervision item (重点督办): one topic, often several suggestions, with a supervising leader."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("supervising leader"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supervised_items",
    )  # fmt: skip
    committee = models.ForeignKey(
        Organisation, verbose_name=_("supervising special committee"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # Government leaders personally lead at least one key item a year (a policy); counted on the key-item list.
    government_leader = models.CharField(
        _("leading government leader"), max_length=100, blank=True,
        help_text=_("Name and post of the government leader who personally leads the item, if one does."),
    )  # fmt: skip
    plan = models.TextField(_("supervision plan"), max_length=10000, blank=True)
    suggestions = models.ManyToManyField(Suggestion, verbose_name=_("suggestions"), related_name="key_supervisions")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    report = models.TextField(_("supervision report"), max_length=20000, blank=True)

    class Meta:
        verbose_name = _("key supervision item")
        verbose_name_plural = _("key supervision items")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(leader__isnull=False) | Q(committee__isnull=False),
                name="supervision_has_supervisor",
                violation_error_message=_("Name a supervising leader or special committee."),
            ),
            models.UniqueConstraint(fields=["congress", "year", "title"], name="supervision_title_unique"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("suggestions:supervision_detail", args=[self.pk])


class SupervisionNote(TimeStamped):
    """A progress note or a supervision notice sent to a unit."""

    item = models.ForeignKey(KeySupervision, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("text"), max_length=5000)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("notice sent to unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")
        ordering = ["-id"]

    def __str__(self):
        return self.text[:50]


class NumberSeries(models.Model):
    """The last number given in a series; locked while the next one is taken so numbers never repeat."""

    key = models.CharField(max_length=40, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self):
        return f"{self.key}: {self.last}"


# The unit recommendation's learnt model (suggestions/routing.py): rebuilt from the assignment history by a nightly
# task, read at assignment time, so a recommendation costs a few indexed reads whatever the history's size.


class RoutingModel(models.Model):
    """When a congress's recommendation model was learnt, and from how much history."""

    congress = models.OneToOneField(Congress, on_delete=models.CASCADE, related_name="+", primary_key=True)
    built_at = models.DateTimeField(_("learnt at"))
    until = models.DateTimeField(_("from suggestions submitted before"), null=True, blank=True)
    documents = models.PositiveIntegerField(_("suggestions learnt from"), default=0)
    suggestions = models.PositiveIntegerField(_("suggestions counted for word frequencies"), default=0)
    vocabulary = models.PositiveIntegerField(_("distinct words"), default=0)

    class Meta:
        verbose_name = _("unit recommendation model")
        verbose_name_plural = _("unit recommendation models")

    def __str__(self):
        return f"{self.congress_id} @ {self.built_at:%Y-%m-%d %H:%M}"


class RoutingUnit(models.Model):
    """How often a unit was the right one: per category (category NULL: all), in suggestions and in words."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    documents = models.FloatField(default=0)
    words = models.FloatField(default=0)
    released = models.PositiveIntegerField(default=0)  # suggestions the unit was released from (re-assigned)
    # How much of the category's name the unit's name carries (教育 → 教育局: 1): the prior before any history.
    name_match = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "unit", "category"], name="routing_unit_once", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.category_id}: {self.documents}"


class RoutingWord(models.Model):
    """How much a word pointed at each unit in the history: its weighted count in each unit's suggestions.

    One row per word holds all its units ("unit:weight unit:weight", see routing.units_of), so a recommendation
    reads one row per word of the text rather than one per word and unit (docs/intake-help.md, "Speed")."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=40)
    units = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["congress", "word"], name="routing_word_once")]

    def __str__(self):
        return f"{self.word} → {self.units}"


class WordFrequency(models.Model):
    """In how many of a congress's suggestions a word occurs: the idf of the duplicate search and the keywords."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=40)
    documents = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["congress", "word"], name="word_frequency_once")]

    def __str__(self):
        return f"{self.word}: {self.documents}"


def audited_models():
    return [
        (Suggestion, {"exclude_fields": ["public_content", "terms"]}),
        (CoSigner, {}),
        (Assignment, {}),
        (ReassignmentRequest, {}),
        (ContactLog, {}),
        (Reply, {}),
        (Feedback, {}),
        (ExtensionRequest, {}),
        (KeySupervision, {"m2m_fields": {"suggestions"}}),
        (SupervisionNote, {}),
        (Category, {}),
    ]
