"""Environment defaults for the test suite, loaded by pytest (`-p`) before Django's settings.

Settings come from the environment only, so tests get theirs the same way: a test secret,
a data folder of their own (the SQLite test database is a file there, so tests can start real
server processes on it) and tasks run in-process. DATABASE_URL and REDIS_URL pass through.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("GLOBALDIALOGUE_DATA_DIR", str(ROOT / "var" / "test"))
os.environ.setdefault("GLOBALDIALOGUE_TASKS", "immediate")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("GLOBALDIALOGUE_THREAD_POOL", "false")
os.environ.setdefault("GLOBALDIALOGUE_ANALYSES_AUTO_REFRESH", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")

# The static folder too: WhiteNoise warns at start-up when it is missing.
(Path(os.environ["GLOBALDIALOGUE_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
