#!/bin/sh
# prometheus.sh: vmmap's metrics through the real parts. Starts
# prometheus-node-exporter on 127.0.0.1 with only its textfile collector,
# over a temporary directory; writes `vmmap --openmetrics --output-file`
# there for a sleep the test started; fetches /metrics and finds
# vmmap_pss_bytes of that pid and node_textfile_scrape_error 0. Then
# starts a prometheus server on 127.0.0.1 scraping that exporter every
# second and asks its HTTP API for the series. Both are always stopped.
#
# Environment (set by make check): VMMAP, PYTHON3 (a python3; optional).
# Exit status: 0 pass, 1 fail, 77 skipped (a program missing).

: "${VMMAP:?VMMAP is not set}"
py=${PYTHON3:-python3}
exporter=$(command -v prometheus-node-exporter || command -v node_exporter)
server=$(command -v prometheus)
if [ -z "$exporter" ]; then
	echo "skip: prometheus-node-exporter not found (Debian package prometheus-node-exporter)"
	exit 77
fi
if ! command -v "$py" >/dev/null 2>&1; then
	echo "skip: no python3 to fetch /metrics with"
	exit 77
fi

tmp=
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmmap-prometheus.XXXXXX") || exit 1
mkdir "$tmp/textfile" "$tmp/tsdb"

fail() {
	echo "FAIL: $*"
	for log in "$tmp"/*.log; do
		[ -s "$log" ] && tail -n 5 "$log" | sed "s|^|  $(basename "$log"): |"
	done
	exit 1
}

# a port nobody listens on now
free_port() {
	"$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# fetch URL: its body on stdout, or exit 1
fetch() {
	"$py" - "$1" <<'PY'
import sys
import urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        sys.stdout.write(r.read().decode("utf-8", "replace"))
except Exception as e:
    sys.stderr.write("%s: %s\n" % (sys.argv[1], e))
    sys.exit(1)
PY
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds
wait_for() {
	n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

sleep 300 &
sleeper=$!
pids="$sleeper"

"$VMMAP" --openmetrics --output-file "$tmp/textfile/vmmap.prom" "$sleeper" ||
	fail "vmmap --openmetrics --output-file exited $?"
grep -q "^vmmap_pss_bytes{pid=\"$sleeper\"" "$tmp/textfile/vmmap.prom" ||
	fail "no vmmap_pss_bytes of $sleeper in the file"

eport=$(free_port)
"$exporter" --web.listen-address="127.0.0.1:$eport" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$tmp/textfile" \
	>"$tmp/exporter.log" 2>&1 &
pids="$pids $!"
wait_for 20 fetch "http://127.0.0.1:$eport/metrics" ||
	fail "the exporter does not answer on 127.0.0.1:$eport"
fetch "http://127.0.0.1:$eport/metrics" >"$tmp/metrics" || fail "cannot fetch /metrics"
grep -q "^vmmap_pss_bytes{comm=\"sleep\",kind=\"heap\",pid=\"$sleeper\"} [0-9]" "$tmp/metrics" ||
	grep -q "^vmmap_pss_bytes{.*pid=\"$sleeper\".*} [0-9]" "$tmp/metrics" ||
	fail "the exporter's /metrics has no vmmap_pss_bytes of pid $sleeper"
grep -q '^node_textfile_scrape_error 0$' "$tmp/metrics" ||
	fail "node_textfile_scrape_error is not 0: $(grep textfile_scrape_error "$tmp/metrics")"
echo "ok: node_exporter serves vmmap_pss_bytes{pid=\"$sleeper\"} with node_textfile_scrape_error 0"

if [ -z "$server" ]; then
	echo "note: prometheus not found (Debian package prometheus): the server's part is not run"
	exit 0
fi
pport=$(free_port)
cat >"$tmp/prometheus.yml" <<EOF_CONFIG
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$eport']
EOF_CONFIG
"$server" --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pport" >"$tmp/prometheus.log" 2>&1 &
pids="$pids $!"
query="http://127.0.0.1:$pport/api/v1/query?query=vmmap_pss_bytes%7Bpid%3D%22$sleeper%22%2Ckind%3D%22heap%22%7D"
found() {
	fetch "$query" >"$tmp/query.json" && grep -q '"result":\[{' "$tmp/query.json"
}
wait_for 60 found || fail "prometheus has no vmmap_pss_bytes of pid $sleeper: $(cat "$tmp/query.json" 2>/dev/null)"
"$py" - "$tmp/query.json" "$sleeper" <<'PY' || fail "prometheus' answer is not the series asked"
import json
import sys
doc = json.load(open(sys.argv[1]))
res = doc["data"]["result"]
assert doc["status"] == "success" and len(res) == 1, doc
m = res[0]["metric"]
assert m["__name__"] == "vmmap_pss_bytes" and m["pid"] == sys.argv[2] and m["comm"] == "sleep", m
assert int(res[0]["value"][1]) > 0, res
print("ok: prometheus answers vmmap_pss_bytes%s = %s" % (
    {k: v for k, v in m.items() if k in ("pid", "comm", "kind")}, res[0]["value"][1]))
PY
