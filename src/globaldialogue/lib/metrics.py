"""The process's Prometheus metrics (prometheus-client); lib/metricsdir.py says where
they are kept across processes."""

from prometheus_client import Counter, Gauge, Histogram

# Route groups, not paths: a path per survey or token would make a series per visitor.
REQUESTS = Counter(
    "gd_http_requests_total", "HTTP requests answered.", ["group", "method", "status"]
)
LATENCY = Histogram(
    "gd_http_request_seconds",
    "Time to answer an HTTP request.",
    ["group"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
RESPONSES = Counter("gd_responses_stored_total", "Survey responses stored.", ["channel"])
VOTES = Counter("gd_votes_stored_total", "Votes stored (a changed vote counts again).")
MAP_SECONDS = Histogram(
    "gd_map_recompute_seconds",
    "Time to compute and store an opinion map.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
WEBSOCKETS = Gauge("gd_websockets_open", "WebSockets open.", ["kind"], multiprocess_mode="livesum")
EMAILS = Counter("gd_emails_total", "Emails handed to the mail server.", ["outcome"])
TASKS = Counter("gd_tasks_total", "Background tasks run.", ["task", "outcome"])
