#!/usr/bin/env bash
# Leak-intake speed (issue 7): registers ACCOUNTS accounts (default 200) on a fresh SQLite
# database through the API, then times `matkhau leaked import` of a report naming them all (half
# with their current password, half with a stale one) plus UNKNOWN unknown usernames, and the
# same import again (which must change nothing). Re-run with:  bash bench/load/intake.sh
# Needs a release build (cargo build --release -p matkhau-host) and curl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/target/release/matkhau"
accounts=${ACCOUNTS:-200}
unknown=${UNKNOWN:-50}
[ -x "$bin" ] || (cd "$root" && cargo build --release -p matkhau-host)

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
"$bin" serve --listen 127.0.0.1:0 --database "sqlite://$work/matkhau.db" --sweep-interval 0 \
  --address-rate 0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's#listening on http://##p' "$work/out")
created=0
for i in $(seq 1 "$accounts"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' "http://$addr/v1/accounts" \
    -d "{\"username\":\"benh_vien_$i\",\"email\":\"bv$i@example.vn\",\"kind\":\"organisation\",\"password\":\"Trống-Đồng#Xanh-Biếc-$i\"}")
  [ "$code" = 201 ] && created=$((created + 1))
done
kill $pid; wait $pid 2>/dev/null || true
for i in $(seq 1 "$accounts"); do
  if [ $((i % 2)) = 0 ]; then echo "benh_vien_$i:Trống-Đồng#Xanh-Biếc-$i"; else echo "benh_vien_$i:Mat-Khau-Cu#$i"; fi
done > report.txt
for i in $(seq 1 "$unknown"); do echo "khong_co_$i:abc$i"; done >> report.txt
echo "== $created accounts registered; report of $(wc -l < report.txt) lines"
import() {
  /usr/bin/env time -f "wall %e s, peak resident %M KiB" "$bin" leaked import report.txt \
    --database "sqlite://$work/matkhau.db" --outbox "$work/outbox" 2>&1 >/dev/null | grep -v '^ *$'
}
echo "== first import"
import
echo "== the same report again"
import
