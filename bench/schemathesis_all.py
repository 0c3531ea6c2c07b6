"""Schemathesis `--checks all` against `aigeo serve` on 127.0.0.1, without and with an API key.

    python bench/schemathesis_all.py [--max-examples 50] [--seed 13]

Serves the sample world of `tests.graph.factories` (tight limits, so every limit is exercised) from
a temporary embedded store, runs the schemathesis CLI with every check and every phase against it,
once without a key (no write endpoints) and once with one (uploads go through the real pipeline), and
prints each run's summary. Exits 1 if a run found a failure.

Known: with the key, negative-data rejection may flag POST /admin/documents ("a string where a file
belongs became an array"): a multipart file part is bytes whatever it holds, so the upload cannot
refuse it as malformed; the readers skip it with a reason. `tests/api/test_schemathesis.py` runs the
other checks on uploads.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.stores.embedded import EmbeddedStore  # noqa: E402
from tests.graph.factories import sample_batches  # noqa: E402
from tests.servers import HOST, ServerDidNotStart, aigeo_serve, free_port, stop, wait_until_up  # noqa: E402

LIMITS = {"AIGEO_MAX_DEPTH": "2", "AIGEO_MAX_HOPS": "4", "AIGEO_MAX_K": "3", "AIGEO_MAX_PAGE_SIZE": "20"}


def run(data: Path, key: str | None, args: argparse.Namespace, workdir: Path) -> int:
    port = free_port()
    env = {**os.environ, **LIMITS}
    env.pop("AIGEO_API_KEY", None)
    if key:
        env["AIGEO_API_KEY"] = key
    server = aigeo_serve(data, port, env=env, cwd=workdir)
    try:
        try:
            wait_until_up(server, f"http://{HOST}:{port}/health")
        except ServerDidNotStart as e:
            raise SystemExit(f"aigeo serve did not start: {e}") from None
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"http://{HOST}:{port}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--no-color",
        ]
        if key:
            command += ["-H", f"X-API-Key: {key}"]
        done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=1_800)
        lines = done.stdout.strip().splitlines()
        print(f"== {'with' if key else 'without'} a key: exit {done.returncode}")
        start = next((i for i, line in enumerate(lines) if "FAILURES" in line or "SUMMARY" in line), 0)
        print("\n".join(lines[start:]))
        return done.returncode
    finally:
        stop(server, timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-examples", type=int, default=50)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aigeo-schemathesis-") as tmp:
        data = Path(tmp) / "graph"
        store = EmbeddedStore(data)
        for batch in sample_batches():
            store.upsert(batch)
        store.close()
        codes = [run(data, None, args, Path(tmp)), run(data, "bench-key-1", args, Path(tmp))]
    return 1 if any(codes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
