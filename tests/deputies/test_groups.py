"""Deputy groups (issue 26): regional groups (代表小组), professional groups (代表专业小组) and working groups, a
deputy in several at once, each with a role; one leader per group; members only of the group's own congress and
term; the roster file, the directory, training audiences and the API see every group."""

import io
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from congress.errors import Forbidden, RuleViolation
from deputies import exporter, services
from deputies.filters import DirectoryFilter
from deputies.models import GroupMembership, Mandate
from suggestions.selectors import cosigner_region
from tests import factories as core
from tests.training import factories as t
from training.selectors import courses_for_deputy, eligible_mandates

from .factories import MandateFactory, current_term, group, join
from .test_import import row, upload

pytestmark = pytest.mark.django_db
NEXT_MONTH = (date.today().replace(day=1) + timedelta(days=40)).replace(day=10)
SOON = ((f"{NEXT_MONTH} 09:00", f"{NEXT_MONTH} 12:00"),)


def another_congress():
    return core.CongressFactory(region=core.province("45", "广西壮族自治区"))


@pytest.fixture
def groups(congress):
    regional = group(congress, "越秀代表小组")
    professional = group(congress, "法制专业小组", kind="professional", remit="法制")
    return regional, professional


def test_a_deputy_can_sit_in_a_regional_and_a_professional_group_at_once(staff, congress, groups):
    mandate = MandateFactory(congress=congress)
    for each in groups:
        services.add_group_members(actor=staff, group_id=each.pk, mandate_ids=[mandate.pk])
    assert sorted(mandate.memberships.values_list("group__name", "role")) == [
        ("法制专业小组", "member"),
        ("越秀代表小组", "member"),
    ]


def test_adding_a_member_twice_keeps_one_membership(staff, congress, groups):
    mandate = MandateFactory(congress=congress)
    services.add_group_members(actor=staff, group_id=groups[0].pk, mandate_ids=[mandate.pk])
    assert services.add_group_members(actor=staff, group_id=groups[0].pk, mandate_ids=[mandate.pk]) == 0
    assert GroupMembership.objects.count() == 1


def test_a_second_leader_is_refused_in_chinese_naming_the_first(staff, congress, groups):
    first, second = MandateFactory(congress=congress, person__name="张立"), MandateFactory(congress=congress)
    leader = join(groups[1], first, "leader")
    other = join(groups[1], second)
    with pytest.raises(RuleViolation) as refused:
        services.set_group_role(actor=staff, membership_id=other.pk, role="leader")
    assert "已有组长" in str(refused.value.fields["role"][0]) and "张立" in str(refused.value.fields["role"][0])
    leader.refresh_from_db()
    other.refresh_from_db()
    assert (leader.role, other.role) == ("leader", "member")


def test_the_database_holds_one_leader_per_group_whatever_writes_it(congress, groups):
    join(groups[0], MandateFactory(congress=congress), "leader")
    with pytest.raises(IntegrityError), transaction.atomic():
        join(groups[0], MandateFactory(congress=congress), "leader")


def test_the_leader_stepping_down_lets_another_lead(staff, congress, groups):
    leader = join(groups[0], MandateFactory(congress=congress), "leader")
    other = join(groups[0], MandateFactory(congress=congress))
    services.set_group_role(actor=staff, membership_id=leader.pk, role="member")
    services.set_group_role(actor=staff, membership_id=other.pk, role="leader")
    assert list(groups[0].memberships.filter(role="leader").values_list("pk", flat=True)) == [other.pk]


def test_a_deputy_of_another_congress_is_refused_and_nothing_stored(staff, groups):
    other = another_congress()
    stranger = MandateFactory(congress=other)
    with pytest.raises(RuleViolation) as refused:
        services.add_group_members(actor=staff, group_id=groups[0].pk, mandate_ids=[stranger.pk])
    assert "mandates" in refused.value.fields
    assert not GroupMembership.objects.exists()


def test_a_deputy_of_another_term_of_the_same_congress_is_refused(staff, congress, groups):
    earlier = core.TermFactory(congress=congress, number=13, start_date=date(2018, 1, 12), end_date=date(2023, 1, 11))
    old_seat = MandateFactory(congress=congress, term=earlier, start_date=earlier.start_date)
    with pytest.raises(RuleViolation):
        services.add_group_members(actor=staff, group_id=groups[0].pk, mandate_ids=[old_seat.pk])
    assert not GroupMembership.objects.exists()


def test_a_membership_across_congresses_fails_its_own_check(groups):
    from django.core.exceptions import ValidationError

    membership = GroupMembership(
        group=groups[0],
        mandate=MandateFactory(congress=another_congress()),
    )
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert "mandate" in refused.value.message_dict


def test_another_congresses_staff_may_not_change_the_group(congress, groups):
    outsider = core.staff_of(another_congress())
    mandate = MandateFactory(congress=congress)
    with pytest.raises(Forbidden):
        services.add_group_members(actor=outsider, group_id=groups[0].pk, mandate_ids=[mandate.pk])


def test_each_change_is_in_the_groups_history(staff, congress, groups):
    from congress import audit

    mandate = MandateFactory(congress=congress, person__name="王芳")
    services.add_group_members(actor=staff, group_id=groups[1].pk, mandate_ids=[mandate.pk])
    membership = mandate.memberships.get()
    services.set_group_role(actor=staff, membership_id=membership.pk, role="deputy_leader")
    services.remove_group_member(actor=staff, membership_id=membership.pk)
    actions = [(entry.additional_data or {}).get("action") for entry in audit.entries_for(groups[1])]
    assert actions == ["group_member_removed", "group_role_set", "group_members_added", None]  # None: created


def test_the_roster_export_lists_every_group_joined_with_a_comma(congress, groups):
    mandate = MandateFactory(congress=congress)
    for each in groups:
        join(each, mandate)
    sheet = load_workbook(io.BytesIO(exporter.workbook(Mandate.objects.all(), unmasked=False))).active
    column = exporter.HEADER.index("代表小组") + 1
    assert sorted(sheet.cell(row=2, column=column).value.split("、")) == ["法制专业小组", "越秀代表小组"]


def test_the_import_takes_several_groups_separated_by_a_semicolon(staff, groups, django_capture_on_commit_callbacks):
    job = upload(staff, row(代表小组="越秀代表小组；法制专业小组"), capture=django_capture_on_commit_callbacks)
    assert job.error_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=job.pk)
    assert sorted(Mandate.objects.get().memberships.values_list("group__name", flat=True)) == [
        "法制专业小组",
        "越秀代表小组",
    ]


def test_an_unknown_group_in_the_file_is_reported_on_its_cell(staff, groups, django_capture_on_commit_callbacks):
    job = upload(staff, row(代表小组="越秀代表小组、不存在小组"), capture=django_capture_on_commit_callbacks)
    assert [(i.column, "不存在小组" in i.message) for i in job.issues.all()] == [("代表小组", True)]


def test_exported_groups_import_back_unchanged_keeping_the_roles(staff, congress, groups,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    first = upload(staff, row(代表小组="越秀代表小组"), capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=first.pk)
    mandate = Mandate.objects.get()
    join(groups[1], mandate, "leader")
    exported = list(exporter.rows(Mandate.objects.all(), unmasked=True))[0]
    values = dict(zip(exporter.HEADER, exported, strict=True))
    again = upload(staff, row(代表小组=values["代表小组"]), capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=again.pk)
    assert sorted(mandate.memberships.values_list("group__name", "role")) == [
        ("法制专业小组", "leader"),
        ("越秀代表小组", "member"),
    ]


def test_a_group_left_out_of_the_file_is_left(staff, congress, groups, django_capture_on_commit_callbacks):
    first = upload(staff, row(代表小组="越秀代表小组、法制专业小组"), capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=first.pk)
    again = upload(staff, row(代表小组="法制专业小组"), capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=staff, job_id=again.pk)
    assert list(Mandate.objects.get().memberships.values_list("group__name", flat=True)) == ["法制专业小组"]


def test_the_directory_filter_by_group_lists_a_deputy_in_two_groups_once(congress, groups):
    both, other = MandateFactory(congress=congress), MandateFactory(congress=congress)
    join(groups[0], both)
    join(groups[1], both)
    join(groups[1], other)
    found = DirectoryFilter({"group": groups[0].pk}, queryset=Mandate.objects.all()).qs
    assert list(found) == [both]
    assert sorted(m.pk for m in DirectoryFilter({"group": groups[1].pk}, queryset=Mandate.objects.all()).qs) == sorted(
        [both.pk, other.pk]
    )


def test_a_course_for_a_professional_group_reaches_its_members_through_any_of_their_groups(congress, groups):
    staff = core.staff_of(congress)
    regional, professional = groups
    member = t.deputy(congress, groups=[regional, professional])
    outsider = t.deputy(congress, groups=[regional])
    course = t.course(staff, congress, sittings=SOON)
    course.audience_groups.set([professional])
    assert list(eligible_mandates(course)) == [member]
    assert [c.pk for c in courses_for_deputy(member.person.user)] == [course.pk]
    assert courses_for_deputy(outsider.person.user) == []


def test_a_deputys_course_list_reads_their_groups_in_constant_queries(congress, groups, django_assert_max_num_queries):
    staff = core.staff_of(congress)
    member = t.deputy(congress, groups=list(groups))
    for _ in range(3):
        course = t.course(staff, congress, sittings=SOON)
        course.audience_groups.set([groups[1]])
    with django_assert_max_num_queries(8):
        assert len(courses_for_deputy(member.person.user)) == 3


def test_a_colleague_without_a_constituency_is_told_apart_by_their_first_regional_group(congress, groups):
    mandate = MandateFactory(congress=congress)
    join(groups[1], mandate)
    join(groups[0], mandate)
    assert cosigner_region(mandate) == "越秀代表小组"


def test_the_api_lists_a_mandates_groups_with_kind_and_role(client, staff, congress, groups):
    mandate = MandateFactory(congress=congress)
    join(groups[0], mandate)
    join(groups[1], mandate, "leader")
    client.force_login(staff)
    answer = client.get(reverse("mandate-detail", args=[mandate.pk])).json()
    assert sorted((g["name"], g["kind"], g["role"]) for g in answer["groups"]) == [
        ("法制专业小组", "professional", "leader"),
        ("越秀代表小组", "regional", "member"),
    ]
    assert answer["group"] == groups[0].pk  # the deprecated single group: the regional one


def test_the_groups_endpoint_shows_only_the_members_the_caller_may_see(client, congress, groups):
    mine = t.deputy(congress)
    join(groups[1], mine, "leader")
    join(groups[1], MandateFactory(congress=congress))
    client.force_login(mine.person.user)
    answer = client.get(reverse("deputygroup-detail", args=[groups[1].pk])).json()
    assert (answer["kind"], answer["remit"]) == ("professional", "法制")
    assert [(m["mandate"], m["role"]) for m in answer["members"]] == [(mine.pk, "leader")]


def test_staff_add_members_through_the_api_and_another_congresses_deputy_is_refused(client, staff, congress, groups):
    ours, theirs = (
        MandateFactory(congress=congress),
        MandateFactory(congress=another_congress()),
    )
    client.force_login(staff)
    url = reverse("deputygroup-members", args=[groups[0].pk])
    refused = client.post(url, {"mandates": [theirs.pk]}, content_type="application/json")
    assert refused.status_code == 400 and not GroupMembership.objects.exists()
    added = client.post(url, {"mandates": [ours.pk]}, content_type="application/json")
    assert [m["mandate"] for m in added.json()["members"]] == [ours.pk]


def test_the_deputys_record_page_lists_my_groups_and_roles(client, congress, groups):
    mandate = t.deputy(congress)
    join(groups[1], mandate, "leader")
    client.force_login(mandate.person.user)
    page = client.get(reverse("deputies:my_record")).content.decode()
    assert "我的小组" in page and "法制专业小组" in page and "组长" in page


def test_the_group_page_lists_members_leader_first(client, staff, congress, groups):
    join(groups[0], MandateFactory(congress=congress, person__name="乙成员"))
    join(groups[0], MandateFactory(congress=congress, person__name="甲组长"), "leader")
    client.force_login(staff)
    page = client.get(reverse("deputies:group", args=[groups[0].pk])).content.decode()
    assert page.index("甲组长") < page.index("乙成员")


def test_a_new_deputy_can_join_groups_with_their_first_mandate(staff, congress, groups):
    from deputies.models import Person
    from tests.deputies.factories import PersonFactory

    person = PersonFactory.build()
    mandate = Mandate(congress=congress, term=current_term(congress), start_date=date(2023, 1, 12))
    services.register_deputy(actor=staff, person=person, mandate=mandate, groups=list(groups))
    assert Person.objects.get(pk=person.pk).mandates.get().memberships.count() == 2
