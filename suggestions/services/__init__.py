"""Every write on suggestions, one function per user action, by phase: drafting (the deputy's drafts, co-signers,
submission), review (the office's acceptance, merging and assignment), handling (the units' work and reply),
closing (feedback, disputes, follow-up, publication) and supervision (key items, reminders).

The deputy's form, the staff and unit pages, the console and the API call these. Each action locks its rows (in
primary-key order when several), and carries its transition out through workflow.py's tables
(congress.transitions): who may, from which state, the deadlines it opens and closes, the audit entry and the
notices, all in the action's one transaction."""

from .closing import (
    close,
    give_feedback,
    lapse_feedback,
    object_to_disclosure,
    publish,
    report_solved,
    scrub,
)
from .common import current_reply, group, officers_of, session_for
from .compilations import (
    start_assignment_list,
    start_reply_compilation,
    start_suggestion_compilation,
    write_assignment_list,
    write_reply_compilation,
    write_suggestion_compilation,
)
from .drafting import (
    DRAFT_FIELDS,
    add_attachments,
    create_draft,
    draft_from_opinion,
    intake,
    motion_threshold,
    prepare_draft,
    remove_attachment,
    respond_cosign,
    save_draft,
    save_form,
    signatures,
    submit,
    withdraw,
)
from .handling import (
    allowed_results,
    confirm_receipt,
    contact_card,
    decide_extension,
    decide_reassignment,
    deputy_to_contact,
    extension_room,
    may_contact_deputy,
    reassign_window_end,
    reassign_window_ends,
    record_contact,
    reply,
    request_extension,
    request_reassignment,
    reveal_deputy_phone,
    save_plan,
    send_co_opinion,
)
from .letters import letter_batches, reply_letter_draft, start_assignment_letters, write_assignment_letters
from .notices import notice_file, overdue_units, start_reminder_letters, write_reminder_letters
from .review import (
    BULK_ASSIGN_JOB,
    accept,
    assign,
    bulk_assign,
    check_unit_plan,
    convert_motion,
    decline,
    merge,
    return_for_revision,
    run_bulk_assign,
    save_category,
    start_bulk_assign,
)
from .supervision import add_progress, close_key_item, remind, remind_units, save_key_item

__all__ = [
    "BULK_ASSIGN_JOB", "DRAFT_FIELDS", "accept", "add_attachments", "add_progress", "allowed_results", "assign",
    "bulk_assign", "check_unit_plan", "close", "close_key_item", "confirm_receipt", "convert_motion", "create_draft",
    "contact_card", "current_reply", "decide_extension", "decide_reassignment", "decline", "deputy_to_contact",
    "draft_from_opinion", "extension_room", "give_feedback", "may_contact_deputy",
    "group", "intake", "lapse_feedback", "merge", "motion_threshold", "object_to_disclosure", "officers_of",
    "prepare_draft", "publish", "reassign_window_end", "reassign_window_ends", "record_contact", "remind",
    "remind_units", "remove_attachment", "reply", "report_solved", "reveal_deputy_phone",
    "request_extension", "request_reassignment", "respond_cosign", "return_for_revision", "run_bulk_assign",
    "save_category", "save_draft", "save_form", "save_key_item", "save_plan", "scrub", "send_co_opinion", "session_for",
    "signatures", "start_assignment_letters", "start_bulk_assign", "letter_batches",
    "write_assignment_letters", "reply_letter_draft", "submit", "withdraw",
    "notice_file", "overdue_units", "start_reminder_letters", "write_reminder_letters",
]  # fmt: skip
__all__ += [
    "start_assignment_list", "start_reply_compilation", "start_suggestion_compilation", "write_assignment_list",
    "write_reply_compilation", "write_suggestion_compilation",
]  # fmt: skip
