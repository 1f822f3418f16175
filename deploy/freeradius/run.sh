#!/bin/sh
# run.sh -- start the matkhau RADIUS front end (FreeRADIUS 3.2) in the foreground
#
# Usage:  run.sh            normal operation, log to stdout
#         run.sh -X         full debug output (prints passwords and the token!)
#
# Required environment:
#   MATKHAU_RADIUS_URL      e.g. http://127.0.0.1:8080/v1/radius/authenticate
#   MATKHAU_RADIUS_TOKEN    bearer token matkhau expects from FreeRADIUS
#   MATKHAU_RADIUS_SECRET   RADIUS shared secret with the VPN concentrator
#   MATKHAU_RADIUS_RUN_DIR  writable directory for the pid file (created if missing)
# Optional environment:
#   MATKHAU_RADIUS_LISTEN   address to listen on          (default 127.0.0.1)
#   MATKHAU_RADIUS_PORT     UDP authentication port       (default 1812)
#   MATKHAU_RADIUS_CLIENT   concentrator address or CIDR  (default 127.0.0.1)
#   MATKHAU_RADIUS_REQUIRE_MESSAGE_AUTHENTICATOR
#                           yes|no: drop requests without Message-Authenticator
#                           (default no)
set -eu

dir=$(cd "$(dirname "$0")" && pwd)

die() { echo "run.sh: $*" >&2; exit 2; }

# FreeRADIUS silently replaces an unset $ENV{...} with an empty string, so
# check everything here.
[ -n "${MATKHAU_RADIUS_URL:-}" ]     || die "MATKHAU_RADIUS_URL is not set"
[ -n "${MATKHAU_RADIUS_TOKEN:-}" ]   || die "MATKHAU_RADIUS_TOKEN is not set"
[ -n "${MATKHAU_RADIUS_SECRET:-}" ]  || die "MATKHAU_RADIUS_SECRET is not set"
[ -n "${MATKHAU_RADIUS_RUN_DIR:-}" ] || die "MATKHAU_RADIUS_RUN_DIR is not set"

# The token is pasted into an HTTP header through FreeRADIUS's "%{...}"
# expansion language, so keep it to characters that mean nothing there
# (hex, base64, base64url).
case "$MATKHAU_RADIUS_TOKEN" in
	*[!A-Za-z0-9._~+/=-]*) die "MATKHAU_RADIUS_TOKEN may only contain A-Z a-z 0-9 . _ ~ + / = -" ;;
esac
case "$MATKHAU_RADIUS_URL" in
	http://*|https://*) ;;
	*) die "MATKHAU_RADIUS_URL must start with http:// or https://" ;;
esac

export MATKHAU_RADIUS_LISTEN="${MATKHAU_RADIUS_LISTEN:-127.0.0.1}"
export MATKHAU_RADIUS_PORT="${MATKHAU_RADIUS_PORT:-1812}"
export MATKHAU_RADIUS_CLIENT="${MATKHAU_RADIUS_CLIENT:-127.0.0.1}"
export MATKHAU_RADIUS_REQUIRE_MESSAGE_AUTHENTICATOR="${MATKHAU_RADIUS_REQUIRE_MESSAGE_AUTHENTICATOR:-no}"
case "$MATKHAU_RADIUS_REQUIRE_MESSAGE_AUTHENTICATOR" in
	yes|no) ;;
	*) die "MATKHAU_RADIUS_REQUIRE_MESSAGE_AUTHENTICATOR must be yes or no" ;;
esac

mkdir -p "$MATKHAU_RADIUS_RUN_DIR"

# Debian names the binary "freeradius"; other systems call it "radiusd".
bin=$(command -v freeradius || command -v radiusd) || die "freeradius is not installed (apt-get install freeradius freeradius-rest)"

# -f: stay in the foreground; -P: write the pid file anyway (FreeRADIUS
# skips it in -f mode; it is not removed on exit); -d: use this directory,
# not /etc/freeradius;
# -l stdout: log to stdout instead of the log file in the run directory.
exec "$bin" -f -P -d "$dir" -l stdout "$@"
