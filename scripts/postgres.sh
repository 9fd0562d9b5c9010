# Source this file: pg_start starts a throwaway PostgreSQL in a temporary directory on a free
# loopback port and exports PG_URL; pg_stop stops it and removes the directory.
# initdb refuses to run as root, so as root the server runs as the `postgres` user.
# PG_SHARED_BUFFERS sets shared_buffers (PostgreSQL's default, 128MB, unless given): the
# force-scale benches use 2GB, as a force's database server would (bench/README.md).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

_pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  PG_DIR=$(mktemp -d /tmp/bluelamp-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U bluelamp -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=${PG_SHARED_BUFFERS:-128MB}" start >/dev/null
  export PG_URL="postgres://bluelamp@127.0.0.1:$PG_PORT/bluelamp"
  _pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U bluelamp bluelamp
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT ($PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$PG_DIR"
}
