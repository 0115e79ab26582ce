#!/usr/bin/env bash
# Web server and a Celery worker with beat on the embedded file-system broker.
# Ctrl-C stops all of it.
set -euo pipefail
mkdir -p var/broker/queue var/broker/processed var/broker/control var/static

stop() {
  trap - INT TERM HUP EXIT
  # A cold shutdown (QUIT) for the worker: unfinished tasks are not acknowledged
  # (acks_late) and run again at the next start, and it cannot linger.
  kill -QUIT "$worker" 2>/dev/null || true
  kill -TERM "$web" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM HUP EXIT

.venv/bin/celery -A jour worker --beat --loglevel INFO --concurrency 1 \
  --schedule var/celerybeat-schedule --hostname jour-dev@%h &
worker=$!
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
web=$!
echo
echo "jour runs at http://127.0.0.1:8000  (Ctrl-C stops the web server and the worker)"
echo
# Stop everything as soon as either process ends.
wait -n
