"""Remote clients of the Igor-in-a-box tests: real pyzmq programs, written the way the
reference's documentation writes its clients (a REQ socket, JSON CallFunction messages).

    python3 igor_client.py <scenario> <port> [<second port>]

Each scenario checks the replies itself and exits 0 on success, 1 on the first mismatch
(printed). The C test program runs the scenario while its simulated Igor delivers IDLE events.
"""

import json
import sys
import time

import zmq

TIMEOUT_MS = 30000


def connect(port, kind=zmq.REQ):
    sock = zmq.Context.instance().socket(kind)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sock.connect(f"tcp://127.0.0.1:{port}")
    return sock


def request(name, *params, message_id=None):
    msg = {"version": 1, "CallFunction": {"name": name}}
    if params:
        msg["CallFunction"]["params"] = list(params)
    if message_id is not None:
        msg["messageID"] = message_id
    return json.dumps(msg)


def call(sock, payload):
    sock.send_string(payload)
    return json.loads(sock.recv())


def expect(what, got, wanted):
    if got != wanted:
        print(f"MISMATCH in {what}:\n  got    {got!r}\n  wanted {wanted!r}", flush=True)
        sys.exit(1)


def expect_no_reply(sock, millis, what):
    """Fails (exit 1) with `what` when a reply arrives on sock within `millis` ms."""
    if sock.poll(millis):
        print(what, flush=True)
        sys.exit(1)


def ok(result, by_ref=None, message_id=None):
    reply = {"errorCode": {"value": 0}, "result": result}
    if by_ref is not None:
        reply["passByReference"] = by_ref
    if message_id is not None:
        reply["messageID"] = message_id
    return reply


def var(value):
    return {"type": "variable", "value": value}


def string(value):
    return {"type": "string", "value": value}


def dfref(value):
    return {"type": "dfref", "value": value}


def scenario_idle_only(port):
    """The reply is computed at IDLE only: nothing comes back while Igor sends none."""
    sock = connect(port)
    sock.send_string(request("FunctionToCall"))
    expect_no_reply(sock, 1500, "a reply arrived although Igor sent no IDLE event")
    print("NO-REPLY-WITHOUT-IDLE", flush=True)
    expect("FunctionToCall", json.loads(sock.recv()), ok(var(4711)))


def check_error(sock, what, payload, code):
    reply = call(sock, payload)
    expect(what, reply["errorCode"]["value"], code)
    expect(what + " (no result)", "result" in reply, False)
    return reply


def scenario_calls(port):
    """Every parameter and return type, by-reference parameters, multiple return values,
    data folders and the call-time errors (SPEC 4.4 to 4.6)."""
    sock = connect(port)
    expect("no return statement", call(sock, request("TestFunctionNoArgs")), ok(var("nan")))
    expect("messageID", call(sock, request("FunctionToCall", message_id="abc")),
           ok(var(4711), message_id="abc"))
    expect("string", call(sock, request("TestFunctionStr", "Hi äß")), ok(string("Hi äß!")))
    expect("binary-safe string", call(sock, request("TestFunctionStr", "a\u0000b")),
           ok(string("a\u0000b!")))
    expect("variables in order", call(sock, request("TestFunctionVars", 1, "2")), ok(var(12)))
    expect("numbers as text", call(sock, request("TestFunctionVars", "1e1", True)), ok(var(101)))
    expect("non-finite", call(sock, request("TestFunctionVars", "inf", 0)), ok(var("inf")))
    expect("pass by reference", call(sock, request("TestFunctionPassByRef", 41, "hi")),
           ok(var(5), by_ref=[var(42), string("hi there")]))
    expect("multiple return values", call(sock, request("MRV4", 4711, "my string")),
           ok([var(4734), string("my string!!")]))
    expect("unset outputs", call(sock, request("MRVUnset")),
           ok([var(0), string(""), dfref("null"), {"type": "wave", "value": None}]))
    expect("dfref root", call(sock, request("ReturnDFR", "root:")), ok(dfref("root:")))
    expect("dfref path", call(sock, request("ReturnDFR", "root:Packages")),
           ok(dfref("root:Packages:")))
    expect("dfref relative", call(sock, request("ReturnDFR", ":Packages:Sub")),
           ok(dfref("root:Packages:Sub:")))
    expect("dfref missing", call(sock, request("ReturnDFR", "root:NoSuchFolder")),
           ok(dfref("null")))
    expect("free dfref", call(sock, request("ReturnFreeDFR")), ok(dfref("free")))
    expect("dfref by reference", call(sock, request("DFRByRef", "root:")),
           ok(var(0), by_ref=[dfref("root:Packages:")]))
    expect("null wave", call(sock, request("ReturnNullWave")),
           ok({"type": "wave", "value": None}))
    reply = call(sock, request("ReturnNamedWave"))
    wave = reply["result"]["value"]
    expect("named wave type", wave["type"], "NT_FP64")
    expect("named wave size", wave["dimension"]["size"], [2, 3])
    expect("named wave data", wave["data"]["raw"], [1, 2, 3, 4, 5, 6.5])
    expect("named wave unit", wave["data"]["unit"], "V")
    expect("named wave note", wave["note"], "a note")
    expect("named wave labels", wave["dimension"]["label"]["full"], ["rows", ""])
    expect("named wave delta", wave["dimension"]["delta"], [0.5, 1])
    expect("named wave date", wave["date"]["modification"] > 1600000000, True)
    expect("optional parameter", call(sock, request("OptionalParam", 3)), ok(var(3)))
    expect("null string", call(sock, request("ReturnNullString")), ok(string("")))
    expect("invalid UTF-8 replaced", call(sock, request("ReturnInvalidUtf8")),
           ok(string("a\ufffdb")))
    check_error(sock, "wave that contains itself", request("ReturnCyclicWave"), 10004)
    check_error(sock, "NUL in the name", request("Function\u0000ToCall"), 101)

    check_error(sock, "unknown function", request("NoSuchFunction"), 101)
    check_error(sock, "built-in", request("cos", 1), 101)
    check_error(sock, "long name", request("F" * 400), 101)
    check_error(sock, "too few", request("TestFunctionVars", 1), 102)
    check_error(sock, "too many", request("TestFunctionVars", 1, 2, 3), 103)
    check_error(sock, "optional not passed", request("OptionalParam", 1, 2), 103)
    check_error(sock, "not a number", request("TestFunctionVars", "1.a", 2), 106)
    check_error(sock, "trailing blank", request("TestFunctionVars", "1 ", 2), 106)
    check_error(sock, "wave parameter", request("WaveParam", "root:data"), 104)
    check_error(sock, "complex parameter", request("ComplexParam", 1), 104)
    check_error(sock, "complex before type", request("ComplexParam", "1.a"), 106)
    check_error(sock, "int parameter", request("IntParam", 1), 104)
    check_error(sock, "complex return", request("ComplexReturn"), 105)
    check_error(sock, "struct output", request("StructMRV"), 105)
    check_error(sock, "garbage", "garbage", 3)
    check_error(sock, "no version", json.dumps({"CallFunction": {"name": "a"}}), 4)

    reply = check_error(sock, "abort", request("AbortingFunction"), 107)
    expect("abort history", reply.get("history"), "Hello from the aborted function")
    reply = check_error(sock, "abort without output", request("SilentAbort"), 107)
    expect("no history key", "history" in reply, False)
    reply = check_error(sock, "messageID on errors",
                        request("NoSuchFunction", message_id="id1"), 101)
    expect("messageID echoed", reply.get("messageID"), "id1")
    expect("after the abort", call(sock, request("FunctionToCall")), ok(var(4711)))


def scenario_wave_types(port):
    """A wave of every numeric type and text, returned by a user function."""
    sock = connect(port)
    types = {
        0x02: "NT_FP32", 0x04: "NT_FP64", 0x08: "NT_I8", 0x10: "NT_I16", 0x20: "NT_I32",
        0x80: "NT_I64", 0x48: "NT_I8 | NT_UNSIGNED", 0x50: "NT_I16 | NT_UNSIGNED",
        0x60: "NT_I32 | NT_UNSIGNED", 0xC0: "NT_I64 | NT_UNSIGNED",
    }
    for code, name in types.items():
        wave = call(sock, request("ReturnWave", code))["result"]["value"]
        expect(f"type {name}", wave["type"], name)
        expect(f"data {name}", wave["data"]["raw"], [1, 2, 3])
        expect(f"free wave date {name}", wave["date"]["modification"], 0)
    for code, name in ((0x03, "NT_FP32 | NT_CMPLX"), (0x05, "NT_FP64 | NT_CMPLX")):
        wave = call(sock, request("ReturnWave", code))["result"]["value"]
        expect(f"type {name}", wave["type"], name)
        expect(f"complex {name}", wave["data"]["raw"], {"real": [1, 2, 3], "imag": [0, 0, 0]})
    wave = call(sock, request("ReturnWave", 0))["result"]["value"]
    expect("text wave", (wave["type"], wave["data"]["raw"]), ("TEXT_WAVE_TYPE", ["1", "2", "3"]))
    wave = call(sock, request("ReturnWave", 0x4000))["result"]["value"]
    expect("wave wave", wave["type"], "WAVE_TYPE")
    expect("wave wave elements", [None if w is None else w["data"]["raw"]
                                  for w in wave["data"]["raw"]], [[1, 2, 3], None, [1, 2, 3]])
    wave = call(sock, request("ReturnWave", 0x100))["result"]["value"]
    expect("dfref wave", (wave["type"], wave["data"]["raw"]),
           ("DATAFOLDER_TYPE", ["root:", "free", "null"]))


def scenario_busy(port, router_port):
    """Igor waits in zeromq_client_recv; remote calls run meanwhile (DoXOPIdle), then the
    message it waits for arrives."""
    sock = connect(port)
    expect("call while Igor waits", call(sock, request("FunctionToCall")), ok(var(4711)))
    expect("second call while Igor waits", call(sock, request("TestFunctionStr", "x")),
           ok(string("x!")))
    router = zmq.Context.instance().socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    router.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    router.bind(f"tcp://127.0.0.1:{router_port}")
    # The XOP's client sends once it is connected; its identity is what we answer to.
    frames = router.recv_multipart()
    expect("client message", frames[1:], [b"", b"ping"])
    router.send_multipart([frames[0], b"", b"done"])


def scenario_remote_stop(port):
    """A remote function calls zeromq_stop: the reply may be lost with the socket, nothing
    else may happen (the C side checks that Igor and the XOP go on)."""
    sock = connect(port)
    sock.send_string(request("RemoteStop"))
    if sock.poll(3000):
        expect("RemoteStop", json.loads(sock.recv()), ok(var(0)))
        print("remote_stop: answered", flush=True)
    else:
        print("remote_stop: the reply was lost with the closed socket", flush=True)


def scenario_publisher(port):
    """A pyzmq publisher: Igor's subscriber receives its messages (zeromq_sub_recv)."""
    pub = zmq.Context.instance().socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.bind(f"tcp://127.0.0.1:{port}")
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        pub.send_multipart([b"other", b"not subscribed"])
        pub.send_multipart([b"topic", "Grüße".encode()])
        time.sleep(0.02)


def scenario_subscriber(port):
    """A pyzmq subscriber of Igor's publisher: a two-frame and a multipart message."""
    sub = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sub.setsockopt(zmq.SUBSCRIBE, b"news")
    sub.connect(f"tcp://127.0.0.1:{port}")
    expect("pub_send", sub.recv_multipart(), [b"news", b"hello"])
    sub.setsockopt(zmq.UNSUBSCRIBE, b"news")
    sub.setsockopt(zmq.SUBSCRIBE, b"multi")
    while True:
        frames = sub.recv_multipart()
        if frames[0] == b"multi":
            break
    expect("pub_send_multi", frames, [b"multi", b"payload", bytes([1, 0, 2, 0])])


def scenario_bad_frames(port, pub_port):
    """Messages that break the frame layouts: a request without the empty delimiter frame
    to Igor's server, then a publication of three frames to Igor's subscriber."""
    dealer = connect(port, zmq.DEALER)
    dealer.send(b"no delimiter")
    pub = zmq.Context.instance().socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.bind(f"tcp://127.0.0.1:{pub_port}")
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        pub.send_multipart([b"topic", b"payload", b"third frame"])
        time.sleep(0.02)


def scenario_bad_reply(router_port):
    """A server that answers Igor's client without the empty delimiter frame."""
    router = zmq.Context.instance().socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    router.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    router.bind(f"tcp://127.0.0.1:{router_port}")
    frames = router.recv_multipart()
    router.send_multipart([frames[0], b"no delimiter"])
    time.sleep(0.5)


def scenario_too_big(port):
    """A request over the server's 1 KiB limit: dropped with the connection (SPEC 1.3)."""
    sock = connect(port, zmq.DEALER)
    sock.send_multipart([b"", b"x" * 1000000])
    time.sleep(0.5)


def scenario_call_exit(port):
    """A remote function that ends the Igor process: no reply comes, nothing hangs."""
    sock = connect(port)
    sock.send_string(request("ExitIgor"))
    expect_no_reply(sock, 2000, "a reply came from a process that exited")


def scenario_flood(port, millis=3000):
    """Requests keep arriving for `millis` ms, whatever happens to Igor meanwhile."""
    sock = connect(port, zmq.DEALER)
    sock.setsockopt(zmq.SNDTIMEO, 0)
    deadline = time.monotonic() + millis / 1000
    sent = answered = 0
    while time.monotonic() < deadline:
        try:
            sock.send_multipart([b"", request("FunctionToCall").encode()])
            sent += 1
        except zmq.Again:
            pass
        while sock.poll(0):
            sock.recv_multipart()
            answered += 1
        time.sleep(0.001)
    print(f"flood: sent {sent}, answered {answered}", flush=True)
    if sent == 0:
        sys.exit(1)


def main():
    scenario = globals().get("scenario_" + sys.argv[1])
    if scenario is None:  # the scenarios of the capabilities added later
        import igor_client_caps

        scenario = getattr(igor_client_caps, "scenario_" + sys.argv[1])
    args = [int(a) for a in sys.argv[2:] if a]
    scenario(*args)


if __name__ == "__main__":
    main()
