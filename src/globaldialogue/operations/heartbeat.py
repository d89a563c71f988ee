"""A thread in each web and worker process that says it is alive, and in workers hands back
the tasks of workers that stopped, and stops the worker when the `serve` that started it is
gone (killed with SIGKILL, its own clean-up never ran)."""

import logging
import os
import signal
import threading
import time

from django.db import DatabaseError, close_old_connections, connection

from globaldialogue.operations import actions

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
WATCH_SECONDS = 0.5  # how often a worker looks for the `serve` that started it


class Beater(threading.Thread):
    def __init__(self, *, kind: str, parent: int | None = None) -> None:
        super().__init__(name=f"heartbeat-{kind}", daemon=True)
        self.kind, self.parent, self.name_ = kind, parent, actions.process_name()
        self._stopping = threading.Event()

    def beat(self) -> None:
        """Once, now (the worker beats before it takes a task, so no task of a live worker
        is ever handed back)."""
        close_old_connections()
        try:
            actions.record_heartbeat(kind=self.kind, name=self.name_)
            if self.kind == "worker":
                actions.hand_back_abandoned_tasks()
        except DatabaseError as problem:  # not migrated yet, or the database restarting
            log.warning("heartbeat not recorded: %s", problem)
        finally:
            connection.close()

    def run(self) -> None:
        next_beat = time.monotonic() + BEAT_SECONDS
        while not self._stopping.wait(WATCH_SECONDS):
            if self.parent is not None and os.getppid() != self.parent:
                log.warning("the process that started this worker is gone; stopping")
                os.kill(os.getpid(), signal.SIGTERM)  # finish the current task, then exit
                self.parent = None
            if time.monotonic() >= next_beat:
                self.beat()
                next_beat = time.monotonic() + BEAT_SECONDS

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=5)
        try:
            actions.forget_heartbeat(name=self.name_)
        except DatabaseError:
            pass
        finally:
            connection.close()
