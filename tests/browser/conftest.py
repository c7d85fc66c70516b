"""Browser tests: Playwright for Python driving Debian's Chromium (`apt-get install chromium`), never a downloaded
browser, against pytest-django's live server. Without Chromium they are skipped. A failing test leaves a
full-page screenshot in test-artifacts/."""

import os
from pathlib import Path

import pytest

from tests.conftest import give_serialized_rows_to_connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
    # ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        # Started before the first browser test's database setup (a session fixture), so that setup already
        # restores the seeded rows on the connection object the event loop's context brings.
        give_serialized_rows_to_connections()
        yield browser
        browser.close()


def _page(chromium, request, **options):
    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" of confirmed actions
    # Whatever the Content-Security-Policy refused (an inline script, handler or style) fails the test.
    refused = page.csp_refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if refused:
        pytest.fail("The Content-Security-Policy refused: " + "\n".join(refused))


@pytest.fixture
def phone(chromium, request):
    """A page on a phone-sized screen."""
    yield from _page(chromium, request, **PHONE)


@pytest.fixture
def desk(chromium, request):
    """A page on an office screen."""
    yield from _page(chromium, request, viewport={"width": 1366, "height": 900})


def log_in(page, live_server, user, password="Passw0rd!x"):
    """Through the login form, as a person would."""
    user.set_password(password)
    user.save(update_fields=["password"])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    press(page, page.get_by_role("button", name="登录"))


def press(page, button):
    """Click a form's button and wait for the page it leads to."""
    # The POST's own answer, not any navigation: the autosave script rewrites the address while one types.
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()):
        button.click()
    page.wait_for_load_state()
