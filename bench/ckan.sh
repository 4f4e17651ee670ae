#!/usr/bin/env bash
# A real CKAN 2.12.0 on loopback, to run the shared benchmark against it side by side with
# this project on the same machine (the machines of this kind differ in speed by about two).
#
#   bench/ckan.sh up        # install (once), then start on a fresh database and index
#   bench/ckan.sh down      # stop CKAN, its Solr and its Redis
#
# up prints CKAN_URL and CKAN_KEY_FILE (a sysadmin's API token). Then, for example:
#
#   .venv/bin/python ../shared/bench/ckan_bench.py --url "$CKAN_URL" --apikey-file "$CKAN_KEY_FILE" \
#       --org bench-org --n 1000 --purge-first --out var/ckan/ckan-n1000.json
#
# CKAN as its recorded figures were measured (../shared/bench/README.md): gunicorn with 2
# sync workers, PostgreSQL 15, Redis, Solr (here Solr 9 from scripts/solr/solr.sh, with
# CKAN's own schema.xml and this project's solrconfig.xml), the configuration `ckan
# generate config` writes (no plugins, debug off). CKAN is installed from PyPI into
# var/ckan/venv with the versions pinned in bench/ckan-requirements.txt; nothing of it is
# in this repository. Needs PostgreSQL at 127.0.0.1:5432 (scripts/ensure_postgres.sh),
# Java 17 and Maven (Solr), and installs Debian's redis-server if it is missing.
#
# Environment: CKAN_PORT (5000), CKAN_SOLR_PORT (8995), CKAN_REDIS_PORT (6390),
# CKAN_DB (ckan_bench: dropped and created again by up).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=$ROOT/var/ckan
VENV=$DIR/venv
PORT=${CKAN_PORT:-5000}
SOLR_PORT=${CKAN_SOLR_PORT:-8995}
REDIS_PORT=${CKAN_REDIS_PORT:-6390}
DB=${CKAN_DB:-ckan_bench}
INI=$DIR/ckan.ini
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
export SOLR_STATE_DIR=$DIR/solr

die() { echo "ckan.sh: $*" >&2; exit 1; }

install() {
    [ -x "$VENV/bin/ckan" ] && [ "$VENV/.installed" -nt "$ROOT/bench/ckan-requirements.txt" ] && return 0
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/bench/ckan-requirements.txt"
    touch "$VENV/.installed"
}

solr_conf() {  # this project's solrconfig.xml beside CKAN's schema.xml (and the word lists it names)
    local conf=$DIR/solr-conf schema
    schema=$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config/solr/schema.xml"))')
    mkdir -p "$conf"
    cp "$ROOT/searchapi/solr/conf/solrconfig.xml" "$schema" "$conf/"
    touch "$conf/protwords.txt" "$conf/synonyms.txt"
    echo "$conf"
}

set_ini() {  # set_ini KEY VALUE: replace the line `KEY = ...` of ckan.ini
    sed -i "s#^$1 = .*#$1 = $2#" "$INI"
    grep -q "^$1 = $2\$" "$INI" || die "could not set $1 in $INI"
}

up() {
    mkdir -p "$DIR/storage"
    install
    command -v redis-server >/dev/null || { apt-get install -y -q redis-server >/dev/null || die "redis-server could not be installed"; }
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 \
        || redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
            --pidfile "$DIR/redis.pid" >/dev/null
    SOLR_CONF=$(solr_conf) SOLR_JAVA_OPTS="" SOLR_HEAP=1g scripts/solr/solr.sh start standalone --port "$SOLR_PORT" >/dev/null

    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -qc "CREATE DATABASE $DB" >/dev/null
    "$VENV/bin/ckan" generate config "$INI" >/dev/null
    set_ini sqlalchemy.url "postgresql://postgres@127.0.0.1/$DB"
    set_ini solr_url "http://127.0.0.1:$SOLR_PORT/solr/ckan"
    set_ini ckan.redis.url "redis://127.0.0.1:$REDIS_PORT/0"
    set_ini ckan.site_url "http://127.0.0.1:$PORT"
    set_ini ckan.storage_path "$DIR/storage"
    local ckan=("$VENV/bin/ckan" -c "$INI")
    "${ckan[@]}" db init >/dev/null 2>&1 || die "ckan db init failed"
    "${ckan[@]}" user add bench-admin email=bench@example.org password="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >/dev/null 2>&1
    "${ckan[@]}" sysadmin add bench-admin >/dev/null 2>&1
    (umask 077; "${ckan[@]}" user token add bench-admin bench 2>/dev/null | tail -n 1 | tr -d '\t ' >"$DIR/key")
    [ -s "$DIR/key" ] || die "no API token was made"

    cat >"$DIR/wsgi.py" <<EOF
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

fileConfig("$INI")
application = make_app(CKANConfigLoader("$INI").get_config())
EOF
    # From $DIR: gunicorn reads ./gunicorn.conf.py, and this project's must not apply to CKAN.
    (cd "$DIR" && "$VENV/bin/gunicorn" wsgi:application --workers 2 --bind "127.0.0.1:$PORT" --timeout 120 \
        --pid "$DIR/gunicorn.pid" --error-logfile "$DIR/gunicorn.log" --daemon)
    for _ in $(seq 1 60); do
        curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/3/action/status_show" && break
        sleep 0.5
    done
    curl -sf "http://127.0.0.1:$PORT/api/3/action/status_show" | grep -q '"ckan_version": "2.12.0"' \
        || die "CKAN did not answer (log: $DIR/gunicorn.log)"
    echo "CKAN_URL=http://127.0.0.1:$PORT"
    echo "CKAN_KEY_FILE=$DIR/key"
}

down() {
    [ -f "$DIR/gunicorn.pid" ] && kill "$(cat "$DIR/gunicorn.pid")" 2>/dev/null || true
    scripts/solr/solr.sh stop standalone >/dev/null 2>&1 || true
    [ -f "$DIR/redis.pid" ] && kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
    rm -f "$DIR/gunicorn.pid" "$DIR/redis.pid"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
