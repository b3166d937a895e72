#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1:54329 for the storage and HTTP tests, installing
# Debian's postgresql package when it is missing. Prints the URL for TEST_DATABASE_URL; stop it with
# `.ci/postgres.sh stop <dir>`, which also removes its data folder. The server refuses to run as root, so it runs as the postgres user then.
#
#   .ci/postgres.sh [start [PORT]]      a new server (default port 54329); prints "URL DIR"
#   .ci/postgres.sh stop DIR            stops it and removes DIR
#   .ci/postgres.sh stop-server DIR     stops it (fast shutdown: sessions are ended with 57P01), keeps DIR
#   .ci/postgres.sh kill-server DIR     kill -9 of its postmaster (a crash), keeps DIR
#   .ci/postgres.sh start-server DIR    starts it again on its port, with its data
#   .ci/postgres.sh restart DIR         stop-server, then start-server
#
# The database-outage test (services/fhir-facade/src/storage/postgres-outage.test.ts) starts a server of
# its own on another port with these, never stopping the shared one that other tests use.
set -euo pipefail
cmd=${1:-start}
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  [ "$cmd" = start ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
# The options a server was started with (port, socket folder) are kept beside its data, for start-server.
start_server() {
  local dir=$1 tries=0
  # After kill -9, the old backends notice their postmaster's death and exit; until they have, the new
  # postmaster refuses the still attached shared memory. Bounded: 20 tries, half a second apart.
  until run "$bin/pg_ctl -D $dir/data -o '$(cat "$dir/options")' -l $dir/log -w start >/dev/null 2>&1"; do
    tries=$((tries + 1))
    [ "$tries" -lt 20 ] || { echo "PostgreSQL in $dir did not start:" >&2; tail -n 5 "$dir/log" >&2; exit 1; }
    sleep 0.5
  done
}
stop_server() { run "$bin/pg_ctl -D $1/data stop -m fast >/dev/null"; }
case "$cmd" in
  stop)
    dir=$2
    stop_server "$dir"
    # The data folder (about 55 MB) is of no use once the server is stopped.
    case "$dir" in /tmp/ehds-pg.*) rm -rf "$dir" ;; esac
    ;;
  stop-server) stop_server "$2" ;;
  kill-server) kill -9 "$(head -n 1 "$2/data/postmaster.pid")" ;;
  start-server) start_server "$2" ;;
  restart) stop_server "$2" && start_server "$2" ;;
  start)
    port=${2:-54329}
    dir=$(mktemp -d /tmp/ehds-pg.XXXXXX)
    echo "-h 127.0.0.1 -p $port -k $dir" >"$dir/options"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    run "$bin/initdb -D $dir/data -A trust -U ehds >/dev/null"
    start_server "$dir"
    echo "postgres://ehds@127.0.0.1:$port/postgres $dir"
    ;;
  *) echo "usage: $0 [start [PORT]] | stop DIR | stop-server DIR | kill-server DIR | start-server DIR | restart DIR" >&2; exit 2 ;;
esac
