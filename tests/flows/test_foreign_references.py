"""Foreign references: a write that names a record the actor may not reach is refused, and nothing is stored.

Each case sends one write of the permission matrix's world (county A) as the role the write is meant for, naming
in one reference field a record of county B (another region's handling unit, another county's deputy, station,
suggestion or contact pair): the answer must be a 4xx (a form page re-rendered with its error counts for an HTML
form) and the count the write would change must not move. The same write naming county A's own record is sent
too, and must be stored: the refusal is the reference's, not the request's.

The lists cannot fall behind the code: every request field of every API write that can hold a reference (an
integer, a list of them, or an object, in the live schema) must be covered by a case below or named in
NOT_REFERENCES with the reason it is not one or where it is checked; every form field whose choices are made per
request (a model choice field, or a choice field declared without choices) likewise. A new endpoint or form with
a reference field fails here until it has a case."""

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django import forms as django_forms
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.domain_apps import DOMAIN_APPS

from . import permission_matrix as pm
from . import test_permission_matrix as matrix

world = matrix.world
_django_db_helper = matrix._django_db_helper


@pytest.fixture(scope="module")
def far(world, django_db_blocker):
    """County B's records for A's actors to name, and A's fresh records the writes need in the right state."""
    from cases import services as cases
    from deputies.models import ContactAssignment
    from liaison_stations import services as stations
    from tests import factories as core
    from tests.cases import factories as c
    from tests.liaison_stations.factories import StationFactory, held_reception
    from tests.suggestions import factories as s
    from tests.suggestions.factories import CategoryFactory

    o = world.o
    with django_db_blocker.unblock():
        f = type("Far", (), {})()
        f.staff_b = world.users["county_staff_b"]
        f.staff_a, f.manager = world.users["county_staff_a"], world.users["station_manager"]
        f.supervisor = world.users["supervisor"]
        f.committee_a, f.committee_b = (
            core.OrganisationFactory(
                region=region,
                congress=congress,
                kind="special_committee",
                unit_category="",
                name=f"{region.name}监察司法委员会",
            )
            for region, congress in ((o.region_a, o.congress_a), (o.region_b, o.congress_b))
        )
        f.category_b = CategoryFactory(congress=o.congress_b, name="教育")
        f.station_a2 = StationFactory(congress=o.congress_a, region=o.region_a, name="天河第二代表联络站")
        f.station_b = StationFactory(congress=o.congress_b, region=o.region_b, name="越秀第一代表联络站")
        f.held_reception = held_reception(o.station)  # held, nobody yet recorded present
        f.suggestion_b = s.accepted(o.mandate_b, world.users["county_staff_b"], title="越秀区的建议")
        f.fresh = s.accepted(o.mandate_a, world.users["county_staff_a"], title="待交办的建议")
        f.fresh_other = s.accepted(o.mandate_a, world.users["county_staff_a"], title="同题的建议")
        f.pair_b = ContactAssignment.objects.create(
            member=world.users["supervisor"], mandate=o.mandate_b, congress=o.congress_b
        )
        f.received = stations.record_opinion(
            actor=world.users["station_manager"], station_id=o.station.pk, phone="13812340000", category="urban",
            content="公园缺少座椅。",
        )  # fmt: skip
        with c.travel("2026-06-01 10:00"):
            f.campaign = c.campaign(
                world.users["county_staff_a"], o.congress_a, [o.unit_a], title="征集中的履职案例",
                opens=date(2026, 6, 1), closes=date(2026, 6, 30),
            )  # fmt: skip
        from tests.deputies.factories import PersonFactory

        f.newcomer = PersonFactory()  # sits nowhere yet: any congress may seat them
        f.groups = {}
        from deputies.models import DeputyGroup

        for key, mandate in (("a", o.mandate_a), ("b", o.mandate_b)):
            f.groups[key] = DeputyGroup.objects.create(
                congress=mandate.congress, term=mandate.term, name=f"{mandate.congress.region.name}教育代表小组"
            )
        f.group_a, f.group_b = f.groups["a"], f.groups["b"]
        from tests.activities import factories as a

        f.expert_pool_b = a.expert_pool(f.staff_b, o.congress_b, name="越秀区法律专家库")
        f.expert_b = a.expert(f.staff_b, o.congress_b, pools=[f.expert_pool_b], name="王青", phone="13900004444")
        f.expert_a2 = a.expert(f.staff_a, o.congress_a, pools=[o.expert_pool], name="刘洋", phone="13900005555")
        from tests.activities import factories as activities

        f.activity_fresh = activities.activity(f.staff_a, o.congress_a, title="待邀请的调研", send=False)
        from deputies.models import GroupMembership

        f.membership_a = GroupMembership.objects.create(group=f.group_a, mandate=o.colleague)
        f.membership_b = GroupMembership.objects.create(group=f.group_b, mandate=o.mandate_b)
        f.case_draft = cases.create_submission(
            actor=world.users["unit_officer_a"], campaign_id=f.campaign.pk, fields={"title": "草稿案例"}
        )
        from congress.models import Topic

        f.topic_fresh = Topic.objects.create(congress=o.congress_a, region_code=o.region_a.code, label="路灯",
                                             keywords=["路灯"], item_count=3)  # fmt: skip
        f.topic_b = Topic.objects.create(congress=o.congress_b, region_code=o.region_b.code, label="学位",
                                         keywords=["学位"], item_count=5)  # fmt: skip
    return f


def count(model_path: str, **lookups) -> Callable:
    def counter(o, f):
        return apps.get_model(model_path).objects.filter(**{k: v(o, f) for k, v in lookups.items()}).count()

    return counter


@dataclass(frozen=True)
class Case:
    id: str
    role: str
    url: Callable  # (o, f) -> path
    body: Callable  # (o, f, ref) -> request data naming ref in the reference field
    foreign: Callable  # (o, f) -> the out-of-reach id (or ids)
    own: Callable  # (o, f) -> an id in reach, which the same write stores
    stored: Callable  # (o, f) -> a number the write changes when it stores anything
    covers: tuple = ()  # "operationId.field" (API) or "app.forms.Form.field" (HTML form)
    method: str = "POST"
    form: bool = False  # an HTML form post (answered by a re-rendered page or a redirect)


def api(name, **kwargs):
    return lambda o, f: reverse(name, kwargs=kwargs and {k: v(o, f) for k, v in kwargs.items()})


def web(name, **kwargs):
    return api(name, **kwargs)


A = lambda attr: lambda o, f: getattr(o, attr).pk  # noqa: E731
F = lambda attr: lambda o, f: getattr(f, attr).pk  # noqa: E731
VISIT = {"activity": "reception", "visited_at": "2026-06-09T10:00:00+08:00", "citizens_received": 1}
RECEPTION = {"date": "2026-06-25", "start_time": "09:00", "end_time": "11:00", "topic": "教育"}
SUGGESTION = {
    "kind": "suggestion",
    "title": "关于增设公交站的建议",
    "content": "村口公交站台没有遮雨棚，建议增设候车亭。",
}

CASES = [
    # Topics: county A's staff merge their topic into county B's.
    Case(
        "merge-a-topic-into-another-countys",
        pm.STAFF_A,
        web("topic", pk=F("topic_fresh")),
        lambda o, f, ref: {"form": "merge", "into": ref, "confirm": "on"},
        F("topic_b"),
        A("other_topic"),
        count("congress.Topic", pk=F("topic_fresh"), merged_into__isnull=lambda o, f: False),
        covers=("congress.forms.TopicMergeForm.into",),
        form=True,
    ),
    # Activities: county A's staff invite county B's deputy to their activity.
    Case(
        "invite-another-countys-deputy",
        pm.STAFF_A,
        api("activity-invite", pk=F("activity_fresh")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("mandate_a"),
        count("activities.Invitation", activity=F("activity_fresh")),
        covers=("v1_activities_invite_create.mandates",),
    ),
    # Stations: a manager of 天河's station names 越秀's unit, deputy or station.
    Case(
        "triage-to-another-regions-unit",
        pm.MANAGER,
        api("citizenopinion-triage", pk=F("received")),
        lambda o, f, ref: {"route": "referred", "unit": ref},
        A("unit_b"),
        A("unit_a"),
        count("liaison_stations.CitizenOpinion", pk=F("received"), referred_unit__isnull=lambda o, f: False),
        covers=("v1_opinions_triage_create.unit",),
    ),
    Case(
        "triage-to-another-countys-deputy",
        pm.MANAGER,
        api("citizenopinion-triage", pk=F("received")),
        lambda o, f, ref: {"route": "to_suggestion", "deputy": ref},
        A("mandate_b"),
        A("mandate_a"),
        count("suggestions.Suggestion"),
        covers=("v1_opinions_triage_create.deputy",),
    ),
    Case(
        "triage-form-to-another-regions-unit",
        pm.MANAGER,
        web("liaison_stations:opinion", pk=F("received")),
        lambda o, f, ref: {"action": "triage", "route": "referred", "unit": ref},
        A("unit_b"),
        A("unit_a"),
        count("liaison_stations.CitizenOpinion", pk=F("received"), referred_unit__isnull=lambda o, f: False),
        covers=("liaison_stations.forms.TriageForm.unit",),
        form=True,
    ),
    Case(
        "triage-form-to-another-countys-deputy",
        pm.MANAGER,
        web("liaison_stations:opinion", pk=F("received")),
        lambda o, f, ref: {"action": "triage", "route": "to_suggestion", "deputy": ref},
        A("mandate_b"),
        A("mandate_a"),
        count("suggestions.Suggestion"),
        covers=("liaison_stations.forms.TriageForm.deputy",),
        form=True,
    ),
    Case(
        "stationing-of-another-countys-deputy",
        pm.MANAGER,
        api("stationing-list"),
        lambda o, f, ref: {"station": o.station.pk, "mandate": ref, "start_date": "2026-06-09"},
        A("mandate_b"),
        A("colleague"),
        count("liaison_stations.Stationing"),
        covers=("v1_stationings_create.mandate",),
    ),
    Case(
        "stationing-at-another-countys-station",
        pm.STAFF_A,
        api("stationing-list"),
        lambda o, f, ref: {"station": ref, "mandate": o.colleague.pk, "start_date": "2026-06-09"},
        F("station_b"),
        A("station"),
        count("liaison_stations.Stationing"),
        covers=("v1_stationings_create.station",),
    ),
    Case(
        "stationing-form-of-another-countys-deputy",
        pm.STAFF_A,
        web("liaison_stations:station_deputies", pk=A("station")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("colleague"),
        count("liaison_stations.Stationing"),
        covers=("liaison_stations.forms.StationDeputiesForm.mandates",),
        form=True,
    ),
    Case(
        "visit-of-another-countys-deputy",
        pm.MANAGER,
        api("visit-list"),
        lambda o, f, ref: {"station": o.station.pk, "mandate": ref, **VISIT},
        A("mandate_b"),
        A("mandate_a"),
        count("deputies.DutyEntry"),
        covers=("v1_visits_create.mandate",),
    ),
    Case(
        "visit-at-another-countys-station",
        pm.MANAGER,
        api("visit-list"),
        lambda o, f, ref: {"station": ref, "mandate": o.mandate_a.pk, **VISIT},
        F("station_b"),
        A("station"),
        count("deputies.DutyEntry"),
        covers=("v1_visits_create.station",),
    ),
    Case(
        "reception-with-another-countys-deputy",
        pm.MANAGER,
        api("reception-list"),
        lambda o, f, ref: {"station": o.station.pk, "deputies": [ref], **RECEPTION},
        A("mandate_b"),
        A("mandate_a"),
        count("liaison_stations.Reception"),
        covers=("v1_receptions_create.deputies",),
    ),
    Case(
        "reception-at-another-countys-station",
        pm.MANAGER,
        api("reception-list"),
        lambda o, f, ref: {"station": ref, "deputies": [o.mandate_a.pk], **RECEPTION},
        F("station_b"),
        A("station"),
        count("liaison_stations.Reception"),
        covers=("v1_receptions_create.station",),
    ),
    Case(
        "reception-form-with-another-countys-deputy",
        pm.MANAGER,
        web("liaison_stations:desk", pk=A("station")),
        lambda o, f, ref: {"form": "reception", "deputies": [ref], **RECEPTION},
        A("mandate_b"),
        A("mandate_a"),
        count("liaison_stations.Reception"),
        covers=("liaison_stations.forms.ReceptionForm.deputies",),
        form=True,
    ),
    Case(
        "attendance-form-with-another-countys-deputy",
        pm.MANAGER,
        web("liaison_stations:mark_present", pk=F("held_reception")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("mandate_a"),
        count("liaison_stations.Attendance"),
        covers=("liaison_stations.forms.MarkPresentForm.mandates",),
        form=True,
    ),
    Case(
        "opinion-at-another-countys-station",
        pm.MANAGER,
        api("citizenopinion-list"),
        lambda o, f, ref: {"station": ref, "phone": "13812345678", "category": "urban", "content": "路面积水。"},
        F("station_b"),
        A("station"),
        count("liaison_stations.CitizenOpinion"),
        covers=("v1_opinions_create.station",),
    ),
    # Suggestions
    Case(
        "assign-to-another-regions-unit",
        pm.STAFF_A,
        api("suggestion-assign", pk=F("fresh")),
        lambda o, f, ref: {"lead": ref},
        A("unit_b"),
        A("unit_a"),
        count("suggestions.Assignment"),
        covers=("v1_suggestions_assign_create.lead",),
    ),
    Case(
        "co-handling-by-another-regions-unit",
        pm.STAFF_A,
        api("suggestion-assign", pk=F("fresh")),
        lambda o, f, ref: {"separate_units": [ref]},
        A("unit_b"),
        A("unit_a"),
        count("suggestions.Assignment"),
        covers=("v1_suggestions_assign_create.separate_units", "v1_suggestions_assign_create.co_units"),
    ),
    Case(
        "merge-another-countys-suggestion",
        pm.STAFF_A,
        api("suggestion-merge", pk=F("fresh")),
        lambda o, f, ref: {"others": [ref]},
        F("suggestion_b"),
        F("fresh_other"),
        count("suggestions.Suggestion", merged_into__isnull=lambda o, f: False),
        covers=("v1_suggestions_merge_create.others",),
    ),
    Case(
        "cosigner-of-another-county",
        pm.DEP_A,
        api("suggestion-list"),
        lambda o, f, ref: {**SUGGESTION, "mandate": o.mandate_a.pk, "cosigner_mandates": [ref]},
        A("mandate_b"),
        A("colleague"),
        count("suggestions.Suggestion"),
        covers=("v1_suggestions_create.cosigner_mandates",),
    ),
    Case(
        "suggestion-under-another-deputys-mandate",
        pm.DEP_A,
        api("suggestion-list"),
        lambda o, f, ref: {**SUGGESTION, "mandate": ref},
        A("mandate_b"),
        A("mandate_a"),
        count("suggestions.Suggestion"),
        covers=("v1_suggestions_create.mandate",),
    ),
    Case(
        "intake-for-another-countys-deputy",
        pm.STAFF_A,
        api("suggestion-intake"),
        lambda o, f, ref: {**SUGGESTION, "mandate": ref, "category": o.category.pk},
        A("mandate_b"),
        A("mandate_a"),
        count("suggestions.Suggestion"),
        covers=("v1_suggestions_intake_create.mandate",),
    ),
    Case(
        "key-item-on-another-countys-suggestion",
        pm.STAFF_A,
        api("keysupervision-list"),
        lambda o, f, ref: {
            "congress": o.congress_a.pk,
            "year": 2026,
            "title": "新的督办",
            "leader": o.supervisor.pk,
            "suggestion_ids": [ref],
        },
        F("suggestion_b"),
        F("fresh"),
        count("suggestions.KeySupervision"),
        covers=("v1_key_supervisions_create.suggestion_ids",),
    ),
    Case(
        "key-item-led-by-another-countys-staff",
        pm.STAFF_A,
        api("keysupervision-list"),
        lambda o, f, ref: {"congress": o.congress_a.pk, "year": 2026, "title": "新的督办", "leader": ref},
        F("staff_b"),
        A("supervisor"),
        count("suggestions.KeySupervision"),
        covers=("v1_key_supervisions_create.leader",),
    ),
    Case(
        "supervision-notice-to-another-regions-unit",
        pm.SUP,
        api("keysupervision-notes", pk=A("key_item")),
        lambda o, f, ref: {"text": "实地督办", "unit": ref},
        A("unit_b"),
        A("unit_a"),
        count("suggestions.SupervisionNote"),
        covers=("v1_key_supervisions_notes_create.unit",),
    ),
    Case(
        "reply-for-another-officers-unit",
        pm.UNIT_A,
        api("suggestion-record-contact", pk=A("suggestion")),
        lambda o, f, ref: {"unit": ref, "date": "2026-06-10", "mode": "phone", "summary": "电话沟通"},
        A("unit_b"),
        A("unit_a"),
        count("suggestions.ContactLog"),
        covers=tuple(
            f"v1_suggestions_{name}_create.unit"
            for name in (
                "record_contact",
                "reply",
                "co_opinion",
                "confirm_receipt",
                "report_solved",
                "request_extension",
                "request_reassignment",
                "save_plan",
            )
        ),
    ),  # fmt: skip
    # Roster
    Case(
        "duty-entry-for-another-countys-deputy",
        pm.STAFF_A,
        api("dutyentry-list"),
        lambda o, f, ref: {"mandate": ref, "kind": "award", "date": "2026-06-09", "title": "获得表彰"},
        A("mandate_b"),
        A("mandate_a"),
        count("deputies.DutyEntry"),
        covers=("v1_duty_entries_create.mandate",),
    ),
    Case(
        "contact-record-on-another-countys-pair",
        pm.STAFF_A,
        api("contactrecord-list"),
        lambda o, f, ref: {"assignment": ref, "date": "2026-06-09", "mode": "phone", "topic": "听取意见"},
        F("pair_b"),
        A("assignment_contact"),
        count("deputies.ContactRecord"),
        covers=("v1_contact_records_create.assignment",),
    ),
    # Training
    Case(
        "nominate-another-countys-deputy",
        pm.STAFF_A,
        api("course-nominate", pk=A("course")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("colleague"),
        count("training.Enrolment"),
        covers=("v1_training_courses_nominate_create.mandates",),
    ),
    Case(
        "nominate-form-another-countys-deputy",
        pm.STAFF_A,
        web("training:nominate", pk=A("course")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("colleague"),
        count("training.Enrolment"),
        covers=("training.views.nominate.mandates",),
        form=True,
    ),
    # Cases
    Case(
        "case-naming-another-countys-deputy",
        pm.UNIT_A,
        api("case-submission-detail", pk=F("case_draft")),
        lambda o, f, ref: {"mandate_ids": [ref]},
        A("mandate_b"),
        A("mandate_a"),
        count("cases.Submission", mandates__isnull=lambda o, f: False),
        method="PATCH",
        covers=("v1_cases_submissions_partial_update.mandate_ids", "v1_cases_submissions_create.mandate_ids"),
    ),
    Case(
        "case-naming-another-countys-station",
        pm.UNIT_A,
        api("case-submission-detail", pk=F("case_draft")),
        lambda o, f, ref: {"station": ref},
        F("station_b"),
        A("station"),
        count("cases.Submission", station__isnull=lambda o, f: False),
        method="PATCH",
        covers=("v1_cases_submissions_partial_update.station", "v1_cases_submissions_create.station"),
    ),
]


CASES += [
    Case(
        "body-under-another-countys-body",
        pm.STAFF_A,
        api("organisation-detail", pk=A("unit_a")),
        lambda o, f, ref: {"parent": ref},
        A("unit_b"),
        F("committee_a"),
        count("congress.Organisation", pk=A("unit_a"), parent__isnull=lambda o, f: False),
        method="PATCH",
        covers=tuple(f"v1_organisations_{op}.parent" for op in ("create", "update", "partial_update")),
    ),
    Case(
        "campaign-inviting-another-countys-unit",
        pm.STAFF_A,
        api("case-campaign-list"),
        lambda o, f, ref: {
            "congress": o.congress_a.pk, "kind": "duty", "year": 2027, "title": "2027年度案例",
            "submissions_open": "2027-05-01", "submissions_close": "2027-05-31", "units": [{"unit": ref}],
        },
        A("unit_b"),
        A("unit_a"),
        count("cases.Campaign"),
        covers=("v1_cases_campaigns_create.units", "v1_cases_campaigns_partial_update.units",
                "cases.forms.CampaignForm.units"),
    ),
    Case(
        "case-naming-another-countys-suggestion",
        pm.UNIT_A,
        api("case-submission-detail", pk=F("case_draft")),
        lambda o, f, ref: {"suggestion": ref},
        F("suggestion_b"),
        A("suggestion"),
        count("cases.Submission", suggestion__isnull=lambda o, f: False),
        method="PATCH",
        covers=("v1_cases_submissions_partial_update.suggestion", "v1_cases_submissions_create.suggestion",
                "cases.forms.SubmissionForm.suggestion"),
    ),
]  # fmt: skip

CASES += [
    Case(
        "key-item-under-another-congresss-committee",
        pm.STAFF_A,
        api("keysupervision-list"),
        lambda o, f, ref: {"congress": o.congress_a.pk, "year": 2026, "title": "新的督办", "committee": ref},
        F("committee_b"),
        F("committee_a"),
        count("suggestions.KeySupervision"),
        covers=("v1_key_supervisions_create.committee", "suggestions.forms.KeyItemForm.committee"),
    ),
    Case(
        "category-under-another-congresss-heading",
        pm.STAFF_A,
        api("category-list"),
        lambda o, f, ref: {"congress": o.congress_a.pk, "name": "交通", "parent": ref},
        F("category_b"),
        A("category"),
        count("suggestions.Category"),
        covers=("v1_suggestion_categories_create.parent",),
    ),
    Case(
        "station-under-another-countys-station",
        pm.STAFF_A,
        api("station-detail", pk=A("station")),
        lambda o, f, ref: {"parent": ref},
        F("station_b"),
        F("station_a2"),
        count("liaison_stations.Station", parent__isnull=lambda o, f: False),
        method="PATCH",
        covers=tuple(f"v1_stations_{op}.parent" for op in ("create", "update", "partial_update")),
    ),
    # Accounts carry no region: a station's managers and a round's voters are held to the people of the
    # congress's region tree (scope.people_of); a person to those seated there or nowhere yet.
    Case(
        "station-managed-by-another-countys-staff",
        pm.STAFF_A,
        api("station-detail", pk=A("station")),
        lambda o, f, ref: {"managers": [f.manager.pk, ref]},
        F("staff_b"),
        F("staff_a"),
        count("liaison_stations.Station_managers", station_id=A("station")),
        method="PATCH",
        covers=tuple(f"v1_stations_{op}.managers" for op in ("create", "update", "partial_update")),
    ),
    Case(
        "round-voter-of-another-county",
        pm.STAFF_A,
        api("case-round-list"),
        lambda o, f, ref: {
            "campaign": f.campaign.pk,
            "kind": "ballot",
            "name": "机关投票",
            "opens_at": "2026-07-09T09:00:00+08:00",
            "closes_at": "2026-07-13T17:00:00+08:00",
            "approvals_per_voter": 3,
            "advance": 3,
            "voters": [{"user": ref}],
        },  # fmt: skip
        F("staff_b"),
        F("supervisor"),
        count("cases.Round"),
        covers=("v1_cases_rounds_create.voters", "v1_cases_rounds_partial_update.voters"),
    ),
    Case(
        "seat-for-another-countys-deputy",
        pm.STAFF_A,
        api("mandate-list"),
        lambda o, f, ref: {
            "person": ref,
            "congress": o.congress_a.pk,
            "term": o.mandate_a.term_id,
            "start_date": "2026-06-01",
        },  # fmt: skip
        lambda o, f: o.mandate_b.person_id,
        F("newcomer"),
        count("deputies.Mandate"),
        covers=tuple(f"v1_mandates_{op}.person" for op in ("create", "update", "partial_update")),
    ),
    Case(
        "course-for-another-countys-group",
        pm.STAFF_A,
        web("admin:training_course_add"),
        lambda o, f, ref: {
            "congress": o.congress_a.pk,
            "title": "履职能力培训",
            "kind": "induction",
            "mode": "offline",
            "place": "区人大常委会会议室",
            "capacity": 30,
            "hours_per_sitting": 3,
            "audience_groups": [ref],
            **{
                f"{prefix}-{key}": value
                for prefix in ("sittings", "materials")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },  # fmt: skip
        F("group_b"),
        F("group_a"),
        count("training.Course"),
        covers=("training.forms.CourseAdminForm.audience_groups",),
        form=True,
    ),
]

CASES += [
    Case(
        "invite-another-congresss-expert",
        pm.STAFF_A,
        web("activities:invite_experts", pk=A("activity")),
        lambda o, f, ref: {"experts": [ref]},
        F("expert_b"),
        F("expert_a2"),
        count("activities.Participant"),
        form=True,
    ),
    Case(
        "invite-another-congresss-expert-by-api",
        pm.STAFF_A,
        api("activity-expert-invitation-list"),
        lambda o, f, ref: {"activity": o.activity.pk, "experts": [ref]},
        F("expert_b"),
        F("expert_a2"),
        count("activities.Participant"),
        covers=("v1_activities_expert_invitations_create.experts",),
    ),
    Case(
        "expert-in-another-congresss-pool",
        pm.STAFF_A,
        api("activity-expert-list"),
        lambda o, f, ref: {"congress": o.congress_a.pk, "pools": [ref], "name": "赵敏", "expertise": "劳动法"},
        F("expert_pool_b"),
        A("expert_pool"),
        count("activities.Expert"),
        covers=("v1_activities_experts_create.pools", "v1_activities_experts_partial_update.pools"),
    ),
    Case(
        "expert-in-another-congresss-pool-by-form",
        pm.STAFF_A,
        web("activities:expert_add"),
        lambda o, f, ref: {"name": "赵敏", "pools": [ref], "expertise": "劳动法", "available": "on"},
        F("expert_pool_b"),
        A("expert_pool"),
        count("activities.Expert"),
        covers=("activities.forms.ExpertForm.pools",),
        form=True,
    ),
    Case(
        "expert-for-another-congress",
        pm.STAFF_A,
        api("activity-expert-list"),
        lambda o, f, ref: {"congress": ref, "pools": [o.expert_pool.pk], "name": "赵敏", "expertise": "劳动法"},
        lambda o, f: o.congress_b.pk,
        A("congress_a"),
        count("activities.Expert"),
        covers=("v1_activities_experts_create.congress",),
    ),
    Case(
        "expert-pool-for-another-congress",
        pm.STAFF_A,
        api("activity-expert-pool-list"),
        lambda o, f, ref: {"congress": ref, "code": "labour", "name": "劳动法专家库"},
        lambda o, f: o.congress_b.pk,
        A("congress_a"),
        count("activities.ExpertPool"),
        covers=("v1_activities_expert_pools_create.congress",),
    ),
    Case(
        "group-form-adds-another-countys-deputy",
        pm.STAFF_A,
        web("deputies:group_add", pk=F("group_a")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("mandate_a"),
        count("deputies.GroupMembership", group=F("group_a")),
        form=True,
    ),
    Case(
        "group-api-adds-another-countys-deputy",
        pm.STAFF_A,
        api("deputygroup-members", pk=F("group_a")),
        lambda o, f, ref: {"mandates": [ref]},
        A("mandate_b"),
        A("mandate_a"),
        count("deputies.GroupMembership", group=F("group_a")),
        covers=("v1_deputy_groups_members_create.mandates",),
    ),
    Case(
        "group-api-sets-the-role-in-another-groups-membership",
        pm.STAFF_A,
        api("deputygroup-set-role", pk=F("group_a")),
        lambda o, f, ref: {"membership": ref, "role": "leader"},
        F("membership_b"),
        F("membership_a"),
        count("deputies.GroupMembership", role=lambda o, f: "leader"),
        covers=("v1_deputy_groups_set_role_create.membership",),
    ),
    Case(
        "group-api-removes-another-groups-membership",
        pm.STAFF_A,
        api("deputygroup-remove", pk=F("group_a")),
        lambda o, f, ref: {"membership": ref},
        F("membership_b"),
        F("membership_a"),
        count("deputies.GroupMembership"),
        covers=("v1_deputy_groups_remove_create.membership",),
    ),
    Case(
        "contact-pairs-for-another-countys-staff",
        pm.STAFF_A,
        web("admin:deputies_mandate_changelist"),
        lambda o, f, ref: {"action": "assign_to_member", "_selected_action": [o.colleague.pk], "member": ref},
        F("staff_b"),
        A("supervisor"),
        count("deputies.ContactAssignment"),
        covers=("deputies.forms.AssignContactsForm.member",),
        form=True,
    ),
]

# Carrying out the livelihood projects: the supervision group's committee and deputies, a visit's activity
CASES += [
    Case(
        "supervision-led-by-another-congresss-committee",
        pm.STAFF_A,
        web("livelihood:supervision", pk=A("livelihood_project")),
        lambda o, f, ref: {"committee": ref, "group_name": "新建监督组"},
        F("committee_b"),
        F("committee_a"),
        count("deputies.DeputyGroup", name=lambda o, f: "新建监督组"),
        covers=("livelihood.forms.SupervisionForm.committee",),
        form=True,
    ),
    Case(
        "supervision-by-another-countys-deputy-group",
        pm.STAFF_A,
        web("livelihood:supervision", pk=A("livelihood_project")),
        lambda o, f, ref: {"committee": f.committee_a.pk, "group": ref},
        F("group_b"),
        F("group_a"),
        count("livelihood.SupervisionGroup", group_id=F("group_a")),
        covers=("livelihood.forms.SupervisionForm.group",),
        form=True,
    ),
    Case(
        "site-visit-part-of-an-activity-the-deputy-was-not-invited-to",
        pm.DEP_A,
        web("livelihood:site_visit", pk=A("livelihood_project")),
        lambda o, f, ref: {"visited_on": "2026-06-09", "place": "长者饭堂", "seen": "已投入使用", "activity": ref},
        F("activity_fresh"),
        A("activity"),
        count("livelihood.SiteVisit"),
        covers=("livelihood.forms.SiteVisitForm.activity",),
        form=True,
    ),
]

# Fields that look like references in the schema or a form but are none, or whose reference is checked where
# the reason says (with the test that proves it).
NUMBERS = {"year", "number", "months", "citizens_received", "position", "advance", "approvals_per_voter",
           "quota_per_level"}  # fmt: skip
SUBJECT = "names the subject of the write itself, which the action's scope rule judges (permission matrix)"
OWN_UNIT = "chooses among the actor's own units or assignments (scope.unit_ids); another's is refused"
ROUND = "checked against the entries or criteria of this round (cases/services/rounds.py; tests/cases)"
SAME_CONGRESS = "checked against the subject's congress or term (the service's field error; tests/<app>)"
FILTER = "a list filter: it narrows what the user already reads, stores nothing"
NOT_REFERENCES = {
    "livelihood.forms.PaperEntryForm.candidates": "offered from the programme's own candidates; the service refuses "
    "another programme's (tests/livelihood/test_paper.py::test_a_candidate_of_another_programme_is_refused)",
    "livelihood.forms.PaperIssueForm.mandate": "offered from the active deputies of the programme's congress; the "
    "service refuses another congress's "
    "(tests/livelihood/test_paper.py::test_a_deputy_of_another_congress_cannot_take_a_paper_ballot)",
    "livelihood.forms.StationProposalForm.programme": "offered from the programmes collecting in the station's region; "
    "the service refuses a station outside the programme's region "
    "(tests/livelihood/test_station_proposal.py::test_a_station_outside_the_region_is_refused)",
    "livelihood.forms.ProgressReportForm.quarter": "a quarter (year and number), no record: offered from the "
    "quarters open today; the service refuses one outside its reporting window "
    "(tests/livelihood/test_carrying.py::test_a_quarter_is_reported_until_the_grace_working_days_after_it_end)",
    "livelihood.forms.BallotForm.candidates": "offered from the programme's own candidates; the service refuses "
    "another programme's (tests/livelihood/test_vote.py::test_a_candidate_of_another_programme_is_refused)",
    "livelihood.forms.TieForm.chosen": "offered from the candidates tied in this programme; the service refuses any "
    "other (tests/livelihood/test_vote.py::test_a_tie_at_the_cut_off_is_decided_on_record_before_publication)",
    "livelihood.forms.AssessmentForm.department": "offered from the handling units of the programme's region; the "
    "service refuses one outside it "
    "(tests/livelihood/test_programme.py::test_a_department_outside_the_region_is_refused)",
    "v1_livelihood_proposals_assess_create.department": "the service refuses a unit outside the programme's region "
    "(tests/livelihood/test_api.py::test_the_office_may_not_name_another_county_department)",
    "v1_livelihood_programmes_confirm_candidates_create.kept": "the service takes only the programme's own open "
    "proposals (tests/livelihood/test_api.py::"
    "test_the_candidate_list_is_refused_when_a_proposal_of_another_programme_is_named)",
    "v1_livelihood_programmes_confirm_candidates_create.dropped": "likewise: the programme's own open proposals only",
    "v1_livelihood_candidates_report_progress_create.quarter": "a quarter's number (1 to 4), no record; the service "
    "refuses one outside its reporting window "
    "(tests/livelihood/test_carrying.py::test_a_quarter_is_reported_until_the_grace_working_days_after_it_end)",
    "v1_livelihood_candidates_set_milestone_create.workdays": "a number of working days, no record "
    "(tests/livelihood/test_api_carrying.py::test_staff_set_a_milestone_due_in_working_days)",
    "v1_livelihood_programmes_break_tie_create.chosen": "the service refuses any but the candidates tied in this "
    "programme (tests/livelihood/test_vote.py::test_a_tie_at_the_cut_off_is_decided_on_record_before_publication)",
    "v1_livelihood_programmes_open_vote_create.present": "a number of deputies, not a reference",
    "activities.forms.ExpertFilterForm.pool": FILTER,
    "v1_activities_expert_invitations_create.activity": SUBJECT,
    "activities.forms.VoterReportForm.mandate": "offered from the accepted invitees the user's congress handles; the "
    "service refuses a deputy who did not accept and another congress's staff "
    "(tests/activities/test_voter_reports.py::test_staff_of_another_congress_cannot_record)",
    "activities.forms.DraftForm.lead": "offered from the activity's present participants; the service refuses a "
    "deputy who was not present or not of the organising congress (tests/activities/test_findings.py)",
    "activities.forms.ReferralForm.unit": "the service refuses a unit outside the organising congress's region "
    "(tests/activities/test_findings.py::test_a_unit_outside_the_congresss_region_is_refused)",
    "activities.forms.CorrectionForm.invitation": "offered from the roll of the user's own deputies; the service "
    "refuses another activity's invitation or another congress's deputy (tests/activities/test_joint.py)",
    # API
    **{f"v1_activities_{op}.{field}": "a number, not a reference"
       for op in ("create", "partial_update") for field in ("capacity",)},
    "v1_activities_create.congress": SUBJECT, "v1_activities_partial_update.congress": SUBJECT,
    **{f"v1_activities_{op}.{field}": "must belong to the organising congress (Activity.clean; tests/activities)"
       for op in ("create", "partial_update") for field in ("organiser", "organiser_group", "organiser_station")},
    **{f"v1_activities_{op}.co_congresses": "any other congress may co-organise a joint activity (it then invites "
       "its own deputies only: case invite-another-countys-deputy)" for op in ("create", "partial_update")},
    "v1_activities_invite_create.filters": "the roster directory's filters: they narrow the deputies the user reads, "
    "and the invitation service takes only those the user may invite",
    "v1_activities_findings_draft_create.lead": "the service refuses a deputy who was not present or not of the "
    "organising congress (tests/activities/test_findings.py)",
    "v1_activities_findings_refer_create.unit": "the service refuses a unit outside the organising congress's region "
    "(tests/activities/test_findings.py::test_a_unit_outside_the_congresss_region_is_refused)",
    "v1_activities_findings_refer_create.workdays": "a number of working days, not a reference",
    **{f"v1_activities_{op}.activity": SUBJECT
       for op in ("sittings_create", "participants_create", "voter_reports_create")},
    **{f"v1_activities_{op}.activity": "ignored on change: a record stays with its activity"
       for op in ("sittings_partial_update", "participants_partial_update")},
    "v1_activities_voter_reports_create.mandate": "the service takes only an accepted invitee the user's congress "
    "handles (tests/activities/test_voter_reports.py::test_staff_of_another_congress_cannot_record)",
    **{f"v1_activities_voter_reports_create.{field}": "a count of voters, not a reference"
       for field in ("voters", "satisfied", "basically_satisfied", "dissatisfied")},
    **{
        f"v1_suggestions_{op}.{field}": "a count of the delegation's vote (members, for), not a reference"
        for op in ("create", "intake_create", "partial_update")
        for field in ("delegation_members", "delegation_votes_for")
    },
    "v1_cases_campaigns_create.congress": SUBJECT, "v1_cases_campaigns_partial_update.congress": SUBJECT,
    "v1_cases_rounds_create.campaign": SUBJECT, "v1_cases_rounds_partial_update.campaign": SUBJECT,
    "v1_cases_rounds_create.criteria": "created with the round (a name and full marks), not a reference",
    "v1_cases_rounds_partial_update.criteria": "created with the round (a name and full marks), not a reference",
    "v1_cases_rounds_ballot_create.submissions": ROUND, "v1_cases_rounds_break_tie_create.chosen": ROUND,
    "v1_cases_rounds_score_create.submission": ROUND, "v1_cases_rounds_score_create.points": ROUND,
    "v1_cases_rounds_strike_create.submission": ROUND,
    "v1_cases_submissions_create.campaign": "the actor's unit must be invited to it (cases services _unit_for)",
    "v1_cases_submissions_partial_update.campaign": "read-only once the case exists (the subject's campaign)",
    "v1_cases_submissions_create.unit_id": OWN_UNIT, "v1_cases_submissions_partial_update.unit_id": OWN_UNIT,
    "v1_congresses_create.region": SUBJECT, "v1_congresses_update.region": SUBJECT,
    "v1_congresses_partial_update.region": SUBJECT,
    "v1_contact_records_create.assignment": SUBJECT,
    "v1_deputies_create.tag_ids": "tags are one list for the whole system, not scoped records",
    "v1_deputies_update.tag_ids": "tags are one list for the whole system, not scoped records",
    "v1_deputies_partial_update.tag_ids": "tags are one list for the whole system, not scoped records",
    "v1_deputies_create.mandate": SAME_CONGRESS, "v1_deputies_update.mandate": SAME_CONGRESS,
    "v1_deputies_partial_update.mandate": SAME_CONGRESS, "v1_deputies_batch_create.items": SAME_CONGRESS,
    "v1_key_supervisions_create.congress": SUBJECT,
    **{f"v1_mandates_{op}.{field}": SAME_CONGRESS for op in ("create", "update", "partial_update")
       for field in ("congress", "term", "electoral_unit", "delegation", "group")},
    "v1_opinions_triage_create.deputy": "case triage-to-another-countys-deputy",
    **{f"v1_organisations_{op}.region": SUBJECT for op in ("create", "update", "partial_update")},
    **{
        f"v1_organisations_{op}.congress": "must be the congress of the body's own region (Organisation.clean)"
        for op in ("create", "update", "partial_update")
    },
    **{f"v1_policies_{op}.congress": SUBJECT for op in ("create", "update", "partial_update")},
    "v1_receptions_record_create.present": "only deputies on the day's duty roster (receptions service)",
    **{f"v1_regions_{op}.parent": SUBJECT for op in ("create", "update", "partial_update")},
    **{f"v1_sessions_{op}.term": SUBJECT for op in ("create", "update", "partial_update")},
    **{f"v1_terms_{op}.congress": SUBJECT for op in ("create", "update", "partial_update")},
    "v1_star_ratings_create.station": SUBJECT, "v1_star_ratings_create.scores": SAME_CONGRESS,
    **{f"v1_stations_{op}.{field}": SUBJECT
       for op in ("create", "update", "partial_update") for field in ("congress", "region")},
    "v1_suggestion_categories_create.congress": SUBJECT,
    **{f"v1_suggestions_{op}.{field}": SAME_CONGRESS for op in ("create", "intake_create", "partial_update")
       for field in ("category", "session", "delegation")},
    "v1_suggestions_partial_update.mandate": "read-only once the draft exists (the draft's own lead)",
    "v1_suggestions_partial_update.cosigner_mandates": "case cosigner-of-another-county (the same service)",
    "v1_suggestions_batch_create.items": "each item is an intake (case intake-for-another-countys-deputy)",
    "v1_suggestions_decide_extension_create.unit": OWN_UNIT.replace("actor's own", "subject's waiting"),
    "v1_suggestions_decide_reassignment_create.unit": OWN_UNIT.replace("actor's own", "subject's waiting"),
    "v1_suggestions_decide_reassignment_create.new_unit": SAME_CONGRESS,
    "v1_suggestions_request_reassignment_create.suggested_unit": SAME_CONGRESS,
    "v1_suggestions_feedback_create.reply": "a reply of this suggestion only (closing.give_feedback)",
    "v1_training_courses_sign_up_create.mandate": "the deputy's own active mandates only (acting_mandates)",
    "v1_training_sittings_attendance_create.marks": "enrolments of this course only (training services)",
    "v1_activities_sittings_attendance_create.marks": "invitations to this activity of the actor's own deputies only "
    "(activities services record_attendance; tests/activities/test_joint.py)",
    # Forms (each calls the service its API twin calls, so the API case proves it)
    "cases.forms.BallotForm.submissions": ROUND, "cases.forms.StrikeForm.submission": ROUND,
    "cases.forms.TieForm.chosen": ROUND, "cases.forms.CampaignForm.congress": SUBJECT,
    "cases.forms.SubmissionForm.mandates": "case case-naming-another-countys-deputy (the same service)",
    "cases.forms.SubmissionForm.station": "case case-naming-another-countys-station (the same service)",
    "deputies.forms.PersonForm.ethnic_group": "a code list, not a scoped record",
    "deputies.forms.PersonForm.party": "a code list, not a scoped record",
    "deputies.forms.PersonForm.tags": "tags are one list for the whole system, not scoped records",
    **{f"deputies.forms.SeatForm.{field}": SAME_CONGRESS
       for field in ("congress", "term", "electoral_unit", "delegation", "groups")},
    "deputies.forms.GroupForm.congress": "offered from the user's own congresses; save_group requires the roster "
    "right on the group's congress",
    "deputies.forms.GroupForm.term": "the term must be the group's congress's (TermBody.clean)",
    "deputies.forms.GroupKindForm.term": FILTER,
    "liaison_stations.forms.CheckInForm.mandate": "the deputy's own mandates only (check_in rule)",
    "liaison_stations.forms.CheckInForm.station": "case visit-at-another-countys-station (the same service)",
    "liaison_stations.forms.RecordReceptionForm.present": "only deputies on the day's duty roster",
    "liaison_stations.forms.StationRegionForm.station": "case stationing-at-another-countys-station (service)",
    "suggestions.forms.AssignForm.lead": "case assign-to-another-regions-unit (the same service)",
    "suggestions.forms.AssignForm.co_units": "case co-handling-by-another-regions-unit (the same service)",
    "suggestions.forms.AssignForm.separate_units": "case co-handling-by-another-regions-unit (the same service)",
    "suggestions.forms.BulkAssignForm.ids": "each suggestion passes the assign rule (review.bulk_assign)",
    "suggestions.forms.BulkAssignForm.lead": "case assign-to-another-regions-unit (the same service)",
    "suggestions.forms.BulkAssignForm.co_units": "case co-handling-by-another-regions-unit (the same service)",
    "suggestions.forms.DecideReassignmentForm.new_unit": SAME_CONGRESS,
    "suggestions.forms.ReassignForm.suggested_unit": SAME_CONGRESS,
    "suggestions.forms.KeyItemForm.congress": SUBJECT,
    "suggestions.forms.KeyItemForm.leader": "case key-item-led-by-another-countys-staff (the same service)",
    "suggestions.forms.KeyItemForm.suggestions": "case key-item-on-another-countys-suggestion (same service)",
    "suggestions.forms.MergeForm.suggestions": "case merge-another-countys-suggestion (the same service)",
    "suggestions.forms.ProgressForm.unit": "case supervision-notice-to-another-regions-unit (the same service)",
    "suggestions.forms.SuggestionForm.category": SAME_CONGRESS,
    "suggestions.forms.SuggestionForm.session": SAME_CONGRESS,
    "suggestions.forms.SuggestionForm.cosigners": "case cosigner-of-another-county (the same service)",
    "suggestions.forms.ReplyForm.result": "a code list (the reply's category), not a record",
    "suggestions.forms.PublicFilterForm.year": FILTER, "suggestions.forms.PublicFilterForm.category": FILTER,
    "suggestions.forms.PublicFilterForm.unit": FILTER, "suggestions.forms.ReviewFilterForm.session": FILTER,
    "suggestions.forms.ReviewFilterForm.category": FILTER, "suggestions.forms.ReviewFilterForm.unit": FILTER,
    "suggestions.forms.UnitFilterForm.unit": FILTER,
    "suggestions.forms.SessionDocumentForm.session": "offered from the congress's own sessions; the service refuses "
    "another congress's session (tests/suggestions/test_session_documents.py::"
    "test_staff_cannot_name_another_congress_session)",
    "suggestions.forms.StatisticsFilterForm.session": FILTER, "suggestions.forms.StatisticsFilterForm.year": FILTER,
    "training.forms.CourseAdminForm.congress": SUBJECT, "training.forms.CourseAdminForm.plan": SAME_CONGRESS,
    "training.forms.CourseAdminForm.organiser": SAME_CONGRESS,
    "training.forms.NominateListForm.mandates": "case nominate-form-another-countys-deputy (the same view)",
    "training.forms.SignUpForm.mandate": "the deputy's own active mandates only (acting_mandates)",
}  # fmt: skip
FORM_APPS = DOMAIN_APPS


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if isinstance(node, dict) and node.get("allOf"):
        return _resolve(schema, node["allOf"][0])
    return node


def _may_reference(schema, prop) -> bool:
    """An integer, a list of integers or of objects, or an object: what can carry a record's id."""
    prop = _resolve(schema, prop)
    kind = prop.get("type")
    if kind == "array":
        return _resolve(schema, prop.get("items", {})).get("type") in ("integer", "object")
    return kind in ("integer", "object")


def api_references() -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body = _resolve(schema, content["schema"])
                for name, prop in body.get("properties", {}).items():
                    if not _resolve(schema, prop).get("readOnly") and _may_reference(schema, prop):
                        found.add(f"{operation['operationId']}.{name}")
    return found


def form_references() -> set[str]:
    """Form fields whose choices are made per request: a model choice, or a choice declared without choices."""
    found = set()
    for app in FORM_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in vars(module).items():
            if not (isinstance(form, type) and issubclass(form, django_forms.BaseForm)):
                continue
            if form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                model_choice = isinstance(field, django_forms.ModelChoiceField)
                per_request = (
                    not model_choice and isinstance(field, django_forms.ChoiceField) and not list(field.choices)
                )
                if model_choice or per_request:
                    found.add(f"{module.__name__}.{name}.{field_name}")
    return found


def _covered() -> set[str]:
    return {key for case in CASES for key in case.covers}


def test_every_reference_field_has_a_case_or_a_reason():
    fields = {key for key in api_references() if key.rsplit(".", 1)[-1] not in NUMBERS} | form_references()
    missing = sorted(fields - _covered() - set(NOT_REFERENCES))
    assert not missing, (
        "write fields that may name another's record, with no case in tests/flows/test_foreign_references.py "
        f"(add a Case, or a reason in NOT_REFERENCES): {missing}"
    )


def test_every_listed_field_still_exists():
    listed = (_covered() | set(NOT_REFERENCES)) - {"training.views.nominate.mandates"}
    stale = sorted(listed - api_references() - form_references())
    assert not stale, f"cases or reasons for fields that no longer exist: {stale}"


def _session(world, role) -> Client:
    client = Client()
    for name, morsel in world.cookies[role].items():
        client.cookies[name] = morsel.value
    return client


def _send(world, far, case, ref):
    o = world.o
    client = _session(world, case.role)
    url = case.url(o, far)
    data = case.body(o, far, ref)
    if case.form:
        return client.post(url, data)
    return getattr(client, case.method.lower())(url, json.dumps(data), content_type="application/json")


def _refused_form(response) -> bool:
    """A form page answered again with its errors, or a redirect carrying an error message."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code not in (200, 302):
        return False
    return matrix._refused_by_validation(response)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_foreign_reference_is_refused_and_nothing_stored(world, far, case):
    o = world.o
    before = case.stored(o, far)
    response = _send(world, far, case, case.foreign(o, far))
    refused = _refused_form(response) if case.form else 400 <= response.status_code < 500
    assert refused, f"{case.id}: answered {response.status_code}: {matrix._body(response)}"
    assert case.stored(o, far) == before, f"{case.id}: stored although refused"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_same_write_naming_a_record_in_reach_is_stored(world, far, case):
    o = world.o
    before = case.stored(o, far)
    response = _send(world, far, case, case.own(o, far))
    assert response.status_code < 400, f"{case.id}: answered {response.status_code}: {matrix._body(response)}"
    assert case.stored(o, far) != before, f"{case.id}: nothing stored for a record in reach: {matrix._body(response)}"
