"""Arrays in and out: numpy arrays as parameters (binary frames and JSON), binary and JSON
replies, every dtype, up to four dimensions, metadata, exact doubles, malformed frames, and
the fallback for servers that answer in JSON."""

import json
import threading

import numpy as np
import pytest
import zmq

from zeromq_xop import Client, Wave


def test_matrix_reply_binary_and_json_agree(demo):
    with Client(demo[0], binary=True) as b, Client(demo[0], binary=False) as j:
        mb, mj = b.call("matrix", 300, 200), j.call("matrix", 300, 200)
    r, c = np.meshgrid(np.arange(300), np.arange(200), indexing="ij")
    np.testing.assert_array_equal(mb, 10.0 * r + c)
    np.testing.assert_array_equal(mj, mb)
    for m in (mb, mj):
        assert m.shape == (300, 200) and m.dtype == np.float64
        assert m.data_unit == "V" and m.delta == [0.5, 1] and m.offset == [0, 0]
        assert m.dim_labels == ["rows", "cols"]
    np.testing.assert_array_equal(mb.scale(0)[:3], [0, 0.5, 1.0])


@pytest.mark.parametrize("frames", [True, False])
@pytest.mark.parametrize(
    "dtype", ["f8", "f4", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "c16", "c8"]
)
def test_every_numeric_dtype_round_trips(demo, dtype, frames):
    a = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * np.arange(24).reshape(2, 3, 4).astype(dtype)
    with Client(demo[0], frames=frames) as c:
        back = c.call("wave_echo", a)
        assert c.call("wave_info", a) == {
            "f8": "NT_FP64", "f4": "NT_FP32", "i1": "NT_I8", "u1": "NT_I8 | NT_UNSIGNED",
            "i2": "NT_I16", "u2": "NT_I16 | NT_UNSIGNED", "i4": "NT_I32",
            "u4": "NT_I32 | NT_UNSIGNED", "i8": "NT_I64", "u8": "NT_I64 | NT_UNSIGNED",
            "c16": "NT_FP64 | NT_CMPLX", "c8": "NT_FP32 | NT_CMPLX",
        }[dtype] + " 2x3x4"
    assert back.dtype == np.dtype(dtype).newbyteorder("<") and back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, a)


def test_layouts_and_dimensions(client):
    c_order = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(client.call("wave_echo", c_order), c_order)
    np.testing.assert_array_equal(client.call("wave_echo", np.asfortranarray(c_order)), c_order)
    np.testing.assert_array_equal(client.call("wave_echo", c_order[:, ::2]), c_order[:, ::2])
    four = np.arange(120, dtype="i4").reshape(2, 3, 4, 5)
    np.testing.assert_array_equal(client.call("wave_echo", four), four)
    assert client.call("wave_echo", np.zeros((0,))).shape == (0,)
    assert client.call("wave_sum", [1, 2, 3.5]) == 6.5
    assert client.call("wave_sum", np.array([True, False, True])) == 2.0
    big_endian = np.arange(5, dtype=">f8")
    np.testing.assert_array_equal(client.call("wave_echo", big_endian), big_endian)
    with pytest.raises(ValueError):
        client.call("wave_echo", np.zeros((1, 1, 1, 1, 2)))


def test_text_arrays_and_metadata(client):
    t = np.array([["a", "bü"], ["", "d"]])
    back = client.call("wave_echo", t)
    assert back.shape == (2, 2) and back.tolist() == t.tolist()
    assert client.call("wave_info", t) == "TEXT_WAVE_TYPE 2x2"
    w = Wave(
        np.arange(6.0).reshape(2, 3),
        data_unit="V",
        dim_units=["s", "m"],
        delta=[0.5, 2.0],
        offset=[-1.0, 3.0],
        dim_labels=["time", "space"],
        index_labels=[["r0", ""], ["", "c1", "c2"]],
        full_scale=(-10.0, 10.0),
        note="a note ✓",
        modification=1685115358,
    )
    back = client.call("wave_echo", w)
    np.testing.assert_array_equal(back, w)
    for key in ("data_unit", "dim_units", "delta", "offset", "dim_labels", "index_labels",
                "note", "modification"):
        assert getattr(back, key) == getattr(w, key), key
    assert back.full_scale == (-10.0, 10.0)


def test_every_double_survives_exactly_in_binary_mode(demo):
    nan_payload = np.frombuffer(np.uint64(0x7FF80000DEADBEEF).tobytes(), dtype="f8")[0]
    special = np.array(
        [np.finfo(np.float64).max, -np.finfo(np.float64).max, np.finfo(np.float64).tiny,
         5e-324, 2.225073858507201e-308, -0.0, 0.1, 1 / 3, np.inf, -np.inf, nan_payload]
    )
    rng = np.random.default_rng(7)
    random = rng.standard_normal(1000) * 10.0 ** rng.integers(-300, 300, 1000)
    values = np.concatenate([special, random])
    with Client(demo[0]) as c:
        back = c.call("wave_echo", values)
        # Data frames: bit for bit, the NaN's payload included.
        np.testing.assert_array_equal(back.view("u8"), values.view("u8"))
        # Numbers in the JSON (parameters and variables): exact, NaN stays NaN.
        for v in list(special) + list(random[:100]):
            got = c.call("add", float(v), -0.0)
            if np.isnan(v):
                assert np.isnan(got)
            else:
                assert np.float64(got).view("u8") == np.float64(v).view("u8"), v


def test_json_mode_loses_digits_binary_mode_does_not(demo):
    v = 0.1 + 0.2  # 0.30000000000000004 needs 17 digits
    with Client(demo[0], binary=False) as j, Client(demo[0]) as b:
        assert j.call("add", v, 0) != v
        assert b.call("add", v, 0) == v


def _raw_call(endpoint, frames):
    ctx = zmq.Context.instance()
    s = ctx.socket(zmq.REQ)
    s.linger = 0
    s.rcvtimeo = 10000
    s.connect(endpoint)
    try:
        s.send_multipart(frames)
        return s.recv_multipart()
    finally:
        s.close()


@pytest.mark.parametrize(
    "data, frames, needle",
    [
        ({"buffer": 1}, [b"\0" * 16], "out of range"),
        ({"buffer": 0}, [b"\0" * 15], "needs exactly 16"),
        ({"buffer": 0}, [b"\0" * 16, b"more"], "not referenced"),
        ({"buffer": -1}, [b"\0" * 16], "frame index"),
        ({"buffer": 0.5}, [b"\0" * 16], "frame index"),
        ({"buffer": "0"}, [b"\0" * 16], "frame index"),
    ],
)
def test_malformed_buffer_references_are_answered(demo, client, data, frames, needle):
    param = {"type": "NT_FP64", "data": data, "dimension": {"size": [2]}}
    req = {"version": 1, "messageID": "bad", "CallFunction": {"name": "wave_sum", "params": [param]}}
    reply = _raw_call(demo[0], [json.dumps(req).encode()] + frames)
    doc = json.loads(reply[0])
    assert doc["errorCode"]["value"] == 106 and doc["messageID"] == "bad"
    assert needle in doc["errorCode"]["detail"]
    assert client.call("wave_sum", [1.0, 2.0]) == 3.0  # still serving


def test_buffer_on_a_text_wave_is_refused(demo):
    param = {"type": "TEXT_WAVE_TYPE", "data": {"buffer": 0}, "dimension": {"size": [1]}}
    req = {"version": 1, "CallFunction": {"name": "wave_info", "params": [param]}}
    doc = json.loads(_raw_call(demo[0], [json.dumps(req).encode(), b"abcd"])[0])
    assert doc["errorCode"]["value"] == 106 and "numeric" in doc["errorCode"]["detail"]


def test_fallback_for_servers_that_answer_in_json():
    """A server like the reference XOP: ignores "binary" and answers with JSON raw data."""
    ctx = zmq.Context.instance()
    router = ctx.socket(zmq.ROUTER)
    router.linger = 0
    port = router.bind_to_random_port("tcp://127.0.0.1")
    seen = []

    def serve():
        msg = router.recv_multipart()
        seen.append(json.loads(msg[2]))
        reply = {
            "errorCode": {"value": 0},
            "messageID": seen[-1]["messageID"],
            "result": {"type": "wave", "value": {
                "data": {"raw": [1, "nan", 3, 4]}, "date": {"modification": 0},
                "dimension": {"size": [2, 2]}, "type": "NT_FP64"}},
        }
        router.send_multipart(msg[:2] + [json.dumps(reply, indent=4).encode()])

    t = threading.Thread(target=serve)
    t.start()
    with Client("tcp://127.0.0.1:%d" % port, timeout=10) as c:
        w = c.call("anything", 1)
    t.join(10)
    router.close()
    assert seen[0]["binary"] is True
    assert w.shape == (2, 2) and w[1, 1] == 4 and np.isnan(w[1, 0])
