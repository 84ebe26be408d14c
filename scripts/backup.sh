#!/usr/bin/env bash
# Back up Sáu Rõ: the PostgreSQL database (pg_dump, custom format) and the private files (submitted
# outputs), into one new folder DEST/sauro-YYYYmmddTHHMMSSZ with a SHA256SUMS file.
#
#   scripts/backup.sh [DEST]          DEST defaults to ./backups
#
# Reads the application's own variables: DATABASE_URL (postgres://user:pass@host:port/name) and
# SAURO_PRIVATE_MEDIA_ROOT (default: $SAURO_VAR_DIR/private, i.e. var/private). The database is dumped
# first, then the files: a file is stored before the row naming it is committed, so every file the
# dump names is in the archive. The folder appears under its final name only once it is complete.
set -euo pipefail
cd "$(dirname "$0")/.."

dest_root=${1:-backups}
: "${DATABASE_URL:?DATABASE_URL must be set (postgres://user:password@host:port/name)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be postgres:// (SQLite: copy var/ while the application is stopped)" >&2; exit 2 ;;
esac
media=${SAURO_PRIVATE_MEDIA_ROOT:-${SAURO_VAR_DIR:-var}/private}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$dest_root/sauro-$stamp"
partial="$target.partial"
[ ! -e "$target" ] || { echo "backup.sh: $target exists already" >&2; exit 1; }
mkdir -p "$partial"
trap 'rm -rf "$partial"' ERR

pg_dump --dbname="$DATABASE_URL" --format=custom --compress=6 --no-owner --no-privileges \
  --file="$partial/database.dump"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$partial/private-files.tar.gz" .
else
  tar -czf "$partial/private-files.tar.gz" --files-from=/dev/null
fi
{
  echo "created_utc=$stamp"
  echo "pg_dump=$(pg_dump --version)"
  echo "files_from=$media"
} >"$partial/MANIFEST"
(cd "$partial" && sha256sum database.dump private-files.tar.gz MANIFEST >SHA256SUMS)
mv "$partial" "$target"
echo "$target"
