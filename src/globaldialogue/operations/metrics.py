"""`/metrics`: what the processes counted (lib/metrics.py, added up across the host's
processes in multi-process mode), and what the shared stores hold, read at scrape time."""

import os
from collections.abc import Iterator
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from globaldialogue.lib.metricsdir import MULTIPROC_VARIABLE, dead_processes_files
from globaldialogue.operations import health


class StoreCollector(Collector):
    """Figures of the whole deployment, not of a process: the same on every host."""

    def collect(self) -> Iterator[Metric]:
        backlog = health.tally_backlog()
        yield GaugeMetricFamily(
            "gd_untallied_responses", "Responses stored but not yet counted.", backlog.responses
        )
        yield GaugeMetricFamily(
            "gd_tally_lag_seconds",
            "How long the oldest uncounted response has waited.",
            backlog.lag_seconds,
        )
        depth = GaugeMetricFamily("gd_task_queue_depth", "Tasks waiting.", labels=["queue"])
        age = GaugeMetricFamily(
            "gd_task_queue_age_seconds",
            "How long the oldest waiting task has waited.",
            labels=["queue"],
        )
        for queue in health.task_queues():
            depth.add_metric([queue.name], queue.depth)
            age.add_metric([queue.name], queue.age_seconds)
        yield depth
        yield age
        yield GaugeMetricFamily(
            "gd_rooms_active",
            "Dialogue rooms with activity in the last 15 minutes.",
            health.rooms_active(),
        )


def exposition() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    folder = os.environ.get(MULTIPROC_VARIABLE)
    if folder:
        # Open-socket counts of processes gone (killed) are dropped, not added forever.
        for file in dead_processes_files(Path(folder), "gauge_live*.db"):
            file.unlink(missing_ok=True)
        multiprocess.MultiProcessCollector(registry, path=folder)
        processes: Collector = registry
    else:
        processes = REGISTRY
    stores = CollectorRegistry()
    stores.register(StoreCollector())
    body = generate_latest(processes) + generate_latest(stores)
    return body, CONTENT_TYPE_LATEST
