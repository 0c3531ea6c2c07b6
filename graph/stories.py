"""Copies of one story: MinHash fingerprints of a text and the LSH bands that find them without a scan.

Wire copy is republished by many outlets and lightly edited on the way; each copy is a document, but
they tell one story, and a relation's `weight` counts stories. A document's `fingerprint` is the
MinHash (datasketch) of its word shingles; a store files it under `BANDS` band keys, so a new document
meets only the documents that share a band (a handful of index lookups whatever the store's size),
and joins the story of the most similar one whose estimated Jaccard similarity reaches `THRESHOLD`.

The figures behind the choices come from `bench/dedup.py` (run it to measure them again). On 55
articles (the repository's examples and bench corpora, plus 22 news articles of the team's shared
corpus given as extra folders), lightly edited copies (another outlet's header and footer, the ending
trimmed to 60-80%, 5-10% of the words changed, a paragraph dropped, or several at once) scored 0.41
to 0.98 (medians 0.59 to 0.98), while the 1,485 pairs of distinct articles, many on one subject,
scored at most 0.16 (99th percentile 0.03). On the repository's 33 articles alone: copies 0.48 and
up, distinct pairs at most 0.03.

>>> a = fingerprint("The US Commerce Department on Friday announced sweeping restrictions on exports of "
...                 "advanced computing chips and chipmaking equipment to China, its broadest step yet.")
>>> b = fingerprint("The US Commerce Department on Friday announced sweeping restrictions on exports of "
...                 "advanced computing chips and chip-making equipment to China, its broadest step so far.")
>>> similarity(a, b) > THRESHOLD
True
>>> len(band_keys(a)) == BANDS
True
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from collections.abc import Iterable

NUM_PERM = 64
"""MinHash permutations: 64 estimate a Jaccard similarity of 0.5 within about ±0.06."""
ROWS = 3
BANDS = NUM_PERM // ROWS
"""21 bands of 3 rows: two texts become candidates with probability 1-(1-J^3)^21: 0.74 at J=0.4, 0.93
at J=0.5, 0.99 at J=0.6, but 0.08 at J=0.16 (the closest distinct articles measured) and 2e-5 at
J=0.01 (unrelated news), so a lookup among a million documents meets a few dozen candidates, which
are then checked on the whole signature."""
SHINGLE = 3
"""Words per shingle: three keeps a changed word from hiding more than three shingles."""
THRESHOLD = 0.3
"""Estimated Jaccard similarity from which two documents are copies of one story: under the lowest
lightly edited copy measured (0.41), well over the highest pair of distinct articles (0.16)."""
SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lower-cased word n-grams of a text (the whole text when it is shorter than one).

    >>> sorted(shingles("A b, c D", 3))
    [b'a b c', b'b c d']
    """
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    return {
        " ".join(words[i : i + size]).encode("utf-8", "surrogatepass") for i in range(len(words) - size + 1)
    }


def fingerprint(text: str) -> str | None:
    """The MinHash signature of a text's shingles, as compact text (None for a text without words)."""
    from datasketch import MinHash

    grams = shingles(text)
    if not grams:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch(list(grams))
    return base64.b64encode(struct.pack(f"<{NUM_PERM}I", *(int(v) for v in mh.hashvalues))).decode("ascii")


def signature(fp: str) -> tuple[int, ...]:
    """The hash values back from `fingerprint`'s text; raises ValueError on anything else."""
    raw = base64.b64decode(fp.encode("ascii"), validate=True)
    if len(raw) != 4 * NUM_PERM:
        raise ValueError(f"a fingerprint holds {NUM_PERM} values")
    return struct.unpack(f"<{NUM_PERM}I", raw)


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of the two texts' shingles: the share of equal MinHash values."""
    sa, sb = signature(a), signature(b)
    return sum(x == y for x, y in zip(sa, sb, strict=True)) / NUM_PERM


def band_keys(fp: str) -> list[int]:
    """One signed 64-bit key per band (band number and its rows hashed together), for an index."""
    values = signature(fp)
    keys = []
    for band in range(BANDS):
        rows = struct.pack(f"<H{ROWS}I", band, *values[band * ROWS : (band + 1) * ROWS])
        keys.append(int.from_bytes(hashlib.blake2b(rows, digest_size=8).digest(), "little", signed=True))
    return keys


def stored_band_keys(fp: str | None) -> list[int]:
    """The band keys a store files a document under: none for a missing or malformed fingerprint (that
    document is then a story of its own, never a reason to refuse it).

    >>> stored_band_keys(None), stored_band_keys("not a fingerprint")
    ([], [])
    """
    if fp is None:
        return []
    try:
        return band_keys(fp)
    except ValueError:
        return []


def best_story(fp: str, candidates: Iterable[tuple[str, str | None, str | None]]) -> str | None:
    """The story of the most similar candidate (doc id, story, fingerprint) at or over `THRESHOLD`.

    Ties go to the earliest story id, so the answer does not depend on the order candidates come in.
    """
    best: tuple[float, str] | None = None
    for doc_id, story, other in candidates:
        if other is None:
            continue
        try:
            score = similarity(fp, other)
        except ValueError:
            continue
        label = story or doc_id
        if score >= THRESHOLD and (best is None or (-score, label) < (-best[0], best[1])):
            best = (score, label)
    return best[1] if best else None
