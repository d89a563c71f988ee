"""Backups an operator can trust: the database (PostgreSQL custom-format dump, or an online
SQLite backup) and the data folder's files, with a manifest of SHA-256 checksums; and the
restore, which checks every checksum before it touches anything and only restores into an
empty database."""

import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
# Made again from the code, or only of this process: not worth keeping.
NOT_KEPT = {"static", "metrics", "test.sqlite3"}


class BackupError(Exception):
    """What is wrong with a backup, or with where it would go, in one line."""


def make_backup(output: Path) -> dict[str, Any]:
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty")
    output.mkdir(parents=True, exist_ok=True)
    database = _dump_database(output)
    _copy_files(settings.DATA_DIR, output / "files")
    manifest = {
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": database,
        "checksums": {
            str(path.relative_to(output)): _sha256(path)
            for path in sorted(output.rglob("*"))
            if path.is_file()
        },
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore_backup(source: Path) -> dict[str, Any]:
    manifest = _checked_manifest(source)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"a {manifest['vendor']} backup cannot go into {connection.vendor}")
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into an empty one")
    _load_database(source / manifest["database"])
    files = source / "files"
    if files.exists():
        shutil.copytree(files, settings.DATA_DIR, dirs_exist_ok=True)
    return manifest


def _dump_database(output: Path) -> str:
    if connection.vendor == "postgresql":
        target = output / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _pg_url()])
    else:
        target = output / "database.sqlite3"
        live, copy = sqlite3.connect(_sqlite_path()), sqlite3.connect(target)
        try:
            live.backup(copy)  # a consistent copy while the site keeps writing
        finally:
            live.close()
            copy.close()
    return target.name


def _load_database(dump: Path) -> None:
    connection.close()
    if connection.vendor == "postgresql":
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_pg_url()}", str(dump)])
    else:
        saved, live = sqlite3.connect(dump), sqlite3.connect(_sqlite_path())
        try:
            saved.backup(live)
        finally:
            saved.close()
            live.close()


def _checked_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as problem:
        raise BackupError(f"{source} has no readable {MANIFEST}: {problem}") from problem
    for name, checksum in manifest["checksums"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != checksum:
            raise BackupError(f"{name} is missing or changed since the backup was made")
    return manifest


def _copy_files(data_dir: Path, target: Path) -> int:
    """The data folder but the database (and its -wal and -shm files), which is dumped."""
    copied, database = 0, Path(_sqlite_path()).name
    for path in sorted(data_dir.iterdir()) if data_dir.exists() else []:
        if path.name in NOT_KEPT or path.name.startswith(database):
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / path.name)
        copied += 1
    return copied


def _sqlite_path() -> str:
    return str(connection.settings_dict["NAME"])


def _pg_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "") if s["USER"] else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgresql://{auth}{'@' if auth else ''}{host}/{s['NAME']}"


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
