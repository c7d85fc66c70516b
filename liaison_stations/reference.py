"""The star-rating checklist every congress starts with (domain: fixed site and sign, posted rules and duty roster,
regular activities, records kept, results), with weights adding to 100; staff change it per congress afterwards."""

CHECKLIST = [
    ("固定场所和标识牌", 20),
    ("制度、职责和值班表上墙", 20),
    ("定期开展接待和活动", 25),
    ("台账资料完整规范", 15),
    ("意见办理和反馈成效", 20),
]
