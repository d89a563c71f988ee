"""A RapidPro export file checked before anyone imports it: against the schema of the flow
definition as documented (data/rapidpro-export.schema.json), then what a schema cannot say
and goflow refuses when it reads a flow: every UUID once, every exit and category pointing
at what exists, category names unique in their router."""

import json
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA = Path(__file__).parent / "data" / "rapidpro-export.schema.json"


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))


def problems(export: Any) -> list[str]:
    """What makes `export` not importable, in sentences (none: it is)."""
    found = [f"{e.instance_path}: {e.message}" for e in _validator().iter_errors(export)]
    if found:
        return found
    return [problem for flow in export["flows"] for problem in _flow_problems(flow)]


def _flow_problems(flow: dict[str, Any]) -> Iterator[str]:
    name = flow["name"]
    ids = Counter(_uuids(flow))
    for uid, times in ids.items():
        if times > 1:
            yield f"{name}: the UUID {uid} is used {times} times"
    nodes = {node["uuid"] for node in flow["nodes"]}
    for node in flow["nodes"]:
        yield from (f"{name}, node {node['uuid']}: {p}" for p in _node_problems(node, nodes))


def _uuids(flow: dict[str, Any]) -> Iterator[str]:
    yield flow["uuid"]
    for node in flow["nodes"]:
        yield node["uuid"]
        yield from (item["uuid"] for item in node.get("actions", []))
        yield from (item["uuid"] for item in node["exits"])
        router = node.get("router") or {}
        yield from (item["uuid"] for item in router.get("categories", []))
        yield from (item["uuid"] for item in router.get("cases", []))


def _node_problems(node: dict[str, Any], nodes: set[str]) -> Iterator[str]:
    exits = {item["uuid"] for item in node["exits"]}
    for item in node["exits"]:
        if item.get("destination_uuid") and item["destination_uuid"] not in nodes:
            yield f"exit {item['uuid']} leads to no node"
    router = node.get("router")
    if router is None:
        return
    categories = {item["uuid"] for item in router["categories"]}
    names = Counter(item["name"].casefold() for item in router["categories"])
    yield from (f"the category {n!r} is there twice" for n, times in names.items() if times > 1)
    yield from (
        f"category {c['uuid']} has no exit here"
        for c in router["categories"]
        if c["exit_uuid"] not in exits
    )
    yield from (
        f"case {c['uuid']} has no category here"
        for c in router.get("cases", [])
        if c["category_uuid"] not in categories
    )
    default = router.get("default_category_uuid")
    if default and default not in categories:
        yield "its default category is not one of its categories"
    used = {c["exit_uuid"] for c in router["categories"]}
    yield from (f"exit {e} belongs to no category" for e in sorted(exits - used))
