"""Standard code lists (see shared/docs/reference-data.md), seeded by a data migration."""

ETHNIC_GROUPS = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
    "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
    "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
    "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]  # fmt: skip
ETHNIC_CODES = {f"{index:02d}": name for index, name in enumerate(ETHNIC_GROUPS, start=1)}

PARTIES = {
    "01": "中国共产党党员", "02": "中国共产党预备党员", "03": "共青团员", "04": "民革党员", "05": "民盟盟员",
    "06": "民建会员", "07": "民进会员", "08": "农工党党员", "09": "致公党党员", "10": "九三学社社员",
    "11": "台盟盟员", "12": "无党派人士", "13": "群众",
}  # fmt: skip

# code, name, points, recorded by staff (the first catalogue, as migration 0002 seeded it; inspections and group
# activities are written by the activities app from attendance since activities 0002)
DUTY_KINDS = [
    ("session_attendance", "出席本级人民代表大会会议", "5", True),
    ("session_absence_half_day", "会议缺席（每半天）", "-1", True),
    ("guest_attendance", "列席常委会会议", "2", True),
    ("inspection", "参加视察、调研、执法检查", "3", False),
    ("group_activity", "参加代表小组活动", "2", False),
    ("report_to_voters", "向选民述职", "5", True),
    ("award", "获得表彰", "5", True),
    ("suggestion", "提出建议", "3", False),
    ("motion", "提出议案", "5", False),
    ("station_visit", "进站履职", "2", False),
    ("training", "参加学习培训（每学时）", "0.5", False),
    ("case_award", "优秀案例入选", "5", False),
]

# The default duty points catalogue (履职积分项目, 23 items, after one district's published list), copied into every
# congress's own catalogue. code, name, points per unit, yearly cap on the points the item adds or deducts (None:
# no cap), recorded by staff. A year's score is the base score (policy duty.points_base) plus what the items add,
# each up to its cap, minus the deductions, kept within 0–100.
POINTS_CATALOGUE = [
    ("session_attendance", "出席本级人民代表大会会议", "5", "10", True),
    ("session_speech", "大会审议发言", "2", "4", True),
    ("guest_attendance", "列席常委会会议", "2", "6", True),
    ("inspection", "参加视察、调研、执法检查", "3", "12", False),
    ("legislative_consultation", "参加立法调研、座谈、听证", "2", "6", True),
    ("special_inquiry", "参加专题询问、满意度测评", "2", "4", True),
    ("budget_review", "参与预算审查监督", "2", "4", True),
    ("group_activity", "参加代表小组活动", "2", "8", False),
    ("station_visit", "进站履职", "2", "8", False),
    ("voter_contact", "联系走访选民（每次）", "0.5", "5", True),
    ("report_to_voters", "向选民述职", "5", "5", True),
    ("suggestion", "提出建议", "3", "12", False),
    ("motion", "提出议案", "5", "10", False),
    ("key_supervision_item", "建议列为重点督办", "3", "6", True),
    ("livelihood_vote", "参加民生实事项目票决和监督", "2", "4", True),
    ("training", "参加学习培训（每学时）", "0.5", "10", False),
    ("award", "获得表彰", "5", "10", True),
    ("case_award", "优秀案例入选", "5", "10", False),
    ("publicity", "履职事迹被宣传报道", "1", "3", True),
    ("session_absence_half_day", "请假缺席大会（每半天）", "-1", None, True),
    ("session_absence_unexcused", "未经请假缺席大会（每次）", "-10", None, True),
    ("activity_absence_unexcused", "无故不参加闭会期间活动（每次）", "-2", None, True),
    ("discipline_breach", "违反代表履职纪律（每次）", "-5", None, True),
]

EDUCATION_LABELS = {
    "研究生": "postgraduate", "大学": "undergraduate", "大学本科": "undergraduate", "本科": "undergraduate",
    "大专": "college", "大学专科": "college", "中专": "secondary", "高中": "secondary", "中专或高中": "secondary",
    "初中及以下": "primary", "初中": "primary", "小学": "primary",
}  # fmt: skip
OCCUPATION_LABELS = {
    "一线工人、农民": "worker_farmer", "一线工人": "worker_farmer", "农民": "worker_farmer",
    "工人和农民": "worker_farmer", "专业技术人员": "professional", "党政领导干部": "cadre",
    "企业负责人": "manager", "解放军和武警": "military", "军人": "military", "其他": "other",
}  # fmt: skip
LEVEL_LABELS = {"全国": "national", "省级": "provincial", "设区的市级": "municipal", "市级": "municipal",
                "县级": "county", "乡级": "township", "乡镇级": "township"}  # fmt: skip
