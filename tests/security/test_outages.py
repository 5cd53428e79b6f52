"""Redis goes away: the usage counters that pages read answer empty instead of failing.

A redis-server of the test's own, on a free port, is stopped in the middle
of the test (the shared Redis other tests use is never touched).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import ckan.lib.redis as ckan_redis
import pytest
import redis

from ckanext.opendata_th.api import usage


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def own_redis(tmp_path, ckan_config, monkeypatch) -> Iterator[subprocess.Popen[bytes]]:
    server = shutil.which("redis-server")
    assert server, "redis-server is installed by bin/stack install"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < deadline, "own redis-server did not start"
            time.sleep(0.05)
    monkeypatch.setitem(ckan_config, "ckan.redis.url", url)
    monkeypatch.setattr(ckan_redis, "_connection_pool", None)  # CKAN keeps one pool per process
    yield process
    process.kill()
    process.wait()


def test_usage_reads_answer_empty_while_redis_is_away(own_redis):
    usage.count("res-outage", "records")
    assert usage.ranking() == {"res-outage": 1}

    own_redis.kill()
    own_redis.wait()

    usage.count("res-outage", "records")  # skipped with a log line, never raised
    assert usage.ranking() == {}
    assert usage.counts(["res-outage"])["res-outage"]["total"] == 0
