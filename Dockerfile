# The one image for web, worker and beat (see docker-compose.yml).

# axe-core, the accessibility rule of the newsletter's pre-send check, from the lock file.
FROM node:20-slim AS axe
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media

# Every pinned package ships a manylinux wheel (psycopg-binary bundles libpq,
# Pillow its image libraries), so the slim image needs no compiler.
# WeasyPrint (the demo's tagged PDFs) needs Pango and a font at run time;
# the pre-send check runs axe-core in Debian's Chromium (never a downloaded browser).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 1000 wagtail \
    && mkdir -p /app/var/media \
    && chown -R wagtail:wagtail /app
COPY --chown=wagtail:wagtail . .
COPY --from=axe --chown=wagtail:wagtail /build/node_modules /app/node_modules
USER wagtail

# Static files are part of the image: whitenoise serves them from var/static
# with the manifest that collectstatic writes. The key only lets settings load.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput --clear

# gunicorn.conf.py: cms.wsgi on port 8000, 3 workers, an access log with personal-link tokens masked.
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
