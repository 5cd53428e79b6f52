# shellcheck shell=bash
# CKAN itself: configuration, databases, the sysadmin, demo data, the web app
# and the job worker for `make up`; the test databases for `make test`.

ckan_cli() { "$CKAN" -c "$CKAN_INI" "$@"; }

render_ckan_ini() {
    mkdir -p "$LOCAL"
    [[ -s "$LOCAL/secret_key" ]] || (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$LOCAL/secret_key")
    SECRET_KEY="$(cat "$LOCAL/secret_key")" WEB_PORT="$WEB_PORT" PG_PORT="$PG_PORT" SOLR_PORT="$SOLR_PORT" \
    REDIS_PORT="$REDIS_PORT" DB_PASSWORD="$DB_PASSWORD" STORAGE_PATH="$LOCAL/storage" \
        "$VENV/bin/python" -c 'import os, string, sys
sys.stdout.write(string.Template(open(sys.argv[1], encoding="utf-8").read()).substitute(os.environ))' \
        "$ROOT/config/ckan.ini.template" >"$CKAN_INI.new"
    mv "$CKAN_INI.new" "$CKAN_INI"
}

ensure_role() {  # ensure_role NAME
    pg_su -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$1') THEN
            CREATE ROLE $1 LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
        END IF; END \$\$;" -c "ALTER ROLE $1 PASSWORD '$DB_PASSWORD'"
}

ensure_database() {  # ensure_database NAME OWNER: returns 0 if it was created now
    [[ -n "$(pg_su -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ]] && return 1
    pg_su -c "CREATE DATABASE $1 OWNER $2 ENCODING 'utf-8' TEMPLATE template0"
}

# set-permissions makes the DataStore read role really read-only.
set_datastore_permissions() {  # set_datastore_permissions INI [ENV=VALUE...]
    local ini=$1; shift
    env "$@" "$CKAN" -c "$ini" datastore set-permissions 2>"$RUN/set-permissions.log" \
        | su postgres -c "psql -h $(printf %q "$RUN") -p $PG_PORT -U postgres -v ON_ERROR_STOP=1 -q" >/dev/null \
        || die "datastore set-permissions failed; see $RUN/set-permissions.log"
}

init_ckan() {
    render_ckan_ini
    ensure_role ckan_default
    ensure_role datastore_default
    ensure_database ckan_default ckan_default || true
    if ensure_database datastore_default ckan_default; then
        set_datastore_permissions "$CKAN_INI"
    fi
    say "Initialising the CKAN database"
    ckan_cli db init >"$RUN/db-init.log" 2>&1 || die "ckan db init failed; see $RUN/db-init.log"
    ensure_sysadmin
    if [[ "$SOLR_RELOADED" == 1 ]]; then
        say "Re-indexing the catalogue for the new Solr configuration"
        ckan_cli search-index rebuild >"$RUN/search-index.log" 2>&1 || die "re-indexing failed; see $RUN/search-index.log"
    fi
}

ensure_sysadmin() {
    if ! ckan_cli user show "$SYSADMIN_NAME" 2>/dev/null | grep -q "name=$SYSADMIN_NAME"; then
        say "Creating the sysadmin '$SYSADMIN_NAME'"
        ckan_cli user add "$SYSADMIN_NAME" email="$SYSADMIN_NAME@opendata.example.go.th" \
            password="$SYSADMIN_PASSWORD" fullname="ผู้ดูแลระบบ (Administrator)" >/dev/null 2>&1
        ckan_cli sysadmin add "$SYSADMIN_NAME" >/dev/null 2>&1
        rm -f "$LOCAL/sysadmin.token"
    fi
    if [[ ! -s "$LOCAL/sysadmin.token" ]]; then
        (umask 077; ckan_cli user token add "$SYSADMIN_NAME" make-up 2>/dev/null | tail -n 1 | tr -d '[:space:]' >"$LOCAL/sysadmin.token")
        [[ -s "$LOCAL/sysadmin.token" ]] || die "could not create the sysadmin's API token"
    fi
}

load_demo() {
    say "Loading the demo catalogue"
    ckan_cli opendata-th demo load --user "$SYSADMIN_NAME" 2>"$RUN/demo.log" \
        || die "loading the demo catalogue failed; see $RUN/demo.log"
}

start_app() {
    if ! pid_alive web; then
        require_free_port "The CKAN web app" "$WEB_PORT" WEB_PORT
        say "Starting the web app on http://$HOST:$WEB_PORT"
        nohup "$CKAN" -c "$CKAN_INI" run -H "$HOST" -p "$WEB_PORT" --disable-reloader --threaded \
            >"$RUN/web.log" 2>&1 &
        echo $! >"$RUN/web.pid"
    fi
    if ! pid_alive worker; then
        say "Starting the background job worker"
        # Before every start and every 5 minutes: loads a dead worker or a
        # lost Redis left "queued"/"running" are queued again once, then failed.
        start_supervised worker --hook "$(printf '%q ' "$CKAN" -c "$CKAN_INI" opendata-th ingest recover)" \
            --hook-every 300 -- "$CKAN" -c "$CKAN_INI" jobs worker
    fi
    if ! pid_alive quality-worker; then
        say "Starting the quality score worker"
        # Its own queue, so link checks never hold up a load; every 24 hours
        # (and at start) every dataset is queued for scoring again.
        start_supervised quality-worker --hook "$(printf '%q ' "$CKAN" -c "$CKAN_INI" opendata-th quality enqueue-all)" \
            --hook-every 86400 -- "$CKAN" -c "$CKAN_INI" jobs worker opendata_th_quality
    fi
    start_harvest_consumers
    local i
    for ((i = 0; i < 120; i++)); do
        curl -fsS "http://$HOST:$WEB_PORT/api/3/action/status_show" >/dev/null 2>&1 && return 0
        pid_alive web || die "the web app exited while starting; see its log: $RUN/web.log"
        sleep 0.5
    done
    die "the web app did not answer within 60s; see its log: $RUN/web.log"
}

# ckanext-harvest's queue consumers (Redis): gather lists a source, fetch imports its records.
# A consumer exits when its blocking Redis read times out (redis-py 8's default
# socket timeout; ckanext-harvest sets none), when Redis goes away, or on any
# uncaught error, so each runs supervised, as ckanext-harvest's docs do with supervisord.
start_harvest_consumers() {
    local stage
    for stage in gather fetch; do
        pid_alive "harvest-$stage" && continue
        say "Starting the harvest $stage consumer"
        # An idle consumer exits after each 5s read timeout: a run of 5s is a healthy one.
        start_supervised "harvest-$stage" --min-delay 2 --stable 5 -- "$CKAN" -c "$CKAN_INI" harvester "$stage-consumer"
    done
    start_harvest_scheduler
}

# `ckan harvester run` queues the jobs of sources whose frequency is due and marks
# finished jobs Finished; ckanext-harvest leaves calling it to cron, and there is no
# cron here, so a loop runs it every ODTH_HARVEST_INTERVAL seconds (0: never).
start_harvest_scheduler() {
    local interval="${ODTH_HARVEST_INTERVAL:-300}"
    [[ "$interval" =~ ^[0-9]+$ ]] || die "ODTH_HARVEST_INTERVAL must be a whole number of seconds, not '$interval'"
    [[ "$interval" == 0 ]] && return 0
    pid_alive harvest-run && return 0
    say "Starting the scheduled harvest run (every ${interval}s)"
    start_loop harvest-run "$interval" "$CKAN" -c "$CKAN_INI" harvester run
}

# start_supervised NAME [OPTION...] -- COMMAND...: COMMAND under
# ckanext/opendata_th/ingest/supervise.py, started again with a growing pause
# (1s..60s) after each exit, Redis outages included; a work horse it leaves
# is killed first.  Logs to run/NAME.log; the supervisor's pid is in
# run/NAME.pid, and TERM (stop_by_pidfile) stops it with everything it runs.
start_supervised() {
    local name="$1"
    shift
    nohup "$VENV/bin/python" -m ckanext.opendata_th.ingest.supervise --name "$name" "$@" >>"$RUN/$name.log" 2>&1 &
    echo $! >"$RUN/$name.pid"
}

# start_loop NAME PAUSE COMMAND...: run COMMAND again PAUSE seconds after each exit,
# logging to run/NAME.log, with the loop's pid in run/NAME.pid.  TERM
# (stop_by_pidfile) ends the loop and the command or pause it is waiting for.
start_loop() {
    local name="$1" pause="$2"
    shift 2
    # shellcheck disable=SC2016  # expanded by the loop's own shell
    nohup bash -c 'trap '\''kill "$child" 2>/dev/null; exit 0'\'' TERM
        pause="$1"; shift
        while :; do
            echo "$(date -u +%FT%TZ) $*"
            "$@" & child=$!; wait "$child"
            sleep "$pause" & child=$!; wait "$child"
        done' "$name" "$pause" "$@" >>"$RUN/$name.log" 2>&1 &
    echo $! >"$RUN/$name.pid"
}

print_welcome() {
    cat <<MSG

  Thailand Open Government Data catalogue is running.

    URL:       http://$HOST:$WEB_PORT
    Login:     $SYSADMIN_NAME / $SYSADMIN_PASSWORD
    API token: $LOCAL/sysadmin.token
    Logs:      $RUN/*.log          Stop with: make down

MSG
}

# --- tests -------------------------------------------------------------------
# TEST_SLOT=<n> gives a test run databases, a Solr site id and a Redis
# database of its own, so several runs can share the services at once.
TEST_SLOT="${TEST_SLOT:-}"
TEST_SUFFIX="${TEST_SLOT:+_$TEST_SLOT}"
CKAN_TEST_DB="ckan_test$TEST_SUFFIX"
DATASTORE_TEST_DB="datastore_test$TEST_SUFFIX"

test_env() {
    echo "CKAN_SQLALCHEMY_URL=postgresql://ckan_default:$DB_PASSWORD@$HOST:$PG_PORT/$CKAN_TEST_DB"
    echo "CKAN_DATASTORE_WRITE_URL=postgresql://datastore_write:$DB_PASSWORD@$HOST:$PG_PORT/$DATASTORE_TEST_DB"
    echo "CKAN_DATASTORE_READ_URL=postgresql://datastore_read:$DB_PASSWORD@$HOST:$PG_PORT/$DATASTORE_TEST_DB"
    echo "CKAN_SOLR_URL=http://$HOST:$SOLR_PORT/solr/ckan_test"
    echo "CKAN_SITE_ID=test.ckan.net$TEST_SUFFIX"
    echo "CKAN_REDIS_URL=redis://$HOST:$REDIS_PORT/$((2 + ${TEST_SLOT:-0}))"
    # the agency catalogue the harvest tests run beside the central one (tests/harvest)
    echo "ODTH_AGENCY_SQLALCHEMY_URL=postgresql://ckan_default:$DB_PASSWORD@$HOST:$PG_PORT/ckan_agency$TEST_SUFFIX"
    echo "ODTH_AGENCY_SOLR_URL=http://$HOST:$SOLR_PORT/solr/ckan_agency_test"
}

init_test_databases() {
    local role
    for role in ckan_default datastore_write datastore_read; do ensure_role "$role"; done
    ensure_database "$CKAN_TEST_DB" ckan_default || true
    ensure_database "ckan_agency$TEST_SUFFIX" ckan_default || true
    if ensure_database "$DATASTORE_TEST_DB" datastore_write; then
        pg_su -d "$DATASTORE_TEST_DB" -c "CREATE EXTENSION IF NOT EXISTS tablefunc"
        mapfile -t envs < <(test_env)
        set_datastore_permissions "$ROOT/test.ini" "${envs[@]}"
    fi
    mapfile -t envs < <(test_env)
    env "${envs[@]}" "$CKAN" -c "$ROOT/test.ini" db init >"$RUN/test-db-init.log" 2>&1 \
        || die "ckan db init for the test database failed; see $RUN/test-db-init.log"
}

run_linters() {
    say "Checking style and types (ruff, mypy)"
    "$VENV/bin/ruff" check ckanext tests
    "$VENV/bin/ruff" format --check ckanext tests >/dev/null || die "code is not formatted: run .venv/bin/ruff format ckanext tests"
    "$VENV/bin/mypy" --no-error-summary || die "mypy found type errors"
}

run_tests() {
    local envs
    mapfile -t envs < <(test_env)
    cd "$ROOT"
    # ODTH_LINT=0 skips the style and type checks while iterating on tests.
    [[ "${ODTH_LINT:-1}" == 1 ]] && run_linters
    say "Running the test suite"
    env "${envs[@]}" "$VENV/bin/pytest" --ckan-ini=test.ini "$@"
}
