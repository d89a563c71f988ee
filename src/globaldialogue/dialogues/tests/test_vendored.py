"""The Janus client the room pages load is npm's, byte for byte (vendor/janus-gateway's
README): the versions in package.json, as `npm ci` installs them."""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
VENDOR = ROOT / "src/globaldialogue/dialogues/static/dialogues/vendor"
COPIES = {
    "janus-gateway/src/janus.js": VENDOR / "janus-gateway/janus.js",
    "webrtc-adapter/out/adapter.js": VENDOR / "webrtc-adapter/adapter.js",
}


def test_the_vendored_janus_client_is_the_npm_packages():
    modules = ROOT / "node_modules"
    if not modules.exists() and os.environ.get("CI") != "true":
        pytest.skip("node_modules is missing: npm ci (make test runs it)")
    for source, copy in COPIES.items():
        assert (modules / source).read_bytes() == copy.read_bytes(), source
    package = json.loads((ROOT / "package.json").read_text())
    readme = (VENDOR / "janus-gateway/README.md").read_text()
    version = package["devDependencies"]["janus-gateway"]
    adapter = json.loads((modules / "webrtc-adapter/package.json").read_text())["version"]
    assert f"janus.js {version} and webrtc-adapter {adapter}" in readme
