#!/usr/bin/env bash
# A real Solr 9 on loopback, from Maven Central (Java 17 and Maven needed; no Solr install):
# one node with a core, or a SolrCloud with an embedded ZooKeeper and a collection, both
# made from searchapi/solr/conf. It runs in the background, logging to a file.
#
#   solr.sh start standalone [--port 8983] [--core ckan]
#   solr.sh start cloud [--nodes 2] [--shards 2] [--replicas 2] [--collection ckan]
#   solr.sh stop [standalone|cloud]        # both when neither is named
#   solr.sh node stop|start N              # cloud: stop or restart node N (1..nodes)
#   solr.sh status
#   solr.sh build                          # compile the launcher (start does it when needed)
#
# start prints SOLR_URL=http://127.0.0.1:PORT/solr/<core or collection> (cloud: through
# node 1; SOLR_NODE_URLS lists every node) once the core or collection answers a query, and
# exits non-zero, printing the end of the log, if it does not within SOLR_START_TIMEOUT
# seconds (default 180). Each start begins with an empty index. SOLR_CONF names another
# configuration directory (default searchapi/solr/conf; bench/ckan.sh gives CKAN's schema).
#
# Files, per mode, in $SOLR_STATE_DIR/<mode>/ (default var/solr/<mode> in the repository):
# url (the SOLR_URL), env (SOLR_URL, SOLR_NODE_URLS, SOLR_CONTROL_URL, ...: source-able),
# pid, solr.log, data/ (the index, removed on stop).
# SOLR_HEAP sets the JVM heap (default 512m standalone, 1g cloud); SOLR_JAVA_OPTS replaces the
# default JVM options (-XX:TieredStopAtLevel=1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_BASE="${SOLR_STATE_DIR:-$ROOT/var/solr}"
TARGET="$HERE/target"

die() { echo "solr.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# --- build: compile the launcher and write its classpath, only when something changed
built() {
    [ -f "$TARGET/.built" ] && [ -f "$TARGET/classpath.txt" ] || return 1
    [ -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$TARGET/.built" -print -quit)" ] || return 1
    local jar
    for jar in $(tr ':' ' ' <"$TARGET/classpath.txt"); do
        [ -f "$jar" ] || return 1          # the Maven cache was cleaned
    done
}
build() {
    command -v java >/dev/null || die "java (17 or later) is not installed"
    command -v mvn >/dev/null || die "mvn is not installed"
    mkdir -p "$TARGET"
    if ! (cd "$HERE" && mvn -q -B compile) >"$TARGET/build.log" 2>&1; then
        tail -n 40 "$TARGET/build.log" >&2
        die "the launcher did not build (log: $TARGET/build.log)"
    fi
    touch "$TARGET/.built"
}
ensure_built() { built || build; }

# --- state of one mode
state_dir() { echo "$STATE_BASE/$1"; }
running_pid() {   # the launcher's pid, if it is alive
    local pid_file
    pid_file="$(state_dir "$1")/pid"
    [ -f "$pid_file" ] || return 1
    local pid
    pid="$(cat "$pid_file")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
env_value() {     # env_value MODE NAME
    sed -n "s/^$2=//p" "$(state_dir "$1")/env" 2>/dev/null
}
answers() {       # a query on the core or collection succeeds
    curl -fsS --max-time 10 -o /dev/null "$1/select?q=*:*&rows=0&wt=json" 2>/dev/null \
        && curl -fsS --max-time 10 -o /dev/null "$1/admin/ping?wt=json" 2>/dev/null
}

start() {
    local mode="${1:-}"
    [ "$mode" = standalone ] || [ "$mode" = cloud ] || usage
    shift
    local args=() heap
    while [ $# -gt 0 ]; do
        case "$1" in
            --port|--core) [ "$mode" = standalone ] || die "$1 is for standalone"; args+=("$1" "${2:?}"); shift 2 ;;
            --nodes|--shards|--replicas|--collection)
                [ "$mode" = cloud ] || die "$1 is for cloud"; args+=("$1" "${2:?}"); shift 2 ;;
            *) usage ;;
        esac
    done
    local dir pid
    dir="$(state_dir "$mode")"
    if pid="$(running_pid "$mode")"; then
        if answers "$(env_value "$mode" SOLR_URL)"; then
            echo "solr.sh: $mode Solr already running (pid $pid); 'solr.sh stop $mode' first to restart it" >&2
            grep -E '^SOLR_(URL|NODE_URLS|CONTROL_URL)=' "$dir/env"
            return 0
        fi
        stop_mode "$mode"
    fi
    ensure_built

    mkdir -p "$dir"
    rm -rf "$dir/data" "$dir/ready" "$dir/env" "$dir/url" "$dir/pid"
    [ "$mode" = cloud ] && heap="${SOLR_HEAP:-1g}" || heap="${SOLR_HEAP:-512m}"
    local started=$SECONDS
    # shellcheck disable=SC2086 # SOLR_JAVA_OPTS is a list of options
    # C1 only (TieredStopAtLevel=1) starts 2-3 s sooner; a test load never needs C2's speed.
    nohup java -Xms64m -Xmx"$heap" -XX:+UseSerialGC ${SOLR_JAVA_OPTS--XX:TieredStopAtLevel=1} \
        -cp "$TARGET/classes:$(cat "$TARGET/classpath.txt")" org.ckansite.solr.SolrLauncher \
        "$mode" --conf "${SOLR_CONF:-$ROOT/searchapi/solr/conf}" --dir "$dir/data" --state-dir "$dir" "${args[@]}" \
        </dev/null >"$dir/solr.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"

    local timeout="${SOLR_START_TIMEOUT:-180}" url=""
    while [ $((SECONDS - started)) -lt "$timeout" ]; do
        if [ -f "$dir/ready" ]; then
            url="$(sed -n 's/^SOLR_URL=//p' "$dir/ready")"
            answers "$url" && break
            url=""
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if [ -z "$url" ]; then
        if kill -0 "$pid" 2>/dev/null; then
            echo "solr.sh: $mode Solr did not answer within ${timeout}s; the end of $dir/solr.log:" >&2
        else
            echo "solr.sh: $mode Solr exited before answering; the end of $dir/solr.log:" >&2
        fi
        tail -n 60 "$dir/solr.log" >&2 || true
        stop_mode "$mode" >/dev/null 2>&1 || true
        return 1
    fi
    mv "$dir/ready" "$dir/env"
    echo "$url" >"$dir/url"
    echo "solr.sh: Solr 9 $mode ready in $((SECONDS - started))s (log: $dir/solr.log)" >&2
    grep -E '^SOLR_(URL|NODE_URLS|CONTROL_URL)=' "$dir/env"
}

stop_mode() {
    local mode="$1" dir pid
    dir="$(state_dir "$mode")"
    if pid="$(running_pid "$mode")"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "solr.sh: $mode Solr (pid $pid) did not stop in 30s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "solr.sh: stopped $mode Solr (pid $pid)" >&2
    fi
    rm -rf "$dir/data" "$dir/pid" "$dir/env" "$dir/url" "$dir/ready"
}

stop() {
    case "${1:-}" in
        standalone|cloud) stop_mode "$1" ;;
        "") [ -d "$(state_dir standalone)" ] && stop_mode standalone
            [ -d "$(state_dir cloud)" ] && stop_mode cloud
            return 0 ;;
        *) usage ;;
    esac
}

node() {
    local verb="${1:-}" n="${2:-}" control
    { [ "$verb" = stop ] || [ "$verb" = start ]; } && [[ "$n" =~ ^[0-9]+$ ]] || usage
    running_pid cloud >/dev/null || die "no cloud Solr is running (solr.sh start cloud)"
    control="$(env_value cloud SOLR_CONTROL_URL)"
    curl -fsS --max-time 200 "$control/$verb?node=$n" || die "$verb node $n failed"
}

status() {
    local mode pid
    for mode in standalone cloud; do
        if pid="$(running_pid "$mode")"; then
            echo "$mode: running (pid $pid) $(env_value "$mode" SOLR_URL)"
            [ "$mode" = cloud ] && curl -fsS --max-time 10 "$(env_value cloud SOLR_CONTROL_URL)/status"
        else
            echo "$mode: not running"
        fi
    done
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    node) shift; node "$@" ;;
    status) status ;;
    build) build ;;
    *) usage ;;
esac
