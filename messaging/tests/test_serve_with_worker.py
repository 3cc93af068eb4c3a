"""`make run` serves with gunicorn and runs the message worker beside it,
as one command: Ctrl-C stops both."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from messaging.tests.test_worker_processes import _database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.gunicorn]

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid):
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def test_ctrl_c_stops_gunicorn_and_the_worker():
    if connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL test database")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "true", "SMS_URL": "console://",
           "SITE_URL": f"http://127.0.0.1:{port}"}
    script = subprocess.Popen([str(ROOT / "bin" / "serve-with-worker"), str(ROOT / ".venv" / "bin"), "127.0.0.1",
                               str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
        children = _children(script.pid)
        assert any("gunicorn" in child for child in children), children
        assert any("db_worker" in child for child in children), children
        pids = [int(child.split()[0]) for child in children]
        script.send_signal(signal.SIGINT)
        assert script.wait(40) == 0
        for pid in pids:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
