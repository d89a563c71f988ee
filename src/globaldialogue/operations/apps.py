from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site as a service: heartbeats of web and worker processes, health and
    readiness for load balancers, Prometheus metrics, request logs, backups."""

    name = "globaldialogue.operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from globaldialogue.operations import tasklog  # noqa: F401 - connects its receivers
