#!/usr/bin/env bash
# make bench: the shared CKAN benchmark against this server, started as production would.
#
# Starts gunicorn (2 workers, DEBUG off) on a fresh database and index, creates
# a sysadmin, runs ../shared/bench/ckan_bench.py --org '' --n $N, writes the
# report under var/bench/ and prints `ckan_bench.py compare` of CKAN's recorded
# report against ours.
#
# Environment: N (default 1000), PORT (default 8088), DATABASE_URL and
# SEARCH_URL (default: a fresh SQLite file and Whoosh index under var/bench/;
# when set they must point at a SCRATCH database / Solr core: both are emptied),
# CKAN_BENCH_DIR (default ../shared/bench), BENCH_ARGS (extra ckan_bench.py flags),
# WORKERS (default 2), CEILING (1: also measure the ceiling, see below).
#
# With CEILING=1 the seeded server's answers to the bench's reads are recorded
# before the timed phases (bench/ceiling.py), and after the bench the same client
# measures those reads against gunicorn (same settings) replaying the recorded
# bytes: the most this client can measure on this machine, for any server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
N=${N:-1000}
PORT=${PORT:-8088}
WORKERS=${WORKERS:-2}
BENCH_DIR=${CKAN_BENCH_DIR:-$ROOT/../shared/bench}
[ -f "$BENCH_DIR/ckan_bench.py" ] || { echo "ckan_bench.py not found in $BENCH_DIR (set CKAN_BENCH_DIR)" >&2; exit 2; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR=$ROOT/var/bench/run-$STAMP
mkdir -p "$RUN_DIR"
export CKAN_VAR_DIR=$RUN_DIR
export SECRET_KEY=${SECRET_KEY:-bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export DEBUG=0
export CKAN_SITE_URL=http://127.0.0.1:$PORT
stack="sqlite+whoosh"
if [ -n "${DATABASE_URL:-}" ]; then stack="${DATABASE_URL%%:*}"; else stack="sqlite"; fi
if [ -n "${SEARCH_URL:-}" ] && [[ "$SEARCH_URL" == http* ]]; then stack="$stack+solr"; else stack="$stack+whoosh"; fi

"$PY" manage.py migrate --noinput >/dev/null
if [ -n "${DATABASE_URL:-}" ]; then "$PY" manage.py flush --noinput >/dev/null; fi
"$PY" manage.py clear_index --noinput >/dev/null 2>&1 || true
KEY=$("$PY" manage.py create_sysadmin bench-admin | tail -n 1)

# No access log, gunicorn's default (and the ceiling's below): writing one to /dev/null
# cost each request 0.2 ms of a worker's CPU, a tenth of a kept package_show's.
"$ROOT/.venv/bin/gunicorn" ckansite.wsgi:application --config gunicorn.conf.py --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --error-logfile "$RUN_DIR/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
wait_for() {  # wait_for PATH: until the server on $PORT answers it
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT$1" && return 0
    sleep 0.5
  done
  return 1
}
wait_for /api/3/action/site_read

REPORT=$ROOT/var/bench/ckansite-$stack-n$N-$STAMP.json
# shellcheck disable=SC2206  # BENCH_ARGS: flags, split on spaces (later flags override them)
BENCH=("$PY" "$BENCH_DIR/ckan_bench.py" --url "http://127.0.0.1:$PORT" --apikey "$KEY" --org '' --n "$N" ${BENCH_ARGS:-})
if [ "${CEILING:-0}" = 1 ]; then
  "${BENCH[@]}" --phases '' --threads 1 --label seed --out "$RUN_DIR/seed.json" | tail -n 1
  echo "$KEY" > "$RUN_DIR/key"
  CKAN_BENCH_DIR=$BENCH_DIR "$PY" bench/ceiling.py record "http://127.0.0.1:$PORT" "$RUN_DIR/key" "$RUN_DIR/recording.jsonl"
  "${BENCH[@]}" --skip-seed --label "ckansite-$stack" --out "$REPORT" | tail -n 1
  "$PY" bench/ceiling.py adopt-seed "$RUN_DIR/seed.json" "$REPORT"
else
  "${BENCH[@]}" --label "ckansite-$stack" --out "$REPORT" | tail -n 1
fi
echo "report: $REPORT"
for pid in $(pgrep -P $GUNICORN); do
  echo "worker $pid RSS: $(awk '/VmRSS/ {print $2 " " $3}' /proc/$pid/status)"
done
CKAN_REPORT=$BENCH_DIR/results/ckan-2.12.0-n$N.json
if [ -f "$CKAN_REPORT" ]; then
  "$PY" "$BENCH_DIR/ckan_bench.py" compare "$CKAN_REPORT" "$REPORT"
fi
if [ "${CEILING:-0}" = 1 ]; then
  kill $GUNICORN; wait $GUNICORN 2>/dev/null || true
  CKAN_CEILING_RECORDING=$RUN_DIR/recording.jsonl "$ROOT/.venv/bin/gunicorn" bench.ceiling:application --config gunicorn.conf.py \
      --workers "$WORKERS" --bind "127.0.0.1:$PORT" --error-logfile "$RUN_DIR/ceiling.log" &
  GUNICORN=$!
  wait_for /api/3/action/package_list
  CEILING_REPORT=$ROOT/var/bench/ceiling-$stack-n$N-$STAMP.json
  "${BENCH[@]}" --skip-seed --phases show,search,list,tag_list --label "ceiling-$stack" --out "$CEILING_REPORT" | tail -n 1
  "$PY" bench/ceiling.py adopt-seed "$RUN_DIR/seed.json" "$CEILING_REPORT"
  echo "ceiling report: $CEILING_REPORT"
  "$PY" "$BENCH_DIR/ckan_bench.py" compare "$REPORT" "$CEILING_REPORT"
fi
