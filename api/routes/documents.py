"""Documents: the stored articles, newest first, and what each one contributes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, PlainTextResponse

from api.deps import PageDep, StoreDep, in_thread
from api.errors import problem, problem_responses
from api.models import DocumentDetail, DocumentOut, DocumentPage
from api.views import document_detail

router = APIRouter(prefix="/documents", tags=["documents"], responses=problem_responses(422, 503))

DocId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        description="The document's content hash.",
        examples=["3f9a0c1d2b4e5f6a7b8c9d0e"],
    ),
]


@router.get("", response_model=DocumentPage, responses=problem_responses(400))
async def list_documents(store: StoreDep, page: PageDep) -> DocumentPage:
    """Stored documents, most recently ingested first."""
    docs = await in_thread(lambda: store.documents(offset=page.offset, limit=page.fetch))
    return DocumentPage(
        items=[DocumentOut.of(d) for d in docs[: page.page_size]],
        page=page.page,
        page_size=page.page_size,
        next_page=page.next_page(len(docs)),
    )


@router.get("/{doc_id}", response_model=DocumentDetail, responses=problem_responses(404))
async def get_document(store: StoreDep, doc_id: DocId) -> DocumentDetail:
    """One document's metadata, the entities it mentions and the relations it supports."""
    return await in_thread(lambda: document_detail(store, store.get_document(doc_id)))


@router.get(
    "/{doc_id}/text",
    response_model=None,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **problem_responses(404),
    },
)
async def get_document_text(store: StoreDep, doc_id: DocId) -> PlainTextResponse | JSONResponse:
    """The article's text as read: its id is the hash of its title and this text."""
    text = await in_thread(lambda: store.document_text(doc_id))
    if text is None:
        return problem(
            404,
            "Document text not stored",
            f"document {doc_id!r} was stored without its text; ingest the article again to keep it",
            slug="document-text-not-stored",
            doc_id=doc_id,
        )
    return PlainTextResponse(text)
