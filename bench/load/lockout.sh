#!/usr/bin/env bash
# Lockout under attack (issue 16), on SQLite:
#  1. the login decision for a username with 1,000 stored failures against one with 5 (wrong
#     logins for each, one connection, the attempt rate buckets off so every request is decided):
#     locked (the failures are distinct: each request is refused) and open (they repeat two
#     typos and the requests a third: each request is hashed, recorded and decided);
#  2. /v1/check p99 (2 connections) idle, then while an attacker sends 10 wrong logins a second
#     for the username with 1,000 failures (the server's default limits).
# Re-run with:
#   bash bench/load/lockout.sh [BINARY ...]
# BINARY defaults to target/release/matkhau; name an earlier build as well to compare both in the
# same run. Needs wrk and sqlite3 (Debian: apt-get install wrk sqlite3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${DURATION:-10s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }
[ $# -gt 0 ] || set -- "$root/target/release/matkhau"
[ -x "$1" ] || (cd "$root" && cargo build --release -p matkhau-host)

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT

# Starts BINARY in a fresh folder with the extra options; sets pid, addr, db.
start() {
  local bin=$1; shift
  local dir; dir=$(mktemp -d -p "$work")
  db="$dir/matkhau.db"
  (cd "$dir" && exec "$bin" serve --listen 127.0.0.1:0 --database "sqlite://$db" \
    --sweep-interval 0 "$@" >"$dir/out" 2>"$dir/err") &
  pid=$!
  for _ in $(seq 600); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
  addr=$(sed -n 's#listening on http://##p' "$dir/out")
}

# N failures for USER within the last N seconds, from other addresses, with DISTINCT different
# passwords (default: all distinct).
seed() {
  sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
    INSERT INTO login_failures (username_key, address, at, fingerprint)
    SELECT '$1', '198.51.100.' || (i % 250), CAST(strftime('%s', 'now') AS INTEGER) - i,
           printf('%016x', i % ${3:-$2}) FROM n;"
}

wrong_login() {
  curl -s -o /dev/null -w '%{http_code}\n' -H 'content-type: application/json' \
    "http://$addr/v1/login" -d "{\"username\":\"$1\",\"password\":\"Sai-Mat-Khau#$2\"}"
}

summary() { grep -E 'Requests/sec|50%|99%' | tr -s ' ' | tr '\n' ' '; echo; }

for bin in "$@"; do
  bin=$(realpath "$bin")
  echo "#### $bin"
  off=()
  # Builds with attempt rate buckets: turn them off for part 1 (every request is decided).
  if "$bin" serve --help | grep -q -- --address-rate; then
    off=(--address-rate 0 --account-rate 0)
  fi
  start "$bin" --address-max-failures 1000000 "${off[@]}"
  seed seeded1000 1000
  seed seeded5 5
  seed open1000 1000 2
  seed open5 5 2
  echo "first wrong login: seeded1000 $(wrong_login seeded1000 0), seeded5 $(wrong_login seeded5 0)"
  for user in seeded5 seeded1000; do
    echo -n "== locked: wrong logins for $user, 1 connection, $duration: "
    LOCKOUT_USER=$user wrk -t1 -c1 -d"$duration" --latency -s "$here/lockout.lua" "http://$addr" | summary
  done
  echo "rows for seeded1000 after: $(sqlite3 "$db" "SELECT COUNT(*) FROM login_failures WHERE username_key = 'seeded1000'")"
  for user in open5 open1000; do
    echo -n "== open: the same wrong login for $user, 1 connection, $duration: "
    LOCKOUT_SAME=1 LOCKOUT_USER=$user wrk -t1 -c1 -d"$duration" --latency -s "$here/lockout.lua" "http://$addr" | summary
  done
  echo "rows for open1000 after: $(sqlite3 "$db" "SELECT COUNT(*) FROM login_failures WHERE username_key = 'open1000'"), open5: $(sqlite3 "$db" "SELECT COUNT(*) FROM login_failures WHERE username_key = 'open5'")"
  kill $pid; wait $pid 2>/dev/null || true

  start "$bin"
  seed seeded1000 1000
  wrong_login seeded1000 0 >/dev/null
  echo -n "== /v1/check idle, 2 connections, $duration: "
  wrk -t1 -c2 -d"$duration" --latency -s "$here/check.lua" "http://$addr" | summary
  # The attacker: 10 wrong logins a second for the seeded username, each on its own (bounded:
  # 10 s of it plus a second, whatever the answers take).
  (for i in $(seq 1 "$(( ${duration%s} * 10 + 10 ))"); do wrong_login seeded1000 "a$i" >>"$work/attack" & sleep 0.1; done; wait) &
  attacker=$!
  echo -n "== /v1/check under attack, 2 connections, $duration: "
  wrk -t1 -c2 -d"$duration" --latency -s "$here/check.lua" "http://$addr" | summary
  wait $attacker
  echo "attacker's answers: $(sort "$work/attack" | uniq -c | tr -s ' ' | tr '\n' ' ')"
  rm -f "$work/attack"
  kill $pid; wait $pid 2>/dev/null || true
  pid=
done
