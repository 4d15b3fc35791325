"""schemathesis against a real gunicorn: every check (status codes, schemas of requests and
responses, content types, 405 with Allow, ignored auth, negative and positive data…) over
every phase (examples, coverage, fuzzing, stateful), with an administrator's token.

20 examples per operation and phase (``--max-examples``, fixed ``--seed``): about a minute
on two cores. Operations whose input no JSON Schema can judge are listed in
``schemathesis.toml`` beside this file.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MAX_EXAMPLES = 20


@pytest.mark.schemathesis
@pytest.mark.serial  # a minute of requests at a real gunicorn
def test_schemathesis_finds_no_failure(live_api, tmp_path):
    url, token = live_api
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "--no-color",
            "run",
            f"{url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--header",
            f"Authorization: Bearer {token}",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "20261201",
            "--workers",
            "1",  # hypothesis' lambda descriptions are not thread-safe on Python 3.11
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    report = run.stdout + run.stderr
    print(report[report.find("Test Phases:") :])  # the summary, shown with -s or -rP
    assert re.search(r"Stateful \(in", report), report[-3000:]  # the stateful phase ran
    assert "No issues found" in report or "❌" not in report, report[-6000:]
    assert run.returncode == 0, report[-6000:]
