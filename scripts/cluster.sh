#!/usr/bin/env bash
# The production stack scaled out, on this one machine: a SolrCloud collection
# (2 shards x 2 replicas on 2 Solr 9 nodes, scripts/solr/solr.sh) and two app
# "hosts" (two gunicorn servers with their own CKAN_VAR_DIR and port) sharing one
# PostgreSQL database and the collection, as two machines behind a load balancer
# would: one SECRET_KEY and one CKAN_SITE_URL (the URL the stored dataset dicts
# carry), each host sending its Solr requests to its own node first and failing
# over to the other (SEARCH_URL lists both nodes: searchapi/solr_nodes.py).
#
#   scripts/cluster.sh up              # a fresh database and collection, both hosts serving
#   scripts/cluster.sh down            # stop everything (the database is kept)
#   scripts/cluster.sh status
#   scripts/cluster.sh host stop|start|kill N   # app host N (1 or 2); kill is SIGKILL
#   scripts/cluster.sh solr stop|start N        # Solr node N (1 or 2)
#   scripts/cluster.sh pg restart               # restart PostgreSQL (pg_ctlcluster)
#
# `up` prints, and writes to $CLUSTER_DIR/env (source-able): CLUSTER_HOSTS (the two
# base URLs), CLUSTER_APIKEY (a sysadmin's key), DATABASE_URL, SEARCH_URL and the
# Solr variables. Environment: CLUSTER_DIR (default var/cluster), CLUSTER_DB
# (default ckan_cluster, dropped and created by `up`), CLUSTER_PORTS (default
# "8101 8102"), WORKERS (per host, default 2), PYTHON.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
DB="${CLUSTER_DB:-ckan_cluster}"
read -r -a PORTS <<<"${CLUSTER_PORTS:-8101 8102}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
GUNICORN="$(dirname "$PY")/gunicorn"
SOLR_SH="$ROOT/scripts/solr/solr.sh"
export SOLR_STATE_DIR="$DIR/solr"

die() { echo "cluster.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
say() { echo "cluster.sh: $*" >&2; }

env_value() { sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\\1/p" "$DIR/env" 2>/dev/null; }

host_pid() {      # the gunicorn master of host N, if alive
    local file="$DIR/host$1/gunicorn.pid" pid
    [ -f "$file" ] || return 1
    pid="$(cat "$file")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

host_url() { echo "http://127.0.0.1:${PORTS[$(($1 - 1))]}"; }

answers() {
    curl -fsS --max-time 5 -o /dev/null -H 'Content-Type: application/json' -d '{}' "$1/api/action/site_read" 2>/dev/null
}

start_host() {    # start_host N: gunicorn for host N, in the background, with the cluster's environment
    local n="$1" url var solr_first solr_other
    url="$(host_url "$n")"
    host_pid "$n" >/dev/null && { say "host $n already serving on $url"; return 0; }
    var="$DIR/host$n"
    mkdir -p "$var"
    # Host N talks to Solr node N first, the other node when N does not answer.
    read -r -a nodes <<<"$(env_value SOLR_NODE_URLS)"
    solr_first="${nodes[$(((n - 1) % ${#nodes[@]}))]}/$(env_value SOLR_COLLECTION)"
    solr_other="${nodes[$((n % ${#nodes[@]}))]}/$(env_value SOLR_COLLECTION)"
    (
        export CKAN_VAR_DIR="$var" DATABASE_URL="$(env_value DATABASE_URL)" SECRET_KEY="$(env_value SECRET_KEY)" \
            CKAN_SITE_URL="$(env_value CKAN_SITE_URL)" SEARCH_URL="$solr_first,$solr_other" DEBUG=0
        umask 077
        exec setsid "$GUNICORN" ckansite.wsgi:application --config gunicorn.conf.py --bind "127.0.0.1:${PORTS[$((n - 1))]}" \
            --workers "${WORKERS:-2}" --pid "$var/gunicorn.pid" --log-level warning --no-control-socket \
            </dev/null >>"$var/server.log" 2>&1
    ) &
    for _ in $(seq 120); do
        answers "$url" && { say "host $n serving on $url (log: $var/server.log)"; return 0; }
        sleep 0.5
    done
    tail -n 40 "$var/server.log" >&2 || true
    die "host $n did not answer on $url"
}

stop_host() {     # stop_host N [SIGNAL]: TERM lets requests finish; KILL is a crash
    local n="$1" signal="${2:-TERM}" pid
    pid="$(host_pid "$n")" || { say "host $n is not running"; return 0; }
    # The master and its workers share a process group (setsid above).
    kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    [ "$signal" = KILL ] && rm -f "$DIR/host$n/gunicorn.pid"
    say "host $n stopped ($signal)"
}

fresh_database() {
    "$PY" - "$1" <<'PYEOF'
import sys, psycopg
from psycopg import sql
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(url.path.lstrip("/"))))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.path.lstrip("/"))))
PYEOF
}

up() {
    local t0=$SECONDS database_url solr_env key n
    down >/dev/null 2>&1 || true
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    [ -x "$PY" ] || die "no Python at $PY (run make test once, or set PYTHON)"
    "$ROOT/scripts/ensure_postgres.sh" >&2
    database_url="postgres://postgres@127.0.0.1:5432/$DB"
    fresh_database "$database_url"
    solr_env="$("$SOLR_SH" start cloud --nodes 2 --shards 2 --replicas 2 --collection ckan)" \
        || die "SolrCloud did not start"
    {
        echo "DATABASE_URL=\"$database_url\""
        echo "SECRET_KEY=\"cluster-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')\""
        echo "CKAN_SITE_URL=\"$(host_url 1)\""
        echo "SOLR_COLLECTION=\"ckan\""
        echo "$solr_env" | sed -n 's/^\(SOLR_URL\|SOLR_NODE_URLS\|SOLR_CONTROL_URL\)=\(.*\)$/\1="\2"/p'
    } >"$DIR/env"
    key="$(DATABASE_URL="$database_url" SEARCH_URL="$(env_value SOLR_URL)" CKAN_VAR_DIR="$DIR/host1" \
        SECRET_KEY="$(env_value SECRET_KEY)" bash -c \
        '"$0" manage.py migrate --noinput -v 0 && "$0" manage.py create_sysadmin cluster-admin | tail -n 1' "$PY")"
    for n in 1 2; do start_host "$n"; done
    {
        echo "CLUSTER_HOSTS=\"$(host_url 1) $(host_url 2)\""
        echo "CLUSTER_APIKEY=\"$key\""
        echo "SEARCH_URL=\"$(env_value SOLR_URL)\""
    } >>"$DIR/env"
    say "up in $((SECONDS - t0))s"
    grep -E '^(CLUSTER_|DATABASE_URL|SEARCH_URL|SOLR_)' "$DIR/env"
}

down() {
    local n
    for n in 1 2; do stop_host "$n"; done
    "$SOLR_SH" stop cloud || true
}

status() {
    local n pid
    for n in 1 2; do
        if pid="$(host_pid "$n")"; then
            echo "host $n: running (pid $pid) $(host_url "$n")"
        else
            echo "host $n: not running"
        fi
    done
    "$SOLR_SH" status | grep -v '^standalone' || true
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    host)
        [[ "${3:-}" =~ ^[12]$ ]] || usage
        case "${2:-}" in
            start) start_host "$3" ;;
            stop) stop_host "$3" TERM ;;
            kill) stop_host "$3" KILL ;;
            *) usage ;;
        esac ;;
    solr)
        [[ "${3:-}" =~ ^[12]$ ]] && { [ "${2:-}" = stop ] || [ "${2:-}" = start ]; } || usage
        "$SOLR_SH" node "$2" "$3"; echo ;;
    pg)
        [ "${2:-}" = restart ] || usage
        version="$(pg_lsclusters -h | awk '$2 == "main" {print $1; exit}')"
        [ -n "$version" ] || die "no PostgreSQL cluster named main (pg_lsclusters)"
        pg_ctlcluster "$version" main restart ;;
    *) usage ;;
esac
