# ToBeOut as a container image, built from this repository's own files:
#
#     docker build -t tobeout .
#     docker run --rm -e DATABASE_URL=postgres://... -e REDIS_URL=redis://... \
#         -e SECRET_KEY=... -e TOBEOUT_ENCRYPTION_KEY=... -e PUBLIC_BASE_URL=https://... \
#         -p 8000:8000 tobeout                       # the service
#     docker run --rm ... tobeout tobeout worker     # the worker (reminders, lifecycle, outbox)
#     docker run --rm ... tobeout tobeout db upgrade # before starting a new version
#
# It runs from an empty working directory (/srv), as any deployment does: the built-in plugins
# load from the package; mount a plugins.toml there or set TOBEOUT_PLUGINS_FILE to change them.
# Not built by CI (its machine has no Docker daemon); see docs/operations.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 TOBEOUT_ENV=production
WORKDIR /build
COPY pyproject.toml README.md ./
COPY core core
COPY api api
COPY channels channels
COPY plugins plugins
COPY migrations migrations
RUN pip install . && rm -rf /build

RUN useradd --system --home-dir /srv tobeout && mkdir -p /srv && chown tobeout /srv
USER tobeout
WORKDIR /srv
EXPOSE 8000
CMD ["tobeout", "serve", "--host", "0.0.0.0", "--port", "8000"]
