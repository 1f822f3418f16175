#!/usr/bin/env bash
# The cost of the second factor, on SQLite, one request at a time:
#  1. a plain citizen login (POST /v1/login → ok) against an OTP login (POST /v1/login →
#     otp_required, then POST /v1/login/otp → ok), 60 of each, a fresh account each (a code is
#     accepted once per account);
#  2. RADIUS through the shipped FreeRADIUS configuration (deploy/freeradius): one radclient
#     process per Access-Request for 50 staff accounts (password followed by the app's code),
#     against Status-Server requests as the cost of a radclient process; then 150 requests in one
#     radclient run, 10 in flight.
# The attempt rate buckets are off (every request comes from 127.0.0.1). bench/load/otp.py does
# the HTTP calls and the timing. Re-run with:
#   bash bench/load/otp.sh [BINARY]
# BINARY defaults to target/release/matkhau. Needs python3, FreeRADIUS with its rest module and
# radclient (Debian: apt-get install freeradius freeradius-rest freeradius-utils).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/target/release/matkhau}")
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p matkhau-host" >&2; exit 1; }
for tool in python3 radclient; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
command -v freeradius >/dev/null || command -v radiusd >/dev/null ||
  { echo "freeradius is missing: apt-get install freeradius freeradius-rest" >&2; exit 1; }

work=$(mktemp -d)
pid=
radius_pid=
# Stops FreeRADIUS and matkhau (SIGTERM; matkhau drains for up to 20 s), waits until both are
# gone (bounded: 25 s), then removes the temp dir.
cleanup() {
  local p alive
  for p in $radius_pid $pid; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 250); do
    alive=
    for p in $radius_pid $pid; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  for p in $radius_pid $pid; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 1" INT TERM  # run the cleanup on Ctrl-C or kill too

# Random tokens (hex: at least 32 characters, and safe in FreeRADIUS's expansions).
random_hex() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
admin_token=$(random_hex)
radius_token=$(random_hex)
radius_secret=$(random_hex)

# The server; its address is on the first line of its stdout.
"$bin" serve --listen 127.0.0.1:0 --database "sqlite://$work/m.db" --outbox "$work/outbox" \
  --secret-file "$work/secret.json" --admin-token "$admin_token" --radius-token "$radius_token" \
  --address-rate 0 --account-rate 0 --sweep-interval 0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n '1s#^listening on http://##p' "$work/out")
[ -n "$addr" ] || { echo "matkhau did not start:" >&2; cat "$work/err" >&2; exit 1; }

# FreeRADIUS on a free UDP port (asked of the kernel, then released: a small race, fine here).
radius_port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MATKHAU_RADIUS_URL="http://$addr/v1/radius/authenticate" MATKHAU_RADIUS_TOKEN="$radius_token" \
  MATKHAU_RADIUS_SECRET="$radius_secret" MATKHAU_RADIUS_RUN_DIR="$work/radius" \
  MATKHAU_RADIUS_PORT="$radius_port" sh "$root/deploy/freeradius/run.sh" >"$work/radius.out" 2>&1 &
radius_pid=$!  # run.sh execs FreeRADIUS: this is its pid
for _ in $(seq 200); do
  grep -q 'Ready to process requests' "$work/radius.out" 2>/dev/null && break
  kill -0 "$radius_pid" 2>/dev/null || break
  sleep 0.1
done
grep -q 'Ready to process requests' "$work/radius.out" ||
  { echo "FreeRADIUS did not start:" >&2; tail -20 "$work/radius.out" >&2; exit 1; }
echo "matkhau $addr (pid $pid), FreeRADIUS 127.0.0.1:$radius_port (pid $radius_pid), binary $bin" >&2

# Bounded: 380 accounts, 120 HTTP logins, 70 radclient processes and one run of 150 requests,
# each HTTP call within 30 s and each radclient within 20 s (120 s for the load run).
timeout 600 python3 "$here/otp.py" "$addr" "$admin_token" "$radius_port" "$radius_secret" "$work"
