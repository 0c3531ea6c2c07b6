"""Writes: upload documents to ingest, retract a document. Mounted only when an API key is set.

Uploads go through the same `Ingestor` as `aigeo ingest` (read, extract, one atomic upsert per
document, skip-and-report), so a file behaves the same whichever way it arrives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Request, Response, UploadFile
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from aigeo.settings import Settings
from api.deps import API_KEY_HEADER, ExtractorDep, SettingsDep, StoreDep, check_api_key, require_api_key
from api.errors import UploadTooLarge, problem_responses
from api.models import DocumentOutcome, FileOutcome, RetractOut, UploadOut
from loaders.ingest import Ingestor, IngestReport
from loaders.readers import ReadResult, read_bytes


class _BodyLimitRoute(APIRoute):
    """Check the key, then the declared length, before reading any of the body; then count its bytes
    as they arrive and stop at max_upload_bytes.

    FastAPI parses a form body before it runs any dependency, so `require_api_key` alone would let
    anyone without the key write a whole body to a temporary file first.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            settings: Settings = request.app.state.settings
            check_api_key(settings, request.headers.get(API_KEY_HEADER))
            maximum = settings.max_upload_bytes
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > maximum:
                raise UploadTooLarge(int(declared), maximum)
            counter = _ByteCounter(request.receive, maximum)
            try:
                return await handler(Request(request.scope, counter.receive))
            except HTTPException as exc:
                # FastAPI turns any error met while parsing the form into a 400; ours is the cause.
                if counter.over:
                    raise UploadTooLarge(counter.seen, maximum) from exc
                raise

        return limited


class _ByteCounter:
    """An ASGI `receive` that counts body bytes and refuses the message that passes the limit."""

    def __init__(self, receive: Receive, maximum: int) -> None:
        self._receive = receive
        self.maximum = maximum
        self.seen = 0
        self.over = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.maximum:
                self.over = True
                raise UploadTooLarge(self.seen, self.maximum)
        return message


router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_api_key)],
    route_class=_BodyLimitRoute,
    responses=problem_responses(401, 422, 503),
)


@router.post("/documents", response_model=UploadOut, responses=problem_responses(400, 413))
def upload_documents(
    store: StoreDep,
    settings: SettingsDep,
    extractors: ExtractorDep,
    files: Annotated[
        list[UploadFile],
        File(
            description="News files: .txt, .md, .html, .json, .jsonl, or RSS/Atom feeds (.xml, .rss, .atom).",
            min_length=1,  # an empty list is no upload: the schema says so, as the 422 does
        ),
    ],
) -> UploadOut:
    """Ingest uploaded news files; report what happened to each document of each file."""
    # The route class stopped the body at max_upload_bytes; the files' sum is within it too.
    total = sum(f.size or 0 for f in files)
    if total > settings.max_upload_bytes:
        raise UploadTooLarge(total, settings.max_upload_bytes)
    reads: list[tuple[str, ReadResult]] = []
    for upload in files:
        name = PurePath(upload.filename or "upload").name or "upload"  # no client-chosen directories
        reads.append((name, read_bytes(upload.file.read(), name, settings.max_document_bytes)))
    results: list[FileOutcome] = []
    counts: Counter[str] = Counter()
    with extractors.ingest_lock:
        ingestor = Ingestor(
            store,
            extractors.get,
            max_bytes=settings.max_document_bytes,
            max_records=settings.max_records_per_file,
            min_words=settings.min_article_words,
        )
        for name, read in reads:
            report = ingestor.ingest_reads([(name, read)])
            results.append(FileOutcome(file=name, documents=_outcomes(report)))
            counts.update(report.counts)
    return UploadOut(files=results, counts=dict(counts))


def _outcomes(report: IngestReport) -> list[DocumentOutcome]:
    return [
        DocumentOutcome(
            source=o.source,
            status=o.status,
            doc_id=o.doc_id,
            reason=o.reason,
            entities=o.entities,
            relations=o.relations,
        )
        for o in report.outcomes
    ]


@router.delete("/documents/{doc_id}", response_model=RetractOut, responses=problem_responses(404))
def retract_document(
    store: StoreDep,
    doc_id: Annotated[str, Path(min_length=1, max_length=200, description="The document's content hash.")],
) -> RetractOut:
    """Retract a document: its evidence goes, and whatever it alone supported."""
    store.retract(doc_id)
    return RetractOut(doc_id=doc_id)
