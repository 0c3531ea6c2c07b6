"""Copies of one story found at ingest (issue 11): fingerprints on real articles, and a lookup that
never scans the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graph import stories
from graph.stores import embedded_sql as sql
from graph.stores.embedded import DB_FILE, EmbeddedStore
from loaders.clean import clean_text
from loaders.readers import read_file


def _text(path: Path) -> str:
    return clean_text(read_file(path, 5_000_000).documents[0].text).text


def test_lightly_edited_copies_are_one_story_and_articles_on_one_subject_are_not(examples_dir: Path) -> None:
    original = _text(examples_dir / "01_us_chip_controls_2022.txt")
    lines = original.splitlines()
    copy = "Metro Tribune\nBy Staff | 13 October 2022\n" + "\n".join(lines[: int(len(lines) * 0.7)])
    copy = copy.replace("sweeping", "broad").replace("announced", "unveiled")
    same_subject = _text(examples_dir / "02_us_chip_rules_update_2023.md")  # the 2023 update of those rules

    fp, fp_copy, fp_other = (stories.fingerprint(t) for t in (original, copy, same_subject))
    assert fp and fp_copy and fp_other
    assert stories.similarity(fp, fp_copy) >= stories.THRESHOLD
    assert set(stories.band_keys(fp)) & set(stories.band_keys(fp_copy))
    assert stories.similarity(fp, fp_other) < stories.THRESHOLD / 2
    assert stories.best_story(fp_copy, [("doc-1", None, fp), ("doc-2", None, fp_other)]) == "doc-1"


def test_finding_a_documents_copies_uses_indexes_only(tmp_path: Path) -> None:
    # A scan would cost seconds at a million documents; index lookups cost milliseconds
    # (bench/dedup.py --scale measures it).
    EmbeddedStore(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_FILE)
    plan = conn.execute(f"EXPLAIN QUERY PLAN {sql.story_candidates(stories.BANDS)}", [0] * stories.BANDS)
    steps = [row[-1] for row in plan]
    conn.close()
    assert steps and not [s for s in steps if s.startswith("SCAN")], steps


def test_a_malformed_fingerprint_never_stops_a_document() -> None:
    assert stories.best_story(stories.fingerprint("a b c d") or "", [("d", None, "not base64!")]) is None
