"""`serve` collects the static files at every start: only files changed since their
compressed copies were made are compressed again."""

import os
import time
from pathlib import Path

from globaldialogue.lib.staticfiles import ChangedFilesCompressedStorage

SCRIPT = "function room() { return 'room'; }\n" * 80


def compress(storage: ChangedFilesCompressedStorage, *names: str) -> list[str]:
    return sorted(made for _path, made, _done in storage.post_process(dict.fromkeys(names)))


def test_only_files_changed_since_they_were_compressed_are_compressed_again(tmp_path: Path):
    storage = ChangedFilesCompressedStorage(location=tmp_path)
    for name in ("room.js", "room.css"):
        (tmp_path / name).write_text(SCRIPT)
    made = ["room.css.br", "room.css.gz", "room.js.br", "room.js.gz"]
    assert compress(storage, "room.js", "room.css") == made
    assert compress(storage, "room.js", "room.css") == []
    # collectstatic copied a newer room.css over the old one.
    later = time.time() + 5
    os.utime(tmp_path / "room.css", (later, later))
    assert compress(storage, "room.js", "room.css") == ["room.css.br", "room.css.gz"]
    # A compressed copy gone (removed by hand) is made again.
    (tmp_path / "room.js.br").unlink()
    (tmp_path / "room.js.gz").unlink()
    assert compress(storage, "room.js", "room.css") == ["room.js.br", "room.js.gz"]


def test_a_dry_run_copies_and_compresses_nothing(tmp_path: Path):
    """`collectstatic --dry-run` hands over files it did not copy: none is looked at."""
    storage = ChangedFilesCompressedStorage(location=tmp_path)
    assert list(storage.post_process({"room.js": None}, dry_run=True)) == []
    assert list(tmp_path.iterdir()) == []
