# A throwaway PostgreSQL server on loopback for the test suite (sourced by scripts/test and benchmarks).
# start_postgres sets PG_URL; stop_postgres removes the server and its data.

start_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d /tmp/minyi-pg.XXXXXX)
  PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  local as_user=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    as_user=(runuser -u postgres --)
  fi
  "${as_user[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U minyi -A trust --no-sync -E UTF8 >/dev/null
  "${as_user[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" >/dev/null
  "${as_user[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U minyi minyi_test
  PG_URL="postgresql://minyi@127.0.0.1:$PG_PORT/minyi_test"
  PG_BINDIR=$bindir
  PG_AS_USER=("${as_user[@]}")
  export PG_URL
  echo "PostgreSQL on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    "${PG_AS_USER[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
