"""The supervisor on its own, with plain processes in place of the worker (fast: no CKAN starts).

The real worker under it, Redis stopped and the worker SIGKILLed mid-load,
are in tests/security/test_worker_recovery.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# A "worker" that forks a "work horse" into a process group of its own (as
# RQ does), records both pids, then waits; or exits at once when told to.
WORKER = r"""
import os, sys, time
from pathlib import Path
state = Path(sys.argv[1])
starts = state / "starts"
starts.write_text(starts.read_text() + "x" if starts.exists() else "x")
if (state / "crash").exists():
    sys.exit(3)
horse = os.fork()
if horse == 0:
    os.setpgrp()
    while True:
        time.sleep(1)
(state / "pids").write_text(f"{os.getpid()} {horse}")
while True:
    time.sleep(1)
"""


def _until(what: str, check: Callable[[], Any], seconds: float, log: Path) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what} within {seconds}s\n{log.read_text()}")


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture
def supervise(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> subprocess.Popen[bytes]:
        worker = tmp_path / "worker.py"
        worker.write_text(WORKER)
        with (tmp_path / "supervise.log").open("ab") as log:
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "ckanext.opendata_th.ingest.supervise",
                        "--name=test",
                        "--stop-timeout=2",
                        *options,
                        "--",
                        sys.executable,
                        str(worker),
                        str(tmp_path),
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        return started[-1]

    yield start
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()


def _pids(tmp_path: Path) -> tuple[int, int] | None:
    text = (tmp_path / "pids").read_text() if (tmp_path / "pids").exists() else ""
    if not text:
        return None
    worker, horse = map(int, text.split())
    return worker, horse


def test_a_killed_worker_takes_its_orphaned_horse_along_and_is_started_again(supervise, tmp_path):
    log = tmp_path / "supervise.log"
    supervisor = supervise("--min-delay=0.2")
    worker, horse = _until("the worker forked its horse", lambda: _pids(tmp_path), 10, log)
    (tmp_path / "pids").unlink()

    os.kill(worker, signal.SIGKILL)  # the horse, in its own process group, is not hit
    _until("the orphaned horse was killed", lambda: not _alive(horse), 5, log)
    new_worker, new_horse = _until("a new worker started", lambda: _pids(tmp_path), 10, log)
    assert new_worker != worker and _alive(new_worker) and _alive(new_horse)
    assert f"killing orphaned process {horse}" in log.read_text()

    # `make down`: SIGTERM to the supervisor stops the worker and its horse too.
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(10) == 0
    assert not _alive(new_worker) and not _alive(new_horse)
    assert log.read_text().rstrip().endswith("supervise[test]: stopped")


def test_a_worker_that_keeps_exiting_is_restarted_with_growing_pauses_and_the_hook_runs_each_time(supervise, tmp_path):
    log = tmp_path / "supervise.log"
    (tmp_path / "crash").touch()
    hook = shlex.join(["sh", "-c", f"echo run >> {shlex.quote(str(tmp_path / 'hooks'))}"])
    supervise("--min-delay=0.1", "--max-delay=0.8", f"--hook={hook}")
    _until(
        "six starts",
        lambda: len((tmp_path / "starts").read_text()) >= 6 if (tmp_path / "starts").exists() else 0,
        20,
        log,
    )
    pauses = [float(p) for p in re.findall(r"restarting in ([0-9.]+)s", log.read_text())]
    assert pauses[:5] == [0.1, 0.2, 0.4, 0.8, 0.8]  # doubling from --min-delay, up to --max-delay
    assert "exited with 3" in log.read_text()
    _until("the hook ran at each start", lambda: (tmp_path / "hooks").read_text().count("run") >= 4, 10, log)

    # The cause goes away (Redis is back): the next start stays up.
    (tmp_path / "crash").unlink()
    _until("the worker stayed up", lambda: _pids(tmp_path), 10, log)


def test_the_hook_also_runs_periodically_while_the_worker_runs(supervise, tmp_path):
    log = tmp_path / "supervise.log"
    hook = shlex.join(["sh", "-c", f"echo run >> {shlex.quote(str(tmp_path / 'hooks'))}"])
    supervise("--hook-every=0.5", f"--hook={hook}")
    _until("the worker started", lambda: _pids(tmp_path), 10, log)
    _until(
        "the hook ran three times",
        lambda: (tmp_path / "hooks").exists() and (tmp_path / "hooks").read_text().count("run") >= 3,
        10,
        log,
    )
    assert (tmp_path / "starts").read_text() == "x"  # one worker all along
