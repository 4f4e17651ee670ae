#!/usr/bin/env bash
# Property-based fuzzing of the whole API with schemathesis, driven by /api/openapi.json.
#
# Starts a throwaway gunicorn server (SQLite + Whoosh in a temporary CKAN_VAR_DIR,
# or FUZZ_DATABASE_URL + FUZZ_SEARCH_URL, e.g. PostgreSQL + Solr) on FUZZ_PORT
# with CKAN_ACTION_API_STATUS_CODES on (an action error has its own status), then:
#
# 1. scripts/fuzz_scenarios.py pool: an ordinary user, a second one, and a pool
#    of datasets, groups and resources for the generated requests to name;
# 2. scripts/fuzz_scenarios.py scenarios: every write action run to success as
#    the sysadmin and as the ordinary user, and the refusals (tests/api_scenarios.py),
#    each answer checked against the description;
# 3. schemathesis (examples, coverage and fuzzing phases, positive and negative
#    data) on every described operation, FUZZ_EXAMPLES per operation, with the
#    hooks of scripts/fuzz_hooks.py: each request sent as the sysadmin, the user
#    or nobody, its references pointed at the pool, and one string in three
#    replaced by a hostile one (lone surrogates, NUL, U+FFFE, 100,000 characters).
#    Checks: no 5xx, every status documented, every answer matching its schema;
# 4. scripts/fuzz_scenarios.py summary: from the access log, per write action
#    and role, the 2xx / 403 / other answers; fails if a write action never
#    succeeded for a role allowed to run it, or on any 5xx.
#
# Any traceback in the server's log fails the run too.
#
#   scripts/fuzz.sh                      # defaults: a free port, 3 examples per operation
#   FUZZ_PORT=8502 FUZZ_EXAMPLES=10 FUZZ_SEED=123 scripts/fuzz.sh
#   FUZZ_DATABASE_URL=postgres://... FUZZ_SEARCH_URL=http://127.0.0.1:8983/solr/ckan scripts/fuzz.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"
PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"
BIN="$(dirname "$PYTHON")"
PORT="${FUZZ_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
EXAMPLES="${FUZZ_EXAMPLES:-3}"
SEED="${FUZZ_SEED:-$RANDOM}"
VAR_DIR="$(mktemp -d -t ckansite-fuzz-XXXXXX)"
URL="http://127.0.0.1:$PORT"
export CKAN_VAR_DIR="$VAR_DIR" CKAN_SITE_URL="$URL" SECRET_KEY="fuzz-$RANDOM-$RANDOM-$RANDOM" \
    CKAN_ACTION_API_STATUS_CODES=1 FUZZ_SEED="$SEED" FUZZ_POOL="$VAR_DIR/pool.json"
unset DATABASE_URL SEARCH_URL
if [ -n "${FUZZ_DATABASE_URL:-}" ]; then export DATABASE_URL="$FUZZ_DATABASE_URL"; fi
if [ -n "${FUZZ_SEARCH_URL:-}" ]; then export SEARCH_URL="$FUZZ_SEARCH_URL"; fi

"$PYTHON" manage.py migrate --noinput -v 0
if [ -n "${SEARCH_URL:-}" ]; then "$PYTHON" manage.py clear_index --noinput -v 0; fi
APIKEY="$("$PYTHON" manage.py create_sysadmin fuzz-admin | tail -n 1)"

# The access log: role (the fuzzer's X-Fuzz-Role header), method, path, status.
"$BIN/gunicorn" ckansite.wsgi:application --config gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers 2 \
    --timeout 120 --no-control-socket --access-logfile "$VAR_DIR/access.log" \
    --access-logformat '%({x-fuzz-role}i)s %(m)s %(U)s %(s)s' >"$VAR_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$VAR_DIR"' EXIT

for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$URL/api/util/status" && break
    sleep 0.5
done

status=0
echo "fuzzing $URL (seed $SEED, $EXAMPLES examples per operation)"
"$PYTHON" scripts/fuzz_scenarios.py pool "$URL" fuzz-admin "$APIKEY" "$FUZZ_POOL" || status=$?
if [ "$status" -eq 0 ]; then
    "$PYTHON" scripts/fuzz_scenarios.py scenarios "$URL" "$FUZZ_POOL" || status=$?
    # Run from the throwaway directory: schemathesis keeps a cache in its working directory.
    (cd "$VAR_DIR" && PYTHONPATH="$ROOT/scripts" SCHEMATHESIS_HOOKS=fuzz_hooks "$BIN/schemathesis" run \
        "$URL/api/openapi.json" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --phases examples,fuzzing \
        --max-examples "$EXAMPLES" \
        --seed "$SEED" \
        --workers 2 \
        --generation-database none \
        --suppress-health-check all \
        --request-timeout 100 \
        --no-color) || status=$?
    "$PYTHON" scripts/fuzz_scenarios.py summary "$VAR_DIR/access.log" || status=$?
fi
if grep -q "Traceback" "$VAR_DIR/server.log"; then
    echo "The server logged tracebacks:" >&2
    cat "$VAR_DIR/server.log" >&2
    status=1
fi
exit "$status"
