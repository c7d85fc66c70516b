"""`make run` on a fresh machine: with no DATABASE_URL the site runs on its embedded SQLite file, and the demo
loads there in full. A Postgres-only query in any service the demo drives (DISTINCT ON, say) stops a newcomer's
first command; the suite runs on Postgres, so only this test sees it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_loads_on_the_embedded_database(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    env.update(VAR_DIR=str(tmp_path), DEBUG="1")
    for command in (["migrate", "--no-input"], ["seed_demo"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=900)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "congress.sqlite3").exists()
    assert "Demo logins" in done.stdout
