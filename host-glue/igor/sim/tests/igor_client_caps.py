"""Remote clients of the Igor-in-a-box tests of the capabilities added after the simulation
(run through igor_client.py, which falls back to this module): heartbeat settings, wave
parameters and binary replies, and the security functions. Texts the C side chooses (topics,
keys) arrive in environment variables; every wait is bounded."""

import json
import os
import struct
import time

import zmq

from igor_client import (call, check_error, connect, expect, expect_no_reply, ok, request,
                         var)

# --- heartbeat ---------------------------------------------------------------------------------


def subscriber(port):
    sub = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"tcp://127.0.0.1:{port}")
    return sub


def scenario_heartbeat(port, period_ms):
    """A subscriber to "" sees the topic of IGOR_SIM_TOPIC every `period_ms` ms and nothing
    else (no default "heartbeat")."""
    topic = os.environ["IGOR_SIM_TOPIC"].encode()
    sub = subscriber(port)
    beats = []
    deadline = time.monotonic() + max(5.0, 12 * period_ms / 1000)
    while len(beats) < 6 and time.monotonic() < deadline:
        if sub.poll(100):
            frames = sub.recv_multipart()
            expect("heartbeat frames", frames, [topic, b""])
            beats.append(time.monotonic())
    expect("heartbeats seen", len(beats), 6)
    gaps = sorted(b - a for a, b in zip(beats, beats[1:]))
    median = gaps[len(gaps) // 2] * 1000
    print(f"heartbeat {topic!r}: median gap {median:.0f} ms for {period_ms} ms", flush=True)
    expect("heartbeat period", 0.5 * period_ms <= median <= 2.5 * period_ms, True)


def scenario_no_heartbeat(port):
    """Period 0: the subscriber sees Igor's own messages ("news") and no heartbeat at all."""
    sub = subscriber(port)
    news = 0
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if sub.poll(100):
            frames = sub.recv_multipart()
            expect("only Igor's messages", frames, [b"news", b"x"])
            news += 1
    expect("Igor's messages arrive", news > 0, True)


# --- wave parameters and binary replies --------------------------------------------------------


def fp64(raw, size, **extra):
    wave = {"type": "NT_FP64", "dimension": {"size": size}, "data": {"raw": raw}}
    wave.update(extra)
    return wave


def binary_call(sock, name, params, frames):
    msg = {"version": 1, "binary": True, "CallFunction": {"name": name, "params": params}}
    sock.send_multipart([json.dumps(msg).encode()] + frames)
    return sock.recv_multipart()


def scenario_wave_params(port):
    """Waves as parameters of a user function's WAVE input (JSON and data frames), a wave for
    a variable input, and a numeric wave result as a frame of a binary reply."""
    sock = connect(port)
    plain = "free=1 type=4 dims=2,3 data=1,2,3,4,5,6 unit= dunits=, scale=1:0,1:0 note="
    expect("JSON wave", call(sock, request("DescribeWave", fp64([1, 2, 3, 4, 5, 6], [2, 3]))),
           ok({"type": "string", "value": plain}))
    meta = {"type": "NT_FP32", "note": "hello",
            "dimension": {"size": [3], "delta": [0.5], "offset": [2], "unit": ["s"]},
            "data": {"raw": [1.5, 2, -3], "unit": "V"}}
    expect("wave with units, scaling and note", call(sock, request("DescribeWave", meta)),
           ok({"type": "string",
               "value": "free=1 type=2 dims=3 data=1.5,2,-3 unit=V dunits=s scale=0.5:2 note=hello"}))
    ints = {"type": "NT_I16", "dimension": {"size": [2]}, "data": {"raw": [-1, 2]}}
    expect("integer wave", call(sock, request("DescribeWave", ints)),
           ok({"type": "string",
               "value": "free=1 type=16 dims=2 data=-1,2 unit= dunits= scale=1:0 note="}))
    refs = {"type": "WAVE_TYPE", "dimension": {"size": [3]},
            "data": {"raw": [fp64([1, 2], [2]), None, fp64([1, 2, 3], [3])]}}
    expect("wave-reference wave", call(sock, request("DescribeWave", refs)),
           ok({"type": "string",
               "value": "free=1 type=16384 dims=3 data=2,null,3 unit= dunits= scale=1:0 note="}))
    frame = struct.pack("<6d", 1, 2, 3, 4, 5, 6)
    param = {"type": "NT_FP64", "dimension": {"size": [2, 3]}, "data": {"buffer": 0}}
    reply = binary_call(sock, "DescribeWave", [param], [frame])
    expect("wave from a data frame", (len(reply), json.loads(reply[0])["result"]["value"]),
           (1, plain))
    check_error(sock, "wave for a variable", request("NumberParam", fp64([1], [1])), 106)
    reply = binary_call(sock, "NumberParam", [param], [frame])
    expect("wave frame for a variable", json.loads(reply[0])["errorCode"]["value"], 106)
    expect("variable still works", call(sock, request("NumberParam", 3)), ok(var(3)))

    reply = binary_call(sock, "DoubleWave", [param], [frame])
    expect("binary reply frames", len(reply), 2)
    doc = json.loads(reply[0])
    wave = doc["result"]["value"]
    expect("binary result type", (wave["type"], wave["dimension"]["size"]), ("NT_FP64", [2, 3]))
    k = wave["data"]["buffer"]
    expect("binary result bytes", reply[1 + k], struct.pack("<6d", 2, 4, 6, 8, 10, 12))
    wave = call(sock, request("DoubleWave", fp64([1, 2, 3, 4, 5, 6], [2, 3])))["result"]["value"]
    expect("JSON result", wave["data"]["raw"], [2, 4, 6, 8, 10, 12])
    print("wave_params: JSON and frame parameters, 106, binary result frame checked", flush=True)


# --- security ----------------------------------------------------------------------------------


def scenario_allow_list(port):
    """zeromq_handler_allow("FunctionToCall"): only that one runs, others are unknown (101)."""
    sock = connect(port)
    expect("listed", call(sock, request("FunctionToCall")), ok(var(4711)))
    check_error(sock, "not listed", request("OtherFunction"), 101)


def scenario_allow_all(port):
    """After zeromq_handler_allow_reset every function runs again."""
    sock = connect(port)
    expect("listed", call(sock, request("FunctionToCall")), ok(var(4711)))
    expect("no list", call(sock, request("OtherFunction")), ok(var(42)))


def scenario_refused(port):
    """A connection the address rules refuse: no reply within a bounded wait."""
    sock = connect(port)
    sock.send_string(request("FunctionToCall"))
    expect_no_reply(sock, 1500, "a refused client got a reply")


def scenario_curve(port):
    """A CURVE client with the server key of IGOR_SIM_SERVER_KEY gets replies; a client
    without CURVE gets none."""
    plain = connect(port)
    plain.send_string(request("FunctionToCall"))
    sock = zmq.Context.instance().socket(zmq.REQ)
    public, secret = zmq.curve_keypair()
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 30000)
    sock.setsockopt(zmq.CURVE_SERVERKEY, os.environ["IGOR_SIM_SERVER_KEY"].encode())
    sock.setsockopt(zmq.CURVE_PUBLICKEY, public)
    sock.setsockopt(zmq.CURVE_SECRETKEY, secret)
    sock.connect(f"tcp://127.0.0.1:{port}")
    expect("CURVE call", call(sock, request("FunctionToCall")), ok(var(4711)))
    expect("second CURVE call", call(sock, request("OtherFunction")), ok(var(42)))
    expect_no_reply(plain, 500, "a client without CURVE got a reply")
