"""pyzmq clients with CURVE and certificates made by pyzmq's own tools, against the
`zeromq-xop demo` host started with --curve, --allow-keys, --deny and --allow-functions.

Usage:
  python3 test_security_clients.py make DIR
      DIR/server.key(_secret), DIR/clients/client.key(_secret) (allowed),
      DIR/others/stranger.key(_secret) (not allowed), with zmq.auth.create_certificates.
  python3 test_security_clients.py check SERVER PUB DIR OUR_CERT OUR_PUBLIC_KEY
      The clients' checks; OUR_CERT is a secret certificate the library wrote, which pyzmq
      must read back. Every wait is bounded; exits non-zero on the first failed check.
"""
import json
import os
import sys
import time

import zmq
import zmq.auth

REFUSED_WAIT_MS = 1500
TIMEOUT_MS = 10000
CTX = zmq.Context.instance()


class Checks:
    """Counts passed checks; the first failed one raises with its description."""

    def __init__(self):
        self.passed = 0

    def __call__(self, cond, what):
        if not cond:
            raise AssertionError(what)
        self.passed += 1


check = Checks()


def make(base):
    for sub in ("", "clients", "others"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    zmq.auth.create_certificates(base, "server")
    zmq.auth.create_certificates(os.path.join(base, "clients"), "client")
    zmq.auth.create_certificates(os.path.join(base, "others"), "stranger")


def socket(kind, endpoint, server_key=None, cert=None, timeout=TIMEOUT_MS):
    s = CTX.socket(kind)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, timeout)
    # A refused connection leaves no peer to queue for: sends wait at most this long.
    s.setsockopt(zmq.SNDTIMEO, timeout)
    if server_key is not None:
        public, secret = zmq.auth.load_certificate(cert)
        s.curve_secretkey = secret
        s.curve_publickey = public
        s.curve_serverkey = server_key
    s.connect(endpoint)
    return s


def request(name, params):
    return json.dumps({"version": 1, "CallFunction": {"name": name, "params": params}})


def req_call(s, name, params):
    """The reply document, or None when nothing arrives within the socket's timeout."""
    try:
        s.send_string(request(name, params))
        return json.loads(s.recv_string())
    except zmq.Again:
        return None


def run_checks(server, pub, base, our_cert, our_public):
    server_key, _ = zmq.auth.load_certificate(os.path.join(base, "server.key"))
    client = os.path.join(base, "clients", "client.key_secret")
    stranger = os.path.join(base, "others", "stranger.key_secret")
    stranger_key, _ = zmq.auth.load_certificate(os.path.join(base, "others", "stranger.key"))

    # The right keys: REQ, DEALER and SUB work.
    req = socket(zmq.REQ, server, server_key, client)
    r = req_call(req, "add", [1, 2])
    check(r is not None and r["result"]["value"] == 3, f"CURVE REQ add: {r}")
    dealer = socket(zmq.DEALER, server, server_key, client)
    dealer.send_multipart([b"", request("greet", ["CURVE"]).encode()])
    empty, reply = dealer.recv_multipart()
    check(empty == b"" and json.loads(reply)["result"]["value"] == "Hello, CURVE!", "CURVE DEALER")
    sub = socket(zmq.SUB, pub, server_key, client)
    sub.setsockopt(zmq.SUBSCRIBE, b"calls")
    sub.setsockopt(zmq.RCVTIMEO, 200)
    got = None
    deadline = time.monotonic() + 10
    while got is None and time.monotonic() < deadline:
        req_call(req, "add", [2, 3])
        try:
            got = sub.recv_multipart()
        except zmq.Again:
            pass
    check(got is not None and got[0] == b"calls", f"CURVE SUB got the call event: {got}")

    # Refused: wrong server key, a client key not on the list, no CURVE at all, an address
    # that is denied. Each gets nothing within the bound.
    wrong = socket(zmq.REQ, server, stranger_key, client, REFUSED_WAIT_MS)
    check(req_call(wrong, "add", [1, 2]) is None, "wrong server key gets no reply")
    unlisted = socket(zmq.REQ, server, server_key, stranger, REFUSED_WAIT_MS)
    check(req_call(unlisted, "add", [1, 2]) is None, "unlisted client key gets no reply")
    plain = socket(zmq.REQ, server, timeout=REFUSED_WAIT_MS)
    check(req_call(plain, "add", [1, 2]) is None, "no CURVE gets no reply")
    port = server.rsplit(":", 1)[1]
    denied = socket(zmq.REQ, f"tcp://127.0.0.2:0;127.0.0.1:{port}", server_key, client,
                    REFUSED_WAIT_MS)
    check(req_call(denied, "add", [1, 2]) is None, "denied source address gets no reply")

    # Functions outside the allow list are unknown (101); the server keeps serving.
    r = req_call(req, "matrix", [2, 2])
    check(r is not None and r["errorCode"]["value"] == 101, f"matrix not allowed: {r}")
    r = req_call(req, "add", [40, 2])
    check(r is not None and r["result"]["value"] == 42, "still serving")

    # A certificate the library wrote reads back with pyzmq's tools.
    public, secret = zmq.auth.load_certificate(our_cert)
    check(public == our_public.encode(), "pyzmq reads the library's public key")
    check(secret is not None and zmq.curve_public(secret) == public, "and its secret key")
    public_only, none = zmq.auth.load_certificate(our_cert[: -len("_secret")])
    check(public_only == public and none is None, "and its public certificate")
    check(our_public.encode() in zmq.auth.load_certificates(os.path.dirname(our_cert)),
          "load_certificates finds it")

    for s in (req, dealer, sub, wrong, unlisted, plain, denied):
        s.close()
    print(f"{check.passed} checks passed")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        run_checks(*sys.argv[2:7])
