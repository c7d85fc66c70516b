"""The first activity kinds (a code list staff extend), seeded by a data migration.
code, name, the duty item attending one earns (None: none)."""

ACTIVITY_KINDS = [
    ("inspection", "视察", "inspection"),
    ("research", "调研", "inspection"),
    ("law_enforcement_check", "执法检查", "inspection"),
    ("topical_inquiry", "专题询问", "special_inquiry"),
    ("appraisal", "满意度测评", "special_inquiry"),
    ("group_activity", "代表小组活动", "group_activity"),
    ("report_to_voters", "向选民述职", "report_to_voters"),
    ("other", "其他活动", None),
]

# Duty items activities now write from attendance: staff no longer type them in by hand (no double entry).
DERIVED_DUTY_KINDS = ["inspection", "group_activity"]
