#!/usr/bin/env python3
"""Generic sockets of the MEX gateway in a real GNU Octave against pyzmq peers.

Scenario `sockets`: Octave runs check_sockets.m; this driver plays the peers, written the
way pyzmq's documentation writes them: a REP and a REQ, a PUSH ventilator and a PULL sink
around an Octave worker, a DEALER talking to an Octave ROUTER, a PUB and a SUB on both sides
of an Octave XPUB/XSUB forwarder, and a PUSH, a REQ and a PUB feeding a poll over three
Octave sockets.

Usage: octave_sockets.py --mex-dir DIR [--octave PATH] [sockets]
"""

import sys
import threading
import time

import octave_tests as base
import zmq

TIMEOUT_MS = 20000


def new_socket(context, kind, **options):
    s = context.socket(kind)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    for name, value in options.items():
        s.setsockopt(getattr(zmq, name), value)
    return s


def bound(context, kind):
    s = new_socket(context, kind)
    s.bind("tcp://127.0.0.1:*")
    return s, s.getsockopt_string(zmq.LAST_ENDPOINT)


class Peers:
    """The Python side; each peer runs in a thread and records its checks."""

    def __init__(self, checks):
        self.checks = checks
        self.context = zmq.Context()
        self.threads = []
        self.stop = threading.Event()

    def run(self, what, fn, *args):
        def guarded():
            try:
                fn(*args)
            except Exception as e:  # every failure is a failed check, never a hang
                self.checks.check(False, "%s: %r" % (what, e))
        t = threading.Thread(target=guarded, daemon=True)
        t.start()
        self.threads.append(t)

    def rep(self, sock):
        frames = sock.recv_multipart()
        self.checks.check(frames[0] == b"ping" and frames[1] == bytes(
            b"\x07\0\0\0\x08\0\0\0\x09\0\0\0"), "the Python REP got [ping, int32 7 8 9]")
        sock.send_multipart([b"pong", frames[1]])

    def req(self, endpoint):
        sock = new_socket(self.context, zmq.REQ)
        sock.connect(endpoint)
        sock.send_multipart([b"question", b"in two frames"])
        reply = sock.recv_multipart()
        self.checks.check(reply == [b"answer", "ü".encode("utf-8")],
                          "the Python REQ got [answer, ü] (%r)" % reply)
        sock.close()

    def ventilator(self, sock):
        for i in range(10):
            sock.send_string("task %d" % i)

    def sink(self, sock):
        done = sorted(sock.recv_string() for _ in range(10))
        self.checks.check(done == sorted("done %d" % i for i in range(10)),
                          "the sink got every result of the Octave worker")

    def dealer(self, endpoint):
        sock = new_socket(self.context, zmq.DEALER, ROUTING_ID=b"py-dealer")
        sock.connect(endpoint)
        sock.send(b"hello router")
        reply = sock.recv_multipart()
        self.checks.check(reply == [b"hello dealer"], "the DEALER got the ROUTER's reply")
        sock.close()

    def forwarder_peers(self, xsub_ep, xpub_ep):
        pub = new_socket(self.context, zmq.PUB)
        pub.connect(xsub_ep)
        sub = new_socket(self.context, zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"topic")
        sub.setsockopt(zmq.RCVTIMEO, 50)
        sub.connect(xpub_ep)
        got = []
        deadline = time.monotonic() + 25
        i = 0
        while len(got) < 5 and time.monotonic() < deadline:
            pub.send_multipart([b"topic", b"data %d" % i])
            pub.send_multipart([b"other", b"not subscribed"])
            i += 1
            try:
                got.append(sub.recv_multipart())
            except zmq.Again:
                pass
        self.checks.check(len(got) >= 5 and all(m[0] == b"topic" and m[1].startswith(b"data")
                                                for m in got),
                          "the SUB got the PUB's messages through the Octave forwarder")
        pub.close()
        sub.close()

    def poll_feeders(self, pull_ep, rep_ep, sub_ep, polled):
        push = new_socket(self.context, zmq.PUSH)
        push.connect(pull_ep)
        req = new_socket(self.context, zmq.REQ)
        req.connect(rep_ep)
        pub = new_socket(self.context, zmq.PUB)
        pub.connect(sub_ep)
        push.send(b"to the PULL")
        time.sleep(0.2)
        req.send(b"to the REP")
        self.checks.check(req.recv() == b"polled", "the REQ got the answer of the polled REP")
        deadline = time.monotonic() + 25
        while not polled.is_set() and time.monotonic() < deadline:
            pub.send_multipart([b"news", b"for the SUB"])
            time.sleep(0.02)
        for s in (push, req, pub):
            s.close()

    def join(self):
        for t in self.threads:
            t.join(30)
        self.context.term()


def scenario_sockets(args):
    checks = base.Checks("sockets")
    peers = Peers(checks)
    rep, rep_ep = bound(peers.context, zmq.REP)
    push, push_ep = bound(peers.context, zmq.PUSH)
    pull, pull_ep = bound(peers.context, zmq.PULL)
    peers.run("REP", peers.rep, rep)
    peers.run("ventilator", peers.ventilator, push)
    peers.run("sink", peers.sink, pull)
    octave = base.OctaveProcess(args.octave, args.mex_dir, "zmqtest_run('check_sockets')",
                                env={"ZT_REP": rep_ep, "ZT_PUSH": push_ep,
                                     "ZT_PULL": pull_ep}, seconds=150)
    polled = threading.Event()
    starters = {
        "rep": lambda eps: peers.run("REQ", peers.req, eps[0]),
        "router": lambda eps: peers.run("DEALER", peers.dealer, eps[0]),
        "forwarder": lambda eps: peers.run("forwarder", peers.forwarder_peers, *eps),
        "poll3": lambda eps: peers.run("poll", peers.poll_feeders, *eps, polled),
    }
    try:
        while True:
            match = octave.wait_for(r"^(BOUND (\w+) (.*)|POLLED all)$", 150)
            if match is None:
                break
            if match.group(2) is None:
                polled.set()
                continue
            starters[match.group(2)](match.group(3).split())
    finally:
        polled.set()
        status = octave.finish(60)
        for s in (rep, push, pull):
            s.close()
        peers.join()
    checks.check(status == 0, "check_sockets exited with status %s" % status)
    checks.check(any(line.startswith("PASS check_sockets") for line in octave.output),
                 "check_sockets printed PASS")
    return checks


SCENARIOS = {"sockets": scenario_sockets}

if __name__ == "__main__":
    sys.exit(base.main(SCENARIOS))
