"""Take the README's screenshots: the staff dashboard, the public front door and station directory on a phone, and
each role's home page of task tiles, over the demo data.

    make screenshots            (or: python scripts/screenshots.py [--out docs/screenshots])

Serves the app (demo data must be seeded: `make demo`) on a free local port with Django's development server,
drives Debian's Chromium through Playwright, and writes PNG files. Two-factor sign-in is switched off for the
server it starts, so the staff login of the demo reaches the dashboard."""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Renda@2026-demo"
SHOTS = [
    # (file, login (None: a citizen, not signed in), path, viewport width, viewport height, full page)
    ("dashboard.png", "gd_staff", "/console/", 1400, 1000, True),
    ("public-home.png", None, "/", 390, 844, True),
    ("public-stations.png", None, "/stations/", 390, 844, True),
    ("deputy-portal.png", "deputy", "/", 390, 844, True),
    ("home-station-manager.png", "station_manager", "/", 390, 844, True),
    ("home-unit-officer.png", "unit_officer", "/", 1280, 900, False),
    ("home-staff.png", "th_staff", "/", 1280, 900, False),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), "STAFF_TWO_FACTOR": "0"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium)
            for name, login, path, width, height, full_page in SHOTS:
                phone = width < 600
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                              is_mobile=phone, has_touch=phone)  # fmt: skip
                page = context.new_page()
                if login:
                    page.goto(base + "/accounts/login/")
                    page.fill("#id_username", login)
                    page.fill("#id_password", PASSWORD)
                    page.locator("form button[type=submit], form input[type=submit]").first.click()
                    page.wait_for_load_state("networkidle")
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / name), full_page=full_page)
                print(f"{out / name}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
