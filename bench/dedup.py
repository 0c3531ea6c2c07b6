"""Measure how similar copies of one story are, and how similar distinct stories are (issue 11).

    .venv/bin/python bench/dedup.py [MORE_FOLDERS...]        # similarity figures behind graph.stories
    .venv/bin/python bench/dedup.py --scale 1000000          # band lookup cost in a store of 1M docs
    .venv/bin/python bench/dedup.py --copies 17 OUT          # write 17 edited copies of each example

Copies are made from every article by the edits republishing makes (another outlet's header and
footer, a trimmed ending, words changed, a paragraph dropped, several at once); distinct pairs are all
pairs of different articles. Both are read, cleaned and fingerprinted exactly as an ingest does.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph import stories  # noqa: E402
from loaders.clean import clean_text  # noqa: E402
from loaders.readers import discover, read_file  # noqa: E402

Edit = Callable[[str, random.Random], str]


def _paragraphs(text: str) -> list[str]:
    # Cleaned text keeps one paragraph per line.
    return [p for p in text.splitlines() if p.strip()]


def new_wrapper(text: str, rng: random.Random, published: date | None = None) -> str:
    """Another outlet's masthead, byline and footer; republished within three days of the original."""
    outlet = rng.choice(["Daily Wire Desk", "Asia Business Post", "Tech Ledger", "Metro Tribune"])
    day = (published or date(2025, 3, 1)) + timedelta(days=rng.randint(0, 3))
    head = f"{outlet}\nBy Staff Reporter | {day.day} {day:%B %Y}\n\n"
    foot = (
        "\n\nSubscribe to our newsletter for the latest news.\n\n(Reporting by wire staff; editing by desk)"
    )
    return head + text + foot


def trim_end(text: str, rng: random.Random) -> str:
    """A shorter version: the first 60-80% of the words, to the end of a sentence."""
    words = text.split(" ")
    cut = round(len(words) * rng.uniform(0.6, 0.8))
    while cut < len(words) and not words[cut - 1].endswith("."):
        cut += 1
    return " ".join(words[:cut])


def change_words(text: str, rng: random.Random, share: float = 0.05) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=int(len(words) * share)):
        words[i] = rng.choice(["said", "also", "new", "major", "the", "reported"])
    return " ".join(words)


def drop_paragraph(text: str, rng: random.Random) -> str:
    paras = _paragraphs(text)
    if len(paras) > 2:
        paras.pop(rng.randrange(1, len(paras)))
    return "\n\n".join(paras)


def all_at_once(text: str, rng: random.Random, published: date | None = None) -> str:
    return new_wrapper(change_words(trim_end(text, rng), rng, 0.03), rng, published)


EDITS: dict[str, Edit] = {
    "another outlet's header and footer": new_wrapper,
    "ending trimmed to 60-80%": trim_end,
    "5% of words changed": change_words,
    "10% of words changed": lambda t, r: change_words(t, r, 0.10),
    "a paragraph dropped": drop_paragraph,
    "header+footer, trimmed, 3% words": all_at_once,
}


def articles(folders: list[Path]) -> list[tuple[str, str]]:
    found = []
    for path in discover(folders):
        for doc in read_file(path, 5_000_000).documents:
            text = clean_text(doc.text).text
            if len(text.split()) >= 80:
                found.append((doc.source, f"{doc.title or ''}\n\n{text}"))
    return found


def measure(folders: list[Path]) -> None:
    docs = articles(folders)
    fps = {src: stories.fingerprint(text) for src, text in docs}
    print(f"{len(docs)} articles of 80+ words from {', '.join(str(f) for f in folders)}")
    distinct = []
    for (a, _), (b, _) in itertools.combinations(docs, 2):
        fa, fb = fps[a], fps[b]
        if fa and fb:
            distinct.append((stories.similarity(fa, fb), a, b))
    distinct.sort(reverse=True)
    print(
        f"distinct pairs: {len(distinct)}; MinHash similarity max {distinct[0][0]:.2f}, "
        f"99th percentile {distinct[len(distinct) // 100][0]:.2f}"
    )
    for score, a, b in distinct[:3]:
        print(f"  {score:.2f}  {Path(a).name} ~ {Path(b).name}")
    rng = random.Random(11)
    lowest = 1.0
    for name, edit in EDITS.items():
        scores, hits = [], 0
        for src, text in docs:
            copy, original = stories.fingerprint(clean_text(edit(text, rng)).text), fps[src]
            if copy and original:
                scores.append(score := stories.similarity(original, copy))
                shared = set(stories.band_keys(original)) & set(stories.band_keys(copy))
                hits += bool(shared) and score >= stories.THRESHOLD
        lowest = min(lowest, min(scores))
        print(
            f"copies, {name:38}: min {min(scores):.2f}  median {statistics.median(scores):.2f}  "
            f"found (a shared band, then >= {stories.THRESHOLD}): {hits / len(scores):.0%}"
        )
    print(f"lowest copy {lowest:.2f} vs highest distinct pair {distinct[0][0]:.2f}")


def write_copies(n: int, out: Path) -> int:
    """Write `n` lightly edited copies of each sample article into `out`, as plain text."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(204)
    edits = list(EDITS.values())
    written = 0
    for path in sorted((REPO / "examples").glob("*.*")):
        doc = read_file(path, 5_000_000).documents[0]
        published = doc.published.date() if doc.published else None
        for i in range(n):
            body = f"{doc.title or ''}\n\n{doc.text}"
            edit = edits[i % len(edits)]
            if edit is new_wrapper:
                text = new_wrapper(body, rng, published)
            elif edit is all_at_once:
                text = all_at_once(body, rng, published)
            else:
                text = edit(body, rng)
            (out / f"{path.stem}_copy{i:02d}.txt").write_text(text, encoding="utf-8")
            written += 1
    return written


def scale(n: int) -> None:
    """Time the candidate lookup of one new document against `n` stored fingerprints' band keys."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "bands.sqlite3")
        conn.execute(
            "CREATE TABLE bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc))"
            " WITHOUT ROWID"
        )
        started = time.perf_counter()
        batch: list[tuple[int, int]] = []
        for doc in range(n):
            batch.extend((rng.getrandbits(64) - 2**63, doc) for _ in range(stories.BANDS))
            if len(batch) >= 200_000:
                conn.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", batch)
                batch.clear()
        conn.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", batch)
        conn.commit()
        print(
            f"{n:,} documents x {stories.BANDS} band keys written in {time.perf_counter() - started:.0f} s, "
            f"{(Path(tmp) / 'bands.sqlite3').stat().st_size / 1e6:.0f} MB"
        )
        probe = stories.fingerprint(
            "Nvidia said the new US rules would cost it billions in China sales. " * 5
        )
        assert probe is not None
        keys = stories.band_keys(probe)
        timings = []
        for _ in range(200):
            t = time.perf_counter()
            marks = ",".join("?" * len(keys))
            conn.execute(f"SELECT DISTINCT doc FROM bands WHERE key IN ({marks})", keys).fetchall()
            timings.append((time.perf_counter() - t) * 1000)
        timings.sort()
        print(
            f"lookup of one document's {len(keys)} bands: median {timings[100]:.3f} ms, "
            f"p99 {timings[198]:.3f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--scale", type=int, help="time the lookup in a band index of this many documents")
    parser.add_argument("--copies", type=int, help="write this many edited copies of each example to FOLDER")
    args = parser.parse_args()
    if args.copies:
        print(f"wrote {write_copies(args.copies, args.folders[0])} copies to {args.folders[0]}")
        return
    if args.scale:
        scale(args.scale)
        return
    measure(
        [
            REPO / "examples",
            REPO / "bench" / "trainset" / "corpus",
            REPO / "bench" / "heldout" / "corpus",
            *args.folders,
        ]
    )


if __name__ == "__main__":
    main()
