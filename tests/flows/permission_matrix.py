"""The permission matrix: for every address the project serves and every kind of user, allowed or denied.

Rows are keyed by URL name (``namespace:name``; API routes by their router name, e.g. ``suggestion-detail``) or,
for the few unnamed patterns, by their route; a row may have variants (another method, another object) under the
same key. Console (admin) pages are generated from the admin registry: each registered model gets its changelist,
add, change, history, audit-log, delete and bare-object rows, answered from one ``Console`` entry per model below.
tests/flows/test_permission_matrix.py checks that the rows and the URL patterns are the same set, so a new address
without a row fails, naming it.

Every question is asked of one world (tests/flows/permission_world.py): county A owns every object a row points
at; county B has the same people and nothing of A's.

How a response counts
---------------------
Denied: 401, 403 or 404; a redirect to a login or two-factor page; a console object page redirecting to the
console index (Django's answer for an object the user cannot see); or a ``congress.errors.Forbidden`` raised while
handling the request, even where an HTML view turned it into a message (the service refused the user).

Allowed, for a GET: any other 2xx or 3xx. A row may name a marker (``sees``): an API list then counts as allowed
only if the marked object's id is among its results, a page only if the marker text is on it, a console
changelist only if it links to the marked object. A list the user may open but that leaves A's object out is a
denial of that object, which is what the row asks about.

Allowed, for a write (POST actions and creates, PATCH, PUT, DELETE; each body is valid for the role the write is
meant for): any other 2xx or 3xx, or 400, 409 or 422 - the request got past authorisation and was refused, if at
all, by a rule or by the object's state (the one suggestion is already replied and published, so most of its
workflow actions answer 409 to the roles that may take them). Where a form offers only the choices in the user's
own scope, the refusal of another's object comes as a validation error; such rows say ``validation_denies`` and
there a validation error with no domain error behind it counts as denied.

Anything else (5xx, 405, a 400 on a GET) fails the cell as an error: the table cannot say what it means.

Roles
-----
anonymous; citizen (no account: a visitor whose session holds their opinion's tracking code and a phone verified
for the public vote); deputy_a / deputy_b; unit_officer_a / unit_officer_b (officers of each county's handling
unit); station_manager (of A's station); county_staff_a / county_staff_b; provincial_staff; supervisor (of county
A's congress, leader of A's key supervision item, voter in A's rounds, committee member assigned to deputy A).
API rows add integration clients of the provincial congress: client_with_scope holds exactly the scope the row
needs (``<area>:read`` for a GET, ``<area>:write`` for a write), client_without_scope every scope but that one,
client_no_scopes none; and client_other_county, every scope but of county B's congress. Other rows add
client_token: a bearer token sent to a page, which must count for nothing. Console model pages are asked of the
staff, anonymous, deputy_a and the supervisor only (CONSOLE_ROLES)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

ANON = "anonymous"
CITIZEN = "citizen"
DEP_A = "deputy_a"
DEP_B = "deputy_b"
UNIT_A = "unit_officer_a"
UNIT_B = "unit_officer_b"
MANAGER = "station_manager"
STAFF_A = "county_staff_a"
STAFF_B = "county_staff_b"
PROV = "provincial_staff"
SUP = "supervisor"
CLIENT = "client_with_scope"
CLIENT_WITHOUT = "client_without_scope"
CLIENT_NONE = "client_no_scopes"
CLIENT_B = "client_other_county"
TOKEN = "client_token"

PEOPLE = frozenset({DEP_A, DEP_B, UNIT_A, UNIT_B, MANAGER, STAFF_A, STAFF_B, PROV, SUP})
PERSON_ROLES = (ANON, CITIZEN, DEP_A, DEP_B, UNIT_A, UNIT_B, MANAGER, STAFF_A, STAFF_B, PROV, SUP)
WEB_ROLES = (*PERSON_ROLES, TOKEN)
API_ROLES = (*PERSON_ROLES, CLIENT, CLIENT_WITHOUT, CLIENT_NONE, CLIENT_B)
# The console's gate turns every account without the staff flag away alike, before any model page; the site rows
# (index, login, ...) ask it of every role, the model pages of the staff, of anonymous, of a deputy and of the
# supervisor (the widest reader without the flag).
CONSOLE_ROLES = (ANON, DEP_A, SUP, STAFF_A, STAFF_B, PROV)
CLIENTS = frozenset({CLIENT, CLIENT_WITHOUT, CLIENT_NONE, CLIENT_B})
EVERYONE = frozenset(WEB_ROLES) | frozenset(API_ROLES)
STAFF = frozenset({STAFF_A, STAFF_B, PROV})
NOBODY = frozenset()
# Who reads county A's records through the region tree: its staff, the province's, its supervisor.
REGION_A = frozenset({STAFF_A, PROV, SUP})
# Reference data (regions, congresses, bodies, stations, categories) of A's region tree.
REFERENCE_A = REGION_A | {DEP_A, UNIT_A, MANAGER}


@dataclass(frozen=True)
class Row:
    key: str
    allow: frozenset
    kind: str = "web"  # web, api or console
    method: str = "GET"
    variant: str = ""
    path: Callable | None = None  # world -> path, for rows without a name to reverse
    kwargs: Callable | None = None  # world.o -> URL kwargs
    query: Callable | None = None  # world.o -> query string parameters
    data: Callable | None = None  # world.o -> POST body
    multipart: bool = False  # API POST as multipart (files) rather than JSON
    area: str | None = None  # the API scope area a client needs
    sees: Callable | None = None  # world.o -> marker (API: an id in the results; pages: a text)
    sees_key: str = "id"  # the field of an API list item the marker is compared with
    validation_denies: bool = False
    statuses: frozenset = frozenset()  # further statuses that count as allowed (e.g. a probe's 503)
    redirects: bool = False  # any redirect is the page's success (login and logout pages)
    note: str = ""

    outsiders: bool = True  # asked of every role; console model pages only of CONSOLE_ROLES

    @property
    def roles(self):
        if self.kind == "api":
            return API_ROLES
        return WEB_ROLES if self.outsiders else CONSOLE_ROLES

    @property
    def id(self):
        return f"{self.key}[{self.variant}]" if self.variant else self.key


def _set(*groups):
    out = set()
    for group in groups:
        out |= {group} if isinstance(group, str) else set(group)
    return frozenset(out)


def page(key, *allow, **options):
    return Row(key, _set(*allow), **options)


def model_page(key, *allow, **options):
    return Row(key, _set(*allow), kind="console", outsiders=False, **options)


def post(key, *allow, **options):
    return Row(key, _set(*allow), method="POST", **options)


def api(key, *allow, area, **options):
    return Row(key, _set(*allow), kind="api", area=area, **options)


def api_post(key, *allow, area, **options):
    return Row(key, _set(*allow), kind="api", method="POST", area=area, **options)


def api_write(key, method, *allow, area, **options):
    """A create (POST on a list), change (PATCH or PUT) or delete on a resource route, as a variant of its row."""
    variant = {"POST": "create", "PATCH": "change", "PUT": "change", "DELETE": "delete"}[method]
    return Row(key, _set(*allow), kind="api", method=method, area=area, variant=variant, **options)


pk = {
    name: (lambda attr: lambda o: {"pk": getattr(o, attr).pk})(name)
    for name in (
        "livelihood_programme",
        "livelihood_published",
        "livelihood_proposal",
        "livelihood_candidate",
        "livelihood_decision",
        "livelihood_project",
        "livelihood_milestone",
        "livelihood_photo",
        "livelihood_report",
        "livelihood_supervision",
        "livelihood_visit",
        "livelihood_appraisal",
        "import_job",
        "mandate_a",
        "station",
        "stationing",
        "reception",
        "held_reception",
        "attendance",
        "opinion",
        "opinion_attachment",
        "suggestion",
        "cosigner",
        "suggestion_attachment",
        "reply",
        "key_item",
        "course",
        "enrolment",
        "sitting",
        "plan",
        "campaign",
        "invitation_unit",
        "round",
        "submission",
        "case_file",
        "region_a",
        "congress_a",
        "term_a",
        "session_a",
        "unit_a",
        "policy",
        "endpoint",
        "delivery",
        "person",
        "contact_record",
        "duty_entry",
        "assignment_contact",
        "visit",
        "rating",
        "assignment",
        "category",
        "reception_attendance",
        "poll_round",
        "cosigned",
        "poll",
        "material",
        "console_job",
        "draft",
        "draft_attachment",
        "draft_course",
        "draft_campaign",
        "draft_submission",
        "activity",
        "activity_invitation",
        "activity_sitting",
        "activity_material",
        "activity_finding",
        "referred_finding",
        "activity_attendance",
        "expert",
        "expert_participant",
        "expert_pool_p",
        "expert_p",
        "expert_participant_p",
        "activity_participant",
        "voter_meeting",
        "voter_report",
    )
}


def _person(o):
    return {"pk": o.mandate_a.person_id}


def _slug(o):
    return {"slug": o.station.slug}


def _poll(o):
    return {"slug": o.poll.slug}


def _challenge():
    from django.core import signing

    from congress import abuse

    return {"challenge": signing.dumps(7, salt=abuse.SALT), "answer": "7", "website": ""}


# Pages of the project itself (the core, the roster, stations, suggestions, training, cases).
WEB = [
    page("home", EVERYONE, note="anonymous visitors get the public front door, people their own landing page"),
    page("healthz", EVERYONE),
    page("readyz", EVERYONE, statuses=frozenset({503}), note="the probe answers 503 while a dependency is down"),
    page("login", EVERYONE),
    post("logout", EVERYONE, redirects=True),
    page("two_factor_verify", PEOPLE),
    page("two_factor_setup", PEOPLE),
    page("two_factor_backup", PEOPLE),
    post("two_factor_backup", PEOPLE, note="each person makes their own backup codes"),
    page("two_factor_sms_verify", PEOPLE),
    post("two_factor_sms_verify", PEOPLE, data=lambda o: {"send": "1"}, note="a code to one's own phone"),
    page("two_factor_sms_setup", PEOPLE),
    post("two_factor_sms_setup", PEOPLE, data=lambda o: {"phone": "13800138000"}, note="one's own phone"),
    page("two_factor_sms_confirm", STAFF_A, kwargs=lambda o: {"pk": o.sms_pending.pk}, note="only its owner"),
    post("two_factor_sms_confirm", STAFF_A, kwargs=lambda o: {"pk": o.sms_pending.pk}, data=lambda o: {"code": "0"}),
    post("two_factor_sms_remove", STAFF_A, kwargs=lambda o: {"pk": o.sms_device.pk}, note="only its owner"),
    page("password_reset", EVERYONE),
    page("password_reset_done", EVERYONE),
    page("password_reset_confirm", EVERYONE, kwargs=lambda o: {"uidb64": "MQ", "token": "set-password"}),
    page("password_reset_complete", EVERYONE),
    page("inbox", PEOPLE),
    post("mark_read", PEOPLE),
    page("notification_settings", PEOPLE, note="each person's own preference: the page takes no id"),
    post("notification_settings", PEOPLE, data=lambda o: {"sms": "on", "email": "on", "sms_accepted": "on"}),
    # The providers' receipt pushes: nobody's session or token counts, only the address's secret or the signature.
    post("sms_receipt_aliyun", kwargs=lambda o: {"token": "not-the-secret"}, data=lambda o: {}),
    post("sms_receipt_gateway", data=lambda o: {}),
    post("set_language", EVERYONE, data=lambda o: {"language": "en", "next": "/"}),
    page("schema", EVERYONE, note="the published OpenAPI document is public"),
    page("swagger-ui", EVERYONE),
    page("redoc", EVERYONE),
    # The roster
    page("deputies:public_roster", EVERYONE, note="the roster of serving deputies is public"),
    page("deputies:directory", STAFF_A, PROV, sees=lambda o: o.mandate_a.person.name),
    page("deputies:new", STAFF),
    page("deputies:export", STAFF),
    page("deputies:imports", STAFF),
    page("deputies:template", STAFF),
    page("deputies:import", STAFF_A, kwargs=pk["import_job"], note="an import is its uploader's"),
    page("deputies:import_progress", STAFF_A, kwargs=pk["import_job"]),
    post("deputies:import_confirm", STAFF_A, kwargs=pk["import_job"]),
    page("deputies:mandate_action", REGION_A - {SUP}, kwargs=pk["mandate_a"]),
    post(
        "deputies:mandate_action",
        STAFF_A,
        variant="post",
        kwargs=pk["mandate_a"],
        data=lambda o: {"action": "suspend", "date": "2026-06-09", "reason": "detained", "note": "依法暂停"},
    ),
    page("deputies:photo", DEP_A, REGION_A, kwargs=lambda o: {"pk": o.person.pk}),
    page("deputies:contacts", STAFF, SUP),
    page("deputies:my_contacts", SUP, note="the committee member's own assignments"),
    page("deputies:points", STAFF),
    page("deputies:my_record", DEP_A, DEP_B),
    page("deputies:groups", STAFF),
    page("deputies:group_new", STAFF),
    post(
        "deputies:group_new",
        STAFF_A,
        variant="post",
        data=lambda o: {
            "congress": o.congress_a.pk,
            "term": o.term_a.pk,
            "name": "法制专业小组",
            "kind": "professional",
            "remit": "法制",
        },
        validation_denies=True,
        note="staff make groups of their own congress only (the congress offered and the service's rule)",
    ),  # fmt: skip
    page("deputies:group", STAFF_A, kwargs=lambda o: {"pk": o.group.pk}, note="another congress's group is not found"),
    page("deputies:group_edit", STAFF_A, kwargs=lambda o: {"pk": o.group.pk}),
    post(
        "deputies:group_edit",
        STAFF_A,
        variant="post",
        kwargs=lambda o: {"pk": o.group.pk},
        data=lambda o: {"name": "第一代表小组", "kind": "regional", "remit": ""},
    ),
    post(
        "deputies:group_add",
        STAFF_A,
        kwargs=lambda o: {"pk": o.group.pk},
        data=lambda o: {"mandates": [o.colleague.pk]},
    ),
    post(
        "deputies:group_role",
        STAFF_A,
        kwargs=lambda o: {"pk": o.group_membership.pk},
        data=lambda o: {f"m{o.group_membership.pk}-role": "leader"},
    ),
    post("deputies:group_remove", STAFF_A, kwargs=lambda o: {"pk": o.group_membership.pk}),
    page(
        "deputies:duty_record",
        DEP_A,
        REGION_A,
        kwargs=pk["mandate_a"],
        query=lambda o: {"period": "year", "format": "docx"},
        note="the deputy's own record, or one the region's readers see; no ID number or phone in it",
    ),
    # Stations: public pages
    page("liaison_stations:directory", EVERYONE, sees=lambda o: o.station.name),
    page("liaison_stations:public_station", EVERYONE, kwargs=_slug),
    page("liaison_stations:public_opinion", EVERYONE, kwargs=_slug),
    page("liaison_stations:deputy_page", EVERYONE, kwargs=lambda o: {"token": o.qr.token}),
    page("liaison_stations:thanks", EVERYONE, note="without an opinion of this session it sends to the tracker"),
    page("liaison_stations:track", EVERYONE, query=lambda o: {"code": o.opinion.tracking_code, "phone_tail": "5678"}),
    page("liaison_stations:qr", EVERYONE, kwargs=lambda o: {"kind": "station", "token": o.station.slug}),
    # Stations: deputies
    page("liaison_stations:mine", DEP_A, DEP_B),
    page("liaison_stations:check_in_portal", DEP_A, DEP_B),
    page("liaison_stations:check_in", DEP_A, DEP_B, kwargs=_slug, note="any deputy checks in from a station's code"),
    # Stations: managers and staff
    page("liaison_stations:manage", MANAGER, STAFF),
    page("liaison_stations:desk", MANAGER, STAFF_A, kwargs=pk["station"]),
    page("liaison_stations:station_deputies", MANAGER, STAFF_A, kwargs=pk["station"]),
    page("liaison_stations:station_ledger", MANAGER, STAFF_A, kwargs=pk["station"]),
    post(
        "liaison_stations:station_ledger",
        MANAGER,
        STAFF_A,
        kwargs=pk["station"],
        data=lambda o: {"start": "2026-01-01", "end": "2026-12-31", "format": "docx"},
    ),
    page("liaison_stations:print_qr", MANAGER, STAFF_A, kwargs=pk["station"]),
    page(
        "liaison_stations:record_opinion",
        REFERENCE_A,
        kwargs=pk["station"],
        note="the form shows what anyone seeing the station may read",
    ),
    post(
        "liaison_stations:record_opinion",
        DEP_A,
        MANAGER,
        STAFF_A,
        variant="post",
        kwargs=pk["station"],
        data=lambda o: {"phone": "13812345678", "category": "urban", "content": "路面积水。", "submission_key": "k1"},
    ),
    page("liaison_stations:evaluate", STAFF_A, PROV, kwargs=pk["station"]),
    post("liaison_stations:end_stationing", MANAGER, STAFF_A, kwargs=pk["stationing"]),
    page("liaison_stations:reception", DEP_A, MANAGER, REGION_A, kwargs=pk["reception"]),
    page(
        "liaison_stations:mark_present",
        MANAGER,
        STAFF_A,
        kwargs=pk["held_reception"],
        note="those who run the station record deputies present",
    ),
    post(
        "liaison_stations:answer_attendance",
        DEP_A,
        kwargs=pk["reception_attendance"],
        data=lambda o: {"answer": "decline"},
        note="only the deputy recorded present answers",
    ),
    page("liaison_stations:opinion", DEP_A, UNIT_A, MANAGER, REGION_A, kwargs=pk["opinion"]),
    page("liaison_stations:attachment", DEP_A, UNIT_A, MANAGER, REGION_A, kwargs=pk["opinion_attachment"]),
    page("liaison_stations:referrals", UNIT_A, sees=lambda o: o.opinion.tracking_code),
    page("liaison_stations:network", STAFF_A, PROV, sees=lambda o: o.station.name),
    page("liaison_stations:coverage", STAFF),
    page("liaison_stations:quota", STAFF_A, PROV, sees=lambda o: o.mandate_a.person.name),
    page("liaison_stations:ledger", MANAGER, STAFF_A, PROV, sees=lambda o: o.opinion.tracking_code),
    page("liaison_stations:ledger_export", MANAGER, STAFF),
    # Suggestions: the deputy
    page("suggestions:mine", DEP_A, DEP_B),
    page("suggestions:new", DEP_A, DEP_B),
    post("suggestions:autosave", DEP_A, DEP_B, data=lambda o: {"kind": "suggestion", "title": "草稿"}),
    page("suggestions:cosigner_search", DEP_A, DEP_B, query=lambda o: {"q": "代表"}),
    page("suggestions:edit", DEP_A, kwargs=pk["suggestion"]),
    post("suggestions:cosign", DEP_A, kwargs=pk["cosigner"], data=lambda o: {"confirm": "yes"}),
    # Suggestions: one suggestion and its actions
    page("suggestions:detail", DEP_A, UNIT_A, REGION_A, kwargs=pk["suggestion"]),
    page("suggestions:detail", DEP_A, variant="draft", kwargs=pk["draft"], note="a draft is its deputy's alone"),
    post("suggestions:act", STAFF_A, variant="accept", kwargs=lambda o: {"pk": o.suggestion.pk, "action": "accept"}),
    post(
        "suggestions:act",
        DEP_A,
        variant="withdraw",
        kwargs=lambda o: {"pk": o.suggestion.pk, "action": "withdraw"},
        data=lambda o: {"reason": "情况已变化"},
    ),
    post(
        "suggestions:act_on_assignment",
        UNIT_A,
        variant="save_plan",
        kwargs=lambda o: {"pk": o.assignment.pk, "action": "save_plan"},
        data=lambda o: {"plan": "分三步办理"},
    ),
    post(
        "suggestions:act_on_assignment",
        UNIT_A,
        variant="confirm_receipt",
        kwargs=lambda o: {"pk": o.assignment.pk, "action": "confirm_receipt"},
    ),
    post(
        "suggestions:reply_letter_draft",
        UNIT_A,
        kwargs=pk["assignment"],
        data=lambda o: {"text": "经研究，已办理。", "result": "A", "draft_format": "docx"},
        note="the unit that may reply; the one assignment is replied already, so its officer gets the refusal (409)",
    ),
    post(
        "suggestions:reveal_deputy_phone",
        UNIT_A,
        kwargs=pk["assignment"],
        note="only the officers of a unit assigned to the suggestion reveal its deputy's phone (logged)",
    ),
    page("suggestions:attachment", DEP_A, UNIT_A, REGION_A, kwargs=pk["suggestion_attachment"]),
    page("suggestions:attachment", DEP_A, variant="draft", kwargs=pk["draft_attachment"]),
    post("suggestions:remove_attachment", DEP_A, kwargs=pk["suggestion_attachment"]),
    page("suggestions:letter", DEP_A, UNIT_A, REGION_A, kwargs=pk["reply"]),
    # Suggestions: staff, units, supervision, public
    page("suggestions:review", STAFF_A, PROV, sees=lambda o: o.suggestion.title),
    post(
        "suggestions:bulk_assign",
        STAFF_A,
        validation_denies=True,
        data=lambda o: {"ids": str(o.suggestion.pk), "lead": o.unit_a.pk},
    ),
    page("suggestions:unit_search", STAFF, UNIT_A, UNIT_B, query=lambda o: {"q": o.unit_a.name}),
    page("suggestions:statistics", STAFF, SUP),
    page("suggestions:statistics_export", STAFF, SUP),
    page("suggestions:assignment_letters", STAFF),
    page("suggestions:session_documents", STAFF),
    page("suggestions:unit", UNIT_A, sees=lambda o: o.suggestion.title),
    page("suggestions:supervision", REGION_A, sees=lambda o: o.key_item.title),
    page("suggestions:supervision_new", STAFF, SUP),
    page("suggestions:supervision_detail", REGION_A, kwargs=pk["key_item"]),
    page(
        "suggestions:supervision_notice",
        STAFF_A,
        SUP,
        kwargs=pk["key_item"],
        note="the item's supervisors: staff and supervisors of its congress, and its leader",
    ),
    post(
        "suggestions:supervision_notice",
        STAFF_A,
        SUP,
        kwargs=pk["key_item"],
        data=lambda o: {"requirements": "按月报送办理进展。", "report_by": "2099-12-31", "format": "docx"},
    ),
    page("suggestions:reminder_letters", STAFF),
    post("suggestions:reminder_letters", STAFF_A, data=lambda o: {"congress": o.congress_a.pk, "format": "docx"}),
    page("suggestions:public", EVERYONE, sees=lambda o: o.suggestion.public_title),
    page("suggestions:public_detail", EVERYONE, kwargs=pk["suggestion"]),
    # Training
    page("training:courses", DEP_A, sees=lambda o: o.course.title),
    post(
        "training:sign_up",
        DEP_A,
        kwargs=pk["course"],
        data=lambda o: {"mandate": o.mandate_a.pk},
        validation_denies=True,
    ),
    page("training:mine", DEP_A, DEP_B),
    post(
        "training:act",
        DEP_A,
        STAFF_A,
        variant="cancel",
        kwargs=lambda o: {"pk": o.enrolment.pk, "action": "cancel"},
        data=lambda o: {"note": "临时有事"},
    ),
    post(
        "training:act",
        STAFF_A,
        variant="approve",
        kwargs=lambda o: {"pk": o.enrolment.pk, "action": "approve"},
        data=lambda o: {"as": "staff"},
    ),
    page("training:check_in", PEOPLE),
    page(
        "training:check_in_link",
        PEOPLE,
        kwargs=lambda o: {"code": o.later_sitting.checkin_code},
        note="shows the sitting and a button; the check-in itself is the deputy's",
    ),
    page("training:course", DEP_A, REGION_A, kwargs=pk["course"]),
    page("training:course", REGION_A, variant="unpublished", kwargs=pk["draft_course"]),
    page("training:material", DEP_A, REGION_A, kwargs=pk["material"], note="for those who see the course"),
    post("training:nominate", STAFF_A, kwargs=pk["course"], data=lambda o: {"mandates": [o.mandate_a.pk]}),
    page("training:nominate_filter", STAFF_A, kwargs=pk["course"]),
    post("training:course_action", STAFF_A, kwargs=lambda o: {"pk": o.course.pk, "action": "publish"}),
    page("training:attendance", STAFF_A, kwargs=pk["sitting"]),
    page("training:sitting_qr", STAFF_A, kwargs=pk["sitting"]),
    page("training:manage", STAFF_A, PROV, SUP, sees=lambda o: o.course.title),
    page("training:coverage", STAFF_A, SUP, kwargs=pk["plan"]),
    page("training:coverage_export", STAFF_A, SUP, kwargs=pk["plan"]),
    # Livelihood-project vote: the staff's desk, the deputy's ballot, the public results
    page("livelihood:manage", STAFF_A, PROV, SUP, sees=lambda o: o.livelihood_programme.title),
    page(
        "livelihood:programme",
        REGION_A,
        UNIT_A,
        kwargs=pk["livelihood_programme"],
        note="staff, supervisors and the assessing office's officers",
    ),  # fmt: skip
    post(
        "livelihood:programme_action",
        STAFF_A,
        kwargs=lambda o: {"pk": o.livelihood_programme.pk, "action": "close_vote"},
        note="the congress's staff; the vote is not open, so the machine refuses it (past authorisation)",
    ),  # fmt: skip
    post("livelihood:open_vote", STAFF_A, kwargs=pk["livelihood_programme"], data=lambda o: {"present": 1}),
    post(
        "livelihood:break_tie",
        STAFF_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"chosen": [o.livelihood_candidate.pk], "reason": "主任会议决定"},
        note="no tie waits, so the form refuses the choice (past authorisation)",
    ),  # fmt: skip
    page("livelihood:ballot", DEP_A, kwargs=pk["livelihood_programme"], note="the congress's own deputies"),
    post(
        "livelihood:ballot",
        DEP_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"candidates": [o.livelihood_candidate.pk]},
        note="the vote is not open yet: the machine refuses it (past authorisation)",
    ),  # fmt: skip
    page("livelihood:results", EVERYONE, kwargs=pk["livelihood_published"], note="published results are public"),
    page("livelihood:screen", STAFF_A, kwargs=pk["livelihood_programme"]),
    post(
        "livelihood:screen",
        STAFF_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {},
        note="the list is confirmed already: the page says so (past authorisation)",
    ),  # fmt: skip
    page("livelihood:assess", UNIT_A, kwargs=pk["livelihood_proposal"], note="the assessing office's officers"),
    post(
        "livelihood:assess",
        UNIT_A,
        kwargs=pk["livelihood_proposal"],
        data=lambda o: {"feasibility": "feasible", "cost": "10", "department": o.unit_a.pk, "assessment": "可行"},
        note="screening is over, so the machine refuses it (past authorisation)",
    ),  # fmt: skip
    page("livelihood:proposals_export", STAFF_A, kwargs=pk["livelihood_programme"], note="no phone in the file"),
    page("livelihood:candidates_export", STAFF_A, kwargs=pk["livelihood_programme"]),
    page("livelihood:results_export", STAFF_A, kwargs=pk["livelihood_published"], note="counts, never ballots"),
    page("livelihood:carrying_export", STAFF_A, kwargs=pk["livelihood_published"], note="counts, never ratings"),
    page("livelihood:propose_as_deputy", DEP_A, kwargs=pk["livelihood_programme"]),
    post(
        "livelihood:propose_as_deputy",
        DEP_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"title": "加装电梯", "description": "老旧小区加装电梯", "area": "石牌街道"},
        note="proposals are closed: the page says so (past authorisation)",
    ),  # fmt: skip
    page("livelihood:propose", EVERYONE, kwargs=pk["livelihood_programme"], note="the public proposal form"),
    post(
        "livelihood:propose",
        EVERYONE,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"title": "加装电梯", "description": "老旧小区加装电梯", "area": "石牌街道"},
        note="anyone may propose; proposals are closed, so the page says so",
    ),  # fmt: skip
    page("livelihood:thanks", EVERYONE, note="shows only the code its own cookie carries"),
    page("livelihood:track", EVERYONE),
    # Livelihood: paper ballots (tellers), corrections of published results, the year-end appraisal, stations
    page("livelihood:paper", STAFF_A, kwargs=pk["livelihood_programme"], note="the tellers: the congress's staff"),
    post(
        "livelihood:paper_issue",
        STAFF_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"mandate": o.mandate_a.pk},
        note="the vote is not open yet: the machine refuses it (past authorisation)",
    ),  # fmt: skip
    post(
        "livelihood:paper_enter",
        STAFF_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"number": 1, "candidates": [o.livelihood_candidate.pk]},
        note="the vote is not open yet: the machine refuses it (past authorisation)",
    ),  # fmt: skip
    post(
        "livelihood:paper_not_returned",
        STAFF_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"reason": "代表离场"},
        note="the vote is not open yet: the machine refuses it (past authorisation)",
    ),  # fmt: skip
    page("livelihood:tablets", STAFF_A, kwargs=pk["livelihood_programme"], note="the congress's staff"),
    post(
        "livelihood:tablets",
        STAFF_A,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"label": "会场平板2"},
        note="enrols the device the request comes from and signs its user out",
    ),  # fmt: skip
    post("livelihood:withdraw_tablet", STAFF_A, kwargs=lambda o: {"pk": o.livelihood_tablet.pk}),
    page(
        "livelihood:tablet",
        NOBODY,
        kwargs=pk["livelihood_programme"],
        note="only a device carrying an enrolled tablet's key, whoever is signed in (tests/livelihood/test_venue.py)",
    ),  # fmt: skip
    post(
        "livelihood:tablet",
        NOBODY,
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"step": "sign_in", "username": "x", "password": "y"},
        note="only a device carrying an enrolled tablet's key (tests/livelihood/test_venue.py)",
    ),  # fmt: skip
    page("livelihood:correct", STAFF_A, kwargs=lambda o: {"pk": o.livelihood_published_candidate.pk}),
    post(
        "livelihood:correct",
        STAFF_A,
        kwargs=lambda o: {"pk": o.livelihood_published_candidate.pk},
        data=lambda o: {"votes": 0, "outcome": "not_chosen", "reason": "复核计票"},
    ),  # fmt: skip
    page("livelihood:open_appraisal", STAFF_A, kwargs=pk["livelihood_published"]),
    post(
        "livelihood:open_appraisal",
        STAFF_A,
        kwargs=pk["livelihood_published"],
        data=lambda o: {"appraise_from": "2026-12-01", "appraise_until": "2026-12-31"},
        note="the appraisal is over: the machine refuses it (past authorisation)",
    ),  # fmt: skip
    post(
        "livelihood:close_appraisal",
        STAFF_A,
        kwargs=pk["livelihood_published"],
        note="the appraisal is closed already: the machine refuses it (past authorisation)",
    ),  # fmt: skip
    page("livelihood:rate", DEP_A, kwargs=pk["livelihood_published"], note="the congress's own deputies"),
    post(
        "livelihood:rate",
        DEP_A,
        kwargs=pk["livelihood_published"],
        data=lambda o: {f"c{o.livelihood_published_candidate.pk}": "satisfied"},
        note="the appraisal is closed: the page says so (past authorisation)",
    ),  # fmt: skip
    page(
        "livelihood:appraisal",
        STAFF_A,
        UNIT_A,
        kwargs=lambda o: {"pk": o.livelihood_appraisal.pk},
        note="the congress's staff and the project's department",
    ),  # fmt: skip
    post(
        "livelihood:appraisal",
        UNIT_A,
        kwargs=lambda o: {"pk": o.livelihood_appraisal.pk},
        data=lambda o: {"report": "已整改"},
        note="the project's department reports its correction",
    ),  # fmt: skip
    post(
        "livelihood:close_correction",
        STAFF_A,
        kwargs=lambda o: {"pk": o.livelihood_appraisal.pk},
        data=lambda o: {"note": "已核查"},
        note="not reported yet: the service refuses it (past authorisation)",
    ),  # fmt: skip
    page(
        "livelihood:corrections_due",
        UNIT_A,
        sees=lambda o: o.livelihood_published_candidate.title,
        note="a handling unit's own projects sent back for correction",
    ),  # fmt: skip
    page("livelihood:propose_at_station", MANAGER, kwargs=lambda o: {"station_pk": o.station.pk}),
    post(
        "livelihood:propose_at_station",
        MANAGER,
        kwargs=lambda o: {"station_pk": o.station.pk},
        data=lambda o: {
            "title": "加装电梯",
            "description": "老旧小区加装电梯",
            "area": "石牌街道",
            "phone": "13900000000",
        },
        note="the station's manager; no programme collects now, so the page says so",
    ),  # fmt: skip
    # Livelihood projects carried out: the staff's list and each project's desk, the department's reports, the
    # supervision group's visits, the public progress page
    page("livelihood:carrying", REGION_A, kwargs=pk["livelihood_published"]),
    page(
        "livelihood:project",
        REGION_A,
        UNIT_A,
        DEP_A,
        kwargs=pk["livelihood_project"],
        note="staff and supervisors, the department's officers and the supervision group's deputies",
    ),  # fmt: skip
    post(
        "livelihood:milestone_new",
        STAFF_A,
        UNIT_A,
        kwargs=pk["livelihood_project"],
        data=lambda o: {"title": "竣工验收", "workdays": 30},
        note="the congress's staff or the responsible department",
    ),  # fmt: skip
    post(
        "livelihood:milestone_done",
        UNIT_A,
        kwargs=pk["livelihood_milestone"],
        data=lambda o: {f"m{o.livelihood_milestone.pk}-note": "已完成招标"},
        note="the responsible department's officers",
    ),  # fmt: skip
    page("livelihood:supervision", STAFF_A, kwargs=pk["livelihood_project"]),
    post(
        "livelihood:supervision",
        STAFF_A,
        kwargs=pk["livelihood_project"],
        data=lambda o: {"committee": o.livelihood_supervision.committee_id, "group": o.livelihood_supervision.group_id},
    ),  # fmt: skip
    page("livelihood:progress_report", UNIT_A, kwargs=pk["livelihood_project"]),
    post(
        "livelihood:progress_report",
        UNIT_A,
        kwargs=pk["livelihood_project"],
        data=lambda o: {"quarter": "2026-2", "text": "完成主体施工", "spent": "150"},
    ),  # fmt: skip
    page("livelihood:site_visit", DEP_A, kwargs=pk["livelihood_project"], note="the supervision group's deputies"),
    post(
        "livelihood:site_visit",
        DEP_A,
        kwargs=pk["livelihood_project"],
        data=lambda o: {"visited_on": "2026-06-09", "place": "长者饭堂", "seen": "已投入使用"},
    ),  # fmt: skip
    page("livelihood:department_projects", UNIT_A, sees=lambda o: o.livelihood_report.project.title),
    page("livelihood:my_supervision", DEP_A, sees=lambda o: o.livelihood_supervision.committee.name),
    page(
        "livelihood:progress", EVERYONE, kwargs=pk["livelihood_project"], note="a chosen project's progress is public"
    ),
    page("livelihood:photo", EVERYONE, kwargs=pk["livelihood_photo"], note="photos of the public progress page"),
    # Activities: the deputy's portal
    page("activities:mine", DEP_A, DEP_B),
    post(
        "activities:answer",
        DEP_A,
        kwargs=lambda o: {"pk": o.activity_invitation.pk, "action": "decline"},
        data=lambda o: {"reason": "同期参加全国人大会议"},
        note="the invited deputy answers; the office sees the invitation but may not answer it",
    ),
    page("activities:check_in", PEOPLE),
    page(
        "activities:check_in_link",
        PEOPLE,
        kwargs=lambda o: {"code": o.activity_later_sitting.checkin_code},
        note="shows the sitting and a button; the check-in itself is the deputy's",
    ),
    # Activities: one activity, and its desk for the organising congress's staff
    page("activities:activity", DEP_A, REGION_A, kwargs=pk["activity"]),
    page("activities:material", DEP_A, REGION_A, kwargs=pk["activity_material"], note="for those who see it"),
    page("activities:invite", STAFF_A, kwargs=pk["activity"]),
    post(
        "activities:invite",
        STAFF_A,
        variant="invite",
        kwargs=pk["activity"],
        data=lambda o: {"mandates": [o.mandate_a.pk]},
    ),  # fmt: skip
    post("activities:activity_action", STAFF_A, kwargs=lambda o: {"pk": o.activity.pk, "action": "start"}),
    post(
        "activities:finding_draft",
        STAFF_A,
        kwargs=pk["activity_finding"],
        data=lambda o: {f"f{o.activity_finding.pk}-lead": o.mandate_a.pk},
        note="the organising congress's staff; the lead among the participants",
    ),
    post(
        "activities:finding_refer",
        STAFF_A,
        kwargs=pk["activity_finding"],
        data=lambda o: {f"r{o.activity_finding.pk}-unit": o.unit_a.pk, f"r{o.activity_finding.pk}-workdays": 10},
    ),
    post(
        "activities:finding_answer",
        STAFF_A,
        kwargs=pk["referred_finding"],
        data=lambda o: {f"a{o.referred_finding.pk}-answer": "已完成整改"},
    ),
    page("activities:roster_export", STAFF_A, kwargs=pk["activity"], note="staff of its congresses, own deputies only"),
    page("activities:findings_export", STAFF_A, kwargs=pk["activity"]),
    page("activities:attendance", STAFF_A, kwargs=pk["activity_sitting"]),
    page("activities:sitting_qr", STAFF_A, kwargs=pk["activity_sitting"]),
    page("activities:manage", STAFF_A, PROV, SUP, sees=lambda o: o.activity.title),
    page("activities:manage_export", STAFF, SUP, note="each reader's own activities; B's file has none of A's"),
    post(
        "activities:voter_report",
        STAFF_A,
        kwargs=pk["activity"],
        data=lambda o: {
            "mandate": o.mandate_a.pk,
            "text": "述职报告",
            "voters": 30,
            "satisfied": 20,
            "basically_satisfied": 5,
            "dissatisfied": 1,
        },  # fmt: skip
        note="staff of the activity's congresses, for their own deputies; the world's activity is an inspection, so "
        "the service refuses it by rule (allowed past authorisation)",
    ),
    # The expert pools: each congress's own staff only (not the staff of the congress above, nor deputies)
    page("activities:experts", STAFF_A, sees=lambda o: o.expert.name, note="each congress's staff see their own pools"),
    page("activities:expert_pools", STAFF_A, sees=lambda o: o.expert_pool.name),
    post(
        "activities:expert_pools",
        STAFF,
        data=lambda o: {"name": "财经专家库", "code": "finance-2", "position": 1},
        note="each congress's staff add a pool to their own congress's",
    ),
    page("activities:expert_add", STAFF),
    post(
        "activities:expert_add",
        STAFF_A,
        data=lambda o: {"name": "李华", "pools": [o.expert_pool.pk], "expertise": "民商法", "available": "on"},
        validation_denies=True,
        note="the pools offered are the user's own congress's: another's pool is not a choice",
    ),
    page("activities:expert", STAFF_A, kwargs=pk["expert"]),
    page("activities:expert_edit", STAFF_A, kwargs=pk["expert"]),
    post(
        "activities:expert_edit",
        STAFF_A,
        kwargs=pk["expert"],
        data=lambda o: {"name": "张明远", "pools": [o.expert_pool.pk], "expertise": "行政法", "available": "on"},
    ),
    post("activities:expert_archive", STAFF_A, kwargs=pk["expert"]),
    post("activities:expert_contact", STAFF_A, kwargs=pk["expert"], note="an access record for each reveal"),
    page("activities:invite_experts", STAFF_A, kwargs=pk["activity"]),
    post(
        "activities:invite_experts",
        STAFF_A,
        kwargs=pk["activity"],
        data=lambda o: {"experts": [o.expert.pk]},
        note="already invited: refused by the rule, past authorisation",
    ),
    post(
        "activities:expert_answer",
        STAFF_A,
        kwargs=pk["expert_participant"],
        data=lambda o: {f"e{o.expert_participant.pk}-answer": "accepted"},
        note="the staff of the expert's congress; the province reads the participant but may not answer for them",
    ),
    page(
        "activities:report_coverage",
        STAFF_A,
        SUP,
        sees=lambda o: o.congress_a.name,
        note="each reader sees the terms of their own congresses",
    ),
    page(
        "activities:report_coverage_export",
        STAFF_A,
        SUP,
        query=lambda o: {"term": o.term_a.pk},
        note="another congress's term is refused, not replaced",
    ),
    # Excellent cases: staff
    page("cases:campaigns", REGION_A, sees=lambda o: o.campaign.title),
    page("cases:campaign_new", STAFF),
    page("cases:campaign", REGION_A, kwargs=pk["campaign"]),
    page("cases:campaign", REGION_A, variant="draft", kwargs=pk["draft_campaign"]),
    page("cases:campaign_edit", STAFF_A, kwargs=pk["campaign"]),
    post("cases:campaign_act", STAFF_A, kwargs=lambda o: {"pk": o.campaign.pk, "action": "finish"}),
    page("cases:round_new", STAFF_A, kwargs=pk["campaign"]),
    page("cases:results", STAFF_A, SUP, kwargs=pk["campaign"]),
    page("cases:results_print", STAFF_A, SUP, kwargs=pk["campaign"]),
    page("cases:results_xlsx", STAFF_A, SUP, kwargs=pk["campaign"]),
    page("cases:certificates", STAFF_A, SUP, kwargs=pk["campaign"]),
    post(
        "cases:certificates",
        STAFF_A,
        SUP,
        kwargs=pk["campaign"],
        data=lambda o: {"award": "代表履职优秀案例", "issued_on": "2026-12-01", "format": "docx"},
    ),
    post("cases:unit_quota", STAFF_A, kwargs=pk["invitation_unit"], data=lambda o: {"quota": 3}),
    page("cases:round", REGION_A, kwargs=pk["round"]),
    page("cases:round_edit", STAFF_A, kwargs=pk["round"]),
    post("cases:round_act", STAFF_A, kwargs=lambda o: {"pk": o.round.pk, "action": "close"}),
    post("cases:break_tie", STAFF_A, kwargs=pk["round"], data=lambda o: {"group": "A", "reason": "择优"}),
    post(
        "cases:strike",
        STAFF_A,
        kwargs=pk["round"],
        data=lambda o: {"submission": o.submission.pk, "reason": "不符合条件"},
    ),
    # Excellent cases: units, voters
    page("cases:submission_new", UNIT_A, kwargs=pk["campaign"]),
    page("cases:unit", UNIT_A, UNIT_B),
    page("cases:submission", UNIT_A, REGION_A, kwargs=pk["submission"]),
    page(
        "cases:submission",
        UNIT_A,
        variant="draft",
        kwargs=pk["draft_submission"],
        note="staff see a case once its unit submits it",
    ),
    page("cases:submission_edit", UNIT_A, kwargs=pk["submission"]),
    post("cases:submission_submit", UNIT_A, kwargs=pk["submission"]),
    post(
        "cases:review",
        STAFF_A,
        kwargs=lambda o: {"pk": o.submission.pk, "action": "return"},
        data=lambda o: {"reason": "材料不全"},
    ),
    page("cases:file", UNIT_A, REGION_A, kwargs=pk["case_file"]),
    post("cases:file_remove", UNIT_A, kwargs=pk["case_file"]),
    page("cases:ballots", SUP, sees=lambda o: o.campaign.title, note="the rounds the user votes in"),
    page("cases:ballot", SUP, kwargs=pk["round"]),
    # Excellent cases: the public vote
    page("cases:public", EVERYONE, kwargs=_poll),
    post("cases:public_code", EVERYONE, kwargs=_poll, data=lambda o: {"phone": "13700000001", **_challenge()}),
    post("cases:public_verify", EVERYONE, kwargs=_poll, data=lambda o: {"phone": "13700000001", "code": "000000"}),
    post(
        "cases:public_cast",
        CITIZEN,
        kwargs=_poll,
        data=lambda o: {"submission": o.poll_case.pk},
        note="only a phone verified in this session votes",
    ),
    page("cases:public_photo", EVERYONE, kwargs=lambda o: {"slug": o.poll.slug, "pk": o.poll_photo.pk}),
    # The address every unmatched API path answers: JSON 404 for everyone.
    page("^api/v1/.*/$", frozenset(), path=lambda o: "/api/v1/no-such-resource/"),
]

READ_A = REGION_A | {CLIENT}  # what the region tree reads, the provincial client with the scope among them
LIVELIHOOD_A = READ_A | {UNIT_A}  # and the assessing office of county A's programme
CARRIED_A = LIVELIHOOD_A | {DEP_A}  # a chosen project's records: also its supervision group's deputies
PUBLIC_A = REFERENCE_A | {CLIENT}

API = [
    # The core: reference data
    api("api-root", PEOPLE, CLIENTS, area=None),
    api("region-list", PUBLIC_A, area="reference", sees=lambda o: o.region_a.pk),
    api("region-detail", PUBLIC_A, area="reference", kwargs=pk["region_a"]),
    api_write(
        "region-list",
        "POST",
        STAFF_A,
        PROV,
        area="reference",
        data=lambda o: {"code": "440106099", "name": "新设街道", "level": "township", "parent": o.region_a.pk},
        note="regions and bodies are set up by staff whose region holds them",
    ),
    api_write(
        "region-detail",
        "PATCH",
        STAFF_A,
        PROV,
        area="reference",
        kwargs=pk["region_a"],
        data=lambda o: {"name": "天河区"},
    ),
    api("congress-list", PUBLIC_A, area="reference", sees=lambda o: o.congress_a.pk),
    api("congress-detail", PUBLIC_A, area="reference", kwargs=pk["congress_a"]),
    api_write(
        "congress-detail",
        "PATCH",
        STAFF_A,
        PROV,
        area="reference",
        kwargs=pk["congress_a"],
        data=lambda o: {"name": o.congress_a.name},
    ),
    api("congress-policies", PUBLIC_A, area="reference", kwargs=pk["congress_a"]),
    api("term-list", PUBLIC_A, area="reference", sees=lambda o: o.term_a.pk),
    api("term-detail", PUBLIC_A, area="reference", kwargs=pk["term_a"]),
    api_write(
        "term-list",
        "POST",
        STAFF_A,
        area="reference",
        data=lambda o: {
            "congress": o.congress_a.pk,
            "number": 19,
            "start_date": "2028-01-12",
            "end_date": "2033-01-11",
        },
        note="a term is its own congress's to keep",
    ),
    api("session-list", PUBLIC_A, area="reference", sees=lambda o: o.session_a.pk),
    api("session-detail", PUBLIC_A, area="reference", kwargs=pk["session_a"]),
    api_write(
        "session-list",
        "POST",
        STAFF_A,
        area="reference",
        data=lambda o: {"term": o.term_a.pk, "number": 5, "start_date": "2027-01-10", "end_date": "2027-01-14"},
    ),
    api("organisation-list", PUBLIC_A, area="reference", sees=lambda o: o.unit_a.pk),
    api("organisation-detail", PUBLIC_A, area="reference", kwargs=pk["unit_a"]),
    api_write(
        "organisation-list",
        "POST",
        STAFF_A,
        PROV,
        area="reference",
        data=lambda o: {
            "name": "天河区交通运输局",
            "kind": "handling_unit",
            "unit_category": "government",
            "region": o.region_a.pk,
        },
    ),
    api("policyvalue-list", READ_A, area="reference", sees=lambda o: o.policy.pk),
    api("policyvalue-detail", READ_A, area="reference", kwargs=pk["policy"]),
    api_write(
        "policyvalue-list",
        "POST",
        STAFF_A,
        area="reference",
        data=lambda o: {"congress": o.congress_a.pk, "key": "suggestion.assign_period", "value": 7},
    ),
    api_write(
        "policyvalue-detail", "PATCH", STAFF_A, area="reference", kwargs=pk["policy"], data=lambda o: {"value": 3}
    ),
    api_write("policyvalue-detail", "DELETE", STAFF_A, area="reference", kwargs=pk["policy"]),
    api("tombstone-list", PEOPLE, CLIENTS, area=None, note="a feed of deletions, filtered by region and scopes"),
    # Webhooks: the calling client's own
    api("webhookendpoint-list", CLIENT, area=None, sees=lambda o: o.endpoint.pk),
    api("webhookendpoint-detail", CLIENT, area=None, kwargs=pk["endpoint"]),
    api_write(
        "webhookendpoint-list",
        "POST",
        CLIENTS,
        area=None,
        data=lambda o: {"url": "https://c.example.cn/hook", "events": o.endpoint.events},
        note="every client registers its own webhooks",
    ),
    api_write(
        "webhookendpoint-detail",
        "PUT",
        CLIENT,
        area=None,
        kwargs=pk["endpoint"],
        data=lambda o: {"url": "https://p.example.cn/new", "events": o.endpoint.events, "is_active": True},
    ),
    api_write("webhookendpoint-detail", "DELETE", CLIENT, area=None, kwargs=pk["endpoint"]),
    api_post("webhookendpoint-rotate-secret", CLIENT, area=None, kwargs=pk["endpoint"]),
    api("webhookdelivery-list", CLIENT, area=None, sees=lambda o: o.delivery.pk),
    api("webhookdelivery-detail", CLIENT, area=None, kwargs=pk["delivery"]),
    api_post("webhookdelivery-replay", CLIENT, area=None, kwargs=pk["delivery"]),
    api("webhook-event-list", PEOPLE, CLIENTS, area=None),
    # The roster
    api("person-list", DEP_A, READ_A, area="deputies", sees=lambda o: o.mandate_a.person_id),
    api("person-detail", DEP_A, READ_A, area="deputies", kwargs=_person),
    api("person-export", DEP_A, READ_A, area="deputies", sees=lambda o: o.mandate_a.person_id),
    api_write("person-list", "POST", STAFF_A, area="deputies", data=lambda o: _new_deputy(o)),
    api_write(
        "person-detail",
        "PATCH",
        STAFF_A,
        area="deputies",
        kwargs=_person,
        data=lambda o: {"work_unit": "天河区第二中学"},
        note="kept by the staff of a congress the person sits in",
    ),
    api_post("person-batch", STAFF_A, area="deputies", data=lambda o: {"items": [_new_deputy(o)]}),
    api("mandate-list", DEP_A, READ_A, area="deputies", sees=lambda o: o.mandate_a.pk),
    api("mandate-detail", DEP_A, READ_A, area="deputies", kwargs=pk["mandate_a"]),
    api_write(
        "mandate-detail",
        "PATCH",
        STAFF_A,
        area="deputies",
        kwargs=pk["mandate_a"],
        data=lambda o: {"delegation": o.delegation.pk},
    ),
    api("mandate-points", DEP_A, READ_A, area="deputies", kwargs=pk["mandate_a"]),
    api(
        "deputygroup-list",
        REFERENCE_A,
        CLIENT,
        area="deputies",
        sees=lambda o: o.group.pk,
        note="groups are reference data of the region (as the roster's public page shows them); each reader sees "
        "only the members whose mandates they may see",
    ),
    api("deputygroup-detail", REFERENCE_A, CLIENT, area="deputies", kwargs=lambda o: {"pk": o.group.pk}),
    api_post(
        "deputygroup-members",
        STAFF_A,
        area="deputies",
        kwargs=lambda o: {"pk": o.group.pk},
        data=lambda o: {"mandates": [o.colleague.pk]},
        note="the staff of the group's congress; its deputies and readers above see it but may not change it",
    ),
    api_post(
        "deputygroup-set-role",
        STAFF_A,
        area="deputies",
        kwargs=lambda o: {"pk": o.group.pk},
        data=lambda o: {"membership": o.group_membership.pk, "role": "leader"},
    ),
    api_post(
        "deputygroup-remove",
        STAFF_A,
        area="deputies",
        kwargs=lambda o: {"pk": o.group.pk},
        data=lambda o: {"membership": o.group_membership.pk},
    ),
    api_post(
        "mandate-end",
        STAFF_A,
        area="deputies",
        kwargs=pk["mandate_a"],
        data=lambda o: {"date": "2026-06-09", "reason": "resigned", "note": "辞职"},
    ),
    api_post(
        "mandate-suspend",
        STAFF_A,
        area="deputies",
        kwargs=pk["mandate_a"],
        data=lambda o: {"date": "2026-06-09", "reason": "detained", "note": "依法暂停"},
    ),
    api_post(
        "mandate-restore",
        STAFF_A,
        area="deputies",
        kwargs=pk["mandate_a"],
        data=lambda o: {"date": "2026-06-09", "note": "恢复"},
    ),
    api("contactassignment-list", READ_A, area="deputies", sees=lambda o: o.assignment_contact.pk),
    api("contactassignment-detail", READ_A, area="deputies", kwargs=pk["assignment_contact"]),
    api("contactrecord-list", READ_A, area="deputies", sees=lambda o: o.contact_record.pk),
    api("contactrecord-detail", READ_A, area="deputies", kwargs=pk["contact_record"]),
    api_write(
        "contactrecord-list",
        "POST",
        STAFF_A,
        SUP,
        area="deputies",
        data=lambda o: {
            "assignment": o.assignment_contact.pk,
            "date": "2026-06-09",
            "mode": "phone",
            "topic": "听取意见",
        },
        note="the assigned committee member or the congress's staff",
    ),
    api("dutyentry-list", DEP_A, READ_A, area="deputies", sees=lambda o: o.duty_entry.pk),
    api("dutyentry-detail", DEP_A, READ_A, area="deputies", kwargs=pk["duty_entry"]),
    api_write(
        "dutyentry-list",
        "POST",
        STAFF_A,
        area="deputies",
        data=lambda o: {"mandate": o.mandate_a.pk, "kind": "award", "date": "2026-06-09", "title": "获得表彰"},
    ),
    # Stations
    api("station-list", PUBLIC_A, area="stations", sees=lambda o: o.station.pk),
    api("station-detail", PUBLIC_A, area="stations", kwargs=pk["station"]),
    api_write(
        "station-list",
        "POST",
        STAFF_A,
        area="stations",
        data=lambda o: {
            "name": "天河新联络站",
            "kind": "station",
            "tier": "ordinary",
            "congress": o.congress_a.pk,
            "region": o.region_a.pk,
            "address": "天河路1号",
            "latitude": "23.13",
            "longitude": "113.32",
        },
    ),
    api_write(
        "station-detail",
        "PATCH",
        STAFF_A,
        area="stations",
        kwargs=pk["station"],
        data=lambda o: {"opening_hours": "周三 9:00-12:00"},
    ),
    api("stationing-list", DEP_A, MANAGER, READ_A, area="stations", sees=lambda o: o.stationing.pk),
    api("stationing-detail", DEP_A, MANAGER, READ_A, area="stations", kwargs=pk["stationing"]),
    api_write(
        "stationing-list",
        "POST",
        MANAGER,
        STAFF_A,
        area="stations",
        data=lambda o: {"station": o.station.pk, "mandate": o.colleague.pk, "start_date": "2026-06-09"},
    ),
    api_post("stationing-end", MANAGER, STAFF_A, area="stations", kwargs=pk["stationing"], data=lambda o: {}),
    api("reception-list", DEP_A, MANAGER, READ_A, area="stations", sees=lambda o: o.reception.pk),
    api("reception-detail", DEP_A, MANAGER, READ_A, area="stations", kwargs=pk["reception"]),
    api_write(
        "reception-list",
        "POST",
        MANAGER,
        STAFF_A,
        area="stations",
        data=lambda o: {
            "station": o.station.pk,
            "date": "2026-06-25",
            "start_time": "09:00",
            "end_time": "11:00",
            "topic": "教育",
            "deputies": [o.mandate_a.pk],
        },
    ),
    api_post("reception-publish", MANAGER, STAFF_A, area="stations", kwargs=pk["reception"]),
    api_post(
        "reception-cancel",
        MANAGER,
        STAFF_A,
        area="stations",
        kwargs=pk["reception"],
        data=lambda o: {"reason": "天气原因"},
    ),
    api_post(
        "reception-record",
        MANAGER,
        STAFF_A,
        area="stations",
        kwargs=pk["reception"],
        data=lambda o: {"present": [o.mandate_a.pk], "citizens_received": 3, "summary": "接待群众"},
    ),
    api("visit-list", DEP_A, MANAGER, READ_A, area="stations", sees=lambda o: o.visit.pk),
    api("visit-detail", DEP_A, MANAGER, READ_A, area="stations", kwargs=pk["visit"]),
    api_write(
        "visit-list",
        "POST",
        DEP_A,
        MANAGER,
        STAFF_A,
        area="stations",
        data=lambda o: {
            "station": o.station.pk,
            "mandate": o.mandate_a.pk,
            "activity": "reception",
            "visited_at": "2026-06-09T10:00:00+08:00",
            "citizens_received": 1,
        },
        note="a deputy records their own visits; the station's managers and staff anyone's",
    ),
    api("citizenopinion-list", DEP_A, UNIT_A, MANAGER, READ_A, area="stations", sees=lambda o: o.opinion.pk),
    api("citizenopinion-detail", DEP_A, UNIT_A, MANAGER, READ_A, area="stations", kwargs=pk["opinion"]),
    api_write(
        "citizenopinion-list",
        "POST",
        DEP_A,
        MANAGER,
        STAFF_A,
        area="stations",
        data=lambda o: {"station": o.station.pk, "phone": "13812345678", "category": "urban", "content": "路面积水。"},
        note="the deputies stationed there, its managers and staff",
    ),
    api_post(
        "citizenopinion-triage",
        MANAGER,
        STAFF_A,
        area="stations",
        kwargs=pk["opinion"],
        data=lambda o: {"route": "answered", "answer": "已现场解答。"},
    ),
    api_post(
        "citizenopinion-unit-reply",
        UNIT_A,
        area="stations",
        kwargs=pk["opinion"],
        data=lambda o: {"reply": "已安排维修。"},
    ),
    api_post(
        "citizenopinion-feedback",
        MANAGER,
        STAFF_A,
        area="stations",
        kwargs=pk["opinion"],
        data=lambda o: {"feedback": "已电话告知。"},
    ),
    api("starrating-list", PUBLIC_A, area="stations", sees=lambda o: o.rating.pk),
    api("starrating-detail", PUBLIC_A, area="stations", kwargs=pk["rating"]),
    api_write(
        "starrating-list",
        "POST",
        STAFF_A,
        PROV,
        area="stations",
        data=lambda o: {"station": o.station.pk, "year": 2026, "scores": {str(o.criterion.pk): 90}},
    ),
    # Suggestions
    api("suggestion-list", DEP_A, UNIT_A, READ_A, area="suggestions", sees=lambda o: o.suggestion.pk),
    api("suggestion-detail", DEP_A, UNIT_A, READ_A, area="suggestions", kwargs=pk["suggestion"]),
    api("suggestion-list", DEP_A, variant="draft", area="suggestions", sees=lambda o: o.draft.pk),
    api("suggestion-detail", DEP_A, variant="draft", area="suggestions", kwargs=pk["draft"]),
    api("suggestion-export", DEP_A, UNIT_A, READ_A, area="suggestions", sees=lambda o: o.suggestion.pk),
    api("suggestion-export", DEP_A, variant="draft", area="suggestions", sees=lambda o: o.draft.pk),
    api_write(
        "suggestion-list",
        "POST",
        DEP_A,
        area="suggestions",
        data=lambda o: {**_intake(o), "mandate": o.mandate_a.pk},
        note="a deputy writes under their own mandate",
    ),
    api_write(
        "suggestion-detail",
        "PATCH",
        DEP_A,
        area="suggestions",
        kwargs=pk["draft"],
        data=lambda o: {"title": "修改后的草稿"},
    ),
    api_post(
        "suggestion-intake",
        STAFF_A,
        area="suggestions",
        data=lambda o: _intake(o),
        note="staff or the client of the deputy's own congress enter it",
    ),
    api_post("suggestion-batch", STAFF_A, area="suggestions", data=lambda o: {"items": [_intake(o)]}),
    api_post("suggestion-submit", DEP_A, area="suggestions", kwargs=pk["suggestion"]),
    api_post(
        "suggestion-withdraw", DEP_A, area="suggestions", kwargs=pk["suggestion"], data=lambda o: {"reason": "情况变化"}
    ),
    api_post("suggestion-cosign", DEP_A, area="suggestions", kwargs=pk["cosigned"], data=lambda o: {"confirm": True}),
    api_post(
        "suggestion-feedback",
        DEP_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"reply": o.reply.pk, "on_result": "satisfied", "on_attitude": "satisfied"},
    ),
    api_post(
        "suggestion-object",
        DEP_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"reason": "涉及个人信息"},
    ),
    api_post("suggestion-accept", STAFF_A, area="suggestions", kwargs=pk["suggestion"]),
    api_post(
        "suggestion-return",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"comment": "请补充依据"},
    ),
    api_post(
        "suggestion-decline",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"reason": "personal"},
    ),
    api_post("suggestion-convert", STAFF_A, area="suggestions", kwargs=pk["suggestion"]),
    api_post(
        "suggestion-merge",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"others": [o.cosigned.pk]},
    ),
    # Only those who assign (the suggestion's own congress's staff and client) learn which units fit it.
    api("suggestion-recommendations", STAFF_A, area="suggestions", kwargs=pk["suggestion"]),
    api_post(
        "suggestion-assign", STAFF_A, area="suggestions", kwargs=pk["suggestion"], data=lambda o: {"lead": o.unit_a.pk}
    ),
    api_post(
        "suggestion-decide-reassignment",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"approve": False, "note": "不予调整"},
    ),
    api_post(
        "suggestion-decide-extension",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"approve": False, "note": "不予延期"},
    ),
    api_post(
        "suggestion-close",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"decision": "经研究办结"},
    ),
    api_post(
        "suggestion-publish",
        STAFF_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"override_objection": False},
    ),
    api_post("suggestion-confirm-receipt", UNIT_A, area="suggestions", kwargs=pk["suggestion"], data=lambda o: {}),
    api_post(
        "suggestion-request-reassignment",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"reason": "不属于本单位职责"},
    ),
    api_post(
        "suggestion-record-contact",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"date": "2026-06-09", "mode": "phone", "summary": "电话沟通"},
    ),
    api_post(
        "suggestion-co-opinion",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"opinion": "同意主办单位意见"},
    ),
    api_post(
        "suggestion-save-plan",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"plan": "分三步办理"},
    ),
    api_post(
        "suggestion-reply",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        multipart=True,
        data=lambda o: {"text": "已办理。", "result": "A", "letter": _pdf()},
    ),
    api_post(
        "suggestion-request-extension",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"months": 1, "reason": "需要调研"},
    ),
    api_post(
        "suggestion-report-solved",
        UNIT_A,
        area="suggestions",
        kwargs=pk["suggestion"],
        data=lambda o: {"note": "已解决"},
    ),
    api("assignment-list", DEP_A, UNIT_A, READ_A, area="suggestions", sees=lambda o: o.assignment.pk),
    api("assignment-detail", DEP_A, UNIT_A, READ_A, area="suggestions", kwargs=pk["assignment"]),
    api("category-list", PUBLIC_A, area="suggestions", sees=lambda o: o.category.pk),
    api("category-detail", PUBLIC_A, area="suggestions", kwargs=pk["category"]),
    api_write(
        "category-list",
        "POST",
        STAFF_A,
        area="suggestions",
        data=lambda o: {"congress": o.congress_a.pk, "name": "交通"},
    ),
    api("keysupervision-list", READ_A, area="suggestions", sees=lambda o: o.key_item.pk),
    api("keysupervision-detail", READ_A, area="suggestions", kwargs=pk["key_item"]),
    api_write(
        "keysupervision-list",
        "POST",
        STAFF_A,
        SUP,
        area="suggestions",
        data=lambda o: {"congress": o.congress_a.pk, "year": 2026, "title": "新的督办", "leader": o.supervisor.pk},
    ),
    api_post(
        "keysupervision-notes",
        STAFF_A,
        SUP,
        area="suggestions",
        kwargs=pk["key_item"],
        data=lambda o: {"text": "实地督办"},
    ),
    api_post(
        "keysupervision-close",
        STAFF_A,
        SUP,
        area="suggestions",
        kwargs=pk["key_item"],
        data=lambda o: {"report": "督办报告"},
    ),
    # Training
    api("plan-list", READ_A, area="training", sees=lambda o: o.plan.pk),
    api("plan-detail", READ_A, area="training", kwargs=pk["plan"]),
    api(
        "plan-coverage",
        STAFF_A,
        SUP,
        area="training",
        kwargs=pk["plan"],
        note="coverage is for the organising congress's staff and supervisors",
    ),
    api("course-list", DEP_A, READ_A, area="training", sees=lambda o: o.course.pk),
    api("course-detail", DEP_A, READ_A, area="training", kwargs=pk["course"]),
    api("course-list", READ_A, variant="unpublished", area="training", sees=lambda o: o.draft_course.pk),
    api("course-detail", READ_A, variant="unpublished", area="training", kwargs=pk["draft_course"]),
    api_post(
        "course-nominate", STAFF_A, area="training", kwargs=pk["course"], data=lambda o: {"mandates": [o.mandate_a.pk]}
    ),
    api_post("course-sign-up", DEP_A, area="training", kwargs=pk["course"], data=lambda o: {"mandate": o.mandate_a.pk}),
    api("sitting-list", DEP_A, READ_A, area="training", sees=lambda o: o.sitting.pk),
    api("sitting-detail", DEP_A, READ_A, area="training", kwargs=pk["sitting"]),
    api_post(
        "sitting-attendance",
        STAFF_A,
        area="training",
        kwargs=pk["sitting"],
        data=lambda o: {"marks": [{"enrolment": o.enrolment.pk, "status": "leave"}]},
    ),
    api_post(
        "sitting-check-in",
        PEOPLE,
        CLIENT,
        CLIENT_B,
        area="training",
        data=lambda o: {"code": o.later_sitting.checkin_code},
        note="the caller checks in for themselves: the code and their own place decide (400 without one)",
    ),
    api("enrolment-list", DEP_A, READ_A, area="training", sees=lambda o: o.enrolment.pk),
    api("enrolment-detail", DEP_A, READ_A, area="training", kwargs=pk["enrolment"]),
    api_post("enrolment-confirm", DEP_A, STAFF_A, area="training", kwargs=pk["enrolment"]),
    api_post(
        "enrolment-decline",
        DEP_A,
        STAFF_A,
        area="training",
        kwargs=pk["enrolment"],
        data=lambda o: {"note": "另有安排"},
    ),
    api_post(
        "enrolment-cancel", DEP_A, STAFF_A, area="training", kwargs=pk["enrolment"], data=lambda o: {"note": "另有安排"}
    ),
    api_post("enrolment-approve", STAFF_A, area="training", kwargs=pk["enrolment"]),
    api_post("enrolment-refuse", STAFF_A, area="training", kwargs=pk["enrolment"], data=lambda o: {"note": "名额已满"}),
    api("attendance-list", DEP_A, READ_A, area="training", sees=lambda o: o.attendance.pk),
    api("attendance-detail", DEP_A, READ_A, area="training", kwargs=pk["attendance"]),
    api("training-hours-list", DEP_A, READ_A, area="training", sees=lambda o: o.mandate_a.pk, sees_key="mandate"),
    # Activities: the organising region tree reads them, a deputy those they are invited to; invitations and
    # attendance are each congress's own deputies' (and the deputy's own)
    # Livelihood-project votes: the region tree and the assessing office read the programme; its congress's staff
    # move it through the services (the world's programme has its candidates: most moves answer 409), the office's
    # officers assess
    api("livelihood-programme-list", LIVELIHOOD_A, area="livelihood", sees=lambda o: o.livelihood_programme.pk),
    api("livelihood-programme-detail", LIVELIHOOD_A, area="livelihood", kwargs=pk["livelihood_programme"]),
    api("livelihood-proposal-list", LIVELIHOOD_A, area="livelihood", sees=lambda o: o.livelihood_proposal.pk),
    api("livelihood-proposal-detail", LIVELIHOOD_A, area="livelihood", kwargs=pk["livelihood_proposal"]),
    api("livelihood-candidate-list", LIVELIHOOD_A, area="livelihood", sees=lambda o: o.livelihood_candidate.pk),
    api("livelihood-candidate-detail", LIVELIHOOD_A, area="livelihood", kwargs=pk["livelihood_candidate"]),
    api("livelihood-tie-decision-list", READ_A, area="livelihood", sees=lambda o: o.livelihood_decision.pk),
    api("livelihood-tie-decision-detail", READ_A, area="livelihood", kwargs=pk["livelihood_decision"]),
    api_post("livelihood-programme-open-solicitation", STAFF_A, area="livelihood", kwargs=pk["livelihood_programme"]),
    api_post("livelihood-programme-close-solicitation", STAFF_A, area="livelihood", kwargs=pk["livelihood_programme"]),
    api_post(
        "livelihood-programme-confirm-candidates",
        STAFF_A,
        area="livelihood",
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"kept": [{"proposal": o.livelihood_proposal.pk, "reason": "群众呼声高"}]},
        note="the list is confirmed already: 409",
    ),
    api_post(
        "livelihood-programme-open-vote",
        STAFF_A,
        area="livelihood",
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"present": 1},
        note="the presidium's act, by the congress's staff (and its own client)",
    ),
    api_post("livelihood-programme-close-vote", STAFF_A, area="livelihood", kwargs=pk["livelihood_programme"]),
    api_post(
        "livelihood-programme-break-tie",
        STAFF_A,
        area="livelihood",
        kwargs=pk["livelihood_programme"],
        data=lambda o: {"chosen": [o.livelihood_candidate.pk], "reason": "主任会议决定"},
    ),
    api_post("livelihood-programme-publish", STAFF_A, area="livelihood", kwargs=pk["livelihood_programme"]),
    api_post(
        "livelihood-proposal-assess",
        UNIT_A,
        area="livelihood",
        kwargs=pk["livelihood_proposal"],
        data=lambda o: {"feasibility": "feasible", "cost": "100", "department": o.unit_a.pk, "assessment": "可行"},
        note="the assessing office's officers; screening is over: 409",
    ),
    # Livelihood projects carried out: the region tree, the department and the supervision group's deputies read
    # last year's chosen project's records; staff or the department set milestones, the department completes them
    # and files its reports (the world's quarter is past its window: 400 after the rules)
    api("livelihood-milestone-list", CARRIED_A, area="livelihood", sees=lambda o: o.livelihood_milestone.pk),
    api("livelihood-milestone-detail", CARRIED_A, area="livelihood", kwargs=pk["livelihood_milestone"]),
    api("livelihood-progress-report-list", CARRIED_A, area="livelihood", sees=lambda o: o.livelihood_report.pk),
    api("livelihood-progress-report-detail", CARRIED_A, area="livelihood", kwargs=pk["livelihood_report"]),
    api("livelihood-supervision-group-list", CARRIED_A, area="livelihood", sees=lambda o: o.livelihood_supervision.pk),
    api("livelihood-supervision-group-detail", CARRIED_A, area="livelihood", kwargs=pk["livelihood_supervision"]),
    api("livelihood-site-visit-list", CARRIED_A, area="livelihood", sees=lambda o: o.livelihood_visit.pk),
    api("livelihood-site-visit-detail", CARRIED_A, area="livelihood", kwargs=pk["livelihood_visit"]),
    api_post(
        "livelihood-candidate-set-milestone",
        STAFF_A,
        UNIT_A,
        area="livelihood",
        kwargs=pk["livelihood_project"],
        data=lambda o: {"title": "竣工验收", "workdays": 30},
        note="the congress's staff or the responsible department",
    ),
    api_post(
        "livelihood-candidate-report-progress",
        UNIT_A,
        area="livelihood",
        kwargs=pk["livelihood_project"],
        data=lambda o: {"year": 2026, "quarter": 2, "text": "完成主体施工", "spent": "150"},
        note="the responsible department's officers",
    ),
    api_post(
        "livelihood-milestone-complete",
        UNIT_A,
        area="livelihood",
        kwargs=pk["livelihood_milestone"],
        data=lambda o: {"note": "已完成招标"},
        note="the responsible department's officers",
    ),
    # The year-end appraisal: each project's counts (never a rating) to the region tree and the project's
    # department; staff open and close it (last year's is closed: 409), the department reports its correction
    api("livelihood-appraisal-list", LIVELIHOOD_A, area="livelihood", sees=lambda o: o.livelihood_appraisal.pk),
    api("livelihood-appraisal-detail", LIVELIHOOD_A, area="livelihood", kwargs=pk["livelihood_appraisal"]),
    api_post("livelihood-programme-open-appraisal", STAFF_A, area="livelihood", kwargs=pk["livelihood_published"]),
    api_post("livelihood-programme-close-appraisal", STAFF_A, area="livelihood", kwargs=pk["livelihood_published"]),
    api_post(
        "livelihood-appraisal-report-correction",
        UNIT_A,
        area="livelihood",
        kwargs=pk["livelihood_appraisal"],
        data=lambda o: {"report": "已整改"},
        note="the project's department",
    ),
    api_post(
        "livelihood-appraisal-close-correction",
        STAFF_A,
        area="livelihood",
        kwargs=pk["livelihood_appraisal"],
        data=lambda o: {"note": "已核查"},
        note="not reported yet: 409",
    ),
    api("activity-list", DEP_A, READ_A, area="activities", sees=lambda o: o.activity.pk),
    api("activity-detail", DEP_A, READ_A, area="activities", kwargs=pk["activity"]),
    api("activity-sitting-list", DEP_A, READ_A, area="activities", sees=lambda o: o.activity_sitting.pk),
    api("activity-sitting-detail", DEP_A, READ_A, area="activities", kwargs=pk["activity_sitting"]),
    api_post(
        "activity-sitting-attendance",
        STAFF_A,
        area="activities",
        kwargs=pk["activity_sitting"],
        data=lambda o: {"marks": [{"invitation": o.activity_invitation.pk, "status": "leave"}]},
        note="staff of a congress of the activity take the roll of their own deputies",
    ),
    api_post(
        "activity-sitting-check-in",
        PEOPLE,
        CLIENT,
        CLIENT_B,
        area="activities",
        data=lambda o: {"code": o.activity_later_sitting.checkin_code},
        note="the caller checks in for themselves: the code and their own place decide (400 without one)",
    ),
    api("activity-invitation-list", DEP_A, READ_A, area="activities", sees=lambda o: o.activity_invitation.pk),
    api("activity-invitation-detail", DEP_A, READ_A, area="activities", kwargs=pk["activity_invitation"]),
    api_post(
        "activity-invitation-accept",
        DEP_A,
        area="activities",
        kwargs=pk["activity_invitation"],
        note="the invited deputy alone answers (already accepted: 409); the office sees it but may not answer",
    ),
    api_post(
        "activity-invitation-decline",
        DEP_A,
        area="activities",
        kwargs=pk["activity_invitation"],
        data=lambda o: {"reason": "同期参加全国人大会议"},
    ),
    api("activity-attendance-list", DEP_A, READ_A, area="activities", sees=lambda o: o.activity_attendance.pk),
    api("activity-attendance-detail", DEP_A, READ_A, area="activities", kwargs=pk["activity_attendance"]),
    # Expert pools: the congress's own staff and clients read them (the province's, for its clients), its staff alone
    # write them, as every activities write
    api("activity-expert-pool-list", PROV, CLIENT, area="activities", sees=lambda o: o.expert_pool_p.pk),
    api("activity-expert-pool-detail", PROV, CLIENT, area="activities", kwargs=pk["expert_pool_p"]),
    api_write(
        "activity-expert-pool-list",
        "POST",
        PROV,
        area="activities",
        data=lambda o: {"congress": o.congress_p.pk, "code": "law", "name": "广东省法律专家库"},
        note="into the caller's own congress only",
    ),
    api("activity-expert-list", PROV, CLIENT, area="activities", sees=lambda o: o.expert_p.pk),
    api("activity-expert-detail", PROV, CLIENT, area="activities", kwargs=pk["expert_p"]),
    api_write(
        "activity-expert-list",
        "POST",
        PROV,
        area="activities",
        data=lambda o: {
            "congress": o.congress_p.pk,
            "pools": [o.expert_pool_p.pk],
            "name": "周正",
            "expertise": "财政学",
        },
    ),  # fmt: skip
    api_write(
        "activity-expert-detail",
        "PATCH",
        PROV,
        area="activities",
        kwargs=pk["expert_p"],
        data=lambda o: {"note": "可周末参加"},
    ),
    api_post("activity-expert-archive", PROV, area="activities", kwargs=pk["expert_p"]),
    api(
        "activity-expert-invitation-list",
        PROV,
        CLIENT,
        area="activities",
        sees=lambda o: o.expert_participant_p.pk,
    ),
    api("activity-expert-invitation-detail", PROV, CLIENT, area="activities", kwargs=pk["expert_participant_p"]),
    api_write(
        "activity-expert-invitation-list",
        "POST",
        PROV,
        CLIENT,
        area="activities",
        data=lambda o: {"activity": o.activity_p.pk, "experts": [o.expert_spare_p.pk]},
        note="inviting is running the activity, which the congress's integration client may (activities.invite); "
        "keeping the pool itself stays with the staff",
    ),
    api_post(
        "activity-expert-invitation-answer",
        PROV,
        area="activities",
        kwargs=pk["expert_participant_p"],
        data=lambda o: {"answer": "declined", "reason": "出差"},
    ),
    # Staff run the activity through the API (the organising congress's staff and integration client; each
    # congress's own deputies for the roll, invitations and reports to voters), as on the pages
    api_write(
        "activity-list",
        "POST",
        STAFF_A,
        area="activities",
        data=lambda o: {
            "congress": o.congress_a.pk,
            "kind": "research",
            "title": "生态保护专题调研",
            "starts_on": "2026-07-01",
            "ends_on": "2026-07-03",
            "capacity": 10,
        },  # fmt: skip
        note="staff of the congress named in the body; others 403",
    ),
    api_write(
        "activity-detail",
        "PATCH",
        STAFF_A,
        area="activities",
        kwargs=pk["activity"],
        data=lambda o: {"places": "临夏州"},
    ),
    api_post("activity-send-invitations", STAFF_A, area="activities", kwargs=pk["activity"], note="already sent: 409"),
    api_post("activity-start", STAFF_A, area="activities", kwargs=pk["activity"]),
    api_post(
        "activity-submit-report",
        STAFF_A,
        area="activities",
        kwargs=pk["activity"],
        data=lambda o: {"report": "视察报告", "findings": ["问题一"]},
        note="not under way yet: 409",
    ),
    api_post("activity-close", STAFF_A, area="activities", kwargs=pk["activity"], note="not reported yet: 409"),
    api_post(
        "activity-invite",
        STAFF_A,
        area="activities",
        kwargs=pk["activity"],
        data=lambda o: {"mandates": [o.mandate_a.pk]},
        note="deputy A already invited: 400 with the rule",
    ),
    api_write(
        "activity-sitting-list",
        "POST",
        STAFF_A,
        area="activities",
        data=lambda o: {
            "activity": o.activity.pk,
            "starts_at": "2026-06-10T09:00:00+08:00",
            "ends_at": "2026-06-10T12:00:00+08:00",
        },  # fmt: skip
    ),
    api_write(
        "activity-sitting-detail",
        "PATCH",
        STAFF_A,
        area="activities",
        kwargs=pk["activity_sitting"],
        data=lambda o: {"place": "县政府会议室"},
    ),
    api(
        "activity-participant-list",
        READ_A,
        area="activities",
        sees=lambda o: o.activity_participant.pk,
        note="non-deputies' names: the organiser's region tree",
    ),  # fmt: skip
    api("activity-participant-detail", READ_A, area="activities", kwargs=pk["activity_participant"]),
    api_write(
        "activity-participant-list",
        "POST",
        STAFF_A,
        area="activities",
        data=lambda o: {"activity": o.activity.pk, "kind": "citizen", "name": "王芳"},
    ),
    api_write(
        "activity-participant-detail",
        "PATCH",
        STAFF_A,
        area="activities",
        kwargs=pk["activity_participant"],
        data=lambda o: {"note": "水利专家"},
    ),
    api("activity-finding-list", DEP_A, READ_A, area="activities", sees=lambda o: o.activity_finding.pk),
    api("activity-finding-detail", DEP_A, READ_A, area="activities", kwargs=pk["activity_finding"]),
    api_post(
        "activity-finding-draft",
        STAFF_A,
        area="activities",
        kwargs=pk["activity_finding"],
        data=lambda o: {"lead": o.mandate_a.pk},
    ),
    api_post(
        "activity-finding-refer",
        STAFF_A,
        area="activities",
        kwargs=pk["activity_finding"],
        data=lambda o: {"unit": o.unit_a.pk, "workdays": 10},
    ),
    api_post(
        "activity-finding-answer",
        STAFF_A,
        area="activities",
        kwargs=pk["referred_finding"],
        data=lambda o: {"answer": "已整改"},
    ),
    api("activity-voter-report-list", DEP_A, READ_A, area="activities", sees=lambda o: o.voter_report.pk),
    api("activity-voter-report-detail", DEP_A, READ_A, area="activities", kwargs=pk["voter_report"]),
    api_write(
        "activity-voter-report-list",
        "POST",
        STAFF_A,
        area="activities",
        data=lambda o: {
            "activity": o.voter_meeting.pk,
            "mandate": o.mandate_a.pk,
            "text": "述职报告（更正）",
            "voters": 30,
            "satisfied": 26,
        },  # fmt: skip
        note="recording it again corrects it",
    ),
    # Excellent cases
    api("case-campaign-list", UNIT_A, READ_A, area="cases", sees=lambda o: o.campaign.pk),
    api("case-campaign-detail", UNIT_A, READ_A, area="cases", kwargs=pk["campaign"]),
    api_write(
        "case-campaign-list",
        "POST",
        STAFF_A,
        area="cases",
        data=lambda o: {
            "congress": o.congress_a.pk,
            "kind": "duty",
            "year": 2027,
            "title": "2027年度案例",
            "submissions_open": "2027-05-01",
            "submissions_close": "2027-05-31",
            "units": [{"unit": o.unit_a.pk}],
        },
    ),
    api_write(
        "case-campaign-detail",
        "PATCH",
        STAFF_A,
        area="cases",
        kwargs=pk["draft_campaign"],
        data=lambda o: {"title": "2026年度建议办理优秀案例（修订）"},
    ),
    api("case-campaign-list", READ_A, variant="draft", area="cases", sees=lambda o: o.draft_campaign.pk),
    api("case-campaign-detail", READ_A, variant="draft", area="cases", kwargs=pk["draft_campaign"]),
    api("case-campaign-results", STAFF_A, SUP, area="cases", kwargs=pk["campaign"]),
    api_post("case-campaign-announce", STAFF_A, area="cases", kwargs=pk["campaign"]),
    api_post("case-campaign-close-submissions", STAFF_A, area="cases", kwargs=pk["campaign"]),
    api_post("case-campaign-finish", STAFF_A, area="cases", kwargs=pk["campaign"]),
    api("case-submission-list", UNIT_A, READ_A, area="cases", sees=lambda o: o.submission.pk),
    api("case-submission-detail", UNIT_A, READ_A, area="cases", kwargs=pk["submission"]),
    api_write(
        "case-submission-list",
        "POST",
        UNIT_A,
        area="cases",
        data=lambda o: {"campaign": o.campaign.pk, "title": "新案例"},
        note="an invited unit's officers",
    ),
    api_write(
        "case-submission-detail",
        "PATCH",
        UNIT_A,
        area="cases",
        kwargs=pk["submission"],
        data=lambda o: {"title": "社区议事厅（修订）"},
    ),
    api("case-submission-list", UNIT_A, variant="draft", area="cases", sees=lambda o: o.draft_submission.pk),
    api("case-submission-detail", UNIT_A, variant="draft", area="cases", kwargs=pk["draft_submission"]),
    api_post("case-submission-submit", UNIT_A, area="cases", kwargs=pk["submission"]),
    api_post(
        "case-submission-return", STAFF_A, area="cases", kwargs=pk["submission"], data=lambda o: {"reason": "材料不全"}
    ),
    api_post(
        "case-submission-reject",
        STAFF_A,
        area="cases",
        kwargs=pk["submission"],
        data=lambda o: {"reason": "不符合条件"},
    ),
    api("case-round-list", UNIT_A, READ_A, area="cases", sees=lambda o: o.round.pk),
    api("case-round-detail", UNIT_A, READ_A, area="cases", kwargs=pk["round"]),
    api_write(
        "case-round-list",
        "POST",
        STAFF_A,
        area="cases",
        data=lambda o: {
            "campaign": o.campaign.pk,
            "kind": "approval",
            "name": "主任会议审定",
            "opens_at": "2026-07-01T09:00:00+08:00",
            "closes_at": "2026-07-02T09:00:00+08:00",
        },
    ),
    api_write("case-round-detail", "PATCH", STAFF_A, area="cases", kwargs=pk["round"], data=lambda o: {"name": "初选"}),
    api_post("case-round-open", STAFF_A, area="cases", kwargs=pk["round"]),
    api_post("case-round-close", STAFF_A, area="cases", kwargs=pk["round"]),
    api_post("case-round-decide", STAFF_A, area="cases", kwargs=pk["round"], data=lambda o: {"note": "通过"}),
    api_post(
        "case-round-break-tie",
        STAFF_A,
        area="cases",
        kwargs=pk["round"],
        data=lambda o: {"chosen": [o.submission.pk], "reason": "择优"},
    ),
    api_post(
        "case-round-strike",
        STAFF_A,
        area="cases",
        kwargs=pk["round"],
        data=lambda o: {"submission": o.submission.pk, "reason": "不符合条件"},
    ),
    api_post(
        "case-round-ballot", SUP, area="cases", kwargs=pk["round"], data=lambda o: {"submissions": [o.submission.pk]}
    ),
    api_post(
        "case-round-score",
        SUP,
        area="cases",
        kwargs=pk["poll_round"],
        data=lambda o: {"submission": o.poll_case.pk, "points": {str(o.poll_round.criteria.get().pk): 90}},
    ),
]


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%signed\n", content_type="application/pdf")


def _intake(o):
    return {
        "mandate": o.mandate_a.pk,
        "kind": "suggestion",
        "title": "关于增设公交站的建议",
        "content": "村口公交站台没有遮雨棚，雨天候车困难，建议尽快增设候车亭。",
        "category": o.category.pk,
        "session": o.session_a.pk,
    }


def _new_deputy(o):
    from deputies import idnumbers

    return {
        "name": "李秀兰",
        "gender": "F",
        "ethnic_group": "01",
        "birth_date": "1985-03-15",
        "id_number": idnumbers.make("440106", date(1985, 3, 15), 2),
        "party": "01",
        "education": "undergraduate",
        "occupation": "worker_farmer",
        "work_unit": "社区卫生服务中心",
        "phone": "13912345679",
        "mandate": {"congress": o.congress_a.pk, "term": o.term_a.pk, "start_date": "2026-01-10"},
    }


# The console: what each registered model's pages answer. `obj` picks county A's record (or, for shared and
# third-party tables, any one); `see` may list it and open its change, history and audit-log pages; `add` may
# open its add page; `delete` its delete page.
@dataclass(frozen=True)
class Console:
    obj: Callable
    see: frozenset = frozenset({STAFF_A, PROV})
    add: frozenset = STAFF
    delete: frozenset = frozenset()
    note: str = ""
    query: Callable | None = None  # narrows the changelist to the marked object's page


ALL_STAFF = STAFF
THIRD_PARTY = "Django's own model permissions, which the console's staff are not given"


def _c(obj, *, see=(STAFF_A, PROV), add=STAFF, delete=(), note="", query=None):
    return Console(obj, frozenset(see), frozenset(add), frozenset(delete), note, query)


WORKFLOW = "records made by their workflow: the console only reads them"


CONSOLE = {
    "auth.group": _c(lambda o: o.group_auth, see=(), add=(), note=THIRD_PARTY),
    "django_celery_beat.periodictask": _c(lambda o: o.periodic_task, see=(), add=(), note=THIRD_PARTY),
    "django_celery_beat.clockedschedule": _c(lambda o: o.clocked, see=(), add=(), note=THIRD_PARTY),
    "django_celery_beat.crontabschedule": _c(lambda o: o.crontab, see=(), add=(), note=THIRD_PARTY),
    "django_celery_beat.solarschedule": _c(lambda o: o.solar, see=(), add=(), note=THIRD_PARTY),
    "django_celery_beat.intervalschedule": _c(lambda o: o.interval, see=(), add=(), note=THIRD_PARTY),
    "auditlog.logentry": _c(lambda o: o.log_entry, see=(), add=(), note=THIRD_PARTY),
    "axes.accessattempt": _c(lambda o: o.access_attempt, see=(), add=(), note=THIRD_PARTY),
    "axes.accesslog": _c(lambda o: o.access_log, see=(), add=(), note=THIRD_PARTY),
    "axes.accessfailurelog": _c(lambda o: o.access_failure, see=(), add=(), note=THIRD_PARTY),
    "congress.authenticator": _c(lambda o: o.device, add=(), note="devices of users whose roles lie in one's region"),
    "congress.smsauthenticator": _c(lambda o: o.sms_device, add=(), note="phones of users in one's region"),
    "congress.region": _c(lambda o: o.region_a),
    "congress.congress": _c(lambda o: o.congress_a),
    "congress.term": _c(lambda o: o.term_a),
    "congress.session": _c(lambda o: o.session_a),
    "congress.organisation": _c(lambda o: o.unit_a),
    "congress.policyvalue": _c(lambda o: o.policy),
    "congress.documenttemplate": _c(lambda o: o.document_template),
    "congress.issueddocument": _c(lambda o: o.issued_document, add=(), note="numbers are given by the documents"),
    "congress.user": _c(lambda o: o.user_a, see=(), add=(), note="accounts are the administrators'"),
    "congress.calendaryear": _c(
        lambda o: o.calendar_year,
        see=ALL_STAFF,
        add=(PROV,),
        note="the national working calendar: provincial staff keep it",
    ),
    "congress.calendarday": _c(
        lambda o: o.calendar_day,
        see=ALL_STAFF,
        add=(PROV,),
        query=lambda o: {"date__year": 2026, "date__month": 10, "date__day": 1},
    ),
    "congress.deadline": _c(lambda o: o.deadline, add=()),
    "congress.apiclient": _c(lambda o: o.client_a),
    "congress.webhookendpoint": _c(lambda o: o.endpoint_a),
    "congress.webhookdelivery": _c(lambda o: o.delivery_a, add=()),
    "congress.consolejob": _c(
        lambda o: o.console_job, see=(STAFF_A,), add=(), note="a background job is its starter's"
    ),
    "deputies.person": _c(lambda o: o.mandate_a.person, add=()),
    "deputies.mandate": _c(lambda o: o.mandate_a),
    "deputies.electoralunit": _c(lambda o: o.electoral_unit),
    "deputies.delegation": _c(lambda o: o.delegation),
    "deputies.deputygroup": _c(lambda o: o.group),
    "deputies.contactassignment": _c(lambda o: o.assignment_contact),
    "deputies.contactrecord": _c(lambda o: o.contact_record, add=()),
    "deputies.guestinvitation": _c(lambda o: o.invitation),
    "deputies.dutyentry": _c(lambda o: o.duty_entry),
    "deputies.pointstable": _c(lambda o: o.points_table, add=()),
    "deputies.pointsitem": _c(
        lambda o: o.points_item,
        note="each congress's own points catalogue",
        query=lambda o: {"congress__id__exact": o.congress_a.pk},
    ),
    "deputies.importjob": _c(lambda o: o.import_job, see=(STAFF_A,), add=(), note="an import is its uploader's"),
    "deputies.dutykind": _c(
        lambda o: _first("deputies.DutyKind"),
        see=ALL_STAFF,
        add=(PROV,),
        note="shared catalogues: provincial staff keep them",
    ),
    "deputies.ethnicgroup": _c(lambda o: _first("deputies.EthnicGroup"), see=ALL_STAFF, add=(PROV,)),
    "deputies.party": _c(lambda o: _first("deputies.Party"), see=ALL_STAFF, add=(PROV,)),
    "liaison_stations.station": _c(lambda o: o.station),
    "liaison_stations.ratingcriterion": _c(lambda o: o.criterion),
    "liaison_stations.stationing": _c(lambda o: o.stationing, add=(), note=WORKFLOW),
    "liaison_stations.reception": _c(lambda o: o.reception, add=(), note=WORKFLOW),
    "liaison_stations.visit": _c(lambda o: o.visit, add=(), note=WORKFLOW),
    "liaison_stations.citizenopinion": _c(lambda o: o.opinion, add=(), note=WORKFLOW),
    "liaison_stations.starrating": _c(lambda o: o.rating, add=(), note=WORKFLOW),
    "liaison_stations.stationhonour": _c(lambda o: o.honour, add=(), note=WORKFLOW),
    "suggestions.category": _c(lambda o: o.category),
    "suggestions.suggestion": _c(lambda o: o.suggestion, add=(), note=WORKFLOW),
    "suggestions.assignment": _c(lambda o: o.assignment, add=(), note=WORKFLOW),
    "suggestions.keysupervision": _c(lambda o: o.key_item),
    "training.plan": _c(lambda o: o.plan),
    "training.course": _c(lambda o: o.course),
    "training.enrolment": _c(lambda o: o.enrolment, add=(), note=WORKFLOW),
    "training.attendance": _c(lambda o: o.attendance, add=(), note=WORKFLOW),
    "activities.activitykind": _c(
        lambda o: _first("activities.ActivityKind"), see=ALL_STAFF, add=(PROV,), note="a shared code list"
    ),
    "livelihood.programme": _c(lambda o: o.livelihood_programme),
    "livelihood.proposal": _c(lambda o: o.livelihood_proposal, add=(), note=WORKFLOW),
    "livelihood.candidate": _c(lambda o: o.livelihood_candidate, add=(), note=WORKFLOW),
    "livelihood.correction": _c(lambda o: o.livelihood_correction, add=(), note=WORKFLOW),
    "livelihood.appraisal": _c(lambda o: o.livelihood_appraisal, add=(), note=WORKFLOW),
    "livelihood.milestone": _c(lambda o: o.livelihood_milestone, add=(), note=WORKFLOW),
    "livelihood.progressreport": _c(lambda o: o.livelihood_report, add=(), note=WORKFLOW),
    "livelihood.supervisiongroup": _c(lambda o: o.livelihood_supervision, add=(), note=WORKFLOW),
    "livelihood.sitevisit": _c(lambda o: o.livelihood_visit, add=(), note=WORKFLOW),
    "activities.activity": _c(lambda o: o.activity),
    "activities.invitation": _c(lambda o: o.activity_invitation, add=(), note=WORKFLOW),
    "activities.attendance": _c(lambda o: o.activity_attendance, add=(), note=WORKFLOW),
    "activities.correction": _c(lambda o: o.activity_correction, add=(), note=WORKFLOW),
    "cases.campaign": _c(lambda o: o.campaign, add=(), note=WORKFLOW),
    "cases.submission": _c(lambda o: o.submission, add=(), note=WORKFLOW),
    "cases.round": _c(lambda o: o.round, add=(), note=WORKFLOW),
    "cases.decision": _c(lambda o: o.decision, add=(), note=WORKFLOW),
    "cases.award": _c(lambda o: o.award, add=(), note=WORKFLOW),
}


def _first(label):
    from django.apps import apps

    return apps.get_model(label).objects.order_by("pk").first()


CONSOLE_SITE = [
    page("admin:index", STAFF, kind="console"),
    page("admin:login", EVERYONE, kind="console", redirects=True),
    post("admin:logout", EVERYONE, kind="console", redirects=True),
    page("admin:password_change", STAFF, kind="console"),
    page("admin:password_change_done", STAFF, kind="console"),
    page("admin:jsi18n", STAFF, kind="console"),
    page(
        "admin:autocomplete",
        STAFF_A,
        PROV,
        kind="console",
        sees=lambda o: f'"id": "{o.congress_a.pk}"',
        query=lambda o: {"app_label": "congress", "model_name": "term", "field_name": "congress", "term": ""},
    ),
    page(
        "admin:view_on_site",
        STAFF,
        kind="console",
        kwargs=lambda o: {"content_type_id": _content_type(o.suggestion), "object_id": o.suggestion.pk},
        note="Django's view-on-site redirects to the object's own page, which checks the user",
    ),
    page("admin:app_list", STAFF, kind="console", kwargs=lambda o: {"app_label": "suggestions"}),
    page("admin:area", STAFF, kind="console", kwargs=lambda o: {"area": "suggestions"}),
    model_page("admin:congress_consolejob_progress", STAFF_A, kwargs=pk["console_job"]),
    model_page("admin:congress_consolejob_file", STAFF_A, kwargs=pk["console_job"]),
    page(
        "admin:auth_user_password_change",
        NOBODY,
        kind="console",
        kwargs=lambda o: {"id": o.user_a.pk},
        note="accounts are the administrators'",
    ),
    page("console/(?P<url>.*)$", frozenset(), kind="console", path=lambda o: "/console/no-such-page/"),
]


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def console_rows() -> list[Row]:
    """Seven rows per registered model, from its Console entry (a model without one makes no rows, so the
    completeness test names its pages)."""
    from django.contrib.admin.utils import quote

    rows = []
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        spec = CONSOLE.get(label)
        if spec is None:
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"

        def obj_kwargs(o, spec=spec):
            return {"object_id": quote(spec.obj(o).pk)}

        def marker(o, spec=spec, info=info):
            from django.urls import reverse

            return reverse(f"admin:{info}_change", args=[quote(spec.obj(o).pk)])

        note = spec.note
        rows += [
            model_page(f"admin:{info}_changelist", spec.see, sees=marker, query=spec.query, note=note),
            model_page(f"admin:{info}_add", spec.add, note=note),
            model_page(f"admin:{info}_change", spec.see, kwargs=obj_kwargs, note=note),
            model_page(f"admin:{info}_history", spec.see, kwargs=obj_kwargs, note=note),
            model_page(f"admin:{info}_delete", spec.delete, kwargs=obj_kwargs, note=note),
            model_page(
                f"console/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/",
                STAFF,
                path=lambda o, info=info, spec=spec: _bare(o, info, spec),
                note="the bare address redirects to the change page, which then checks",
            ),
        ]
        if hasattr(model_admin, "auditlog_history_view"):
            rows.append(model_page(f"admin:{info}_auditlog", spec.see, kwargs=obj_kwargs, note=note))
    return rows


def _bare(o, info, spec):
    from django.contrib.admin.utils import quote
    from django.urls import reverse

    return reverse(f"admin:{info}_change", args=[quote(spec.obj(o).pk)]).removesuffix("change/")


def table() -> list[Row]:
    return [*WEB, *API, *CONSOLE_SITE, *console_rows()]


# The URL patterns the project serves

FORMAT_SUFFIXES = (r"\.(?P<format>[a-z0-9]+)/?$", "<drf_format_suffix:format>")


def patterns() -> dict[str, set[str]]:
    """Every URL pattern of the root URLconf, keyed like the rows, with the routes each key stands for (DRF's
    format-suffix twins share their name, so their key)."""
    found: dict[str, set[str]] = {}

    def walk(entries, prefix, namespace):
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                found.setdefault(name or route, set()).add(route)

    walk(get_resolver().url_patterns, "", None)
    return found


def bare_route(route: str) -> str:
    """A route without its format suffix and trailing slash, to tell a suffix twin from another address."""
    for suffix in FORMAT_SUFFIXES:
        route = route.replace(suffix, "")
    return route.rstrip("/$")
