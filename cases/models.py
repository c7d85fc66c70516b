"""Excellent-case selection (优秀案例评选): campaigns, units' submissions, the rounds of a campaign with their
voters, ballots, scores, public votes and decisions, and the awards that come out at the end.

The state machines are in workflow.py; every write goes through services; tallies and cut-offs are in
scoring.py. A closed round's ballots, scores and public votes cannot change: the services refuse it and,
on Postgres, a trigger (migration 0002) does too."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.models import Congress, Level, Organisation, TimeStamped
from deputies.models import Mandate


def new_slug() -> str:
    return secrets.token_urlsafe(8)[:10]


class CampaignKind(models.TextChoices):
    DUTY = "duty", _("deputies' duty cases")
    SUGGESTION = "suggestion", _("suggestion-handling cases")
    STATION = "station", _("demonstration liaison stations")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign status", "in preparation")
    OPEN = "open", pgettext_lazy("campaign status", "open for submissions")
    SELECTING = "selecting", pgettext_lazy("campaign status", "selecting")
    FINISHED = "finished", pgettext_lazy("campaign status", "finished")


class Campaign(TimeStamped):
    """One selection of one kind in one year, run by a congress's staff (优秀案例评选活动)."""

    congress = models.ForeignKey(Congress, verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+")
    # The congress's division code, copied so "this region and below" is an indexed prefix match.
    region_code = models.CharField(_("division code"), max_length=12, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=CampaignKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    submissions_open = models.DateField(_("submissions open on"))
    submissions_close = models.DateField(_("submissions close on"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    # The public vote page's address uses this instead of the id.
    slug = models.CharField(_("public code"), max_length=12, unique=True, default=new_slug, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case-selection campaign")
        verbose_name_plural = _("case-selection campaigns")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CampaignKind.values), name="campaign_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"),
            models.CheckConstraint(
                condition=Q(submissions_close__gte=F("submissions_open")),
                name="campaign_window_ordered",
                violation_error_message=_("Submissions must close on or after the day they open."),
            ),
            models.UniqueConstraint(fields=["congress", "year", "title"], name="campaign_title_unique"),
        ]
        indexes = [
            models.Index(fields=["region_code"], name="campaign_region", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.congress_id and not self.region_code:
            self.region_code = self.congress.region.code
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:campaign", args=[self.pk])


class CampaignUnit(TimeStamped):
    """A unit allowed to submit to a campaign, with its optional quota of submissions."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField(
        _("quota"), null=True, blank=True, help_text=_("Most submissions the unit may make; empty for no limit.")
    )

    class Meta:
        verbose_name = _("submitting unit")
        verbose_name_plural = _("submitting units")
        ordering = ["campaign", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_unit_once"),
            models.CheckConstraint(condition=Q(quota__isnull=True) | Q(quota__gte=1), name="campaign_unit_quota"),
        ]

    def __str__(self):
        return f"{self.unit} ({self.quota if self.quota else '—'})"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("case status", "draft")
    SUBMITTED = "submitted", pgettext_lazy("case status", "submitted")
    RETURNED = "returned", pgettext_lazy("case status", "returned for completion")
    REJECTED = "rejected", pgettext_lazy("case status", "rejected")


class Submission(TimeStamped):
    """A case a unit puts forward: its story, the deputies, suggestion or station it is about, its files."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences shown on the public vote page.")
    )
    narrative = models.TextField(_("narrative"), max_length=30000, blank=True)
    level = models.CharField(_("deputy level"), max_length=10, choices=Level.choices, blank=True)
    mandates = models.ManyToManyField(Mandate, verbose_name=_("deputies"), blank=True, related_name="+")
    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name=_("suggestion"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    station = models.ForeignKey(
        "liaison_stations.Station", verbose_name=_("liaison station"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    review_note = models.TextField(_("reason returned or rejected"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("case submission")
        verbose_name_plural = _("case submissions")
        ordering = ["campaign", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"),
            models.CheckConstraint(condition=Q(level="") | Q(level__in=Level.values), name="submission_level_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["returned", "rejected"]) | ~Q(review_note=""),
                name="submission_review_has_reason",
                violation_error_message=_("A returned or rejected case records why."),
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="submission_campaign_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:submission", args=[self.pk])

    @property
    def photo(self):
        """The first photo among the attachments (prefetch files to avoid a query per case)."""
        return next((item for item in self.files.all() if item.is_photo), None)


class SubmissionFile(TimeStamped):
    """A document or photo attached to a case; photos show on the public vote page."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")


class RoundKind(models.TextChoices):
    BALLOT = "ballot", _("ballot")
    QUOTA = "quota", _("recommendation by quota")
    MEETING = "meeting", _("meeting vote")
    WEIGHTED = "weighted", _("weighted score")
    APPROVAL = "approval", _("approval")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round status", "being prepared")
    OPEN = "open", pgettext_lazy("round status", "open")
    CLOSED = "closed", pgettext_lazy("round status", "closed")
    DECIDED = "decided", pgettext_lazy("round status", "decided")


class Round(TimeStamped):
    """One stage of a campaign; it takes the previous round's survivors and passes on its own."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="rounds")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("method"), max_length=10, choices=RoundKind.choices)
    name = models.CharField(_("name"), max_length=100)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    advance = models.PositiveSmallIntegerField(
        _("cases going on"), null=True, blank=True, help_text=_("The top N go on to the next round.")
    )
    approvals_per_voter = models.PositiveSmallIntegerField(
        _("approvals per voter"), null=True, blank=True, help_text=_("Each voter approves at most this many cases.")
    )
    quota_per_level = models.PositiveSmallIntegerField(
        _("recommendations per deputy level"), null=True, blank=True,
        help_text=_("Each committee recommends at most this many cases of each deputy level."),
    )  # fmt: skip
    online_weight = models.DecimalField(_("weight of the online vote (%)"), max_digits=5, decimal_places=2, null=True)
    panel_weight = models.DecimalField(_("weight of the panel score (%)"), max_digits=5, decimal_places=2, null=True)
    public_vote = models.BooleanField(_("public online vote"), default=False)
    show_live_totals = models.BooleanField(_("show live totals to the public"), default=False)
    tie_slots = models.JSONField(
        _("places to fill by decision"), default=dict, blank=True, editable=False,
        help_text=_("For each group tied at the cut-off, how many of the tied cases go on."),
    )  # fmt: skip
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="round_position_unique"),
            models.CheckConstraint(condition=Q(kind__in=RoundKind.values), name="round_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RoundStatus.values), name="round_status_valid"),
            models.CheckConstraint(condition=Q(position__gte=1), name="round_position_positive"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="round_window_ordered",
                violation_error_message=_("A round must close after it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["ballot", "meeting"]) | Q(approvals_per_voter__gte=1, advance__gte=1),
                name="round_ballot_configured",
                violation_error_message=_("A ballot or meeting vote needs approvals per voter and cases going on."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="quota") | Q(quota_per_level__gte=1),
                name="round_quota_configured",
                violation_error_message=_("A recommendation round needs its quota per deputy level."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="weighted")
                | Q(
                    advance__gte=1,
                    online_weight__gte=0,
                    panel_weight__gte=0,
                    online_weight__lte=100,
                    panel_weight__lte=100,
                ),
                name="round_weighted_configured",
                violation_error_message=_("A weighted score needs both weights and cases going on."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(public_vote=False) | Q(kind="weighted"),
                name="round_public_vote_only_weighted",
                violation_error_message=_("Only a weighted-score round has a public online vote."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["closed", "decided"]) | Q(closed_at__isnull=True), name="round_closed_at"
            ),
            models.CheckConstraint(
                condition=Q(status="decided", decided_at__isnull=False) | (~Q(status="decided") & Q(decided_at=None)),
                name="round_decided_at",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.position}. {self.name}"

    def get_absolute_url(self):
        return reverse("cases:round", args=[self.pk])

    @property
    def is_ballot(self) -> bool:
        return self.kind in (RoundKind.BALLOT, RoundKind.MEETING, RoundKind.QUOTA)


class Outcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("round outcome", "pending")
    ADVANCED = "advanced", pgettext_lazy("round outcome", "goes on")
    ELIMINATED = "eliminated", pgettext_lazy("round outcome", "not selected")
    TIED = "tied", pgettext_lazy("round outcome", "tied at the cut-off")
    STRUCK = "struck", pgettext_lazy("round outcome", "struck")


class Entry(models.Model):
    """A case in a round: put there when the round opens (the previous round's survivors), with its tally."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    submission = models.ForeignKey(Submission, verbose_name=_("case"), on_delete=models.PROTECT, related_name="entries")
    votes = models.PositiveIntegerField(_("votes"), default=0)
    online_votes = models.PositiveIntegerField(_("online votes"), default=0)
    online_score = models.DecimalField(_("online score"), max_digits=7, decimal_places=4, null=True, blank=True)
    panel_score = models.DecimalField(_("panel score"), max_digits=7, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    # The group a cut-off is made in: the deputy level in a recommendation round, "" otherwise.
    tie_group = models.CharField(_("tie group"), max_length=10, blank=True)
    note = models.CharField(_("reason struck"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("case in a round")
        verbose_name_plural = _("cases in rounds")
        ordering = ["round", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="entry_once_per_round"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="entry_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome="struck") | ~Q(note=""),
                name="entry_struck_has_reason",
                violation_error_message=_("A struck case records why."),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.submission}"


class Voter(models.Model):
    """Someone listed to vote, recommend or score in a round; a recommendation round's voter acts for a
    committee. Casting the ballot once stamps cast_at."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("voter"), on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        Organisation, verbose_name=_("committee"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("ballot cast at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="voter_once_per_round")]

    def __str__(self):
        return f"{self.user} ({self.committee})" if self.committee_id else str(self.user)


class Ballot(models.Model):
    """One voter's approval (or a committee's recommendation) of one case in a round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="ballots")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "voter", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "voter", "submission"], name="ballot_once")]
        indexes = [models.Index(fields=["round", "submission"], name="ballot_tally")]

    def __str__(self):
        return f"{self.voter} → {self.submission_id}"


class Criterion(models.Model):
    """One item a panel scores the cases of a weighted round against, with its full marks."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=150)
    max_points = models.PositiveSmallIntegerField(_("full marks"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["round", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="criterion_once_per_round"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class Score(models.Model):
    """A judge's points for one case against one criterion."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="scores")
    judge = models.ForeignKey(Voter, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="scores")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(_("scored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        ordering = ["round", "judge", "submission", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["judge", "submission", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]
        indexes = [models.Index(fields=["round", "submission"], name="score_tally")]

    def __str__(self):
        return f"{self.judge} · {self.submission_id} · {self.criterion_id}: {self.points}"


class PublicVote(models.Model):
    """One citizen's online vote. The slot numbers a phone's votes of the day in a round (1 … the policy's
    daily limit), and (round, phone, day, slot) is unique: two concurrent requests from one phone can
    never both take the same place, so the daily limit holds without a lock."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="public_votes")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    phone_hash = models.CharField(max_length=64)
    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        constraints = [
            models.UniqueConstraint(fields=["round", "phone_hash", "day", "slot"], name="public_vote_daily_slot"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="public_vote_slot_positive"),
        ]
        # Counting: an index-only scan per round and candidate.
        indexes = [models.Index(fields=["round", "submission"], name="public_vote_tally")]

    def __str__(self):
        return f"{self.round_id} → {self.submission_id} ({self.day})"


class PhoneCheck(models.Model):
    """A code sent by SMS to a citizen's phone before they may vote; only hashes are kept."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        indexes = [models.Index(fields=["campaign", "phone_hash", "-created_at"], name="phone_check_latest")]

    def __str__(self):
        return f"{self.campaign_id}:{self.phone_hash[:8]}"


class DecisionKind(models.TextChoices):
    TIE = "tie", _("tie at the cut-off broken")
    STRIKE = "strike", _("case struck")
    CONFIRM = "confirm", _("list confirmed")


class Decision(TimeStamped):
    """A recorded decision on a round: who broke a tie and why, which cases the council struck, the
    confirmation of the final list."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=8, choices=DecisionKind.choices)
    tie_group = models.CharField(_("tie group"), max_length=10, blank=True)
    # The cases the decision names (chosen to go on, struck, confirmed): ids fixed with the decision.
    submission_ids = models.JSONField(_("cases"), default=list, blank=True)
    reason = models.TextField(_("reason"), max_length=3000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("round decision")
        verbose_name_plural = _("round decisions")
        ordering = ["round", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="decision_has_reason",
                violation_error_message=_("A decision records its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.get_kind_display()}"


class Award(TimeStamped):
    """A case selected as excellent when its campaign finished, with its final rank and score."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="awards")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="award")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("final score"), max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("excellent case")
        verbose_name_plural = _("excellent cases")
        ordering = ["campaign", "rank", "id"]

    def __str__(self):
        return f"{self.campaign}: {self.rank}. {self.submission}"


def audited_models():
    return [
        (Campaign, {}),
        (CampaignUnit, {}),
        (Submission, {"m2m_fields": {"mandates"}}),
        (Round, {}),
        (Voter, {}),
        (Criterion, {}),
        (Entry, {}),
        (Decision, {}),
        (Award, {}),
    ]
