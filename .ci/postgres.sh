#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1:54329 for the storage and HTTP tests, installing
# Debian's postgresql package when it is missing. Prints the URL for TEST_DATABASE_URL; stop it with
# `.ci/postgres.sh stop <dir>`, which also removes its data folder. The server refuses to run as root, so it runs as the postgres user then.
set -euo pipefail
PORT=54329
if [ "${1:-}" = "stop" ]; then
  dir=$2
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)/pg_ctl -D $dir/data stop -m fast" >/dev/null; else pg_ctl -D "$dir/data" stop -m fast >/dev/null; fi
  # The data folder (about 55 MB) is of no use once the server is stopped.
  case "$dir" in /tmp/ehds-pg.*) rm -rf "$dir" ;; esac
  exit 0
fi
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
dir=$(mktemp -d /tmp/ehds-pg.XXXXXX)
run() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
run "$bin/initdb -D $dir/data -A trust -U ehds >/dev/null && $bin/pg_ctl -D $dir/data -o '-h 127.0.0.1 -p $PORT -k $dir' -l $dir/log -w start >/dev/null"
echo "postgres://ehds@127.0.0.1:$PORT/postgres $dir"
