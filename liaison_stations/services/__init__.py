"""Every write on the station network: the console, the web pages, the public forms and the API call these.

By phase: network (stations, stationing), receptions (reception days, visits, the visit-quota reminder),
attendance (deputies recorded present at a held reception day, confirmed by them), intake (citizens' opinions
coming in, tracking), handling (triage, the unit's reply, feedback) and ratings (stars and honours). State changes
go through the tables in workflow.py; who is told what is in notices.py."""

from ..workflow import FEEDBACK_DEADLINE, REFERRAL_DEADLINE, TRIAGE_DEADLINE
from .attendance import confirm_attendance, decline_attendance, mark_present
from .handling import give_feedback, note_suggestion_outcome, remind_handlers, triage, unit_reply
from .intake import deputy_station, qr_code_for, record_opinion, submit_opinion, track
from .network import (
    congress_for_region,
    end_stationing,
    save_station,
    station_deputies,
    station_region,
    sync_manager_roles,
)
from .ratings import evaluate_station, record_honour, seed_checklist, stars_for
from .receptions import (
    cancel_reception,
    check_in,
    is_held_possible,
    is_stationed,
    plan_reception,
    publish_reception,
    record_reception,
    remind_duty_quotas,
    remind_visit_quota,
)

__all__ = [
    "FEEDBACK_DEADLINE",
    "REFERRAL_DEADLINE",
    "TRIAGE_DEADLINE",
    "cancel_reception",
    "check_in",
    "confirm_attendance",
    "is_held_possible",
    "congress_for_region",
    "decline_attendance",
    "deputy_station",
    "end_stationing",
    "evaluate_station",
    "give_feedback",
    "is_stationed",
    "mark_present",
    "note_suggestion_outcome",
    "plan_reception",
    "publish_reception",
    "qr_code_for",
    "record_honour",
    "record_opinion",
    "record_reception",
    "remind_duty_quotas",
    "remind_handlers",
    "remind_visit_quota",
    "save_station",
    "seed_checklist",
    "stars_for",
    "station_deputies",
    "station_region",
    "submit_opinion",
    "sync_manager_roles",
    "track",
    "triage",
    "unit_reply",
]
