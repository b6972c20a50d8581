#!/usr/bin/env bash
# Set up and serve the synthetic Northshire partnership on http://127.0.0.1:8000.
# Safe to run again: migrations and the demo loader skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ ! -s var/demo-secret-key ]; then
  .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/demo-secret-key
fi
export SECRET_KEY="$(cat var/demo-secret-key)"
export DJANGO_SETTINGS_MODULE=config.demo_settings  # the real settings with the demo app
export DEBUG=false SAFEGUARDING_HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost
# No mail server: e-mails are kept in var/sent-email/ and shown to ada under "Sent e-mails".
export EMAIL_BACKEND=safeguarding.core.demo_outbox.OutboxBackend DEMO_OUTBOX_DIR="$PWD/var/sent-email"
PORT="${PORT:-8000}"
export SITE_URL="http://127.0.0.1:$PORT"  # the links in the e-mails it keeps
if (echo > /dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; then
  echo "Port $PORT is already in use: stop what is serving there (perhaps an earlier make demo), or run PORT=8001 make demo." >&2
  exit 1
fi
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py db_worker --queue-name '*' -v 1 > var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "E-mails the demo sends are not delivered: sign in as ada and open Sent e-mails, or read $DEMO_OUTBOX_DIR/."
echo "Task worker running (log: var/worker.log). Serving on http://127.0.0.1:$PORT/ (Ctrl+C stops both)."
.venv/bin/gunicorn config.wsgi:application --config config/gunicorn.py --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --log-level warning
