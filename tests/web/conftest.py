"""Fixtures for the explorer's tests: a real `aigeo serve` over the sample corpus in `examples/`, and
Debian's Chromium driven by Playwright (never a downloaded browser: `playwright install` has no CDN
to reach here).

Browser tests skip, with the reason, where Chromium is absent; `.ci/run` installs it. Screenshots go
to `$AIGEO_SCREENSHOTS` when set (the README's come from `AIGEO_SCREENSHOTS=docs/explorer`), else to
a temporary folder, so a test run leaves the working tree as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.servers import ServerDidNotStart, aigeo_serve, free_port, stop, wait_until_up

CHROMIUM = Path(os.environ.get("AIGEO_CHROMIUM", "/usr/bin/chromium"))
API_KEY = "explorer-test-key"


def _ingest(examples: Path, env: dict[str, str], cwd: Path) -> None:
    ingest = subprocess.Popen(
        [sys.executable, "-m", "aigeo.cli", "ingest", str(examples)],
        cwd=cwd,  # not the repo: no stray .env is read
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output, _ = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, output.decode()


@dataclass
class Server:
    base: str
    store: Path


@pytest.fixture(scope="session")
def explorer_server(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Iterator[Server]:
    """`aigeo ingest examples` then `aigeo serve` with an API key, on a free loopback port."""
    home = tmp_path_factory.mktemp("explorer")
    store = home / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGEO_")}
    env.update(AIGEO_STORE=str(store), AIGEO_API_KEY=API_KEY)
    _ingest(examples_dir, env, home)
    port = free_port()
    log_path = home / "serve.log"
    with log_path.open("wb") as log:
        proc = aigeo_serve(store, port, env=env, cwd=home, log=log)
        base = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_until_up(proc, f"{base}/ready")
            except ServerDidNotStart as e:
                pytest.fail(f"{e}:\n{log_path.read_text(errors='replace')}")
            yield Server(base=base, store=store)
        finally:
            stop(proc)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at the system's Chromium."""
    if not CHROMIUM.is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install -y --no-install-recommends chromium "
            "(or set AIGEO_CHROMIUM)"
        )
    # As root, Chromium refuses to start with its sandbox on.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A laptop screen, and downloads kept for the export tests."""
    return {**browser_context_args, "viewport": {"width": 1366, "height": 800}, "accept_downloads": True}


@dataclass
class Watch:
    """What a page did that it must not: errors on its console, requests to another host."""

    base: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def allow(self, fragment: str) -> None:
        """Tolerate console errors containing `fragment` (a refusal the test provokes on purpose)."""
        self.allowed.append(fragment)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def watch(page: Any, explorer_server: Server) -> Iterator[Watch]:
    """Fail the test on any console error or uncaught exception, and on any request leaving the server.

    Requests to another host are aborted before they leave, as they would fail with no internet.
    """
    seen = Watch(base=explorer_server.base)
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.errors.append(f"uncaught: {exc}"))

    def gate(route: Any) -> None:
        url: str = route.request.url
        if url.startswith(seen.base + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            seen.foreign.append(url)
            route.abort()

    page.route("**/*", gate)
    yield seen
    assert not seen.foreign, f"requests to other hosts: {seen.foreign}"
    assert not seen.unexpected(), f"console errors: {seen.unexpected()}"


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Any, str], Path]:
    """Save a screenshot of the page under a name."""
    wanted = os.environ.get("AIGEO_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def save(page: Any, name: str) -> Path:
        target = folder / f"{name}.png"
        page.screenshot(path=str(target))
        return target

    return save
