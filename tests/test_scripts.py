"""The stack scripts fail clearly when a port is taken."""

from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_a_port_in_use_stops_the_service_with_a_clear_message():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = subprocess.run(
            ["bash", "-c", f'source bin/lib.sh && require_free_port Solr {port} SOLR_PORT && echo "started"'],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    assert result.returncode == 1
    assert "started" not in result.stdout
    assert f"Solr cannot start: port {port}" in result.stderr
    assert "SOLR_PORT=<port>" in result.stderr


def test_a_free_port_passes_the_check():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run(
        ["bash", "-c", f"source bin/lib.sh && require_free_port Solr {port} SOLR_PORT && echo started"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "started"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_service_that_fails_to_start_names_its_log_and_stops_the_others(tmp_path):
    """Solr without its jars fails; PostgreSQL and Redis started by the same run are stopped."""
    local = tmp_path / "local"
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "ODTH_LOCAL_DIR": str(local),
        "PG_PORT": str(_free_port()),
        "REDIS_PORT": str(_free_port()),
        "SOLR_PORT": str(_free_port()),
    }
    result = subprocess.run(
        ["bin/stack", "services"], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300
    )

    assert result.returncode == 1
    assert f"Solr exited while starting; see its log: {local}/run/solr.log" in result.stderr
    assert "Stopping redis" in result.stderr
    assert "Stopping PostgreSQL" in result.stderr
    for port in (env["PG_PORT"], env["REDIS_PORT"], env["SOLR_PORT"]):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", int(port))) != 0, f"port {port} is still served"


def test_a_supervised_process_is_restarted_and_term_stops_the_loop(tmp_path):
    """Harvest consumers exit on a Redis read timeout; start_loop runs them again, and TERM ends it all."""
    marker = tmp_path / "runs"
    script = (
        f"source bin/lib.sh && source bin/ckan.sh && RUN={tmp_path} && "
        f"start_loop consumer 0.2 sh -c 'echo run >> {marker}; exit 1'"
    )
    subprocess.run(["bash", "-c", script], cwd=ROOT, check=True, timeout=30)
    pid = int((tmp_path / "consumer.pid").read_text())
    for _ in range(100):
        if marker.exists() and len(marker.read_text().split()) >= 3:
            break
        time.sleep(0.1)
    assert len(marker.read_text().split()) >= 3, "the command was not run again after it exited"

    os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        if not pathlib.Path(f"/proc/{pid}").exists() or "Z" in _state(pid):
            break
        time.sleep(0.1)
    runs = len(marker.read_text().split())
    time.sleep(0.6)
    assert len(marker.read_text().split()) == runs, "the loop kept running after TERM"


def _state(pid: int) -> str:
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return "Z"
