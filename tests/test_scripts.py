"""The stack scripts fail clearly when a port is taken."""

from __future__ import annotations

import pathlib
import socket
import subprocess

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
