# The aigeo API and CLI. docker-compose.yml runs it against Neo4j; alone it serves an embedded store:
#   docker build -t aigeo . && docker run --rm -p 8000:8000 -v "$PWD/aigeo-data:/var/lib/aigeo" aigeo
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIGEO_STORE=/var/lib/aigeo

WORKDIR /app

# Dependencies change less often than the code: install them in their own layer first.
COPY pyproject.toml README.md LICENSE ./
RUN mkdir -p aigeo graph loaders api \
    && touch aigeo/__init__.py graph/__init__.py loaders/__init__.py api/__init__.py \
    && pip install . \
    && pip uninstall -y aigeo

COPY aigeo ./aigeo
COPY graph ./graph
COPY loaders ./loaders
COPY api ./api
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 aigeo \
    && mkdir -p /var/lib/aigeo /data \
    && chown aigeo:aigeo /var/lib/aigeo /data

USER aigeo
EXPOSE 8000
CMD ["aigeo", "serve", "--host", "0.0.0.0", "--port", "8000"]
