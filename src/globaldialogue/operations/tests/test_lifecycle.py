"""Processes as an operator handles them: `serve` stops what it started on SIGTERM, its
worker does not outlive it when it is killed, unsafe shapes are refused, and a task of a
worker killed in the middle of it is run again by another."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from globaldialogue.operations.models import Heartbeat
from globaldialogue.operations.tests.production import children
from globaldialogue.operations.tests.slowtasks import slow_mark

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            stat = Path(f"/proc/{pid}/stat").read_text()
            if stat.split(") ", 1)[1].startswith("Z"):  # a zombie has exited
                return True
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.1)
    return False


def _worker_of(server) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for child in children(server.process.pid):
            if b"worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        time.sleep(0.1)
    raise AssertionError("serve started no worker")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_its_worker_when_told_to_stop(start_server, stop):
    server = start_server(worker=True)
    worker = _worker_of(server)
    os.kill(server.process.pid, stop)  # the serve process only, as `kill <pid>` does
    server.process.wait(timeout=30)
    assert _gone(worker, within=30), "the worker outlived serve"
    assert not Heartbeat.objects.filter(pid=worker).exists()  # it said it stopped


def test_a_killed_serve_takes_its_worker_along(start_server):
    server = start_server(worker=True)
    worker = _worker_of(server)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    assert _gone(worker, within=15), "the worker outlived a killed serve"


def test_several_web_processes_without_redis_are_refused(start_server):
    server = start_server()  # for its environment: the test database, no Redis
    env = {key: value for key, value in server.env.items() if key != "REDIS_URL"}
    command = [sys.executable, "-m", "globaldialogue", "serve", "--workers", "2", "--port", "1"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "REDIS_URL" in done.stderr and "rate limits" in done.stderr


def test_a_task_of_a_killed_worker_is_handed_back_and_run(start_server, tmp_path):
    server = start_server(extra_env={"GLOBALDIALOGUE_WORKER_DEAD_SECONDS": "3"})
    marker = tmp_path / "marker"
    with override_settings(TASKS=DATABASE_TASKS):  # queued for the worker, not run here
        result = slow_mark.enqueue(str(marker), 4)
    command = [sys.executable, "-m", "globaldialogue", "worker"]
    first = subprocess.Popen(command, env=server.env, start_new_session=True)
    _wait_for(lambda: marker.exists(), "the first worker never started the task")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    second = subprocess.Popen(command, env=server.env, start_new_session=True)
    try:
        _wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
            "the task was lost with its worker",
            within=60,
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    assert marker.read_text() == "started\nstarted\ndone\n"


def _wait_for(condition, message, within=30.0):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)
