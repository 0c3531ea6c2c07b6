"""The hostile-file corpus of issue 13, generated (no binary fixtures in the repository).

`write_corpus(folder)` writes every file and returns, for each, what an ingest must do with it:
"stored" or "skipped". `write_rdf_corpus(folder)` writes RDF files that an import must refuse.
Written by a script so the corpus can be regenerated, extended and inspected:

    .venv/bin/python -m tests.fuzz.hostile /tmp/hostile    # then: aigeo ingest /tmp/hostile
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from pathlib import Path

GOOD = "Samsung Electronics invested in a new Korean chip startup, the company said on Monday.\n"
MAX_DOCUMENT_BYTES = 200_000
"""The corpus assumes this document limit (AIGEO_MAX_DOCUMENT_BYTES), so that 'too large' stays small."""
MAX_RECORDS = 10
"""And this per-file record cap (AIGEO_MAX_RECORDS_PER_FILE)."""

_BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<rss version="2.0"><channel><title>&lol6;</title><item><title>x</title>
<description>&lol6;</description></item></channel></rss>"""
_XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>Secrets</title><description>&x;</description>
</item></channel></rss>"""


def _files() -> dict[str, tuple[bytes, str]]:
    record = {"title": "Chips", "text": "Nvidia sold chips to buyers in Japan on Monday."}
    return {
        "empty.txt": (b"", "skipped"),
        "blank.txt": (b"  \n\t\n  ", "skipped"),
        "nul.txt": (b"\x00" * 200, "skipped"),
        "controls.txt": (bytes(range(1, 32)) * 20, "skipped"),
        "utf16-without-bom.txt": ("Nvidia sold chips to buyers.".encode("utf-16-le"), "skipped"),
        "broken-after-bom.txt": (codecs.BOM_UTF16_LE + b"\x00\xd8", "skipped"),
        "too-large.txt": (b"word " * (MAX_DOCUMENT_BYTES // 4), "skipped"),
        "one-word.txt": (b"Nvidia", "skipped"),
        "punctuation.txt": (b"!!! ??? ... ;;; " * 50, "stored"),
        "windows-1252.txt": (
            "Café owners in Paris said Nvidia sold more chips this year.".encode("cp1252"),
            "stored",
        ),
        "bidi-and-zero-width.txt": (
            "Nvidia\u202e sold\u200b chips\u2066 to buyers in Japan.".encode(),
            "stored",
        ),
        "word-without-spaces.txt": (b"Nvidia sold chips to buyers in Japan. " + b"x" * 20_000, "stored"),
        "deep.html": (b"<html><body>" + b"<div>" * 10_000 + GOOD.encode() + b"</div>" * 10_000, "stored"),
        "script-only.html": (b"<html><body><script>alert(1)</script></body></html>", "skipped"),
        "two-bodies.html": (b"<html><body></body><body>" + GOOD.encode() + b"</body></html>", "stored"),
        "char-refs.html": (b"<p>&#xD800; &#0; &#x110000; " + GOOD.encode() + b"</p>", "stored"),
        "binary.htm": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "skipped"),
        "broken-front-matter.md": (b"---\n: : [\n---\n" + GOOD.encode(), "stored"),
        "markup-only.md": (b"![](a.png) ![](b.png)\n\n---\n", "skipped"),
        "surrogate.json": (
            json.dumps({"text": "Tencent invested in Zhipu AI \ud800 on Monday."}).encode(),
            "stored",
        ),
        "scalar.json": (b"42", "skipped"),
        "nested.json": (b"[" * 100_000 + b"]" * 100_000, "skipped"),
        "truncated.json": (b'{"text": "Nvidia sold', "skipped"),
        "records.json": (json.dumps([record] * (MAX_RECORDS + 20)).encode(), "stored"),
        "no-text-records.json": (json.dumps([{"id": i} for i in range(5)]).encode(), "skipped"),
        "broken-lines.jsonl": (b'{"text": "' + GOOD.strip().encode() + b'"}\n{oops\n[1, 2]\n', "stored"),
        "billion-laughs.xml": (_BILLION_LAUGHS, "skipped"),
        "xxe.rss": (_XXE, "skipped"),
        "not-a-feed.xml": (b"<?xml version='1.0'?><svg><text>hello</text></svg>", "skipped"),
        "no-entries.atom": (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>', "skipped"),
        "photo.png": (b"\x89PNG\r\n\x1a\n", "skipped"),
        "no-extension": (GOOD.encode(), "skipped"),
        "new\nline in name.txt": (GOOD.replace("Monday", "Tuesday").encode(), "stored"),
        "zz-good.txt": (GOOD.replace("Monday", "Friday").encode(), "stored"),
    }


def write_corpus(folder: Path) -> dict[str, str]:
    """Write the hostile files (and links and odd entries) into `folder`; return name -> expected outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    for name, (data, outcome) in _files().items():
        (folder / name).write_bytes(data)
        expected[name] = outcome
    (folder / "folder.txt").mkdir(exist_ok=True)  # a directory that looks like a file: walked, empty
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    expected["passwd.txt"] = "skipped"
    (folder / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "no-such-file")
    expected["dangling.txt"] = "skipped"
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.txt")  # reading it would block forever
        expected["fifo.txt"] = "skipped"
    return expected


_RDF_NOTE = (
    "@prefix aigeo: <https://aigeo.dev/ontology#> .\n"
    '<https://aigeo.dev/id/company/x> a aigeo:Company ; aigeo:name "{name}" .\n'
    '<https://aigeo.dev/id/document/d> a aigeo:Document ; aigeo:source "s" ;\n'
    "    aigeo:mentions <https://aigeo.dev/id/company/x> .\n"
)


def write_rdf_corpus(folder: Path) -> list[str]:
    """Write RDF files an import must refuse with one line; return their names."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "collection.ttl": b"<http://x.org/a> <http://x.org/b> (" + b"1 " * 200_000 + b") .",
        "nested.jsonld": b'{"@id": "http://x.org/a", "http://x.org/p": ' * 20_000 + b"{}" + b"}" * 20_000,
        "nested.ttl": b"<http://x.org/a> <http://x.org/b> " + b"[ <http://x.org/p> " * 5_000 + b"1"
        + b" ]" * 5_000 + b" .",
        "remote-context.jsonld": b'{"@context": "https://example.org/ctx.jsonld", "@id": "http://x.org/a"}',
        "surrogate.ttl": _RDF_NOTE.replace("{name}", "X \\uD800").encode(),
        "nul-name.ttl": _RDF_NOTE.replace("{name}", "X\\u0000Y").encode(),
        "megabyte-name.ttl": _RDF_NOTE.replace("{name}", "M" * 1_100_000).encode(),
        "ill-typed.ttl": _RDF_NOTE.replace(
            'aigeo:source "s"', 'aigeo:source "s" ; aigeo:wordCount "many"^^<http://www.w3.org/2001/XMLSchema#integer>'
        ).encode(),
        "garbage.nt": bytes(range(256)) * 10,
    }  # fmt: skip
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return list(files)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    outcomes = write_corpus(target / "ingest")
    refused = write_rdf_corpus(target / "rdf")
    print(f"{len(outcomes)} files in {target / 'ingest'}, {len(refused)} RDF files in {target / 'rdf'}")
