#!/usr/bin/env bash
# Faults (issue 21), in the same run for each BINARY:
#  1. SQLite, a mail server that takes 6 s per message: while an administrator's re-issue is being
#     delivered, the time of /healthz and /v1/check (10 sequential requests each);
#  2. PostgreSQL, the audit log's write path: admin "clear failed logins" requests (one short
#     transaction with its audit entry each), 4 connections, and the audit entries written.
# Re-run with:
#   MATKHAU_TEST_POSTGRES=postgres://USER@127.0.0.1:PORT/postgres bash bench/load/faults.sh [BINARY ...]
# (part 2 is skipped without it). BINARY defaults to target/release/matkhau; name an earlier build
# as well to compare both. Needs wrk, curl, python3 and, for part 2, psql.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${DURATION:-10s}
token=bench-admin-token-0123456789abcdefghij
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ $# -gt 0 ] || set -- "$root/target/release/matkhau"
[ -x "$1" ] || (cd "$root" && cargo build --release -p matkhau-host)

work=$(mktemp -d)
pid=
smtp=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$smtp" ] && kill $smtp 2>/dev/null; rm -rf "$work"' EXIT

start() {
  local bin=$1; shift
  local dir; dir=$(mktemp -d -p "$work")
  (cd "$dir" && exec "$bin" serve --listen 127.0.0.1:0 --sweep-interval 0 --admin-token "$token" \
    --address-rate 0 --account-rate 0 "$@" >"$dir/out" 2>"$dir/err") &
  pid=$!
  for _ in $(seq 600); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
  addr=$(sed -n 's#listening on http://##p' "$dir/out")
}

post() {
  curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
    -H "authorization: Bearer $token" "http://$addr$1" -d "$2"
}

# Median and largest of 10 sequential requests, in ms: times METHOD PATH [BODY].
times() {
  for _ in $(seq 10); do
    if [ -n "${3:-}" ]; then
      curl -s -o /dev/null -w '%{time_total}\n' -H 'content-type: application/json' "http://$addr$2" -d "$3"
    else
      curl -s -o /dev/null -w '%{time_total}\n' "http://$addr$2"
    fi
  done | sort -n | awk '{t[NR] = $1 * 1000} END {printf "median %.1f ms, max %.1f ms\n", (t[5] + t[6]) / 2, t[NR]}'
}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$here/slow_smtp.py" "$port" 6 &
smtp=$!
sleep 0.5

for bin in "$@"; do
  bin=$(realpath "$bin")
  echo "#### $bin"
  start "$bin" --smtp-url "smtp://127.0.0.1:$port"
  post /v1/accounts '{"username":"cham","email":"cham@example.vn","kind":"citizen","password":"Trống-Đồng#Xanh-Biếc42"}' >/dev/null
  echo -n "== idle: /healthz "; times GET /healthz
  t0=$(date +%s.%N)
  (post /v1/admin/accounts/cham/reissue '{}' >"$work/reissue"
   echo " after $(echo "$(date +%s.%N) - $t0" | bc) s" >>"$work/reissue") &
  reissue=$!
  sleep 0.5
  echo -n "== during a 6 s delivery: /healthz "; times GET /healthz
  echo -n "== during a 6 s delivery: /v1/check "; times POST /v1/check '{"password":"Trống-Đồng#Xanh-Biếc42"}'
  wait $reissue
  echo "re-issue answered $(cat "$work/reissue")"
  kill $pid; wait $pid 2>/dev/null || true
  pid=

  if [ -n "${MATKHAU_TEST_POSTGRES:-}" ]; then
    name="bench_faults_$$_$RANDOM"
    psql -q "$MATKHAU_TEST_POSTGRES" -c "CREATE DATABASE $name"
    pg="${MATKHAU_TEST_POSTGRES%/*}/$name"
    start "$bin" --database "$pg"
    echo -n "== PostgreSQL, audited admin writes, 4 connections, $duration: "
    ADMIN_TOKEN=$token wrk -t2 -c4 -d"$duration" --latency -s "$here/clear.lua" "http://$addr" \
      | grep -E 'Requests/sec|50%|99%' | tr -s ' ' | tr '\n' ' '
    echo "audit entries: $(psql -qtA "$pg" -c 'SELECT COUNT(*) FROM audit_log')"
    kill $pid; wait $pid 2>/dev/null || true
    pid=
  fi
done
