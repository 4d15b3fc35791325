"""SIGKILL a gunicorn worker in the middle of a stream of check-ins: every check-in that was
answered 2xx is in the database afterwards, and the retried ones count once."""

import importlib.util
import os
from pathlib import Path

import pytest

from tests.conftest import requires_postgres

#: they SIGKILL a server they started: alone, so a loaded machine cannot blur what died
pytestmark = pytest.mark.serial

BENCH = Path(__file__).resolve().parents[2] / "bench" / "checkin.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_checkin", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check(kind, port):
    result = _bench().kill_check(kind, participants=120, port=port, workers=3)
    assert result["killed"] is not None, "no worker was killed"
    assert result["lost"] == 0  # acknowledged with 2xx but not stored: must never happen
    assert result["acknowledged"] + result["failed"] == 120
    assert result["rows"] == 120  # after the desk-style retries with the same scan_id
    assert result["duplicates"] == 0


def test_sigkill_a_worker_mid_stream_sqlite():
    _check("sqlite", 5261 + os.getpid() % 10)


@requires_postgres
@pytest.mark.postgres
def test_sigkill_a_worker_mid_stream_postgres():
    _check("postgres", 5271 + os.getpid() % 10)
