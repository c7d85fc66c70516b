"""The API documentation pages (Swagger UI, ReDoc) draw the schema under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Building the schema and laying out a few hundred operations takes a busy machine most of a minute.
SCHEMA_TIME = 120_000


@pytest.fixture
def signed_in(live_server, desk):
    log_in(desk, live_server, factories.staff_of(factories.CongressFactory()))
    return desk


def test_swagger_ui_lists_the_endpoints(live_server, signed_in):
    signed_in.goto(live_server.url + "/api/docs/")
    expect(signed_in.locator(".opblock-summary-path").first).to_be_visible(timeout=SCHEMA_TIME)


def test_redoc_lists_the_endpoints(live_server, signed_in):
    signed_in.goto(live_server.url + "/api/redoc/")
    expect(signed_in.locator("h2", has_text="v1_assignments_list")).to_be_visible(timeout=SCHEMA_TIME)
    # ReDoc's logo comes from its makers' site, which the policy rightly refuses; nothing else may be refused.
    signed_in.csp_refused[:] = [m for m in signed_in.csp_refused if "https://cdn.redoc.ly/" not in m]


def test_browsable_api_page_draws_under_the_policy(live_server, signed_in):
    """DRF's own HTML view of a list, its format menu and filter button laid out by our stylesheet (its inline
    styles are refused by the policy), and nothing refused."""
    signed_in.goto(live_server.url + "/api/v1/suggestions/")
    expect(signed_in.locator(".page-header h1")).to_be_visible()
    menu = signed_in.locator(".dropdown.drf-float-right").first
    expect(menu).to_be_visible()
    assert menu.bounding_box()["x"] > signed_in.viewport_size["width"] / 2
