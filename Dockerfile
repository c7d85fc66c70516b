FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 VAR_DIR=/var/lib/congress
WORKDIR /app

# LibreOffice and poppler turn the generated official documents into PDF (congress/documents.py), drawn with the
# free Chinese fonts that stand in for the standard's (congress/document_templates/fonts.conf).
RUN apt-get update && apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno poppler-utils \
        fonts-arphic-ukai fonts-arphic-uming fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# Static files are collected into the image and served by WhiteNoise.
RUN SECRET_KEY=build-only STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input \
    && useradd --system --home /app congress && mkdir -p /var/lib/congress/media && chown -R congress /var/lib/congress

ENV STATIC_ROOT=/app/staticfiles
USER congress
EXPOSE 8000
CMD ["gunicorn", "congress.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
