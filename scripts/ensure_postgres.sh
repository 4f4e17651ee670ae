#!/usr/bin/env bash
# Makes a local PostgreSQL answer on 127.0.0.1:5432 as the `postgres` role
# without a password, installing Debian's server first if none is there.
#
#   scripts/ensure_postgres.sh        # idempotent; fast (one connection) when it already answers
#
# What it does, each step only when needed:
#   1. apt-get install postgresql      (the machine has only the client);
#   2. pg_createcluster <version> main (no cluster yet);
#   3. `trust` for TCP connections from 127.0.0.1 and ::1 at the top of pg_hba.conf
#      (Debian's default asks for a password the tests do not have);
#   4. starts the cluster (or reloads it after step 3) and waits until it answers.
# Needs root (apt-get, the cluster's files). The apt log goes to $PG_APT_LOG.
# Only for development and CI machines: trust on loopback lets any local user in.
set -euo pipefail

PG_APT_LOG="${PG_APT_LOG:-/tmp/ckansite-postgres-apt.log}"
PG_PORT="${PG_PORT:-5432}"

answers() {
    command -v pg_isready >/dev/null 2>&1 || return 1
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -t 3 || return 1
    # pg_isready says nothing of authentication: log in for real.
    PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -w -Atqc 'select 1' >/dev/null 2>&1
}

if answers; then
    exit 0
fi

server_installed() {
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

if ! server_installed; then
    echo "ensure_postgres: installing Debian's postgresql (log: $PG_APT_LOG)"
    export DEBIAN_FRONTEND=noninteractive
    # No init system here: stop the package's scripts from trying to start services.
    policy=/usr/sbin/policy-rc.d
    made_policy=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
    fi
    {
        apt-get install -y -q --no-install-recommends postgresql \
            || { apt-get update -q && apt-get install -y -q --no-install-recommends postgresql; }
    } >"$PG_APT_LOG" 2>&1 || { [ -n "$made_policy" ] && rm -f "$policy"; echo "ensure_postgres: apt-get failed:" >&2; tail -n 20 "$PG_APT_LOG" >&2; exit 1; }
    [ -n "$made_policy" ] && rm -f "$policy"
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if [ -z "$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"')" ]; then
    echo "ensure_postgres: creating cluster $version/main"
    pg_createcluster --port "$PG_PORT" "$version" main >/dev/null
fi

hba="/etc/postgresql/$version/main/pg_hba.conf"
marker="# ckansite: loopback TCP without a password (development and CI)"
if ! grep -qF "$marker" "$hba"; then
    tmp="$(mktemp)"
    {
        echo "$marker"
        echo "host    all             all             127.0.0.1/32            trust"
        echo "host    all             all             ::1/128                 trust"
        cat "$hba"
    } >"$tmp"
    cat "$tmp" >"$hba"
    rm -f "$tmp"
fi

status="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')"
if [ "$status" = "online" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
else
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

for _ in $(seq 60); do
    answers && exit 0
    sleep 0.5
done
echo "ensure_postgres: PostgreSQL $version does not answer on 127.0.0.1:$PG_PORT as postgres" >&2
tail -n 20 "/var/log/postgresql/postgresql-$version-main.log" >&2 2>/dev/null || true
exit 1
