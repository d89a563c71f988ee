"""Where Prometheus figures are kept across processes. Imports no prometheus_client: the
folder must be named before it is first imported.

`serve` and `worker` set PROMETHEUS_MULTIPROC_DIR (GLOBALDIALOGUE_DATA_DIR/metrics unless
set), so every web and worker process of a host writes its figures to files there and
`/metrics` on any web port of the host adds them up. Without it (tests, one-off commands)
figures stay in the process.
"""

import os
from pathlib import Path

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare_directory(data_dir: Path) -> None:
    """The folder every process of this host writes to, without the files of processes
    gone (their counters restart, which Prometheus expects of a restarted process)."""
    folder = Path(os.environ.setdefault(MULTIPROC_VARIABLE, str(data_dir / "metrics")))
    folder.mkdir(parents=True, exist_ok=True)
    for file in dead_processes_files(folder, "*.db"):
        file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_processes_files(folder: Path, pattern: str) -> list[Path]:
    return [
        file
        for file in folder.glob(pattern)
        if (pid := file.stem.rsplit("_", 1)[-1]).isdigit() and not _alive(int(pid))
    ]
