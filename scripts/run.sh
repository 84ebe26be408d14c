#!/usr/bin/env bash
# Start the whole system on one machine: migrate, load the demo, then web server, worker and scheduler.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
export DEBUG=${DEBUG:-1}
# No mail server on a demo machine: emails are printed in the worker's log unless one is configured.
if [ -z "${EMAIL_HOST:-}" ]; then export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}; fi
mkdir -p var/queue var/queue-processed

"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput -v 0
"$BIN/python" manage.py demo_load --reset
# One sweep as of now, so the demo shows its reminders, escalations and inspection cases at once.
"$BIN/python" manage.py run_escalations

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$BIN/celery" -A config worker --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 &
pids+=($!)
"$BIN/celery" -A config beat --loglevel=INFO --schedule var/celerybeat-schedule >var/beat.log 2>&1 &
pids+=($!)
echo "Worker log: var/worker.log — scheduler log: var/beat.log"
echo "Sáu Rõ: http://127.0.0.1:${PORT}/"
"$BIN/python" manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)
wait -n "${pids[@]}"
