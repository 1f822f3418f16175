#!/usr/bin/env python3
"""The measuring half of bench/load/otp.sh (Python 3.11 stdlib only).

Usage: otp.py ADDR ADMIN_TOKEN RADIUS_PORT RADIUS_SECRET WORK_DIR

Against a running `matkhau serve` at ADDR (attempt rate buckets off) and FreeRADIUS
(deploy/freeradius) on 127.0.0.1:RADIUS_PORT, it
  1. creates the accounts (admin token): N plain citizens, N citizens with a confirmed
     authenticator app, RADIUS_SEQ + RADIUS_LOAD staff with one;
  2. times, one request at a time, N plain logins and N OTP logins (POST /v1/login, then
     POST /v1/login/otp), a fresh account each;
  3. times one radclient process per Access-Request for RADIUS_SEQ staff accounts (and
     Status-Server requests as the baseline of a radclient process), then one radclient run
     of RADIUS_LOAD requests, 10 in flight;
and prints a markdown table of the figures.

A code (RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps) is accepted once per account with one step
of clock skew, so every measured login uses an account whose only used step is the one of its
confirmation, and the code of max(now, that step + 1).
"""
import base64
import hashlib
import hmac
import json
import os
import re
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

N = 60  # measured HTTP logins of each kind
RADIUS_SEQ = 50  # radclient processes, one Access-Request each
RADIUS_LOAD = 150  # Access-Requests in the one radclient run with 10 in flight
STATUS_RUNS = 20  # Status-Server radclient processes (the process start baseline)
PASSWORD = "Trống-Đồng#Xanh-Biếc42"
HTTP_TIMEOUT = 30  # seconds, per HTTP request
STEP = 30


def totp(secret_b32, step):
    """RFC 6238 code of a time step."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def now_step():
    return int(time.time()) // STEP


class Client:
    def __init__(self, addr, admin_token):
        self.base = f"http://{addr}"
        self.admin_token = admin_token

    def post(self, path, body, admin=False):
        """POST JSON; answers (status, parsed body). A new connection per request."""
        headers = {"content-type": "application/json"}
        if admin:
            headers["authorization"] = f"Bearer {self.admin_token}"
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def expect(self, path, body, status, admin=False):
        code, answer = self.post(path, body, admin)
        if code != status:
            raise SystemExit(f"POST {path}: {code} {answer} (expected {status})")
        return answer


def create(client, username, kind, with_otp):
    """Creates an account; with_otp: enrols and confirms an app. Answers (secret, used step)."""
    client.expect("/v1/accounts", {"username": username, "email": f"{username}@example.vn",
                                   "kind": kind, "password": PASSWORD}, 201, admin=True)
    if not with_otp:
        return None
    secret = client.expect(f"/v1/accounts/{username}/otp", {"password": PASSWORD}, 201)["secret"]
    step = now_step()
    client.expect(f"/v1/accounts/{username}/otp/confirm",
                  {"password": PASSWORD, "code": totp(secret, step)}, 200)
    return secret, step


def fresh_code(enrolment):
    """A code the server takes for an account whose only used step is the confirmation's."""
    secret, used = enrolment
    step = max(now_step(), used + 1)
    return totp(secret, step)


def pct(values, p):
    """Nearest-rank percentile (with 60 samples p99 is the largest but none)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-p * len(s) // 100) - 1))
    return s[k]


def ms(x):
    return f"{x * 1000:.1f}"


def run_radclient(args, stdin, timeout=60):
    """Runs radclient; answers (wall seconds, stdout+stderr)."""
    t0 = time.perf_counter()
    p = subprocess.run(["radclient", *args], input=stdin.encode(), capture_output=True,
                       timeout=timeout)
    return time.perf_counter() - t0, (p.stdout + p.stderr).decode(errors="replace")


def radius_packet(username, enrolment):
    # radclient's attribute syntax: a quoted string, '"' and '\' escaped.
    password = (PASSWORD + fresh_code(enrolment)).replace("\\", "\\\\").replace('"', '\\"')
    return f'User-Name = "{username}"\nUser-Password = "{password}"\n'


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} × {model}"


def main():
    addr, admin_token, radius_port, radius_secret, work = sys.argv[1:6]
    client = Client(addr, admin_token)
    server = f"127.0.0.1:{radius_port}"

    # 1. Accounts, 4 at a time (each costs 1-3 argon2id hashes). The enrolments of the staff
    # accounts come last so that their confirmation steps are recent.
    t0 = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        plain = [f"plain{i}" for i in range(N)]
        otp = [f"otp{i}" for i in range(N)]
        staff = [f"staff{i}" for i in range(RADIUS_SEQ + RADIUS_LOAD)]
        list(pool.map(lambda u: create(client, u, "citizen", False), plain + ["warmup"]))
        otp_enrolments = dict(zip(otp, pool.map(lambda u: create(client, u, "citizen", True), otp)))
        staff_enrolments = dict(zip(staff, pool.map(lambda u: create(client, u, "staff", True), staff)))
    print(f"accounts created in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    # 2. HTTP logins, one at a time. A few unmeasured ones first (connection set-up, caches).
    for _ in range(5):
        client.expect("/v1/login", {"username": "warmup", "password": PASSWORD}, 200)
    plain_t = []
    for u in plain:
        t = time.perf_counter()
        code, answer = client.post("/v1/login", {"username": u, "password": PASSWORD})
        plain_t.append(time.perf_counter() - t)
        if code != 200 or answer.get("status") != "ok":
            raise SystemExit(f"plain login {u}: {code} {answer}")
    step1_t, step2_t, total_t = [], [], []
    for u in otp:
        otp_code = fresh_code(otp_enrolments[u])  # computed outside the timed calls
        t = time.perf_counter()
        code, answer = client.post("/v1/login", {"username": u, "password": PASSWORD})
        t1 = time.perf_counter()
        if code != 200 or answer.get("status") != "otp_required":
            raise SystemExit(f"OTP login step 1 {u}: {code} {answer}")
        code, answer2 = client.post("/v1/login/otp", {"ticket": answer["ticket"], "code": otp_code})
        t2 = time.perf_counter()
        if code != 200 or answer2.get("status") != "ok":
            raise SystemExit(f"OTP login step 2 {u}: {code} {answer2}")
        step1_t.append(t1 - t)
        step2_t.append(t2 - t1)
        total_t.append(t2 - t)

    # 3a. RADIUS, one radclient process per request. Baseline: Status-Server (answered by
    # FreeRADIUS itself, no HTTP call to matkhau).
    status_t = []
    for _ in range(STATUS_RUNS):
        wall, out = run_radclient(["-r", "1", "-t", "8", server, "status", radius_secret],
                                  "Message-Authenticator = 0x00\n", timeout=20)
        if "Received Access-Accept" not in out:
            raise SystemExit(f"Status-Server: {out}")
        status_t.append(wall)
    seq_t = []
    for u in staff[:RADIUS_SEQ]:
        wall, out = run_radclient(["-r", "1", "-t", "8", server, "auth", radius_secret],
                                  radius_packet(u, staff_enrolments[u]), timeout=20)
        if "Received Access-Accept" not in out:
            raise SystemExit(f"RADIUS {u}: {out}")
        seq_t.append(wall)

    # 3b. RADIUS under load: the remaining accounts in one file, 10 packets in flight.
    packets = "\n".join(radius_packet(u, staff_enrolments[u]) for u in staff[RADIUS_SEQ:])
    with open(os.path.join(work, "radius-load.txt"), "w") as f:
        f.write(packets)
    load_wall, out = run_radclient(["-p", "10", "-r", "1", "-t", "8", server, "auth", radius_secret],
                                   packets, timeout=120)
    accepts = len(re.findall(r"Received Access-Accept", out))
    rejects = len(re.findall(r"Received Access-Reject", out))
    timeouts = len(re.findall(r"No reply from server", out))

    # The table.
    def row(name, values):
        return f"| {name} | {len(values)} | {ms(pct(values, 50))} | {ms(pct(values, 90))} | {ms(pct(values, 99))} |"

    print(f"matkhau OTP and RADIUS load, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {machine()}")
    print()
    print("| measure (sequential, one request at a time; ms) | n | p50 | p90 | p99 |")
    print("| --- | --- | --- | --- | --- |")
    print(row("plain login `POST /v1/login` → ok", plain_t))
    print(row("OTP login step 1 `POST /v1/login` → otp_required", step1_t))
    print(row("OTP login step 2 `POST /v1/login/otp` → ok", step2_t))
    print(row("OTP login, both steps", total_t))
    print(row("radclient process, Status-Server (process start baseline)", status_t))
    print(row("radclient process, Access-Request → Access-Accept (incl. process start)", seq_t))
    print()
    added = pct(total_t, 50) - pct(plain_t, 50)
    print(f"| figure | value |")
    print(f"| --- | --- |")
    print(f"| added cost of OTP at p50 (p50 both steps − p50 plain login) | {ms(added)} ms |")
    print(f"| RADIUS Access-Request beyond a Status-Server, p50 | {ms(pct(seq_t, 50) - pct(status_t, 50))} ms |")
    print(f"| RADIUS under load: {RADIUS_LOAD} requests, 10 in flight, one radclient run | "
          f"{load_wall:.2f} s wall, {RADIUS_LOAD / load_wall:.1f} requests/s (incl. process start) |")
    print(f"| RADIUS under load: answers | {accepts} Access-Accept, {rejects} Access-Reject, "
          f"{timeouts} no reply |")
    if accepts != RADIUS_LOAD:
        print("radclient output of the load run:\n" + out[-3000:], file=sys.stderr)
        raise SystemExit(f"only {accepts} of {RADIUS_LOAD} Access-Accept under load")


if __name__ == "__main__":
    main()
