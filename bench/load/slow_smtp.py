"""A minimal SMTP server for bench/load/faults.sh: takes every message and answers the end of
its data only after DELAY seconds (a slow mail server). Standard library only; loopback only."""
import socket
import sys
import threading
import time

DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 6.0


def session(conn):
    f = conn.makefile("rwb")
    f.write(b"220 slow.test ESMTP\r\n"); f.flush()
    data = False
    for line in f:
        if data:
            if line in (b".\r\n", b".\n"):
                data = False
                time.sleep(DELAY)
                f.write(b"250 OK\r\n"); f.flush()
            continue
        verb = line[:4].upper()
        if verb in (b"EHLO", b"HELO"):
            f.write(b"250 slow.test\r\n")
        elif verb == b"DATA":
            data = True
            f.write(b"354 go on\r\n")
        elif verb == b"QUIT":
            f.write(b"221 bye\r\n"); f.flush()
            break
        else:
            f.write(b"250 OK\r\n")
        f.flush()
    conn.close()


server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(16)
while True:
    c, _ = server.accept()
    threading.Thread(target=session, args=(c,), daemon=True).start()
