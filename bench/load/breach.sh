#!/usr/bin/env bash
# Load figures for breach screening (issue 7): a synthetic corpus of HASHES SHA-1 hashes
# (default 10 million) in Have I Been Pwned's HASH:COUNT format is imported with
# `matkhau breach import` (time and peak memory), then `matkhau serve --breach-corpus` answers
# GET /v1/breach/range/{prefix} and POST /v1/check (each verdict looks the password up) under wrk.
# Re-run with:  bash bench/load/breach.sh
# Needs wrk (Debian: apt-get install wrk), python3 and a release build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/target/release/matkhau"
hashes=${HASHES:-10000000}
duration=${DURATION:-20s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$bin" ] || (cd "$root" && cargo build --release -p matkhau-host)

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
cd "$work"
python3 - "$hashes" > pwned.txt <<'PY'
import hashlib, sys
out = sys.stdout
for i in range(int(sys.argv[1])):
    out.write(hashlib.sha1(b"pw%d" % i).hexdigest().upper() + ":%d\n" % (i % 1000 + 1))
PY
echo "== import $hashes hashes ($(du -h pwned.txt | cut -f1))"
/usr/bin/env time -f "wall %e s, peak resident %M KiB" "$bin" breach import --out corpus.mkb pwned.txt \
  | grep -E '"(hashes|file_bytes|filter_bytes|read_seconds|build_seconds|write_seconds)"'
rm pwned.txt

"$bin" serve --listen 127.0.0.1:0 --database "sqlite://$work/matkhau.db" --sweep-interval 0 \
  --breach-corpus corpus.mkb >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's#listening on http://##p' "$work/out")
echo "server $addr (pid $pid), $(nproc) cores, resident $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") KiB"

echo "== GET /v1/breach/range/{prefix}, 4 connections, $duration"
wrk -t2 -c4 -d"$duration" --latency -s "$here/range.lua" "http://$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx'
echo "== POST /v1/check with the corpus, 4 connections, $duration"
wrk -t2 -c4 -d"$duration" --latency -s "$here/check.lua" "http://$addr" | grep -E 'Requests/sec|50%|99%|Non-2xx'
echo "resident after: $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") KiB"
