"""The yearly livelihood-project vote (民生实事项目票决): citizens, deputies and stations propose projects, the
government's office assesses them, staff put a list of candidates to the deputies' vote at the session, and the
deputies present choose the year's projects by secret ballot.

The programme's state machine is in workflow.py, the vote's count and cut-off in tally.py; every write goes
through services.py.

A ballot is secret: who has voted (Turnout, one row per deputy and programme) and what was marked (Ballot and its
BallotMark rows) are stored apart, with nothing joining them: a ballot's key is random, it carries no time and no
voter, and the two rows are written in one transaction so a count of turnout always equals the ballots cast."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.crypto import DerivedCharField, EncryptedCharField, last_four, phone_index
from congress.models import Congress, Organisation, TimeStamped
from congress.tokens import new_token
from deputies.models import Mandate
from liaison_stations.models import Station


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("livelihood programme", "in preparation")
    SOLICITING = "soliciting", _("collecting proposals")
    SCREENING = "screening", _("screening proposals")
    CANDIDATES = "candidates", _("candidates confirmed")
    VOTING = "voting", _("vote open")
    COUNTED = "counted", _("vote counted")
    PUBLISHED = "published", _("results published")
    APPRAISING = "appraising", _("year-end appraisal open")
    APPRAISED = "appraised", _("year-end appraisal closed")


# The phases in which the results are public, and those in which the vote has been counted.
PUBLISHED_STATES = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.APPRAISING, ProgrammeStatus.APPRAISED)
COUNTED_STATES = (ProgrammeStatus.COUNTED, *PUBLISHED_STATES)


class Programme(TimeStamped):
    """One congress's livelihood-project programme for a year: its phases' dates and how many projects the
    deputies choose from how many candidates."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    # The congress's division code, copied so "this region and below" is an indexed prefix match.
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    solicit_from = models.DateField(_("proposals from"))
    solicit_until = models.DateField(_("proposals until"))
    # The day the candidate list is confirmed by (筛选); the vote's day when staff give none.
    screen_until = models.DateField(
        _("screening until"),
        blank=True,
        help_text=_("The day the candidate list is confirmed by; if left empty, the vote's day."),
    )
    vote_on = models.DateField(_("vote at the session on"))
    # The day the chosen projects are to be carried out by (实施); the year's last day when staff give none.
    carry_until = models.DateField(
        _("carried out by"),
        blank=True,
        help_text=_("The day the chosen projects are finished by; if left empty, the year's last day."),
    )
    projects = models.PositiveSmallIntegerField(_("projects to choose"))
    # The government's office (政府办) that assesses the proposals: a government handling unit of the region.
    office = models.ForeignKey(
        Organisation, verbose_name=_("assessing office"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The government office that assesses the proposals."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT, editable=False
    )
    # Recorded when the presidium opens the vote: the deputies present at the session (实到), the base of the
    # majority a project needs.
    present = models.PositiveIntegerField(_("deputies present"), null=True, blank=True, editable=False)
    vote_opened_at = models.DateTimeField(_("vote opened at"), null=True, blank=True, editable=False)
    vote_closed_at = models.DateTimeField(_("vote closed at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True, editable=False)
    # After the count: the places still open at the cut-off among the tied candidates, for a recorded decision.
    tie_slots = models.PositiveSmallIntegerField(_("places left to decide"), default=0, editable=False)
    # The year-end appraisal's window (年终测评): planned with the programme, and set for good when staff open it.
    appraise_from = models.DateField(_("appraisal from"), null=True, blank=True)
    appraise_until = models.DateField(_("appraisal until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("livelihood-project programme")
        verbose_name_plural = _("livelihood-project programmes")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year"], name="programme_once_a_year",
                violation_error_message=_("This congress already has a programme for that year."),
            ),
            models.CheckConstraint(condition=Q(status__in=ProgrammeStatus.values), name="programme_status_valid"),
            models.CheckConstraint(condition=Q(projects__gte=1), name="programme_projects_positive"),
            models.CheckConstraint(
                condition=Q(solicit_until__gte=F("solicit_from")) & Q(screen_until__gte=F("solicit_until"))
                & Q(vote_on__gte=F("screen_until")) & Q(carry_until__gte=F("vote_on")),
                name="programme_dates_ordered",
                violation_error_message=_("The phases follow one another: proposals, screening, the vote, carrying "
                                          "out."),
            ),
            models.CheckConstraint(
                condition=Q(appraise_from__isnull=True, appraise_until__isnull=True)
                | Q(appraise_until__gte=F("appraise_from")),
                name="programme_appraisal_ordered",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["region_code", "year"], name="programme_region",
                         opclasses=["varchar_pattern_ops", "int2_ops"]),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.congress_id and not self.region_code:
            self.region_code = self.congress.region.code
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("livelihood:programme", args=[self.pk])


class Source(models.TextChoices):
    CITIZEN = "citizen", _("a citizen, online")
    DEPUTY = "deputy", pgettext_lazy("proposal source", "a deputy")
    STATION = "station", _("a citizen, at a station")


class ProposalStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("livelihood proposal", "received")
    MERGED = "merged", pgettext_lazy("livelihood proposal", "merged into another")
    ASSESSED = "assessed", pgettext_lazy("livelihood proposal", "assessed")
    CANDIDATE = "candidate", _("put to the vote")
    DROPPED = "dropped", _("not put to the vote")


class Feasibility(models.TextChoices):
    FEASIBLE = "feasible", _("feasible this year")
    PARTLY = "partly", _("feasible in part")
    NOT_FEASIBLE = "not_feasible", _("not feasible this year")


class Proposal(TimeStamped):
    """A proposed livelihood project (点菜): from a citizen online or at a station, or from a deputy; followed by
    its tracking code."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_token, editable=False)
    source = models.CharField(_("proposed by"), max_length=10, choices=Source.choices)
    title = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    area = models.CharField(_("area"), max_length=200, help_text=_("Where the project would be carried out."))
    benefit = models.TextField(_("expected benefit"), max_length=2000, blank=True)
    proposer_name = models.CharField(_("proposer"), max_length=100, blank=True)
    # A citizen's phone, encrypted at rest like an opinion's (congress.crypto).
    phone = EncryptedCharField(_("mobile phone"), max_length=11, blank=True)
    phone_hash = DerivedCharField(max_length=64, source="phone", derive=phone_index)
    phone_tail = DerivedCharField(max_length=4, source="phone", derive=last_four)
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("deputy"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("station"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.RECEIVED, editable=False
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged", editable=False,
    )  # fmt: skip
    # The government office's assessment (评估).
    feasibility = models.CharField(_("feasibility"), max_length=12, choices=Feasibility.choices, blank=True)
    cost = models.DecimalField(_("cost estimate (10,000 yuan)"), max_digits=12, decimal_places=2, null=True,
                               blank=True)  # fmt: skip
    department = models.ForeignKey(
        Organisation, verbose_name=_("responsible department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    assessment = models.TextField(_("assessment"), max_length=5000, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, editable=False)
    # Why staff kept or dropped it: published with the candidate list.
    screening_reason = models.CharField(_("reason kept or dropped"), max_length=500, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("livelihood-project proposal")
        verbose_name_plural = _("livelihood-project proposals")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="proposal_number_once"),
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="proposal_source_valid"),
            models.CheckConstraint(
                condition=~Q(source=Source.DEPUTY) | Q(mandate__isnull=False), name="proposal_deputy_named"
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.STATION) | Q(station__isnull=False), name="proposal_station_named"
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=ProposalStatus.MERGED) & Q(merged_into__isnull=True)),
                name="proposal_merged_into_one",
            ),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="proposal_cost_positive"),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="proposal_status")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CandidateOutcome(models.TextChoices):
    PENDING = "pending", _("not counted yet")
    CHOSEN = "chosen", pgettext_lazy("livelihood project", "chosen")
    NOT_CHOSEN = "not_chosen", _("not chosen")
    TIED = "tied", _("tied at the cut-off")


class Candidate(models.Model):
    """A project put to the deputies' vote, in ballot order, with its count once the vote is closed."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="candidates"
    )
    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="candidate"
    )
    number = models.PositiveSmallIntegerField(_("ballot number"))
    title = models.CharField(_("project"), max_length=200)
    department = models.ForeignKey(
        Organisation, verbose_name=_("responsible department"), on_delete=models.PROTECT, related_name="+"
    )
    cost = models.DecimalField(_("cost estimate (10,000 yuan)"), max_digits=12, decimal_places=2)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True, editable=False)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=CandidateOutcome.choices, default=CandidateOutcome.PENDING,
        editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="candidate_number_once"),
            models.CheckConstraint(condition=Q(outcome__in=CandidateOutcome.values), name="candidate_outcome_valid"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Channel(models.TextChoices):
    PHONE = "phone", _("own phone")
    TABLET = "tablet", _("tablet at the venue")
    PAPER = "paper", _("paper ballot")


class Turnout(models.Model):
    """That a deputy has voted in a programme, and how; never what (see Ballot)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="turnout")
    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("voted by"), max_length=10, choices=Channel.choices)
    voted_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deputy who voted")
        verbose_name_plural = _("deputies who voted")
        ordering = ["programme", "voted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mandate"], name="turnout_once",
                violation_error_message=_("This deputy has already voted."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.mandate_id} @ {self.programme_id}"


class BallotState(models.TextChoices):
    VALID = "valid", _("valid")
    # A paper sheet the tellers both read as spoiled (废票: marks more projects than allowed, or cannot be read).
    SPOILED = "spoiled", _("spoiled")
    # A paper ballot a deputy took and did not put in the box: they voted, and the ballot counts for nobody.
    NOT_RETURNED = "not_returned", _("taken and not returned")


class Ballot(models.Model):
    """One secret ballot: a random key, the programme, and (in BallotMark) the candidates marked; no voter and no
    time. An empty valid ballot is a vote for none (弃权); a spoiled or unreturned paper ballot has no marks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="ballots")
    channel = models.CharField(_("voted by"), max_length=10, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=BallotState.choices, default=BallotState.VALID,
        db_default=BallotState.VALID,
    )  # fmt: skip

    class Meta:
        verbose_name = _("secret ballot")
        verbose_name_plural = _("secret ballots")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=BallotState.values), name="ballot_state_valid"),
            models.CheckConstraint(
                condition=Q(state=BallotState.VALID) | Q(channel=Channel.PAPER), name="ballot_spoiled_only_on_paper"
            ),
        ]

    def __str__(self):
        return str(self.id)


class BallotMark(models.Model):
    """One candidate marked on one ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot mark")
        verbose_name_plural = _("ballot marks")
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_mark_once")]
        indexes = [models.Index(fields=["candidate"], name="ballot_mark_tally")]

    def __str__(self):
        return f"{self.ballot_id} → {self.candidate_id}"


class Decision(models.Model):
    """Staff's recorded decision on which candidates tied at the cut-off are chosen, and why."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decisions")
    candidate_ids = models.JSONField(_("chosen candidates"))
    reason = models.CharField(_("reason"), max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tie decision")
        verbose_name_plural = _("tie decisions")
        ordering = ["programme", "decided_at"]

    def __str__(self):
        return f"{self.programme_id}: {self.candidate_ids}"


class Correction(models.Model):
    """A recorded correction of a published result (after a recount, say): who, when, why, and the candidate's
    votes and outcome before and after. The only way a published Candidate row changes (corrections.py)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="corrections")
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate project"), on_delete=models.PROTECT, related_name="corrections"
    )
    votes_before = models.PositiveIntegerField(_("votes before"), null=True)
    votes_after = models.PositiveIntegerField(_("votes after"))
    outcome_before = models.CharField(_("outcome before"), max_length=10, choices=CandidateOutcome.choices)
    outcome_after = models.CharField(_("outcome after"), max_length=10, choices=CandidateOutcome.choices)
    reason = models.CharField(_("reason"), max_length=1000)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("result correction")
        verbose_name_plural = _("result corrections")
        ordering = ["programme", "corrected_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome_after__in=[CandidateOutcome.CHOSEN, CandidateOutcome.NOT_CHOSEN]),
                name="correction_outcome_final",
            ),
        ]

    def __str__(self):
        return f"{self.candidate_id}: {self.votes_before} → {self.votes_after}"


class PaperSheetStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the second entry")
    MISMATCH = "mismatch", _("entries differ: enter again")
    COUNTED = "counted", pgettext_lazy("paper ballot", "counted")
    SPOILED = "spoiled", _("counted as spoiled")


class PaperSheet(models.Model):
    """A numbered paper ballot as the tellers enter it (双人录入). The number is the sheet's, printed on it; nobody
    records which deputy took which sheet, so it names no voter. Once both entries agree it becomes one Ballot."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="paper_sheets")
    number = models.PositiveIntegerField(_("sheet number"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaperSheetStatus.choices, default=PaperSheetStatus.PENDING
    )

    class Meta:
        verbose_name = _("paper ballot sheet")
        verbose_name_plural = _("paper ballot sheets")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="paper_sheet_once"),
            models.CheckConstraint(condition=Q(status__in=PaperSheetStatus.values), name="paper_sheet_status_valid"),
            models.CheckConstraint(condition=Q(number__gte=1), name="paper_sheet_number_positive"),
        ]

    def __str__(self):
        return str(self.number)


class PaperEntry(models.Model):
    """One teller's entry of one sheet: the candidates they read as marked. Two tellers enter each sheet, each
    once (a teller who misread corrects their own entry); the sheet counts when the two agree."""

    sheet = models.ForeignKey(PaperSheet, on_delete=models.CASCADE, related_name="entries")
    # First or second entry: with one entry per teller, at most two tellers per sheet, and they differ.
    slot = models.PositiveSmallIntegerField()
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("teller"), on_delete=models.PROTECT, related_name="+"
    )
    candidate_ids = models.JSONField(_("candidates marked"), default=list)
    # The teller reads the sheet as spoiled (废票); its marks are then not entered.
    spoiled = models.BooleanField(_("spoiled"), default=False)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        ordering = ["sheet", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "teller"], name="paper_entry_once_per_teller",
                violation_error_message=_("You have already entered this sheet."),
            ),
            models.UniqueConstraint(fields=["sheet", "slot"], name="paper_entry_two_per_sheet"),
            models.CheckConstraint(condition=Q(slot__in=[1, 2]), name="paper_entry_slot_valid"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.sheet_id}/{self.slot}"


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class Rating(models.Model):
    """A deputy's year-end rating of a chosen project, once."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("project"), on_delete=models.PROTECT, related_name="ratings"
    )
    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("rating"), max_length=20, choices=Verdict.choices)
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project rating")
        verbose_name_plural = _("project ratings")
        ordering = ["candidate", "rated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "mandate"], name="rating_once",
                violation_error_message=_("This deputy has already rated the project."),
            ),
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="rating_verdict_valid"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.mandate_id} → {self.candidate_id}: {self.verdict}"


class AppraisalStatus(models.TextChoices):
    PASSED = "passed", _("satisfactory")
    CORRECTING = "correcting", _("back to the department for correction")
    REPORTED = "reported", _("correction reported")
    CLOSED = "closed", _("correction closed")


class Appraisal(models.Model):
    """A chosen project's appraisal result, counted when the appraisal closes: the ratings' counts and, if the
    share dissatisfied is above the policy's, the department's correction (整改) until staff close it."""

    deadline_label_related = ("candidate__programme",)

    candidate = models.OneToOneField(
        Candidate, verbose_name=_("project"), on_delete=models.PROTECT, related_name="appraisal"
    )
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))
    status = models.CharField(_("status"), max_length=12, choices=AppraisalStatus.choices)
    # A copy of the correction deadline's due date, kept in step by congress.deadlines (COPY_FIELDS).
    correct_by = models.DateField(_("correct by"), null=True, blank=True)
    report = models.TextField(_("correction report"), max_length=5000, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    closing_note = models.CharField(_("closing note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("project appraisal")
        verbose_name_plural = _("project appraisals")
        ordering = ["candidate"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AppraisalStatus.values), name="appraisal_status_valid"),
            models.CheckConstraint(
                condition=Q(status=AppraisalStatus.PASSED) | Q(correct_by__isnull=False),
                name="appraisal_correction_has_deadline",
            ),
        ]

    def __str__(self):
        return str(self.candidate)

    def get_absolute_url(self):
        return reverse("livelihood:appraisal", args=[self.pk])

    def deadline_label(self):
        return _("Correction of %(project)s") % {"project": self.candidate.title}


def audited_models():
    return [
        (Programme, {}),
        (
            Proposal,
            {
                "mask_fields": ["phone"],
                "mask_callable": "congress.crypto.audit_mask",
                "exclude_fields": ["phone_hash", "phone_tail"],
            },
        ),
        (Candidate, {}),
        (Decision, {}),
        (Correction, {}),
        (PaperSheet, {}),
        (Appraisal, {}),
        *carrying_models(),
    ]


# Carrying out and supervision (落实和监督): each chosen project's milestones, the department's quarterly progress
# reports with photos, the congress's supervision group and its site visits. Written by carrying.py.


class Milestone(TimeStamped):
    """A step of a chosen project with its due date on the working calendar; the date is the open deadline's
    (congress.deadlines, kind livelihood_milestone), copied here and kept in step when the calendar changes."""

    project = models.ForeignKey(
        Candidate, verbose_name=_("project"), on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"), editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_note = models.CharField(_("what was done"), max_length=1000, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked done by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    deadline_label_related = ("project",)

    class Meta:
        verbose_name = _("project milestone")
        verbose_name_plural = _("project milestones")
        ordering = ["project", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="milestone_has_title"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(done_note=""), name="milestone_done_says_what",
                violation_error_message=_("Say what was done."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def deadline_label(self):
        return f"{self.project.title}: {self.title}"

    def get_absolute_url(self):
        return reverse("livelihood:project", args=[self.project_id])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.due_on < today

    @staticmethod
    def overdue(today, prefix: str = "") -> Q:
        """The milestones not done and due before today (prefix: the path from a related model, e.g. "milestones__")."""
        return Q(**{f"{prefix}done_at__isnull": True, f"{prefix}due_on__lt": today})


class ProgressReport(TimeStamped):
    """The responsible department's report on a chosen project for one quarter: what was done and the money spent
    so far; one per project and quarter, corrected by its department until the reporting window closes."""

    project = models.ForeignKey(
        Candidate, verbose_name=_("project"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    text = models.TextField(_("progress"), max_length=5000)
    spent = models.DecimalField(_("spent to date (10,000 yuan)"), max_digits=12, decimal_places=2)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "quarter"], name="progress_report_once_a_quarter",
                violation_error_message=_("This project already has a report for that quarter."),
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="progress_report_quarter_valid"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="progress_report_spent_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="progress_report_has_text"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.project.title} {self.year}Q{self.quarter}"


class ProgressPhoto(TimeStamped):
    """A photo of a progress report (JPEG or PNG, checked by content); public with the project's progress."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="livelihood/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")
        ordering = ["report", "id"]

    def __str__(self):
        return self.name


class SupervisionGroup(TimeStamped):
    """The congress's supervision group of a chosen project: a leading committee (a special committee or working
    body) and deputies, who are the members of a deputy group (deputies.DeputyGroup, with its roles)."""

    project = models.OneToOneField(
        Candidate, verbose_name=_("project"), on_delete=models.PROTECT, related_name="supervision"
    )
    committee = models.ForeignKey(
        Organisation, verbose_name=_("leading committee"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "deputies.DeputyGroup", verbose_name=_("deputies"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["project"]

    def __str__(self):
        return f"{self.project.title} · {self.committee.name}"


class SiteVisit(TimeStamped):
    """A supervision group's visit to a project's site: what was seen and the residents' opinions gathered;
    linked to the activity it was part of, when there was one."""

    project = models.ForeignKey(
        Candidate, verbose_name=_("project"), on_delete=models.PROTECT, related_name="site_visits"
    )
    visited_on = models.DateField(_("visited on"))
    place = models.CharField(_("place"), max_length=200)
    seen = models.TextField(_("what was seen"), max_length=5000)
    opinions = models.TextField(_("residents' opinions"), max_length=5000, blank=True)
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=pgettext_lazy("deputies' activity", "activity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["project", "-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") & ~Q(seen=""), name="site_visit_has_place_and_seen"),
        ]

    def __str__(self):
        return f"{self.project.title} {self.visited_on}"


def carrying_models():
    return [(Milestone, {}), (ProgressReport, {}), (SupervisionGroup, {}), (SiteVisit, {})]


class VenueTablet(models.Model):
    """A device at the session's venue that staff enrolled for one programme's vote (会场平板): deputies sign in on
    it one after another to vote, and it keeps no one signed in. The device carries a random key in a cookie; only
    its digest is stored, so the table cannot be used to enrol another device. A tablet never learns a ballot's
    voter: it passes the deputy's vote to the same service as a phone does, with the channel "tablet"."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="tablets")
    label = models.CharField(
        _("tablet"), max_length=40, help_text=_("A name to tell the tablets apart, e.g. 会场平板3.")
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votes cast on it"), default=0)

    class Meta:
        verbose_name = _("venue voting tablet")
        verbose_name_plural = _("venue voting tablets")
        ordering = ["programme", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "label"], name="tablet_label_once",
                violation_error_message=_("Another tablet of this programme has that name."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.label
