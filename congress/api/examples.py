"""Worked examples for the OpenAPI document: what integration teams copy first (batches, intake, errors)."""

from drf_spectacular.utils import OpenApiExample


def _error(status: int, code: str, message: str, fields=None) -> dict:
    return {"status": status, "code": code, "message": message, "fields": fields or {}}


ERROR_EXAMPLES = {
    "400": _error(400, "validation_error", "部分字段无效。", {"id_number": ["公民身份号码校验位不正确。"]}),
    "401": _error(401, "not_authenticated", "身份认证信息未提供。"),
    "403": _error(403, "permission_denied", "您没有执行该操作的权限。"),
    "404": _error(404, "not_found", "未找到。"),
    "409": _error(409, "invalid_transition", "该建议当前为“已交办”状态，暂不能执行“受理”操作。"),
    "422": _error(422, "idempotency_key_reused", "该 Idempotency-Key 已用于其他请求，请为新请求使用新的幂等键。"),
    "429": _error(429, "throttled", "请求已被限流。 预计 12 秒后可用。"),
}

DEPUTY = {
    "name": "李秀兰", "gender": "F", "ethnic_group": "01", "birth_date": "1985-03-15",
    "id_number": "44010619850315002X", "party": "01", "education": "undergraduate", "occupation": "worker_farmer",
    "work_unit": "广州市天河区某街道社区卫生服务中心护士", "grassroots": True, "phone": "13912345678",
    "mandate": {"congress": 12, "term": 34, "start_date": "2021-11-10"},
}  # fmt: skip

DEPUTIES_BATCH = [
    OpenApiExample(
        "Two deputies, one refused (两名代表，一名被拒)",
        request_only=True,
        value={"items": [DEPUTY, {**DEPUTY, "name": "王强", "id_number": "440106198503150021", "gender": "M"}]},
    ),
    OpenApiExample(
        "Per-item result (逐条结果)",
        response_only=True,
        value={
            "created": 1,
            "failed": 1,
            "results": [
                {"index": 0, "status": "created", "id": 1201, "error": None},
                {"index": 1, "status": "error", "id": None, "error": ERROR_EXAMPLES["400"]},
            ],
        },  # fmt: skip
    ),
]

SUGGESTION = {
    "mandate": 5521, "kind": "suggestion", "title": "关于延长中小学课后服务时间的建议",
    "content": "目前课后服务结束时间早于多数家长下班时间，建议延长至18时，并增加经费保障。",
    "category": 3, "session": 7,
}  # fmt: skip

SUGGESTION_INTAKE = [OpenApiExample("A deputy's suggestion (代录一件建议)", request_only=True, value=SUGGESTION)]

SUGGESTIONS_BATCH = [
    OpenApiExample(
        "Suggestions pushed up from a county system (县级系统报送)",
        request_only=True,
        value={"items": [SUGGESTION, {**SUGGESTION, "title": "关于增设农村客运班线的建议", "category": 5}]},
    ),
    OpenApiExample(
        "Per-item result (逐条结果)",
        response_only=True,
        value={
            "created": 2,
            "failed": 0,
            "results": [
                {"index": 0, "status": "created", "id": 88101, "error": None},
                {"index": 1, "status": "created", "id": 88102, "error": None},
            ],
        },  # fmt: skip
    ),
]
