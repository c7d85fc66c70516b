"""Back up the database named by DATABASE_URL, or restore a backup into it (`make backup`, `make restore`).

Postgres: pg_dump's custom format, restored with pg_restore in one transaction. SQLite (the demo): a consistent
copy through SQLite's online backup API. Backups land in BACKUP_DIR (default var/backups), one file per run, named
after the database and the UTC time; `--keep N` then removes all but the newest N of that database. A restore
refuses a database that already holds tables unless told `--clean` (then it replaces them)."""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{Path(os.environ.get('VAR_DIR', BASE_DIR / 'var')) / 'congress.sqlite3'}"


class Refused(Exception):
    """A request the script will not carry out; its message says why and what to do instead."""


def backup_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))


def parse(url: str) -> dict:
    """The database of DATABASE_URL, read by the same parser as the settings."""
    import dj_database_url

    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise Refused(f"Backups support Postgres and SQLite; DATABASE_URL is {url.split(':', 1)[0]}://…") from exc
    if config["ENGINE"] == "django.db.backends.postgresql":
        return {"engine": "postgres", "name": config["NAME"], "host": config["HOST"] or "",
                "port": str(config["PORT"] or ""), "user": config["USER"] or "", "password": config["PASSWORD"] or "",
                "sslmode": config.get("OPTIONS", {}).get("sslmode", "")}  # fmt: skip
    if config["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(config["NAME"])
        return {"engine": "sqlite", "name": path.stem, "path": path}
    raise Refused(f"Backups support Postgres and SQLite; DATABASE_URL is {url.split(':', 1)[0]}://…")


def pg_env(db: dict) -> dict:
    """libpq reads the connection from the environment, so the password never shows in the process list."""
    env = dict(os.environ)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "sslmode": "PGSSLMODE"}
    for key, var in names.items():
        if db[key]:
            env[var] = db[key]
    env["PGDATABASE"] = db["name"]
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name, path=os.environ.get("PG_BIN")) or shutil.which(name)
    if not found:
        raise Refused(f"{name} not found: install the Postgres client (postgresql-client) or set PG_BIN.")
    return found


def new_backup_path(db: dict, suffix: str) -> Path:
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # backups hold personal data
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path, n = folder / f"{db['name']}-{stamp}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{db['name']}-{stamp}-{n}{suffix}"
    return path


def backup(url: str, keep: int | None) -> Path:
    db = parse(url)
    suffix = ".dump" if db["engine"] == "postgres" else ".sqlite3"
    target = new_backup_path(db, suffix)
    # Written under a temporary name and renamed when complete: a failed run never looks like a backup.
    partial = target.with_name(target.name + ".partial")
    try:
        if db["engine"] == "postgres":
            subprocess.run(
                [pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={partial}"],
                env=pg_env(db),
                check=True,
            )
        else:
            if not db["path"].exists():
                raise Refused(f"No SQLite database at {db['path']}.")
            with closing(sqlite3.connect(db["path"])) as source, closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)
        partial.chmod(0o600)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    if keep:
        prune(db, suffix, keep)
    return target


def prune(db: dict, suffix: str, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups of this database (names sort by time)."""
    mine = sorted(backup_dir().glob(f"{db['name']}-[0-9]*Z*{suffix}"))
    removed = mine[:-keep]
    for old in removed:
        old.unlink()
    return removed


def pg_table_count(db: dict) -> int:
    import psycopg

    conninfo = {"dbname": db["name"], "host": db["host"], "port": db["port"], "user": db["user"],
                "password": db["password"], "sslmode": db["sslmode"]}  # fmt: skip
    try:
        with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, connect_timeout=10) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Refused(
            f"Cannot open database {db['name']} ({reason}). Create it empty first: createdb {db['name']}"
        ) from exc
    return row[0]


def restore(url: str, file: Path, clean: bool) -> None:
    db = parse(url)
    if not file.is_file():
        raise Refused(f"No backup file at {file}.")
    if db["engine"] == "postgres":
        tables = pg_table_count(db)
        if tables and not clean:
            raise Refused(
                f"Database {db['name']} is not empty ({tables} tables). Restore into an empty database, or "
                "replace its contents with --clean (make restore FILE=… FORCE=1)."
            )
        command = [pg_tool("pg_restore"), "--no-password", "--no-owner", "--single-transaction", "--exit-on-error",
                   f"--dbname={db['name']}"]  # fmt: skip
        if clean:
            command += ["--clean", "--if-exists"]
        subprocess.run([*command, str(file)], env=pg_env(db), check=True)
        return
    target = db["path"]
    if target.exists() and target.stat().st_size and not clean:
        raise Refused(
            f"SQLite database {target} exists. Move it away, or replace it with --clean (make restore FILE=… FORCE=1)."
        )
    with closing(sqlite3.connect(file)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a new backup into BACKUP_DIR")
    make.add_argument("--keep", type=int, help="then keep only the newest N backups of this database")
    back = commands.add_parser("restore", help="restore a backup into the DATABASE_URL database")
    back.add_argument("file", type=Path)
    back.add_argument("--clean", action="store_true", help="replace the contents of a non-empty database")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    try:
        if args.command == "backup":
            if args.keep is not None and args.keep < 1:
                raise Refused("--keep must be 1 or more.")
            print(backup(url, args.keep))
        else:
            restore(url, args.file, args.clean)
            print(f"Restored {args.file} into {parse(url)['name']}.")
    except Refused as exc:
        print(exc, file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"{Path(exc.cmd[0]).name} failed (exit {exc.returncode}); see its message above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
