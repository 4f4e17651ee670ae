# A real Solr 9 for CI (sourced by bash, e.g. from .ci/run), through scripts/solr/solr.sh:
# Java 17 and Maven are needed; the first start on a machine downloads Solr's jars from
# Maven Central into ~/.m2 (about 140 MB, 1.5 min), later starts take 10-15 s.
#
#   source .ci/solr.sh
#   trap 'solr_stop_all; cleanup' EXIT         # or call solr_stop_all from the existing trap
#   solr_start_standalone || exit 1            # exports SOLR_URL (a core)
#   SOLR_URL="$SOLR_URL" "$PY" -m pytest -p no:cacheprovider -q -m solr
#   solr_start_cloud || exit 1                 # exports SOLR_CLOUD_URL (a collection, 2 nodes, 2x2)
#   solr_cloud_node stop 2; ...; solr_cloud_node start 2
#   solr_stop_all
#
# Each function returns non-zero on failure, having printed the end of Solr's log
# (solr.sh does). Each start begins with an empty index. Ports are free ones on 127.0.0.1.
# SOLR_STATE_DIR (default: a temporary directory per shell) holds the logs and indexes.

SOLR_CI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOLR_SH="$SOLR_CI_ROOT/scripts/solr/solr.sh"
export SOLR_STATE_DIR="${SOLR_STATE_DIR:-$(mktemp -d /tmp/ckansite-ci-solr-XXXXXX)}"

# solr_build: compile the launcher (and fetch Solr's jars) now, e.g. to time it apart.
solr_build() {
    local t0=$SECONDS
    "$SOLR_SH" build || return 1
    echo "Solr launcher built in $((SECONDS - t0))s"
}

# _solr_start MODE ARGS...: start, then print the elapsed time
_solr_start() {
    local t0=$SECONDS
    "$SOLR_SH" start "$@" >/dev/null || return 1
    echo "Solr 9 $1 started in $((SECONDS - t0))s: $(cat "$SOLR_STATE_DIR/$1/url")"
}

# solr_start_standalone [--core NAME]: one node with a core; exports SOLR_URL.
solr_start_standalone() {
    _solr_start standalone --port 0 "$@" || return 1
    SOLR_URL="$(cat "$SOLR_STATE_DIR/standalone/url")"
    export SOLR_URL
}

# solr_start_cloud [--nodes N --shards S --replicas R --collection NAME]: a SolrCloud with an
# embedded ZooKeeper; exports SOLR_CLOUD_URL (the collection through node 1) and
# SOLR_CLOUD_NODE_URLS (every node's base URL).
solr_start_cloud() {
    _solr_start cloud "$@" || return 1
    SOLR_CLOUD_URL="$(cat "$SOLR_STATE_DIR/cloud/url")"
    SOLR_CLOUD_NODE_URLS="$(sed -n 's/^SOLR_NODE_URLS=//p' "$SOLR_STATE_DIR/cloud/env")"
    export SOLR_CLOUD_URL SOLR_CLOUD_NODE_URLS
}

# solr_cloud_node stop|start N: stop node N, or start it again on its port (returning once
# the collection's replicas are all active). Keep node 1 up: SOLR_CLOUD_URL goes through it.
solr_cloud_node() {
    "$SOLR_SH" node "$1" "$2"
}

# solr_stop_all: stop whatever was started here and remove its files (logs included).
solr_stop_all() {
    "$SOLR_SH" stop || true
    case "$SOLR_STATE_DIR" in
        /tmp/ckansite-ci-solr-*) rm -rf "$SOLR_STATE_DIR" ;;
    esac
    unset SOLR_URL SOLR_CLOUD_URL SOLR_CLOUD_NODE_URLS
}
