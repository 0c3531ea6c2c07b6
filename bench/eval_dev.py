"""Score extraction in-process against gold annotations, one document at a time.

    python bench/eval_dev.py [--corpus DIR] [--gold DIR] [--show]
    python bench/eval_dev.py --examples [--show]

The first form mirrors `/work/shared/eval/run_eval.py` without the CLI or a store: for every gold
YAML it reads the named document, runs `Pipeline.extract`, writes a GraphML with the attributes the
scorer reads (name, aliases as a JSON list, labels ":Type", edge label) and scores it with the
shared `score.py`. The second form checks `examples/expected.yaml` (relations each sample file
states) against the relations extracted from each file, reporting precision and recall over the
listed relation types.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.model import GraphBatch  # noqa: E402
from graph.names import name_key  # noqa: E402
from graph.schema import SYMMETRIC_RELATIONS, RelType  # noqa: E402
from loaders.pipeline import Pipeline  # noqa: E402
from loaders.readers import read_file  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"


def batches_for(pipeline: Pipeline, path: Path) -> list[GraphBatch]:
    result = read_file(path, 5_000_000)
    return [pipeline.extract(raw) for raw in result.documents]


def write_graphml(batches: Iterable[GraphBatch], out: Path) -> None:
    g = nx.MultiDiGraph()
    for batch in batches:
        for e in batch.entities:
            g.add_node(e.id, name=e.name, aliases=json.dumps(e.aliases), labels=f":{e.type.value}")
        for r in batch.relations:
            g.add_edge(r.source, r.target, label=r.type.value)
    nx.write_graphml(g, out)


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score", SHARED / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_gold(pipeline: Pipeline, corpus: Path, gold: Path, show: bool) -> None:
    score = _scorer()
    totals: dict[str, list[int]] = {}
    for gold_file in sorted(gold.glob("*.yaml")):
        doc = corpus / yaml.safe_load(gold_file.read_text(encoding="utf-8"))["doc"]
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.graphml"
            write_graphml(batches_for(pipeline, doc), out)
            res = score.score(str(out), [str(gold_file)])
        rows = {f"entities.{k}": v for k, v in res["entities"].items()}
        rows.update({f"relations.{k}": v for k, v in res["relations"].items()})
        for k, v in rows.items():
            t = totals.setdefault(k, [0, 0, 0])
            t[0] += v["tp"]
            t[1] += v["fp"]
            t[2] += v["fn"]
        core, ent = res["relations"]["core"], res["entities"]["all"]
        print(f"{doc.name}: core P={core['precision']:.2f} R={core['recall']:.2f}  "
              f"entities P={ent['precision']:.2f} R={ent['recall']:.2f}")  # fmt: skip
        if show:
            for key in ("missed_core", "spurious_core", "missed_entities", "spurious_nodes"):
                print(f"   {key}: {res[key]}")
    for k, (tp, fp, fn) in totals.items():
        m = score.prf(tp, fp, fn)
        print(f"{k:24s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}  tp={tp} fp={fp} fn={fn}")


def _key(source: str, rel: str, target: str) -> tuple[str, str, str]:
    a, b = name_key(source), name_key(target)
    if RelType(rel) in SYMMETRIC_RELATIONS and b < a:
        a, b = b, a
    return (a, rel, b)


def run_examples(pipeline: Pipeline, folder: Path, show: bool) -> None:
    """Compare with examples/expected.yaml: {file: {relations: [[source, TYPE, target], ...]}}."""
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8")) or {}
    files = expected.get("files", expected) if isinstance(expected, dict) else {}
    tp = fp = fn = 0
    for name, spec in files.items():
        rels = spec.get("relations", []) if isinstance(spec, dict) else spec
        optional = spec.get("optional", []) if isinstance(spec, dict) else []
        want = {_key(*r) for r in rels}
        maybe = {_key(*r) for r in optional}
        types = {r[1] for r in rels}
        got: set[tuple[str, str, str]] = set()
        for batch in batches_for(pipeline, folder / name):
            names = {e.id: [e.name, *e.aliases] for e in batch.entities}
            for r in batch.relations:
                if r.type.value not in types:
                    continue
                hit = None
                for s in names[r.source]:
                    for t in names[r.target]:
                        k = _key(s, r.type.value, t)
                        if k in want or k in maybe:
                            hit = k
                got.add(hit or _key(names[r.source][0], r.type.value, names[r.target][0]))
        got -= maybe - want
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if show and (got - want or want - got):
            print(f"{name}: missed {sorted(want - got)}\n   spurious {sorted(got - want)}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"examples relations P={p:.3f} R={r:.3f} F1={f:.3f}  tp={tp} fp={fp} fn={fn}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold")
    ap.add_argument("--examples", action="store_true", help="score examples/expected.yaml instead")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    pipeline = Pipeline()
    if args.examples:
        run_examples(pipeline, ROOT / "examples", args.show)
    else:
        run_gold(pipeline, args.corpus, args.gold, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
