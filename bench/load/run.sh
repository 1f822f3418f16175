#!/usr/bin/env bash
# Load figures for `matkhau serve` (issue 5): /v1/check and /v1/login throughput with wrk, and
# the peak memory of a burst of 500 concurrent logins, with the attempt limits off (every request
# comes from 127.0.0.1; bench/load/lockout.sh measures the limits). Re-run with:
#   bash bench/load/run.sh [sqlite|postgres://URL]
# Needs wrk (Debian: apt-get install wrk) and a release build (cargo build --release -p matkhau-host).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/target/release/matkhau"
db_spec=${1:-sqlite}
duration=${DURATION:-20s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$bin" ] || (cd "$root" && cargo build --release -p matkhau-host)

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
if [ "$db_spec" = sqlite ]; then db="sqlite://$work/matkhau.db"; else db="$db_spec"; fi
cd "$work"
"$bin" serve --listen 127.0.0.1:0 --database "$db" --sweep-interval 0 \
  --address-max-failures 1000000 --address-rate 0 --account-rate 0 --hash-queue 1000 \
  --max-connections-per-address 1000 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's#listening on http://##p' "$work/out")
echo "server $addr (pid $pid), database ${db%%://*}, $(nproc) cores"

for i in $(seq 0 49); do
  curl -s -o /dev/null -H 'content-type: application/json' "http://$addr/v1/accounts" \
    -d "{\"username\":\"bench$i\",\"email\":\"b$i@example.vn\",\"kind\":\"citizen\",\"password\":\"Trống-Đồng#Xanh-Biếc42\"}"
done

echo "== /v1/check, 4 connections, $duration"
wrk -t2 -c4 -d"$duration" --latency -s "$here/check.lua" "http://$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx'
echo "== /v1/login (argon2id m=19456 KiB t=2 p=1), 16 connections, $duration"
wrk -t2 -c16 -d"$duration" --latency -s "$here/login.lua" "http://$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx'
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
echo "resident before the burst: $(rss) KiB"
echo "== burst: 500 concurrent logins"
wrk -t2 -c500 -d10s --timeout 30s --latency -s "$here/login.lua" "http://$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
echo "peak resident (VmHWM): $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") KiB; now $(rss) KiB"
