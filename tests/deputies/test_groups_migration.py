"""Migration deputies 0017: each mandate's single group becomes a membership with the role member, before the
old column goes (issue 26)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as core

from .factories import PersonFactory, current_term

BEFORE = [("deputies", "0016_region_code_statistics")]
AFTER = [("deputies", "0017_groups")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_mandates_group_becomes_a_membership_with_the_role_member(back_to_the_latest_migrations):
    congress = core.CongressFactory()
    term = current_term(congress)
    person, other = PersonFactory(), PersonFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Group, Mandate = old.get_model("deputies", "DeputyGroup"), old.get_model("deputies", "Mandate")
    group = Group.objects.create(congress_id=congress.pk, term_id=term.pk, name="温泉村代表小组")
    placed = Mandate.objects.create(person_id=person.pk, congress_id=congress.pk, term_id=term.pk,
                                    level=congress.level, start_date=term.start_date, group=group)  # fmt: skip
    Mandate.objects.create(person_id=other.pk, congress_id=congress.pk, term_id=term.pk, level=congress.level,
                           start_date=term.start_date)  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    memberships = new.get_model("deputies", "GroupMembership").objects.values_list("mandate_id", "group_id", "role")
    assert list(memberships) == [(placed.pk, group.pk, "member")]
    assert new.get_model("deputies", "DeputyGroup").objects.get().kind == "regional"
