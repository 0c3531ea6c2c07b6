"""Property-based conformance: schemathesis drives every operation of the OpenAPI document.

No generated request may get a 5xx, every response must match what the document declares (status
code, content type, problem+json for errors, headers and body schema), and every check schemathesis
has passes: a request the schema allows is never refused.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from aigeo.settings import Settings
from api.app import create_app
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import API_KEY, fill
from tests.graph.factories import sample_batches

# Schemathesis collects operations at import time, so the app (and its store) must exist by then.
_DATA = Path(tempfile.mkdtemp(prefix="aigeo-schemathesis-"))
_STORE = fill(EmbeddedStore(_DATA / "graph"), sample_batches())
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
atexit.register(_STORE.close)

APP = create_app(
    Settings(store=str(_STORE.path), api_key=API_KEY, max_depth=2, max_hops=4, max_k=3, max_page_size=20),
    _STORE,
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# The same server without a key: no write endpoints, and no route that assumes one.
APP_WITHOUT_KEY = create_app(
    Settings(store=str(_STORE.path), api_key=None, max_depth=2, max_hops=4, max_k=3, max_page_size=20),
    _STORE,
)
schema_without_key = schemathesis.openapi.from_asgi("/openapi.json", APP_WITHOUT_KEY)

checks.load_all_checks()
CHECKS = checks.CHECKS.get_all()
"""`--checks all`: conformance, and also that every request the schema allows is accepted (so every
server limit is declared), that a missing key is refused, unsupported methods answered 405, ..."""
UPLOAD_CHECKS = [check for check in CHECKS if check is not checks.negative_data_rejection]
"""A multipart file part is bytes whatever its content: "an integer where a file belongs" is still a
file, so an upload cannot reject it as malformed (the readers report it as unreadable instead)."""


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_every_operation_conforms_and_never_fails(case: schemathesis.Case) -> None:
    # Where a case carries the key header, make it the right key, so the write endpoints are really
    # exercised (random uploads go through the real readers and pipeline); cases generated without
    # the header still check that it is required.
    if case.headers and "X-API-Key" in case.headers:
        case.headers["X-API-Key"] = API_KEY
    case.call_and_validate(checks=UPLOAD_CHECKS if case.media_type == "multipart/form-data" else CHECKS)


@schema_without_key.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_without_a_key_every_operation_conforms_too(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
