#!/bin/sh
# First start: initdb with POSTGRES_USER as superuser (password auth over TCP when POSTGRES_PASSWORD is
# set, trust otherwise) and POSTGRES_DB created in single-user mode; then run the server in the foreground.
set -eu
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    pw="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pw"
    initdb -D "$PGDATA" -U "$user" --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pw"
  else
    initdb -D "$PGDATA" -U "$user" --auth=trust >/dev/null
  fi
  echo "host all all 0.0.0.0/0 $([ -n "${POSTGRES_PASSWORD:-}" ] && echo scram-sha-256 || echo trust)" >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\" OWNER \"$user\";" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
fi
exec postgres -D "$PGDATA" -p "$PGPORT" -c listen_addresses="${PGLISTEN:-*}" -k /tmp "$@"
