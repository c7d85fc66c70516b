"""Histories speak the reader's language: every action the code records has a label, and the pages show it."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from congress import audit

ROOT = Path(__file__).resolve().parents[2]
# Actions recorded under a name computed at run time.
COMPUTED = {"view_personal_data", "archive", "restore"}


def _recorded_names() -> set[str]:
    """Every action name the project's code passes to audit.record as a literal."""
    names = set()
    for config in apps.get_app_configs():
        folder = Path(config.path)
        if ROOT not in folder.parents:
            continue
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"
                        and len(node.args) > 2 and isinstance(node.args[2], ast.Constant)):  # fmt: skip
                    names.add(node.args[2].value)
    return names


def test_every_action_the_code_records_has_a_label():
    names = _recorded_names() | COMPUTED
    assert len(names) > 20, "the scan found too few names to mean anything"
    assert sorted(name for name in names if name not in audit.ACTION_LABELS) == []


def test_the_workflow_tables_name_their_actions():
    from suggestions import workflow

    assert str(audit.ACTION_LABELS["decide_reassignment"]) == str(workflow.ASSIGNMENT["approve_reassignment"].label)


@pytest.mark.django_db
def test_an_opinions_history_reads_as_words_not_codes(client):
    from liaison_stations import services
    from tests import factories
    from tests.liaison_stations.factories import managed_station

    station, manager = managed_station()
    unit = factories.OrganisationFactory(region=station.region)
    opinion = services.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯坏了。")
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    client.force_login(manager)
    page = client.get(reverse("liaison_stations:opinion", args=[opinion.pk])).content.decode()
    history = page[page.rindex("<ul") :]
    assert "转交办理" in history and "新增" in history
    for code in ("refer", "create", "update", "view_personal_data"):
        assert f" {code}<" not in history and f">{code}<" not in history
