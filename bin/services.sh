# shellcheck shell=bash
# PostgreSQL 15, Redis and Solr 9 on loopback, data under .local/.  Each
# start is idempotent: a service whose pid file points at a live process is
# left alone.  If one fails, the ones this run started are stopped again.

STARTED_NOW=()
SOLR_RELOADED=0  # set when a running Solr took a new configuration: the index needs a rebuild

on_start_failure() {
    local name
    for name in "${STARTED_NOW[@]}"; do "stop_$name" || true; done
}

# The postgres user must reach .local/ through every parent directory; a
# checkout under a private directory (mode 700, as mktemp makes) gets the
# traverse bit (o+x, no listing) on the parents that lack it.
ensure_postgres_can_reach_local() {
    su postgres -c "test -x $(printf %q "$LOCAL")" && return 0
    local dir="$LOCAL"
    while [[ "$dir" != / ]]; do
        if ! su postgres -c "test -x $(printf %q "$dir")"; then
            say "Allowing the postgres user to traverse $dir (chmod o+x)"
            chmod o+x "$dir"
        fi
        dir="$(dirname "$dir")"
    done
}

start_services() {
    mkdir -p "$RUN" "$LOCAL/storage"
    chmod 777 "$RUN"  # the postgres user writes its socket and log here
    ensure_postgres_can_reach_local
    trap on_start_failure EXIT
    start_postgres
    start_redis
    start_solr
    trap - EXIT
}

# --- PostgreSQL: a private cluster owned by the postgres user --------------
pg_running() { su postgres -c "$PGBIN/pg_ctl -D $(printf %q "$PGDATA") status" >/dev/null 2>&1; }

start_postgres() {
    if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
        say "Creating the PostgreSQL $PG_VERSION cluster in $PGDATA"
        install -d -o postgres -g postgres -m 700 "$PGDATA"
        su postgres -c "$PGBIN/initdb -D $(printf %q "$PGDATA") -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256" >"$RUN/initdb.log" 2>&1 \
            || die "PostgreSQL initdb failed; see $RUN/initdb.log"
    fi
    pg_running && return 0
    require_free_port PostgreSQL "$PG_PORT" PG_PORT
    say "Starting PostgreSQL on $HOST:$PG_PORT"
    su postgres -c "$PGBIN/pg_ctl -D $(printf %q "$PGDATA") -l $(printf %q "$RUN/postgres.log") -w -t 60 \
        -o \"-c listen_addresses=$HOST -p $PG_PORT -k $(printf %q "$RUN") -c external_pid_file=$(printf %q "$RUN/postgres.pid")\" start" \
        >/dev/null 2>&1 || die "PostgreSQL failed to start; see its log: $RUN/postgres.log"
    STARTED_NOW+=(postgres)
}

stop_postgres() {
    pg_running || return 0
    say "Stopping PostgreSQL"
    su postgres -c "$PGBIN/pg_ctl -D $(printf %q "$PGDATA") -m fast -w stop" >/dev/null
}

# --- Redis ----------------------------------------------------------------
start_redis() {
    pid_alive redis && return 0
    require_free_port Redis "$REDIS_PORT" REDIS_PORT
    say "Starting Redis on $HOST:$REDIS_PORT"
    mkdir -p "$LOCAL/redis"
    redis-server --bind "$HOST" --port "$REDIS_PORT" --daemonize yes --pidfile "$RUN/redis.pid" \
        --dir "$LOCAL/redis" --logfile "$RUN/redis.log" --save '' --appendonly yes --appendfsync everysec \
        || die "Redis failed to start; see its log: $RUN/redis.log"
    STARTED_NOW+=(redis)
    wait_for Redis "$RUN/redis.log" 20 redis-cli -h "$HOST" -p "$REDIS_PORT" ping
}

stop_redis() { stop_by_pidfile redis; }

# --- Solr 9: the real server from Maven Central jars, run by Java 17 --------
# Cores, all with config/solr/conf:
#   ckan            the running catalogue (schema: CKAN's, with Thai segmentation)
#   ckan_test       the test suite, so tests that clear the index never touch the demo
#   ckan_stock_test CKAN's unmodified schema, the baseline the search relevance test compares with
#   ckan_agency_test the agency catalogue the harvest tests run beside the central one (tests/harvest)
SOLR_CORES=(ckan ckan_test ckan_stock_test ckan_agency_test)

prepare_solr_home() {
    local stock core
    stock="$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config/solr/schema.xml"))')"
    mkdir -p "$SOLR_HOME"
    cp "$ROOT/config/solr/solr.xml" "$SOLR_HOME/solr.xml"
    for core in "${SOLR_CORES[@]}"; do
        mkdir -p "$SOLR_HOME/$core/conf"
        echo "name=$core" >"$SOLR_HOME/$core/core.properties"
        cp "$ROOT"/config/solr/conf/* "$SOLR_HOME/$core/conf/"
        if [[ "$core" == ckan_stock_test ]]; then
            cp "$stock" "$SOLR_HOME/$core/conf/schema.xml"
        else
            "$VENV/bin/python" "$ROOT/config/solr/build_schema.py" "$stock" "$SOLR_HOME/$core/conf/schema.xml"
        fi
    done
}

solr_config_stamp() { cat "$SOLR_HOME"/*/conf/* "$SOLR_HOME/solr.xml" 2>/dev/null | sha256sum; }

solr_ready() {
    local core
    for core in "${SOLR_CORES[@]}"; do
        curl -fsS "http://$HOST:$SOLR_PORT/solr/$core/select?q=*:*&rows=0" >/dev/null 2>&1 || return 1
    done
}

solr_core_admin() {  # solr_core_admin ACTION PARAMS: a few tries, as a core may still be loading
    local i
    for i in 1 2 3; do
        curl -fsS "http://$HOST:$SOLR_PORT/solr/admin/cores?action=$1&$2" >/dev/null 2>&1 && return 0
        sleep 1
    done
    return 1
}

# A running Solr whose configuration changed reloads its cores in place.
reload_solr_if_changed() {
    local before core
    before="$(solr_config_stamp)"
    prepare_solr_home
    [[ "$(solr_config_stamp)" == "$before" ]] && return 0
    say "Solr configuration changed: reloading its cores"
    SOLR_RELOADED=1
    for core in "${SOLR_CORES[@]}"; do
        solr_core_admin RELOAD "core=$core" || solr_core_admin CREATE "name=$core&instanceDir=$core" \
            || die "Solr could not load core $core; see $LOCAL/solr-logs and $RUN/solr.log"
    done
}

start_solr() {
    if pid_alive solr; then reload_solr_if_changed; return 0; fi
    require_free_port Solr "$SOLR_PORT" SOLR_PORT
    say "Starting Solr $SOLR_VERSION on $HOST:$SOLR_PORT"
    prepare_solr_home
    mkdir -p "$LOCAL/solr-logs"
    nohup java -Xms128m -Xmx512m -Dsolr.log.dir="$LOCAL/solr-logs" -Dsolr.install.dir="$SOLR_HOME" \
        -Dlog4j2.formatMsgNoLookups=true \
        -cp "$SOLR_JARS/*" "$ROOT/config/solr/SolrLauncher.java" "$SOLR_HOME" "$SOLR_PORT" \
        >"$RUN/solr.log" 2>&1 &
    echo $! >"$RUN/solr.pid"
    STARTED_NOW+=(solr)
    local i
    for ((i = 0; i < 240; i++)); do
        solr_ready && return 0
        pid_alive solr || die "Solr exited while starting; see its log: $RUN/solr.log"
        sleep 0.5
    done
    die "Solr did not become ready within 120s; see its log: $RUN/solr.log"
}

stop_solr() { stop_by_pidfile solr; }

# --- shared ------------------------------------------------------------------
stop_by_pidfile() {  # stop_by_pidfile NAME: TERM, then KILL after 20s
    local name=$1 pid i
    pid_alive "$name" || { rm -f "$RUN/$name.pid"; return 0; }
    pid=$(cat "$RUN/$name.pid")
    say "Stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    rm -f "$RUN/$name.pid"
}

stop_all() {
    stop_by_pidfile harvest-run
    stop_by_pidfile harvest-fetch
    stop_by_pidfile harvest-gather
    stop_by_pidfile quality-worker
    stop_by_pidfile worker
    stop_by_pidfile web
    stop_solr
    stop_redis
    stop_postgres
}

show_status() {
    local name
    for name in web worker quality-worker harvest-gather harvest-fetch harvest-run solr redis; do
        if pid_alive "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; else echo "$name: stopped"; fi
    done
    if pg_running; then echo "postgres: running"; else echo "postgres: stopped"; fi
}
