"""Servers on the loopback for tests and benchmarks: a free port, `aigeo serve` started, awaited, stopped.

Everything binds to 127.0.0.1 only. A server's output goes to a file or nowhere, never to a pipe that
nobody reads (a full pipe blocks the server).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import httpx

HOST = "127.0.0.1"


class ServerDidNotStart(RuntimeError):
    """A server exited before it answered, or did not answer in time."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def aigeo_serve(
    store: Path, port: int, *, env: Mapping[str, str], cwd: Path, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """`aigeo serve` over `store` on 127.0.0.1:`port`, its output in `log` (else discarded)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aigeo.cli",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        cwd=cwd,  # not the repo: no stray .env is read
        env=dict(env),
        stdout=log if log is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )


def wait_until_up(proc: subprocess.Popen[bytes], url: str, timeout: float = 60.0) -> None:
    """Poll `url` until it answers 200; `ServerDidNotStart` when the process ends or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise ServerDidNotStart(f"the server for {url} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise ServerDidNotStart(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Ask the server to end (SIGTERM); kill it when it has not within `timeout` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
