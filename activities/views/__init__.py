"""Pages of activities, by who uses them: `portal` for the deputy (我的活动: invitations, check-in), `desk` for
staff (the list, one activity's desk, invitations by roster filter, the roll and its corrections)."""

from .desk import (
    activity,
    activity_action,
    attendance,
    finding_answer,
    finding_draft,
    finding_refer,
    invite,
    manage,
    material,
    report_coverage,
    sitting_qr,
    voter_report,
)
from .experts import (
    expert,
    expert_answer,
    expert_archive,
    expert_contact,
    expert_edit,
    expert_pools,
    experts,
    invite_experts,
)
from .exports import findings_export, manage_export, report_coverage_export, roster_export
from .portal import answer, check_in, check_in_link, mine

__all__ = ["activity", "activity_action", "answer", "attendance", "check_in", "check_in_link", "expert",
           "expert_answer", "expert_archive", "expert_contact", "expert_edit", "expert_pools", "experts",
           "finding_answer", "finding_draft", "finding_refer", "findings_export", "invite", "invite_experts", "manage",
           "manage_export", "material", "mine", "report_coverage", "report_coverage_export", "roster_export",
           "sitting_qr", "voter_report"]  # fmt: skip
