"""A Redis and a PostgreSQL of the test's own, to stop and start at will.

The fault tests (tests/test_cache_outage.py, tests/test_database_outage.py)
and the benchmark's Redis outage (benchmarks/load.py) kill, hang and restart
these, never the machine's shared services: each runs from the machine's
own binaries, on a free port of loopback, in a folder of its own, and is
stopped by its process id.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {timeout} s")


class PrivateRedis:
    """redis-server on a port of its own, keeping nothing on disk: restarted,
    it comes back empty, as a Redis without persistence does."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = tempfile.mkdtemp(prefix="rz-private-redis-")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.folder, "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for(self.answers, "redis-server")
        return self

    def answers(self):
        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def client(self):
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def kill(self):
        """Gone at once, with everything it held (a crash, an OOM kill)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def hang(self):
        """Still accepting connections, never answering."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.running():
            self.process.send_signal(signal.SIGCONT)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def private_redis():
    """A Redis of one test module's own, gone after it (import the fixture)."""
    server = PrivateRedis().start()
    yield server
    server.stop()


def _postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("No PostgreSQL binaries in /usr/lib/postgresql/*/bin")
    return os.path.dirname(found[-1])


class PrivatePostgres:
    """A PostgreSQL cluster of its own (initdb, pg_ctl), trusting loopback.
    PostgreSQL refuses to run as root: as root, the cluster belongs to the
    `postgres` system user and its commands run as that user (runuser)."""

    def __init__(self):
        self.bin = _postgres_bin()
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="rz-private-postgres-")
        self.data = os.path.join(self.folder, "data")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self._as_user = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command):
        result = subprocess.run(
            [*self._as_user, os.path.join(self.bin, command[0]), *command[1:]],
            capture_output=True, text=True, timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")

    def create(self):
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale", "C.UTF-8", "--no-sync")
        return self

    def start(self):
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   "-c fsync=off -c max_connections=40 -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", os.path.join(self.folder, "log"),
                  "-w", "-t", "60", "start")
        return self

    def stop(self):
        """Stopped as an operator stops it: open connections are cut."""
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop")

    def running(self):
        return os.path.exists(os.path.join(self.data, "postmaster.pid"))

    def destroy(self):
        if self.running():
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


# --- gunicorn on them, with the production settings ---------------------------

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp, key_prefix, **overrides):
    """tests/test_two_instances.py's production settings, with `overrides`
    (the private services' URLs)."""
    from tests.test_two_instances import _production_env

    return {"SMS_URL": "memory://", **_production_env(tmp, key_prefix), **overrides}  # no texts sent


def manage(env, *command):
    """`manage.py <command>` with those settings (migrate, createcachetable)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@contextmanager
def gunicorn_serving(name, env, tmp):
    """A real gunicorn with those settings, answering /healthz, until the block ends."""
    from tests.test_two_instances import _collectstatic, _start, _stop, _wait_until_serving

    _collectstatic(env)
    instance = _start(name, env, tmp)
    try:
        _wait_until_serving(instance)
        yield instance
    finally:
        _stop(instance)
