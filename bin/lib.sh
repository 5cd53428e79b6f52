# shellcheck shell=bash
# Shared settings and helpers for the project's scripts (bin/stack).
# Everything the stack writes lives under .local/ (git-ignored).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${ODTH_LOCAL_DIR:-$ROOT/.local}"
RUN="$LOCAL/run"          # pid files, sockets, logs
CACHE="$LOCAL/cache"      # downloads kept between runs (Solr jars)
VENV="$ROOT/.venv"
CKAN="$VENV/bin/ckan"
CKAN_INI="$LOCAL/ckan.ini"

# Ports are configurable so the stack can live beside other services.
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
SOLR_PORT="${SOLR_PORT:-8983}"
WEB_PORT="${WEB_PORT:-5000}"
HOST=127.0.0.1

PG_VERSION=15
PGBIN="/usr/lib/postgresql/$PG_VERSION/bin"
PGDATA="$LOCAL/pgdata"
DB_PASSWORD="${ODTH_DB_PASSWORD:-pass}"

SOLR_VERSION=9.8.1
SOLR_JARS="$CACHE/solr-jars-$SOLR_VERSION"
SOLR_HOME="$LOCAL/solr"

SYSADMIN_NAME="${ODTH_SYSADMIN:-admin}"
SYSADMIN_PASSWORD="${ODTH_SYSADMIN_PASSWORD:-opendata-th-admin}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# psql as the cluster superuser, over the private socket directory.
pg_su() { su postgres -c "$(printf '%q ' psql -h "$RUN" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@")"; }

pid_alive() {  # pid_alive NAME: the process recorded in run/NAME.pid is running
    local f="$RUN/$1.pid"
    [[ -s "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

require_free_port() {  # require_free_port NAME PORT VAR
    if port_in_use "$2"; then
        die "$1 cannot start: port $2 on $HOST is already in use by another program. Stop it, or choose another port with $3=<port>."
    fi
}

wait_for() {  # wait_for NAME LOG SECONDS COMMAND...: poll until COMMAND succeeds
    local name=$1 log=$2 limit=$3; shift 3
    local i
    for ((i = 0; i < limit * 2; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    die "$name did not become ready within ${limit}s; see its log: $log"
}
