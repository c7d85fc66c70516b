"""axe-core (from the npm registry, `make test` installs it into tests/browser/axe) finds no serious or critical
accessibility violation on the main pages of each kind of user."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories as core
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import StationFactory
from tests.suggestions import factories as f

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def violations(page, url) -> list[str]:
    page.goto(url)
    # Evaluated through the browser's debugging protocol, which the Content-Security-Policy leaves alone: a
    # <script> tag with the code inline would be refused.
    page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{url}: {v['id']} ({v['impact']}) {v['help']}: {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def world():
    congress = core.CongressFactory()
    current_term(congress)
    station = StationFactory(congress=congress, region=congress.region)
    unit, officer = f.unit_with_officer(congress, name="省教育厅")
    mandate = f.deputy(congress)
    staff = core.staff_of(congress)
    suggestion = f.assigned(mandate, staff, unit)
    return {"station": station, "officer": officer, "deputy": mandate.person.user, "staff": staff,
            "suggestion": suggestion}  # fmt: skip


def test_public_pages_have_no_serious_violations(live_server, phone, world):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    slug = world["station"].slug
    pages = [reverse("liaison_stations:directory"), reverse("liaison_stations:public_station", args=[slug]),
             reverse("liaison_stations:public_opinion", args=[slug]), reverse("liaison_stations:track"),
             reverse("suggestions:public"), "/accounts/login/"]  # fmt: skip
    assert [v for url in pages for v in violations(phone, live_server.url + url)] == []


@pytest.mark.parametrize(
    ("who", "names"),
    [
        (
            "deputy",
            [("home", ()), ("suggestions:mine", ()), ("suggestions:new", ()), ("suggestions:detail", ("suggestion",))],
        ),
        ("staff", [("home", ()), ("suggestions:review", ()), ("suggestions:detail", ("suggestion",))]),
        ("officer", [("home", ()), ("suggestions:unit", ()), ("suggestions:detail", ("suggestion",))]),
    ],
)
def test_portal_pages_have_no_serious_violations(live_server, desk, world, who, names):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    log_in(desk, live_server, world[who])
    urls = [live_server.url + reverse(name, args=[world[arg].pk for arg in args]) for name, args in names]
    assert [v for url in urls for v in violations(desk, url)] == []
