"""Every rule value the apps use, declared once with its default; congresses override them in PolicyValue."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from . import refcache

WORKDAYS = "workdays"
MONTHS = "months"
DAYS = "days"
COUNT = "count"
PERCENT = "percent"

UNIT_LABELS = {
    WORKDAYS: gettext_lazy("working days"),
    MONTHS: gettext_lazy("months"),
    DAYS: gettext_lazy("calendar days"),
    COUNT: gettext_lazy("count"),
    PERCENT: gettext_lazy("percent"),
}


@dataclass(frozen=True)
class Policy:
    key: str
    unit: str
    default: int | float
    label: str
    by_level: dict = field(default_factory=dict)
    maximum: int | None = None
    minimum: int = 0

    def default_for(self, level: str | None) -> int | Decimal:
        value = self.by_level.get(level, self.default)
        return Decimal(str(value)) if self.unit == PERCENT else value

    def validate(self, value) -> None:
        value = Decimal(value)
        if value < self.minimum:
            raise ValueError(gettext("The value must be at least %(min)s.") % {"min": self.minimum})
        if self.maximum is not None and value > self.maximum:
            raise ValueError(gettext("The value must be at most %(max)s.") % {"max": self.maximum})
        if self.unit != PERCENT and value != value.to_integral_value():
            raise ValueError(
                gettext("The value must be a whole number of %(unit)s.") % {"unit": UNIT_LABELS[self.unit]}
            )


DEFINITIONS = [
    # Suggestions
    Policy("suggestion.assign_period", WORKDAYS, 5, _("Assignment period for suggestions submitted between sessions")),
    Policy(
        "suggestion.assign_from_acceptance",
        COUNT,
        0,
        _("Assignment period counted from (0 = the deputy's submission, 1 = the staff's acceptance)"),
        maximum=1,
    ),
    Policy("suggestion.receipt_period", WORKDAYS, 3, _("Period for a unit to confirm receipt of an assignment")),
    Policy("suggestion.reassign_window", WORKDAYS, 5, _("Window for a unit to ask for re-assignment")),
    Policy("suggestion.co_opinion_period", MONTHS, 1, _("Period for co-handling units to send their opinion")),
    Policy(
        "suggestion.reply_before_co_opinions",
        COUNT,
        1,
        _("The lead unit may reply before every co-handling unit has sent its opinion (1 = yes, 0 = no)"),
        maximum=1,
    ),
    Policy("suggestion.reply_period", MONTHS, 3, _("Reply period from assignment")),
    Policy("suggestion.reply_max_period", MONTHS, 6, _("Longest reply period with extensions")),
    Policy("suggestion.feedback_period", WORKDAYS, 20, _("Period for the deputy's feedback")),
    Policy(
        "suggestion.no_response_satisfied",
        COUNT,
        0,
        _("A reply left without feedback in the period counts as satisfied in the statistics (1 = yes, 0 = no)"),
        maximum=1,
    ),
    Policy("suggestion.rehandle_period", MONTHS, 1, _("Period for a new reply after dissatisfied feedback")),
    Policy(
        "suggestion.rehandle_rounds",
        COUNT,
        1,
        _("Re-handling rounds after dissatisfied feedback (once they are used up, staff close it by decision)"),
    ),
    Policy("suggestion.disclosure_period", WORKDAYS, 20, _("Period to publish a reply after replying")),
    Policy(
        "suggestion.result_categories",
        COUNT,
        4,
        _("Number of reply result categories (3 = A-C, 4 = A-D)"),
        minimum=3,
        maximum=4,
    ),
    Policy(
        "motion.cosigner_threshold",
        COUNT,
        10,
        _("Deputies needed to co-sign a motion"),
        by_level={"national": 30, "township": 5},
        minimum=1,
    ),
    # Deputies' motions go to the congress at its session (会议期间); some places take them between sessions too.
    Policy(
        "motion.between_sessions",
        COUNT,
        0,
        _("Motions may be submitted between sessions (1 = allowed, 0 = only for a session)"),
        maximum=1,
    ),
    Policy(
        "suggestion.amber_period",
        WORKDAYS,
        7,
        _("Working days before a reply is due when the unit's traffic light turns amber"),
    ),
    Policy("supervision.key_items_per_year", COUNT, 20, _("Key supervision items per year (a target, not a limit)")),
    Policy(
        "supervision.government_led_per_year",
        COUNT,
        1,
        _("Key supervision items led personally by government leaders per year"),
    ),
    # Reminders
    Policy("reminder.first_before", WORKDAYS, 7, _("First reminder before a deadline")),
    Policy("reminder.second_before", WORKDAYS, 2, _("Second reminder before a deadline")),
    Policy(
        "calendar.warn_from_month",
        COUNT,
        10,
        _("Month from which staff are warned that next year's holiday schedule is missing"),
        minimum=1,
        maximum=12,
    ),
    # Stations
    Policy("station.visits_per_year", COUNT, 4, _("Station visits per deputy per year")),
    Policy("station.receptions_per_year", COUNT, 2, _("Receptions per deputy per year")),
    Policy("station.reception_notice", DAYS, 3, _("Notice before a reception day")),
    Policy("station.voter_contacts_per_year", COUNT, 10, _("Voter contacts per deputy per year")),
    Policy("station.reports_per_year", COUNT, 1, _("Reports to voters per deputy per year")),
    Policy("station.group_activities_per_quarter", COUNT, 1, _("Deputy-group activities per deputy per quarter")),
    # Deputies behind the share of a yearly quota due by the end of a quarter are reminded then.
    Policy("station.quota_share_q1", PERCENT, 25, _("Share of a yearly quota due by the end of March"), maximum=100),
    Policy("station.quota_share_q2", PERCENT, 50, _("Share of a yearly quota due by the end of June"), maximum=100),
    Policy("station.quota_share_q3", PERCENT, 75, _("Share of a yearly quota due by September"), maximum=100),
    Policy(
        "station.unstationed_visits",
        COUNT,
        1,
        _("Visits at a station where the deputy is not stationed (1 = allowed and flagged, 0 = refused)"),
        maximum=1,
    ),
    Policy("station.star_5_score", COUNT, 90, _("Evaluation score for five stars"), maximum=100),
    Policy("station.star_4_score", COUNT, 80, _("Evaluation score for four stars"), maximum=100),
    Policy("station.star_3_score", COUNT, 70, _("Evaluation score for three stars"), maximum=100),
    Policy("station.star_2_score", COUNT, 60, _("Evaluation score for two stars"), maximum=100),
    Policy("station.star_1_score", COUNT, 50, _("Evaluation score for one star (below it: no star)"), maximum=100),
    Policy("opinion.triage_period", WORKDAYS, 3, _("Period to triage a citizen opinion")),
    Policy("opinion.referral_period", WORKDAYS, 15, _("Period for a referred citizen opinion to be answered")),
    Policy(
        "opinion.feedback_period", WORKDAYS, 5, _("Period to give the citizen feedback once an opinion has its answer")
    ),
    # Roster and duty
    Policy("contact.per_year", COUNT, 2, _("Contacts per assigned deputy per year by a committee member")),
    Policy(
        "duty.points_base",
        COUNT,
        40,
        _("Base score of the yearly duty evaluation, before items and deductions"),
        maximum=100,
    ),
    Policy(
        "contact.remind_from_month",
        COUNT,
        10,
        _("Month from which committee members are reminded of deputies below the contact quota"),
        minimum=1,
        maximum=12,
    ),
    Policy("duty.points_good", COUNT, 80, _("Points for a good yearly evaluation"), maximum=100),
    Policy("duty.points_fair", COUNT, 60, _("Points for a fair yearly evaluation"), maximum=100),
    # Composition of the roster compared with the official statistics (14th NPC shares by default)
    Policy(
        "composition.women_share", PERCENT, 26.54, _("Share of women deputies in the official statistics"), maximum=100
    ),
    Policy(
        "composition.minority_share",
        PERCENT,
        14.85,
        _("Share of ethnic-minority deputies in the official statistics"),
        maximum=100,
    ),
    Policy(
        "composition.worker_farmer_share",
        PERCENT,
        16.69,
        _("Share of front-line workers and farmers in the official statistics"),
        maximum=100,
    ),
    # Training
    Policy("training.confirm_period", WORKDAYS, 5, _("Period for a nominated deputy to confirm a training place")),
    Policy(
        "training.checkin_margin_minutes",
        COUNT,
        30,
        _("Minutes before a sitting starts and after it ends in which check-in is open"),
    ),
    Policy(
        "training.induction_warning_days",
        DAYS,
        30,
        _("Days before an annual plan ends when new deputies still without induction are reminded"),
    ),
    # Activities
    Policy(
        "activities.checkin_margin_minutes",
        COUNT,
        30,
        _("Minutes before an activity's sitting starts and after it ends in which check-in is open"),
    ),
    Policy("activities.reports_per_term", COUNT, 1, _("Reports to voters each deputy gives per term"), minimum=1),
    Policy(
        "activities.report_reminder_days",
        DAYS,
        365,
        _("Days before a term ends from which deputies without their report to voters are reminded"),
    ),
    Policy(
        "activities.invitation_reminder_days",
        DAYS,
        3,
        _("Days after an invitation was sent when a deputy who has not answered it is reminded (once)"),
        minimum=1,
    ),
    # Livelihood-project vote: 10 projects are chosen from 13 to 15 candidates (10 + 30 % to 10 + 50 %, rounded up),
    # each by more than half of the deputies present.
    Policy(
        "livelihood.majority_percent",
        PERCENT,
        50,
        _("Share of the deputies present a livelihood project must get more than to be chosen"),
        maximum=100,
    ),
    Policy(
        "livelihood.extra_candidates_min_percent",
        PERCENT,
        30,
        _("Candidates put to the livelihood vote beyond the projects to choose: at least this share more"),
        maximum=500,
    ),
    Policy(
        "livelihood.extra_candidates_max_percent",
        PERCENT,
        50,
        _("Candidates put to the livelihood vote beyond the projects to choose: at most this share more"),
        maximum=500,
    ),
    # Year-end appraisal: a project fails when more than this share of the deputies' ratings is 不满意; its
    # department then has this many working days to correct it.
    Policy(
        "livelihood.unsatisfied_percent",
        PERCENT,
        50,
        _("Share of the deputies' ratings of a livelihood project that may be dissatisfied before it fails"),
        maximum=100,
    ),
    Policy(
        "livelihood.correction_period",
        WORKDAYS,
        60,
        _("Period for a department to correct a livelihood project the deputies found unsatisfactory"),
    ),
    # Carrying out: a quarter's progress report is filed and corrected from the quarter's first day until so many
    # working days after its last.
    Policy(
        "livelihood.report_grace_workdays",
        WORKDAYS,
        10,
        _("Working days after a quarter ends during which its livelihood progress report can still be filed"),
        maximum=60,
    ),
    # SMS: no text at night but a verification code (asked for by the person right then); a phone gets at most so
    # many texts a day, the rest the next day.
    Policy(
        "sms.quiet_from_hour",
        COUNT,
        21,
        _("Hour (local time) from which no SMS is sent, except verification codes"),
        maximum=23,
    ),
    Policy("sms.quiet_until_hour", COUNT, 8, _("Hour (local time) at which SMS held overnight are sent"), maximum=23),
    Policy(
        "sms.texts_per_phone_day",
        COUNT,
        10,
        _("Texts one phone receives a day (more wait until the next day; verification codes have their own limit)"),
        minimum=1,
    ),
    # Cases
    Policy("cases.public_votes_per_phone_day", COUNT, 1, _("Public votes one phone may cast per campaign per day")),
    Policy("cases.public_votes_per_address_hour", COUNT, 60, _("Public votes one network address may cast per hour")),
    Policy("cases.online_vote_weight", PERCENT, 20, _("Weight of the public online vote"), maximum=100),
    Policy("cases.panel_weight", PERCENT, 80, _("Weight of the panel score"), maximum=100),
    Policy("cases.verified_phone_minutes", COUNT, 30, _("Minutes a phone stays verified for public votes"), minimum=1),
    Policy("cases.sms_code_minutes", COUNT, 10, _("Minutes an SMS verification code stays valid"), minimum=1),
    Policy("cases.sms_code_attempts", COUNT, 5, _("Wrong guesses before an SMS verification code is spent"), minimum=1),
]
REGISTRY = {definition.key: definition for definition in DEFINITIONS}


def policy(congress, key: str) -> int | Decimal:
    """The value of a policy for a congress: its override, else the default for its level."""
    definition = REGISTRY[key]
    override = overrides_of(getattr(congress, "pk", congress)).get(key) if congress is not None else None
    if override is None:
        return definition.default_for(getattr(congress, "level", None))
    return override if definition.unit == PERCENT else int(override)


def cache_name(congress_id: int) -> str:
    return f"policies:{congress_id}"


def overrides_of(congress_id: int) -> dict:
    """A congress's overrides {key: value}, from this process's copy while none changed (congress.refcache):
    every deadline opened and every public vote reads them."""
    from .models import PolicyValue

    def read():
        return dict(PolicyValue.objects.filter(congress_id=congress_id).order_by().values_list("key", "value"))

    return refcache.get(cache_name(congress_id), read)


def per_congress(key: str, congress_ids) -> dict:
    """The value of a policy for each of the congresses, by id: one query, two when it differs by level."""
    from .models import Congress, PolicyValue

    ids = set(congress_ids)
    definition = REGISTRY[key]
    overrides = dict(PolicyValue.objects.filter(key=key, congress_id__in=ids).values_list("congress_id", "value"))
    levels = dict(Congress.objects.filter(pk__in=ids).values_list("pk", "level")) if definition.by_level else {}
    values = {}
    for pk in ids:
        value = overrides.get(pk)
        if value is None:
            values[pk] = definition.default_for(levels.get(pk))
        else:
            values[pk] = value if definition.unit == PERCENT else int(value)
    return values


class Resolver:
    """A policy's value for any congress by id, from one read of its overrides: for sweeps over every congress."""

    def __init__(self, key: str):
        from .models import Congress, PolicyValue

        self.definition = REGISTRY[key]
        self.overrides = dict(PolicyValue.objects.filter(key=key).values_list("congress_id", "value"))
        self.levels = dict(Congress.objects.values_list("pk", "level")) if self.definition.by_level else {}

    def __call__(self, congress_id):
        value = self.overrides.get(congress_id)
        if value is None:
            return self.definition.default_for(self.levels.get(congress_id))
        return value if self.definition.unit == PERCENT else int(value)

    def largest(self):
        """The largest value any congress has."""
        defaults = [self.definition.default_for(level) for level in {None, *self.definition.by_level}]
        return max([*defaults, *(self(pk) for pk in self.overrides)])


def partition(keys, combine, field: str = "congress") -> dict:
    """The congresses grouped by what combine(value of each policy in keys) makes of their values, as {result: Q on
    `field`}: a congress that overrides one of the policies by its id, the others by their level's default. A sweep
    over every deputy then filters in SQL (`count < target` per group) instead of resolving each row in Python."""
    from django.db.models import Q

    from .models import Level

    resolvers = [Resolver(key) for key in keys]
    overridden = set().union(*(resolver.overrides for resolver in resolvers))
    ids: dict = {}
    for pk in overridden:
        ids.setdefault(combine(*(resolver(pk) for resolver in resolvers)), []).append(pk)
    levels: dict = {}
    for level in Level.values:
        levels.setdefault(combine(*(r.definition.default_for(level) for r in resolvers)), []).append(level)
    groups = {}
    for value in {*ids, *levels}:
        by_level = Q(**{f"{field}__level__in": levels.get(value, [])}) & ~Q(**{f"{field}__in": overridden})
        groups[value] = Q(**{f"{field}__in": ids.get(value, [])}) | by_level
    return groups


def effective(congress) -> list[dict]:
    """Every policy with its effective value for a congress, for the console and the API."""
    from .models import PolicyValue

    overrides = dict(PolicyValue.objects.filter(congress=congress).values_list("key", "value"))
    rows = []
    for definition in DEFINITIONS:
        default = definition.default_for(congress.level)
        value = overrides.get(definition.key, default)
        rows.append(
            {
                "key": definition.key,
                "label": str(definition.label),
                "unit": definition.unit,
                "default": default,
                "value": value if definition.unit == PERCENT else int(value),
                "overridden": definition.key in overrides,
            }
        )
    return rows
