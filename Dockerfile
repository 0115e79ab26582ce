# Production image for jour: one image for web (gunicorn), the Celery worker,
# Celery beat and the one-shot migrate job; docker-compose.yml picks the
# command. Build with:  docker build -t jour .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/app/var/media

# Runtime libraries for WeasyPrint (Pango, HarfBuzz subsetting, fontconfig)
# plus a basic font set. No compilers: every pinned dependency ships a wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# pg_dump and pg_restore for the encrypted backups (jour.backups), of the compose stack's
# PostgreSQL major version (16): bookworm's own client is 15, which refuses a 16 server.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
        https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user. It gets its own writable home (fontconfig cache,
# gunicorn's control socket) but cannot write the code or the virtualenv.
RUN groupadd --system --gid 10001 jour \
    && useradd --system --uid 10001 --gid jour --create-home --home-dir /home/jour \
        --shell /usr/sbin/nologin jour

# Dependencies first, so this layer is reused while only the code changes.
COPY requirements/base.lock /tmp/requirements/base.lock
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --require-hashes -r /tmp/requirements/base.lock \
    && rm -rf /tmp/requirements

WORKDIR /app
COPY . /app

# Collect static files into STATIC_ROOT (served by whitenoise). The settings
# below exist only for this RUN step; they are not baked into the image.
RUN SECRET_KEY=build-only-throwaway-key-for-collectstatic-never-used-at-runtime-0000 \
    JOUR_ENV=production \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# Writable state lives under /app/var: media and beat are named volumes in
# docker-compose.yml (a new named volume copies this ownership); static stays
# read-only (owned by root) in the image.
RUN mkdir -p /app/var/static /app/var/media /app/var/beat /app/var/seal-key /app/var/seal-cert /app/var/backups \
    && chown jour:jour /app/var/media /app/var/beat /app/var/seal-key /app/var/seal-cert /app/var/backups \
    && chmod 700 /app/var/seal-key /app/var/backups

USER jour:jour

EXPOSE 8000

# Default command: the web process, with deploy/gunicorn.conf.py (the file
# `make prod-check` starts gunicorn with too).
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "jour.wsgi:application"]
