"""Run every benchmark in order; results land in bench/out/*.json.

    make bench        (or .venv/bin/python bench/run_all.py)

Needs PostgreSQL on 127.0.0.1:5432 (BENCH_PG_ADMIN to change) and wrk (Debian's package).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
STEPS = [
    "firstview.py",
    "intake.py",
    "paper.py",
    "messaging.py",
    "results.py",
    "export.py",
    "opinion.py",
    "opinion_million.py",
    "translation.py",
    "duplicates.py",
    "conversation_disclosure.py",
    "votes.py",
    "pages.py",
    "grouping.py",
    "rooms.py",
    "raking.py",
    "language.py",
    "themes.py",
    "dashboard.py",
    "startup.py",
]

if __name__ == "__main__":
    for step in STEPS:
        print(f"== {step}", flush=True)
        subprocess.run([sys.executable, str(HERE / step)], check=True)
