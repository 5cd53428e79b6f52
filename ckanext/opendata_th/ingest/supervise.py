"""Keep a worker or queue consumer running: restart it with backoff whenever it exits.

    python -m ckanext.opendata_th.ingest.supervise --name worker \\
        --hook "ckan -c ckan.ini opendata-th ingest recover" --hook-every 300 \\
        -- ckan -c ckan.ini jobs worker

Why our own and not supervisord or runit: the RQ worker forks a work horse
for each job and puts it in a process group of its own (``os.setpgrp``), so
a supervisor that stops "the process group" of the worker leaves a running
horse behind.  This one is a child subreaper (``PR_SET_CHILD_SUBREAPER``):
a horse whose worker died is re-parented to it, and it kills every such
orphan before it starts the worker again.  The worker dies with the
supervisor (``PR_SET_PDEATHSIG``), and `die_with_worker` ties a horse to its
worker the same way, so a SIGKILL at any level leaves no load running.

The hook (``opendata-th ingest recover``, ingest/recovery.py) runs at
every start and every ``--hook-every`` seconds: it re-queues or fails the
loads that a dead worker or a lost Redis left behind.

SIGTERM (``make down``) stops the worker (SIGTERM, then SIGKILL after
``--stop-timeout`` seconds) and every orphan, then exits.  Standard library
only: it must not need CKAN, Redis or PostgreSQL to keep running.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
POLL_SECONDS = 0.25
HOOK_TIMEOUT = 300.0


def _prctl(option: int, value: int) -> bool:
    """prctl(2) through libc; False where there is none (not Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(option, value, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def die_with_worker() -> None:
    """In an RQ work horse: be killed when the worker that forked it dies (SIGKILL included).

    Called by the ingest job itself (jobs.run_job).  Only a forked horse
    runs an RQ job as the leader of a process group of its own (RQ's
    ``os.setpgrp``): a load run by hand (``--sync``) or by an in-process
    worker (the tests' SimpleWorker) is left alone.
    """
    try:
        import rq
    except ImportError:
        return
    if rq.get_current_job() is None or os.getpgrp() != os.getpid():
        return
    parent = os.getppid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the worker died before the line above
        os.kill(os.getpid(), signal.SIGKILL)


def _say(name: str, message: str) -> None:
    moment = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{moment} supervise[{name}]: {message}", flush=True)


def _children() -> list[int]:
    """Pids of this process's living children (its own and the orphans it adopted)."""
    pids: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            pids += [int(pid) for pid in (task / "children").read_text().split()]
    return pids


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True  # gone


def _become_worker_child() -> None:
    """In the worker, before exec: die with the supervisor (a SIGKILLed supervisor leaves no worker)."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Supervisor:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.name: str = options.name
        self.command: list[str] = options.command
        self.hook: list[str] = shlex.split(options.hook) if options.hook else []
        self.stopping = False
        self.worker: subprocess.Popen[bytes] | None = None
        self.hook_process: subprocess.Popen[bytes] | None = None
        self.hook_started = 0.0

    # --- processes -----------------------------------------------------------

    def _reap(self) -> None:
        """Collect every exited child: ours get their status, adopted orphans just go."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if self.worker is not None and self.worker.pid == pid:
                self.worker.returncode = os.waitstatus_to_exitcode(status)
            elif self.hook_process is not None and self.hook_process.pid == pid:
                self.hook_process.returncode = os.waitstatus_to_exitcode(status)
                if self.hook_process.returncode:
                    _say(self.name, f"the hook exited with {self.hook_process.returncode}")

    def _kill_orphans(self) -> None:
        """SIGKILL every child but the hook: work horses left by a dead worker, and their groups."""
        keep = {self.hook_process.pid} if self.hook_process and self.hook_process.returncode is None else set()
        for pid in _children():
            if pid in keep or _zombie(pid):  # a zombie is dead already (by its PR_SET_PDEATHSIG): just reaped
                continue
            _say(self.name, f"killing orphaned process {pid}")
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if os.getpgid(pid) == pid:  # an RQ horse leads a group of its own
                    os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(pid not in keep for pid in _children()) and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        self._reap()

    def _start_hook(self) -> None:
        if not self.hook or (self.hook_process and self.hook_process.returncode is None):
            return
        self.hook_started = time.monotonic()
        self.hook_process = subprocess.Popen(self.hook, stdin=subprocess.DEVNULL)  # noqa: S603  (bin/ckan.sh's command)

    def _end_hung_hook(self) -> None:
        hook = self.hook_process
        if hook is not None and hook.returncode is None and time.monotonic() - self.hook_started > HOOK_TIMEOUT:
            _say(self.name, f"the hook did not finish in {HOOK_TIMEOUT:g}s; killing it")
            hook.kill()

    def _stop_worker(self) -> None:
        worker = self.worker
        if worker is not None and worker.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                worker.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + self.options.stop_timeout
            while worker.returncode is None and time.monotonic() < deadline:
                self._reap()
                time.sleep(0.05)
            if worker.returncode is None:
                _say(self.name, f"pid {worker.pid} did not stop in {self.options.stop_timeout}s; killing it")
                with contextlib.suppress(ProcessLookupError):
                    worker.kill()
        if self.hook_process is not None and self.hook_process.returncode is None:
            self.hook_process.kill()
        self.hook_process = None
        self._kill_orphans()

    # --- the loop ------------------------------------------------------------

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            self._reap()
            self._end_hung_hook()
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def _watch(self, worker: subprocess.Popen[bytes]) -> None:
        """Until the worker exits (or we are told to stop), running the hook every --hook-every seconds."""
        every = self.options.hook_every
        next_hook = time.monotonic() + every if every > 0 else float("inf")
        while not self.stopping and worker.returncode is None:
            self._reap()
            if time.monotonic() >= next_hook:
                self._start_hook()
                next_hook = time.monotonic() + every
            self._end_hung_hook()
            time.sleep(POLL_SECONDS)

    def run(self) -> int:
        if not _prctl(PR_SET_CHILD_SUBREAPER, 1):
            _say(self.name, "cannot become a child subreaper; orphaned work horses will not be found")
        delay: float | None = None  # the pause after the last exit; None before the first
        while not self.stopping:
            # The hook runs beside the starting worker, not before it: both
            # take the seconds CKAN needs to start, and the hook only queues.
            self._start_hook()
            started = time.monotonic()
            self.worker = subprocess.Popen(  # noqa: S603  (the command bin/ckan.sh gives)
                self.command, stdin=subprocess.DEVNULL, process_group=0, preexec_fn=_become_worker_child
            )
            _say(self.name, f"started pid {self.worker.pid}: {shlex.join(self.command)}")
            self._watch(self.worker)
            if self.stopping:
                break
            ran = time.monotonic() - started
            # A worker that ran a while had a working setup: start over from the shortest pause.
            quick = delay is not None and ran < self.options.stable
            delay = min(delay * 2, self.options.max_delay) if quick and delay is not None else self.options.min_delay
            _say(self.name, f"pid {self.worker.pid} exited with {self.worker.returncode} after {ran:.1f}s")
            self._kill_orphans()
            _say(self.name, f"restarting in {delay:g}s")
            self._sleep(delay)
        self._stop_worker()
        _say(self.name, "stopped")
        return 0

    def request_stop(self, signum: int, frame: object) -> None:
        self.stopping = True


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="supervise", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--name", default="worker", help="name for the log lines")
    parser.add_argument("--min-delay", type=float, default=1.0, help="first pause before a restart (s)")
    parser.add_argument("--max-delay", type=float, default=60.0, help="longest pause before a restart (s)")
    parser.add_argument("--stable", type=float, default=30.0, help="a run this long resets the pause (s)")
    parser.add_argument("--stop-timeout", type=float, default=15.0, help="SIGTERM to SIGKILL on stop (s)")
    parser.add_argument("--hook", default="", help="command run before every start and every --hook-every s")
    parser.add_argument("--hook-every", type=float, default=0.0, help="also run the hook this often (s, 0: never)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to supervise")
    options = parser.parse_args(argv)
    if options.command[:1] == ["--"]:
        options.command = options.command[1:]
    if not options.command:
        parser.error("give the command to supervise after --")
    if options.min_delay <= 0 or options.max_delay < options.min_delay:
        parser.error("--min-delay must be positive and at most --max-delay")
    return options


def main(argv: Sequence[str] | None = None) -> int:
    supervisor = Supervisor(parse(sys.argv[1:] if argv is None else argv))
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
