#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an EMPTY files folder, then
# check the audit history (manage.py verify_audit).
#
#   createdb -O sauro sauro_restored          # an empty database, owned by the application's role
#   DATABASE_URL=postgres://sauro:…@host/sauro_restored SAURO_PRIVATE_MEDIA_ROOT=/srv/sauro/private \
#     scripts/restore.sh backups/sauro-20251003T000000Z
#
# It refuses a database that has tables or a files folder that is not empty: a restore never mixes
# with live data. The files are checked against SHA256SUMS before anything is written.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}

backup=${1:?usage: scripts/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?DATABASE_URL must name the empty database to restore into}"
media=${SAURO_PRIVATE_MEDIA_ROOT:-${SAURO_VAR_DIR:-var}/private}

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || { echo "restore.sh: $backup is damaged (SHA256SUMS)" >&2; exit 1; }

tables=$(psql "$DATABASE_URL" -X -A -t -q -v ON_ERROR_STOP=1 \
  -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: the database is not empty ($tables tables); restore into a new, empty database" >&2
  exit 2
fi
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
  echo "restore.sh: the files folder $media is not empty; restore into an empty one" >&2
  exit 2
fi

pg_restore --dbname="$DATABASE_URL" --no-owner --no-privileges --exit-on-error --single-transaction \
  "$backup/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$backup/private-files.tar.gz"

"$BIN/python" manage.py verify_audit
echo "Restored $backup."
