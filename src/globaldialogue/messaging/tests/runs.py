"""RapidPro runs as RapidPro shapes them: the default webhook body a flow posts, and an
item of the runs API."""

import uuid
from datetime import datetime
from typing import Any


def result(name: str, value: str, category: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "value": value,
        "category": category or "Has Text",
        "category_localized": category or "Has Text",
        "node_uuid": str(uuid.uuid4()),
        "input": value,
        "created_on": "2026-12-04T09:00:00.000000Z",
    }


def webhook_body(flow: str, run: str, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """RapidPro's default webhook body (contact, flow, path, results, run, input, channel)."""
    channel = {"uuid": str(uuid.uuid4()), "name": "U-Report Nigeria", "address": "+2348000000"}
    return {
        "contact": {"uuid": str(uuid.uuid4()), "name": "", "urn": "tel:********"},  # anonymised
        "flow": {"uuid": flow, "name": "UN75 by SMS", "revision": 12},
        "path": [],
        "results": results,
        "run": {"uuid": run, "created_on": "2026-12-04T08:59:00.000000Z"},
        "input": {"uuid": str(uuid.uuid4()), "type": "msg", "text": "2", "channel": channel},
        "channel": channel,
    }


def api_run(
    flow: str, run: str, results: dict[str, dict[str, Any]], modified: datetime, ended: bool = True
) -> dict[str, Any]:
    """An item of RapidPro's runs API."""
    stamp = modified.isoformat().replace("+00:00", "Z")
    values = {
        key: {k: r[k] for k in ("name", "value", "category", "input")}
        | {"node": r["node_uuid"], "time": stamp}
        for key, r in results.items()
    }
    return {
        "id": abs(hash(run)) % 10**9,
        "uuid": run,
        "flow": {"uuid": flow, "name": "UN75 by SMS"},
        "contact": {"uuid": str(uuid.uuid4()), "urn": None, "name": None},
        "start": None,
        "responded": True,
        "path": [],
        "values": values,
        "created_on": stamp,
        "modified_on": stamp,
        "exited_on": stamp if ended else None,
        "exit_type": "completed" if ended else None,
    }
