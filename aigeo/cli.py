"""The `aigeo` command: ingest news into the graph, query it, export it, serve it.

Every command takes `--store` (env `AIGEO_STORE`): a directory is the embedded store, a bolt:// or
neo4j:// URI is Neo4j. Errors print one line and exit non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from aigeo import __version__
from aigeo.settings import Settings, get_settings
from graph.errors import AigeoError, BadQuery, DocumentNotFound, StoreUnavailable
from graph.export.formats import FORMATS, ExportFormat, ambiguous_formats, format_for_path
from graph.model import Document, NeighbourhoodQuery, PathQuery, Relation
from graph.schema import Direction, RelType
from graph.store import GraphStore, resolve_entity

app = typer.Typer(
    name="aigeo",
    help="A knowledge graph of AI-geopolitics actors built from news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# In a pipe rich would wrap tables at 80 columns; a script wants whole lines.
out = Console(width=None if sys.stdout.isatty() else 10_000)
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        envvar="AIGEO_STORE",
        help="Data directory (embedded store) or bolt:// / neo4j:// URI. Default: ./aigeo-data",
        show_default=False,
    ),
]


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table (for scripts).")]

RelTypesOpt = Annotated[
    list[RelType] | None, typer.Option("--type", "-t", help="Relation types to follow; repeatable.")
]


def friendly_errors(func: F) -> F:
    """Turn aigeo's own errors into one red line and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AigeoError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]: every document written before this stays stored")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def check_limit(option: str, value: int, setting: str, maximum: int) -> None:
    """The API's limits hold on the command line too: one setting governs both."""
    if value > maximum:
        raise BadQuery(f"{option} {value}: the most is {maximum} (setting AIGEO_{setting.upper()})")


def _print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _settings(store: str | None) -> Settings:
    base = get_settings()
    return base.model_copy(update={"store": store}) if store else base


def require_store(spec: str) -> None:
    """Refuse to read a store that does not exist: opening it would create an empty one and show zeros."""
    from aigeo.settings import is_neo4j_uri
    from graph.stores.embedded import DB_FILE

    if is_neo4j_uri(spec) or "://" in spec:
        return  # a server either answers or fails with its own one line
    db = Path(spec).expanduser() / DB_FILE
    if not db.is_file():
        raise StoreUnavailable(
            f"no graph at {db.parent.resolve()} (looked for {DB_FILE}); make one with "
            f"`aigeo ingest PATH... --store {spec}`, or point --store / AIGEO_STORE at an existing one"
        )


@contextmanager
def opened(store: str | None, create: bool = False) -> Iterator[tuple[GraphStore, Settings]]:
    """The store named by `--store` (else the settings); only `create=True` may make a new one."""
    from graph.stores import open_store

    settings = _settings(store)
    if not create:
        require_store(settings.store)
    # Every command answers and exits: traversals read SQLite's indexes, no in-memory graph is built.
    handle = open_store(settings.store, settings.store_config(one_shot=True))
    try:
        yield handle, settings
    finally:
        handle.close()


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"aigeo {__version__}")
        raise typer.Exit()


@app.command()
@friendly_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (searched recursively).")],
    store: StoreOpt = None,
    force: Annotated[bool, typer.Option(help="Re-extract documents already stored.")] = False,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use (an installed package).")] = None,
    registry: Annotated[
        list[Path] | None, typer.Option(help="Extra actor registry file (YAML or CSV); repeatable.")
    ] = None,
    follow_symlinks: Annotated[
        bool, typer.Option(help="Read files that symbolic links lead to outside the paths given.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Processes that parse and extract, each loading the model once; one process writes. "
            "Default: AIGEO_INGEST_WORKERS, else 1.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read news files (.txt .md .html .json .jsonl RSS/Atom) into the graph."""
    from loaders.ingest import Ingestor, Outcome, check_paths, pipeline_factory
    from loaders.readers import discover, read_file

    check_paths(paths)
    files = list(discover(paths, follow_symlinks=follow_symlinks))
    roots = None if follow_symlinks else paths
    with opened(store, create=True) as (graph, settings):
        make = pipeline_factory(model or settings.spacy_model, [*settings.registry_files, *(registry or [])])
        ingestor = Ingestor(
            graph,
            make,
            max_bytes=settings.max_document_bytes,
            max_records=settings.max_records_per_file,
            min_words=settings.min_article_words,
            force=force,
            workers=workers or settings.ingest_workers,
        )
        progress = _progress_bar()
        with progress:
            task = progress.add_task("ingesting", total=len(files))
            # Without a terminal the bar is off: a line now and then says the run is alive.
            ticker = _Ticker(len(files), enabled=not err.is_terminal)

            def reads() -> Iterator[tuple[str, Any]]:
                for f in files:
                    progress.update(task, description=f"ingesting [cyan]{f.name}[/]")
                    yield str(f), read_file(f, settings.max_document_bytes, roots=roots)
                    progress.advance(task)
                    ticker.files += 1

            def show(outcome: Outcome) -> None:
                ticker.saw(outcome.status)
                if outcome.status in ("skipped", "failed"):
                    progress.console.print(
                        f"[yellow]{outcome.status}[/] {outcome.source}: {outcome.reason}",
                        highlight=False,
                        soft_wrap=True,  # one line per problem, whole paths: easy to grep
                    )

            report = ingestor.ingest_reads(reads(), show)
        stats = graph.stats()

    table = Table(title="Ingest summary", title_justify="left")
    for col in ("added", "replaced", "unchanged", "skipped", "failed"):
        table.add_column(col, justify="right")
    counts = report.counts
    table.add_row(*(str(counts.get(c, 0)) for c in ("added", "replaced", "unchanged", "skipped", "failed")))
    out.print(table)
    rate = f", {report.words / report.seconds:,.0f} words/s" if report.words and report.seconds else ""
    out.print(
        f"{len(report.outcomes)} documents in {report.seconds:.1f}s{rate}. Graph now: "
        f"{stats.entities} entities, {stats.relations} relations, {stats.documents} documents "
        f"in [bold]{settings.store}[/]",
        highlight=False,
        soft_wrap=True,
    )
    if counts.get("failed"):
        raise typer.Exit(1)


@app.command()
@friendly_errors
def remove(
    doc: Annotated[
        str,
        typer.Argument(
            help="Path or id: a document id (or a unique prefix of one), the path or URL it was ingested "
            "from (any spelling of the path), or a feed/JSON file (all of its entries)."
        ),
    ],
    store: StoreOpt = None,
) -> None:
    """Retract a document: its evidence goes, and whatever it alone supported."""
    with opened(store) as (graph, _):
        doc_ids = documents_named(graph, doc)
        before = graph.stats()
        for doc_id in doc_ids:
            graph.retract(doc_id)
        after = graph.stats()
    what = f"document {doc_ids[0]}" if len(doc_ids) == 1 else f"{len(doc_ids)} documents"
    out.print(
        f"removed {what}: {before.entities - after.entities} entities and "
        f"{before.relations - after.relations} relations went with it",
        highlight=False,
    )


def _path_spellings(text: str) -> set[str]:
    """Every way a local path may have been stored: as typed, normalised, absolute, symlinks resolved."""
    if "://" in text:
        return {text}
    path = Path(text).expanduser()
    spellings = {text, str(path), os.path.normpath(path), os.path.abspath(path)}
    try:
        spellings.add(str(path.resolve()))
    except OSError:
        pass
    return spellings


MIN_ID_PREFIX = 6
"""Shortest id prefix `remove` accepts: shorter ones match too much to be meant."""


def documents_named(graph: GraphStore, text: str) -> list[str]:
    """Ids of the stored documents `text` names: an id, a unique id prefix, a stored path in any
    spelling or URL, or a file that held several records (a feed: all of its entries).

    Raises `DocumentNotFound` ("path or id") when none matches, `AigeoError` for an ambiguous prefix.
    """
    if graph.has_document(text):
        return [text]
    wanted = _path_spellings(text)
    by_path: list[str] = []
    by_prefix: list[str] = []
    for d in graph.iter_documents():
        # A record of a feed or JSON file is stored as "<file>#<n>".
        file_part = d.source.rpartition("#")[0] if "#" in d.source else d.source
        if (
            d.source in wanted
            or d.url == text
            or ("://" not in d.source and wanted & _path_spellings(file_part))
        ):
            by_path.append(d.id)
        elif len(text) >= MIN_ID_PREFIX and d.id.startswith(text.lower()):
            by_prefix.append(d.id)
    if by_path:
        return by_path
    if len(by_prefix) > 1:
        raise AigeoError(f"{text!r} begins the ids of {len(by_prefix)} documents; give more of the id")
    if by_prefix:
        return by_prefix
    raise DocumentNotFound(text, kind="path or id")


@app.command()
@friendly_errors
def documents(
    store: StoreOpt = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List stored documents, latest published first (undated ones last)."""
    import heapq

    with opened(store) as (graph, _):
        docs = heapq.nsmallest(limit, graph.iter_documents(), key=_publication_order)
    if as_json:
        _print_json([d.model_dump(mode="json", exclude={"fingerprint"}) for d in docs])
        return
    table = Table("id", "title", "published", "source", title=f"{len(docs)} documents", title_justify="left")
    for d in docs:
        table.add_row(d.id, d.title or "", d.published.date().isoformat() if d.published else "", d.source)
    out.print(table)


def _publication_order(doc: Document) -> tuple[int, float]:
    if doc.published is None:
        return (1, 0.0)
    moment = doc.published if doc.published.tzinfo else doc.published.replace(tzinfo=UTC)
    return (0, -moment.timestamp())


@app.command()
@friendly_errors
def export(
    format: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="Default: from the --output file's extension, else graphml."),
    ] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="File to write, or - for stdout.")] = "-",
    store: StoreOpt = None,
    with_documents: Annotated[
        bool, typer.Option("--documents", help="GraphML: also Document nodes and their MENTIONS edges.")
    ] = False,
) -> None:
    """Export the whole graph (GraphML for Neo4j APOC / Gephi / networkx, RDF, or Cytoscape JSON)."""
    fmt = export_format(format, output)
    if with_documents and fmt is not ExportFormat.GRAPHML:
        raise AigeoError(f"--documents is for GraphML; RDF always carries documents, {fmt.value} never does")
    with opened(store) as (graph, settings):
        with _output(output) as sink:
            if with_documents:
                from graph.export.graphml import export_store as graphml_with_documents

                nodes, edges = graphml_with_documents(graph, sink, with_documents=True)
            else:
                nodes, edges = FORMATS[fmt].write_store(graph, sink, settings.rdf_base)
    if output != "-":
        err.print(f"wrote {nodes} nodes and {edges} edges to {output} ({fmt.value})", highlight=False)


def export_format(asked: ExportFormat | None, output: str) -> ExportFormat:
    """The format to write: the one asked for, else the one the file's extension names, else GraphML.

    An extension that names another format than the one asked for is an error, not a surprise.
    """
    implied = format_for_path(output) if output != "-" else None
    either = ambiguous_formats(output) if output != "-" else ()
    if asked is None and either:
        names = " or ".join(f"--format {f.value}" for f in either)
        raise AigeoError(f"--output {output}: that ending is written by more than one format; add {names}")
    if asked is not None and implied is not None and implied is not asked:
        raise AigeoError(
            f"--output {output} names {implied.value} by its extension but --format is {asked.value}; "
            f"change one (a .{FORMATS[asked].extensions[0]} file for {asked.value})"
        )
    return asked or implied or ExportFormat.GRAPHML


@contextmanager
def _output(target: str) -> Iterator[BinaryIO]:
    if target == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    if path.is_dir():
        raise AigeoError(f"--output {target}: is a directory; name a file")
    if not path.parent.exists():
        raise AigeoError(f"--output {target}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.part")
    try:
        with tmp.open("wb") as fh:
            yield fh
        tmp.replace(path)  # a reader never sees half a file
    finally:
        tmp.unlink(missing_ok=True)


@app.command(name="import")
@friendly_errors
def import_(
    file: Annotated[Path, typer.Argument(help="RDF file (Turtle, N-Triples, JSON-LD) in aigeo's ontology.")],
    store: StoreOpt = None,
    without_text: Annotated[
        bool,
        typer.Option(
            "--without-text",
            help="Accept documents that carry no text (exports of stores that kept none): their ids and "
            "evidence cannot be checked.",
        ),
    ] = False,
) -> None:
    """Import RDF that follows the aigeo ontology (as `export --format turtle` writes it)."""
    from graph.rdf.importer import import_rdf

    with opened(store, create=True) as (graph, settings):
        report = import_rdf(
            file,
            None,
            graph,
            settings.rdf_base,
            max_bytes=settings.max_rdf_bytes,
            max_triples=settings.max_rdf_triples,
            without_text=without_text,
        )
    table = Table("", "count", title=f"Imported {file} ({report.format})", title_justify="left")
    for label, value in (
        ("triples read", report.triples),
        ("documents", report.documents),
        ("  added", report.added),
        ("  replaced", report.replaced),
        ("  unchanged", report.unchanged),
        ("entities", report.entities),
        ("relations", report.relations),
        ("evidence sentences", report.evidence),
        ("triples outside the ontology (ignored)", report.ignored_triples),
    ):
        table.add_row(label, str(value))
    out.print(table)
    if report.skipped_entities:
        err.print(
            f"[yellow]{len(report.skipped_entities)} entities skipped[/]: no document in the file mentions "
            f"them ({', '.join(report.skipped_entities[:10])})",
            highlight=False,
        )


@app.command()
@friendly_errors
def stats(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of entities, relations and documents, by type."""
    with opened(store) as (graph, settings):
        s = graph.stats()
    if as_json:
        _print_json(s.model_dump(mode="json"))
        return
    table = Table("", "count", title=f"Graph in {settings.store}", title_justify="left")
    table.add_row("[bold]documents", str(s.documents))
    table.add_row("[bold]entities", str(s.entities))
    for name, n in sorted(s.entities_by_type.items()):
        table.add_row(f"  {name}", str(n))
    table.add_row("[bold]relations", str(s.relations))
    for name, n in sorted(s.relations_by_type.items()):
        table.add_row(f"  {name}", str(n))
    table.add_row("[bold]evidence sentences", str(s.evidence))
    out.print(table)


def _relation_table(title: str, relations: list[Relation], names: dict[str, str]) -> Table:
    table = Table("source", "relation", "target", "weight", "evidence", title=title, title_justify="left")
    for r in relations:
        first = r.evidence[0].sentence if r.evidence else ""
        mark = " (hedged)" if r.hedged else ""
        table.add_row(
            names.get(r.source, r.source),
            f"{r.type.value}{mark}",
            names.get(r.target, r.target),
            str(r.weight),
            first if len(first) < 160 else first[:157] + "...",
        )
    return table


@app.command()
@friendly_errors
def neighbours(
    name: Annotated[str, typer.Argument(help="Entity id, name or alias.")],
    depth: Annotated[int, typer.Option(min=1, help="Hops from the entity, at most AIGEO_MAX_DEPTH.")] = 1,
    rel: RelTypesOpt = None,
    direction: Annotated[Direction, typer.Option()] = Direction.BOTH,
    limit: Annotated[int, typer.Option(min=1)] = 200,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show an entity's neighbourhood: who it is connected to, and by what."""
    check_limit("--depth", depth, "max_depth", _settings(store).max_depth)
    with opened(store) as (graph, _):
        centre = resolve_entity(graph, name)
        query = NeighbourhoodQuery(
            entity_id=centre.id, depth=depth, rel_types=rel, direction=direction, limit=limit
        )
        sub = graph.neighbourhood(query)
    if as_json:
        _print_json(sub.model_dump(mode="json"))
        return
    names = {n.id: n.name for n in sub.nodes}
    out.print(f"[bold]{centre.name}[/] ({centre.type.value}, {centre.id}): {len(sub.nodes) - 1} neighbours")
    out.print(_relation_table(f"relations within {depth} hop(s)", sub.edges, names))


@app.command()
@friendly_errors
def path(
    source: Annotated[str, typer.Argument(help="Start entity: id, name or alias.")],
    target: Annotated[str, typer.Argument(help="End entity: id, name or alias.")],
    max_hops: Annotated[int, typer.Option(min=1, help="At most AIGEO_MAX_HOPS.")] = 4,
    all_shortest: Annotated[bool, typer.Option("--all", help="Every shortest path, not just one.")] = False,
    rel: RelTypesOpt = None,
    direction: Annotated[Direction, typer.Option()] = Direction.BOTH,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Find how two actors are connected, hop by hop, with the evidence for each hop."""
    check_limit("--max-hops", max_hops, "max_hops", _settings(store).max_hops)
    with opened(store) as (graph, _):
        a, b = resolve_entity(graph, source), resolve_entity(graph, target)
        found = graph.paths(
            PathQuery(
                source_id=a.id,
                target_id=b.id,
                mode="all_shortest" if all_shortest else "shortest",
                max_hops=max_hops,
                rel_types=rel,
                direction=direction,
            )
        )
    if as_json:
        _print_json([p.model_dump(mode="json") for p in found])
        return
    for i, p in enumerate(found, 1):
        names = {n.id: n.name for n in p.nodes}
        chain = " → ".join(n.name for n in p.nodes)
        out.print(_relation_table(f"path {i} ({p.hops} hops): {chain}", p.edges, names))


@app.command()
@friendly_errors
def sync(
    source: Annotated[str, typer.Option("--from", help="Store to copy from (usually the data directory).")],
    target: Annotated[str, typer.Option("--to", help="Store to copy into (usually bolt://host:7687).")],
    prune: Annotated[
        bool, typer.Option(help="Also retract documents the target holds and the source does not.")
    ] = False,
) -> None:
    """Copy a graph into another store, e.g. from the embedded store into Neo4j (idempotent)."""
    from aigeo.settings import is_neo4j_uri
    from graph.sync import copy_graph

    if not is_neo4j_uri(source) and not Path(source).expanduser().is_dir():
        # Opening a missing directory would create an empty store and "copy" nothing.
        raise AigeoError(f"--from {source}: no such data directory")
    require_store(source)
    progress = _progress_bar()
    with opened(source) as (src, _), opened(target, create=True) as (dst, _), progress:
        task = progress.add_task("copying documents", total=None)

        def step(_: object, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = copy_graph(src, dst, progress=step, prune=prune)
    out.print(
        f"{report.added} added, {report.replaced} replaced, {report.unchanged} unchanged, "
        f"{report.retracted} retracted in {report.seconds:.1f}s",
        highlight=False,
    )


PROGRESS_EVERY = 10.0
"""Seconds between progress lines on stderr when it is no terminal (a pipe, a log file)."""


class _Ticker:
    """Progress as a plain line on stderr every `PROGRESS_EVERY` seconds."""

    def __init__(self, total: int, enabled: bool) -> None:
        import time

        self._clock = time.monotonic
        self.total, self.enabled = total, enabled
        self.files = 0
        self.counts: dict[str, int] = {}
        self._last = self._clock()

    def saw(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        if self.enabled and self._clock() - self._last >= PROGRESS_EVERY:
            self._last = self._clock()
            done = ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items()))
            err.print(f"ingest: {self.files}/{self.total} files read; documents: {done}", highlight=False)


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command()
@friendly_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes.")] = 1,
    store: StoreOpt = None,
) -> None:
    """Serve the REST API (FastAPI under uvicorn) over the store."""
    import uvicorn

    settings = _settings(store)
    with opened(settings.store):  # fail here, with one line, rather than inside a worker
        pass
    os.environ["AIGEO_STORE"] = settings.store  # workers build their own settings from the environment
    get_settings.cache_clear()
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    out.print(
        f"aigeo API on [bold]http://{shown}:{port}[/] over {settings.store}\n"
        f"  interactive docs: http://{shown}:{port}/docs   stats: http://{shown}:{port}/stats",
        highlight=False,
        soft_wrap=True,
    )
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # Without it a download to a client that stopped reading would hold the shutdown forever.
        timeout_graceful_shutdown=settings.shutdown_timeout,
    )


if __name__ == "__main__":
    app()
