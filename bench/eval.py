"""Score extraction in-process against gold annotations, one document at a time.

    python bench/eval.py [--corpus DIR] [--gold DIR] [--show] [--floor core_f1=0.70 ...]
    python bench/eval.py --examples [--show]

With `--floor NAME=VALUE` (repeatable; names: core_f1, core_p, core_r, entity_f1, policy_f1,
other_f1) the run exits 1 when a figure falls below its floor: CI uses this so extraction
quality cannot slip unnoticed.

The first form mirrors `/work/shared/eval/run_eval.py` without the CLI or a store: for every gold
YAML it reads the named document, runs `Pipeline.extract`, writes a GraphML with the attributes the
scorer reads (name, aliases as a JSON list, labels ":Type", edge label) and scores it with the
shared `score.py`. The second form checks `tests/loaders/examples_expected.yaml` (relations each sample file
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
from rich.console import Console
from rich.table import Table

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


FIGURES = {
    "core_f1": ("relations.core", "f1"),
    "core_p": ("relations.core", "precision"),
    "core_r": ("relations.core", "recall"),
    "entity_f1": ("entities.all", "f1"),
    "policy_f1": ("entities.Policy", "f1"),
    "other_f1": ("relations.other", "f1"),
}
"""Floor names and the (row, measure) of the totals each one reads."""


def run_gold(pipeline: Pipeline, corpus: Path, gold: Path, show: bool) -> dict[str, dict[str, float]]:
    """Score every gold document; print per-document lines and the table by type; return the table."""
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
    table = Table(title=f"{corpus} against {gold}")
    for col in ("what", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="left" if col == "what" else "right")
    figures: dict[str, dict[str, float]] = {}
    for k, (tp, fp, fn) in totals.items():
        m = score.prf(tp, fp, fn)
        figures[k] = m
        cells = (f"{m[x]:.3f}" for x in ("precision", "recall", "f1"))
        table.add_row(k, *cells, str(tp), str(fp), str(fn))
    Console(width=100).print(table)
    return figures


def check_floors(figures: dict[str, dict[str, float]], floors: list[str]) -> list[str]:
    """The floors a run falls below, as readable lines (empty when every floor holds)."""
    failed: list[str] = []
    for spec in floors:
        name, _, value = spec.partition("=")
        if name not in FIGURES or not value:
            raise SystemExit(f"--floor {spec!r}: expected NAME=VALUE with NAME one of {', '.join(FIGURES)}")
        row, measure = FIGURES[name]
        got = figures.get(row, {}).get(measure, 0.0)
        if got < float(value):
            failed.append(f"{name} = {got:.3f} is below its floor {float(value):.3f}")
    return failed


def _canon(rel: tuple[str, str, str]) -> tuple[str, str, str]:
    s, t, o = rel
    return (min(s, o), t, max(s, o)) if RelType(t) in SYMMETRIC_RELATIONS else rel


Triple = tuple[str, str, str]


def run_examples(pipeline: Pipeline, folder: Path, expected: Path, show: bool) -> None:
    """Score the sample corpus: relations (optional ones ignored), `not` traps, entities."""
    spec = yaml.safe_load(expected.read_text(encoding="utf-8"))
    actors: dict[str, set[str]] = {
        name: {name_key(name), *(name_key(a) for a in info.get("aliases", []))}
        for name, info in spec["actors"].items()
    }
    totals: dict[str, list[int]] = {"rel": [0, 0, 0], "ent": [0, 0, 0], "not": [0], "policy": [0, 0]}
    for fname, fspec in spec["files"].items():
        batches = batches_for(pipeline, folder / fname)
        match, kinds = _matched(batches, actors)
        pred, hedged = _predicted(batches, match, kinds)
        want, scored, bad = _relations_scored(fspec, pred, hedged)
        tp, fp, fn = len(scored & want), len(scored - want), len(want - scored)
        _add(totals["rel"], (tp, fp, fn))
        totals["not"][0] += len(bad)
        gold_ents = set(fspec.get("entities") or [])
        allowed = gold_ents | set(fspec.get("optional_entities") or [])
        nodes = {match[i] for i, k in kinds.items() if k != "Policy"}
        e_tp, e_fp, e_fn = len(nodes & gold_ents), len(nodes - allowed), len(gold_ents - nodes)
        _add(totals["ent"], (e_tp, e_fp, e_fn))
        policies = fspec.get("policies") or []
        linked = sum(_policy_linked(pol, batches, match) for pol in policies)
        _add(totals["policy"], (linked, len(policies)))
        print(f"{fname}: relations tp={tp} fp={fp} fn={fn}  not-violations={len(bad)}  "
              f"entities tp={e_tp} fp={e_fp} fn={e_fn}  policies {linked}/{len(policies)}")  # fmt: skip
        if show:
            _show(
                {
                    "missed": want - scored,
                    "spurious": scored - want,
                    "NOT": bad,
                    "missed entities": gold_ents - nodes,
                    "spurious nodes": nodes - allowed,
                }
            )
    for label in ("rel", "ent"):
        _print_prf(label, *totals[label])
    print(f"examples not-violations={totals['not'][0]} policies={totals['policy'][0]}/{totals['policy'][1]}")


def _relations_scored(
    fspec: dict[str, Any], pred: set[Triple], hedged: dict[Triple, bool]
) -> tuple[set[Triple], set[Triple], set[Triple]]:
    """The wanted relations, the predicted ones that count (optional ones left out), and the `not`
    traps read without a hedge."""
    want = {_canon(tuple(r)) for r in fspec.get("relations") or []}
    optional = {_canon(tuple(r)) for r in (fspec.get("optional") or []) + (fspec.get("hedged") or [])}
    nots = {_canon(tuple(r)) for r in fspec.get("not") or []}
    bad = {r for r in pred & nots if not hedged.get(r)}
    return want, pred - (optional - want), bad


def _show(report: dict[str, set[Any]]) -> None:
    for label, items in report.items():
        if items:
            print(f"   {label}: {sorted(items)}")


def _add(total: list[int], counts: tuple[int, ...]) -> None:
    for i, n in enumerate(counts):
        total[i] += n


def _matched(batches: list[GraphBatch], actors: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Entity id -> the annotated actor it names (or "?name"), and entity id -> its type."""
    match: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for batch in batches:
        for e in batch.entities:
            kinds[e.id] = e.type.value
            keys = {name_key(n) for n in [e.name, *e.aliases]}
            hit = next((a for a, k in actors.items() if keys & k), None)
            match[e.id] = hit or f"?{e.name}"
    return match, kinds


def _predicted(
    batches: list[GraphBatch], match: dict[str, str], kinds: dict[str, str]
) -> tuple[set[Triple], dict[Triple, bool]]:
    """The relations between actors (not Policies), and whether every reading of each is hedged."""
    pred: set[Triple] = set()
    hedged: dict[Triple, bool] = {}
    for batch in batches:
        for r in batch.relations:
            if kinds[r.source] == "Policy" or kinds[r.target] == "Policy":
                continue
            key = _canon((match[r.source], r.type.value, match[r.target]))
            pred.add(key)
            hedged[key] = hedged.get(key, True) and r.hedged
    return pred, hedged


def _policy_linked(pol: dict[str, Any], batches: list[GraphBatch], match: dict[str, str]) -> bool:
    """Whether some Policy node links the annotated enactor and one of its targets."""
    for batch in batches:
        for pid in (e.id for e in batch.entities if e.type.value == "Policy"):
            ends = {match[r.source] for r in batch.relations if r.target == pid}
            ends |= {match[r.target] for r in batch.relations if r.source == pid}
            if pol["by"] in ends and ends & set(pol["targets"]):
                return True
    return False


def _print_prf(label: str, tp: int, fp: int, fn: int) -> None:
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"examples {label}: P={prec:.3f} R={rec:.3f} F1={f1:.3f}  tp={tp} fp={fp} fn={fn}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold")
    ap.add_argument("--examples", action="store_true", help="score examples/ against its annotation instead")
    ap.add_argument("--expected", type=Path, default=ROOT / "tests" / "loaders" / "examples_expected.yaml")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--floor", action="append", default=[], metavar="NAME=VALUE", help="fail below it")
    args = ap.parse_args()
    pipeline = Pipeline()
    if args.examples:
        run_examples(pipeline, ROOT / "examples", args.expected, args.show)
        return 0
    if not args.gold.is_dir() or not args.corpus.is_dir():
        print(f"eval: no corpus at {args.corpus} or no gold at {args.gold}", file=sys.stderr)
        return 2
    failed = check_floors(run_gold(pipeline, args.corpus, args.gold, args.show), args.floor)
    for line in failed:
        print(f"eval: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
