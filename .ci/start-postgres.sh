#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from Debian's packages on loopback and prints its URL.
# Usage: eval "$(bash .ci/start-postgres.sh)"   → exports TEST_DATABASE_URL
set -euo pipefail
PORT="${PGPORT_TEST:-55432}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ]; then
  echo "PostgreSQL server binaries not found; install the 'postgresql' package" >&2
  exit 1
fi
DIR="$(mktemp -d /tmp/sparring-pg.XXXXXX)"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  # PostgreSQL refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --home "$DIR" postgres
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres sparring_test
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/sparring_test"
echo "export SPARRING_TEST_PG_DIR=$DIR"
