#!/usr/bin/env bash
# Property-based fuzzing of the whole API with schemathesis, driven by /api/openapi.json.
#
# Starts a throwaway server (SQLite + Whoosh in a temporary CKAN_VAR_DIR) on
# FUZZ_PORT, creates a sysadmin, and lets schemathesis send a bounded number of
# generated requests to every described operation, as that sysadmin. The only
# check is "no 5xx": client mistakes must be 4xx, never a crash.
#
#   scripts/fuzz.sh                      # defaults: a free port, 2 examples per operation
#   FUZZ_PORT=8502 FUZZ_EXAMPLES=5 scripts/fuzz.sh
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"
BIN="$(cd "$(dirname "$PYTHON")" && pwd)"
PORT="${FUZZ_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
EXAMPLES="${FUZZ_EXAMPLES:-2}"
SEED="${FUZZ_SEED:-$RANDOM}"
VAR_DIR="$(mktemp -d -t ckansite-fuzz-XXXXXX)"
export CKAN_VAR_DIR="$VAR_DIR" CKAN_SITE_URL="http://127.0.0.1:$PORT" SECRET_KEY="fuzz-$RANDOM-$RANDOM-$RANDOM"
unset DATABASE_URL SEARCH_URL

"$PYTHON" manage.py migrate --noinput -v 0
APIKEY="$("$PYTHON" manage.py create_sysadmin fuzz-admin | tail -n 1)"

"$BIN/gunicorn" ckansite.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 >"$VAR_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$VAR_DIR"' EXIT

for _ in $(seq 1 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/util/status" && break
    sleep 0.5
done

echo "schemathesis against http://127.0.0.1:$PORT (seed $SEED, $EXAMPLES examples per operation)"
status=0
# Run from the throwaway directory: schemathesis keeps a cache in its working directory.
(cd "$VAR_DIR" && "$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" \
    --checks not_a_server_error \
    --phases coverage,fuzzing \
    --max-examples "$EXAMPLES" \
    --seed "$SEED" \
    --workers 4 \
    --generation-database none \
    --no-color \
    --header "Authorization: $APIKEY") || status=$?
if grep -q "Traceback" "$VAR_DIR/server.log"; then
    echo "The server logged tracebacks:" >&2
    cat "$VAR_DIR/server.log" >&2
    status=1
fi
exit "$status"
