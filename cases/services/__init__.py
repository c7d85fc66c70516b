"""Every write of the case selection: the staff, unit, voter and public pages, the console and the API call these.

One module per phase: campaigns (set up, open, close, publish the result), submissions (the units' cases),
rounds (configure, open, vote and score, close, decide) and public_vote (the citizens' vote by verified phone);
common holds what they share. Each action locks its rows (several: in primary-key order) and, inside its
transaction, asks its workflow machine (workflow.py) whether the actor may and the state allows, changes the
rows and lets the machine record the audit entry and store the notices in the outbox.

Callers use `from cases import services` and `services.<name>`: the names below are the package's surface. The
function services.public_vote hides the module of that name; import from cases.services.public_vote directly
to reach the module."""

from .campaigns import (
    CAMPAIGN_FIELDS,
    announce,
    close_submissions,
    create_campaign,
    finish,
    record_awards,
    update_campaign,
)
from .public_vote import (
    forget_vote_context,
    normalise_phone,
    phone_hash,
    public_vote,
    send_code,
    shows_codes,
    sms_available,
    verified_minutes,
    verify_code,
    vote_context,
    votes_left,
)
from .rounds import (
    ROUND_FIELDS,
    add_round,
    break_tie,
    cast_ballot,
    close_round,
    decide_round,
    open_round,
    score_case,
    strike,
    update_round,
)
from .submissions import (
    SUBMISSION_FIELDS,
    create_submission,
    reject_submission,
    remove_file,
    return_submission,
    save_submission,
    submit,
)

__all__ = [
    "CAMPAIGN_FIELDS",
    "ROUND_FIELDS",
    "SUBMISSION_FIELDS",
    "add_round",
    "announce",
    "break_tie",
    "cast_ballot",
    "close_round",
    "close_submissions",
    "create_campaign",
    "create_submission",
    "decide_round",
    "finish",
    "forget_vote_context",
    "normalise_phone",
    "open_round",
    "phone_hash",
    "public_vote",
    "record_awards",
    "reject_submission",
    "remove_file",
    "return_submission",
    "save_submission",
    "score_case",
    "send_code",
    "shows_codes",
    "sms_available",
    "strike",
    "submit",
    "update_campaign",
    "update_round",
    "verified_minutes",
    "verify_code",
    "vote_context",
    "votes_left",
]
