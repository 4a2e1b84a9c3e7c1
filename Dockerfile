FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and fonts; the rest is the Python package.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_MEDIA_ROOT=/data/media DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app
COPY pyproject.toml README.md ./
COPY tilskudd ./tilskudd
COPY applications ./applications
COPY assessment ./assessment
COPY reporting ./reporting
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --create-home tilskudd && mkdir -p /data/media && chown -R tilskudd /data
USER tilskudd
EXPOSE 8000
CMD ["gunicorn", "tilskudd.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
