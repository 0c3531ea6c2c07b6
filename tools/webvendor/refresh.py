"""Refresh the browser libraries vendored in `api/web/static/vendor` from `package-lock.json`.

The explorer page and the offline `/docs` and `/redoc` must not fetch anything from another host, so
their libraries ship inside the Python package. This script is the only way they get there:

    python3 tools/webvendor/refresh.py          # npm ci from the lock file, then copy the built files
    python3 tools/webvendor/refresh.py --check  # exit 1 if the vendored copy differs from the lock

To upgrade, change a version in `package.json`, run `npm install --ignore-scripts` in this folder (it
rewrites the lock file), then this script. `node_modules/` stays here and out of git.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parents[1] / "api" / "web" / "static" / "vendor"

# package -> the built files the page loads, each with the licence texts that must travel with it.
FILES: dict[str, list[str]] = {
    "cytoscape": ["dist/cytoscape.min.js", "LICENSE"],
    "layout-base": ["layout-base.js", "LICENSE"],
    "cose-base": ["cose-base.js", "LICENSE"],
    "cytoscape-fcose": ["cytoscape-fcose.js", "LICENSE"],
    "swagger-ui-dist": [
        "swagger-ui-bundle.js",
        "swagger-ui-bundle.js.LICENSE.txt",
        "swagger-ui.css",
        "favicon-32x32.png",
        "LICENSE",
        "NOTICE",
    ],
    "redoc": ["bundles/redoc.standalone.js", "bundles/redoc.standalone.js.LICENSE.txt", "LICENSE"],
}


def locked_versions() -> dict[str, dict[str, str]]:
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    return {
        name: {
            "version": packages[f"node_modules/{name}"]["version"],
            "integrity": packages[f"node_modules/{name}"]["integrity"],
        }
        for name in FILES
    }


def manifest() -> str:
    return json.dumps(locked_versions(), indent=2, sort_keys=True) + "\n"


def copy_plan() -> list[tuple[Path, Path]]:
    modules = HERE / "node_modules"
    return [
        (modules / name / rel, TARGET / name / Path(rel).name) for name, rels in FILES.items() for rel in rels
    ]


def check() -> int:
    """Compare the vendored copy with what the lock file pins (needs `npm ci` to have run for files)."""
    versions = TARGET / "VERSIONS.json"
    if not versions.is_file() or versions.read_text(encoding="utf-8") != manifest():
        print(f"{versions} does not match package-lock.json", file=sys.stderr)
        return 1
    stale = [
        str(dst) for src, dst in copy_plan() if src.exists() and not filecmp.cmp(src, dst, shallow=False)
    ]
    if stale:
        print("differs from node_modules: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


def refresh() -> None:
    # --ignore-scripts: nothing from the registry runs here; we only copy files out.
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True
    )
    shutil.rmtree(TARGET, ignore_errors=True)
    for src, dst in copy_plan():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    (TARGET / "VERSIONS.json").write_text(manifest(), encoding="utf-8")
    print(f"vendored {len(FILES)} packages into {TARGET}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, change nothing")
    if parser.parse_args().check:
        return check()
    refresh()
    return 0


if __name__ == "__main__":
    sys.exit(main())
