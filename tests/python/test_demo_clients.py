"""Clients the way labs write them, against the `zeromq-xop demo` host.

Usage: python3 test_demo_clients.py SERVER_ENDPOINT PUB_ENDPOINT
Every wait is bounded; the script exits non-zero on the first failed check.
"""
import json
import sys
import threading
import time

import numpy as np
import zmq

SERVER, PUB = sys.argv[1], sys.argv[2]
CTX = zmq.Context.instance()
TIMEOUT_MS = 10000
checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise AssertionError(what)
    checks += 1


def request(name, params=None, message_id=None):
    doc = {"version": 1, "CallFunction": {"name": name}}
    if params is not None:
        doc["CallFunction"]["params"] = params
    if message_id is not None:
        doc["messageID"] = message_id
    return json.dumps(doc)


def server_client(kind=zmq.REQ):
    """A client socket of `kind` connected to the demo server (no linger, bounded receives)."""
    s = CTX.socket(kind)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.connect(SERVER)
    return s


def req_call(sock, name, params=None, message_id=None):
    sock.send_string(request(name, params, message_id))
    text = sock.recv_string()
    return text, json.loads(text)


def test_req_client():
    s = server_client()
    text, r = req_call(s, "add", [1, 2.5], "first")
    check(text.startswith('{\n    "errorCode": {\n        "value": 0\n    },'), "pretty reply, errorCode first")
    check(r["result"] == {"type": "variable", "value": 3.5}, "add result")
    check(r["messageID"] == "first", "messageID echoed")
    _, r = req_call(s, "greet", ["Python"])
    check(r["result"]["value"] == "Hello, Python!", "greet result")
    _, r = req_call(s, "matrix", [3, 4])
    w = r["result"]["value"]
    check(r["result"]["type"] == "wave", "matrix is a wave")
    check(w["type"] == "NT_FP64" and w["dimension"]["size"] == [3, 4], "wave type and size")
    a = np.array(w["data"]["raw"], dtype=float).reshape(w["dimension"]["size"], order="F")
    expected = np.array([[10 * r + c for c in range(4)] for r in range(3)], dtype=float)
    check(np.array_equal(a, expected), "2-D wave reshaped with order='F'")
    check(w["data"]["unit"] == "V", "data unit")
    check(w["dimension"]["delta"] == [0.5, 1] and w["dimension"]["offset"] == [0, 0], "scaling")
    check(w["dimension"]["label"]["full"] == ["rows", "cols"], "labels")
    _, r = req_call(s, "ramp_i16", [5])
    check(r["result"]["value"]["type"] == "NT_I16", "int16 wave type")
    check(r["result"]["value"]["data"]["raw"] == [0, 1, 2, 3, 4], "int16 wave data")
    _, r = req_call(s, "divmod", [17, 5])
    check(r["result"] == [{"type": "variable", "value": 3}, {"type": "variable", "value": 2}], "multiple returns")
    _, r = req_call(s, "concat", ["ab", "cd"])
    check(r["result"]["value"] == "abcd", "concat result")
    check([p["value"] for p in r["passByReference"]] == ["ab", "cd"], "passByReference")
    _, r = req_call(s, "fail", ["something broke"], "f1")
    check(r["errorCode"] == {"msg": "CallFunction: The function was partially executed but aborted at some point.", "value": 107}, "fail code")
    check(r["history"] == "something broke" and r["messageID"] == "f1", "fail history and id")
    for name, params, code in [("nope", [], 101), ("add", [1], 102), ("add", [1, 2, 3], 103),
                               ("add", ["1.a", 2], 106), ("", [], 101)]:
        _, r = req_call(s, name, params)
        check(r["errorCode"]["value"] == code, f"{name}{params} -> {code}")
        check("result" not in r, "no result on error")
    for payload, code in [("garbage", 3), ("[1]", 4), ('{"version":1.0}', 4), ('{"version":1,"messageID":""}', 7),
                          ('{"version":1}', 5), ('{"version":1,"CallFunction":{"a":1,"b":2,"c":3}}', 6),
                          ('{"version":1,"CallFunction":{"name":"add","params":1}}', 106)]:
        s.send_string(payload)
        r = json.loads(s.recv_string())
        check(r["errorCode"]["value"] == code, f"{payload!r} -> {code}")
    s.close()


def test_pipelined_dealer(n=300):
    d = server_client(zmq.DEALER)
    for i in range(n):
        d.send_multipart([b"", request("add", [i, 0.5], f"p{i}").encode()])
    got = {}
    for _ in range(n):
        empty, body = d.recv_multipart()
        r = json.loads(body)
        got[r["messageID"]] = r["result"]["value"]
    check(len(got) == n, "every pipelined call answered once")
    check(all(got[f"p{i}"] == i + 0.5 for i in range(n)), "pipelined results matched by messageID")
    d.close()


def test_concurrent_clients(clients=20, calls=25):
    errors = []

    def run(c):
        try:
            d = server_client(zmq.DEALER)
            for i in range(calls):
                if i % 8 == 5:
                    d.send_multipart([b"no", b"delimiter", b"here"])  # malformed: dropped
                    d.send_multipart([b"", b"{not json"])
                    r = json.loads(d.recv_multipart()[1])
                    assert r["errorCode"]["value"] == 3
                mid = f"c{c}-{i}"
                d.send_multipart([b"", request("add", [c, i], mid).encode()])
                r = json.loads(d.recv_multipart()[1])
                assert r["messageID"] == mid, f"wrong client got {r['messageID']}"
                assert r["result"]["value"] == c + i
            d.close()
        except Exception as e:  # noqa: BLE001
            errors.append(f"client {c}: {e!r}")

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    check(not any(t.is_alive() for t in threads), "all clients finished")
    check(not errors, "; ".join(errors))


def test_subscriber():
    sub = CTX.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 500)
    sub.connect(PUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    time.sleep(0.3)
    s = server_client()
    deadline = time.time() + 12
    topics = {}
    while time.time() < deadline and not ({"heartbeat", "calls"} <= topics.keys()):
        req_call(s, "version")
        try:
            topic, payload = sub.recv_multipart()
            topics.setdefault(topic.decode(), payload.decode())
        except zmq.Again:
            pass
    check(topics.get("heartbeat") == "", "heartbeat with empty payload")
    check(topics.get("calls") == "version", "call event published")
    sub.close()
    s.close()


if __name__ == "__main__":
    started = time.time()
    test_req_client()
    test_pipelined_dealer()
    test_concurrent_clients()
    test_subscriber()
    print(f"python clients: {checks} checks passed in {time.time() - started:.1f} s")
