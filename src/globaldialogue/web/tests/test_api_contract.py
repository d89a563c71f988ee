"""Schemathesis over the whole API of a running server: every answer is one the OpenAPI
document lists (status_code_conformance) and none is a server error (not_a_server_error),
whatever it is sent, with and without a partner key that may do everything."""

import subprocess
import sys
from pathlib import Path

import pytest

from globaldialogue.accounts.actions import create_api_key
from globaldialogue.accounts.models import Scope
from globaldialogue.deliberation.demo import load_demo_conversation

pytestmark = pytest.mark.django_db(transaction=True)
SCHEMATHESIS = Path(sys.executable).parent / "st"


def test_every_operation_answers_as_documented(start_server, un75, tmp_path):
    load_demo_conversation()
    _key, secret = create_api_key(name="Contract", scopes=list(Scope.values))
    server = start_server(
        extra_env={"GLOBALDIALOGUE_RATE_VOTE_IP": "0/1", "GLOBALDIALOGUE_RATE_BATCH_KEY": "0/1"}
    )
    runs = [[], ["--header", f"Authorization: Bearer {secret}"]]
    for extra in runs:
        result = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{server.url}/api/openapi.json",
                "--checks",
                "not_a_server_error,status_code_conformance",
                "--max-examples",
                "20",
                "--generation-deterministic",
                "--no-color",
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,  # its example cache stays out of the repository
        )
        assert result.returncode == 0, result.stdout[-6000:]
