#!/usr/bin/env bash
# Web server and a Celery worker with beat on the embedded file-system broker.
# Ctrl-C stops all of it.
set -euo pipefail
mkdir -p var/broker/queue var/broker/processed var/static
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait 2>/dev/null' INT TERM EXIT
.venv/bin/celery -A jour worker --beat --loglevel INFO --concurrency 1 \
  --schedule var/celerybeat-schedule --hostname jour-dev@%h &
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
echo
echo "jour runs at http://127.0.0.1:8000  (Ctrl-C stops the web server and the worker)"
echo
# Stop everything as soon as either process ends.
wait -n
