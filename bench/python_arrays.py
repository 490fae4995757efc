"""Row 8 of `zeromq-xop-bench`: arrays between a Python client and a host, end to end.

Usage: python_arrays.py ENDPOINT ROWS COLS REPS

Against the demo host at ENDPOINT, with the zeromq_xop package (python/), measures the median
time of: a ROWS x COLS NT_FP64 wave returned by `matrix` and decoded to numpy in binary mode
and in JSON mode; the same array sent as a parameter of `wave_sum` in binary mode (a data
frame) and in JSON mode; and a raw pyzmq REQ/REP transfer of the same bytes each way (the
baseline: what libzmq alone costs, decoded with numpy.frombuffer). Prints one JSON object of
seconds.
"""

import json
import statistics
import sys
import threading
import time

import numpy as np
import zmq

from zeromq_xop import Client


def interleaved(cases, reps, every):
    """Median seconds per case; the cases alternate round by round (so load that comes and
    goes hits them alike). A case with every=k runs only every k-th round (slow ones)."""
    times = {name: [] for name in cases}
    for r in range(reps):
        for name, f in cases.items():
            if r % every.get(name, 1) == 0:
                t = time.perf_counter()
                f()
                times[name].append(time.perf_counter() - t)
    return {name: statistics.median(t) for name, t in times.items()}


class RawPair:
    """The baseline: a REQ client and a REP thread (own context) over tcp loopback, moving
    the same bytes with nothing but pyzmq and numpy.frombuffer."""

    def __init__(self, rows, cols):
        self.ctx = zmq.Context()
        self.rep = self.ctx.socket(zmq.REP)
        self.rep.linger = 0
        port = self.rep.bind_to_random_port("tcp://127.0.0.1")
        self.payload = np.arange(rows * cols, dtype="<f8").tobytes()
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()
        self.req = self.ctx.socket(zmq.REQ)
        self.req.linger = 0
        self.req.connect("tcp://127.0.0.1:%d" % port)
        self.shape = (rows, cols)

    def _serve(self):
        while True:
            msg = self.rep.recv(copy=False)
            if msg.bytes[:4] == b"stop":
                self.rep.send(b"")
                return
            if len(msg) > 16:
                # A parameter: read it as a host would, answer with a number.
                self.rep.send(np.frombuffer(msg.buffer, dtype="<f8").sum().tobytes())
            else:
                self.rep.send(self.payload, copy=False)

    def reply(self):
        self.req.send(b"get")
        m = self.req.recv(copy=False)
        a = np.frombuffer(m.buffer, dtype="<f8").reshape(self.shape, order="F")
        assert a.shape == self.shape

    def param(self, x):
        self.req.send(memoryview(x), copy=False)
        self.req.recv()

    def close(self):
        self.req.send(b"stop")
        self.req.recv()
        self.thread.join()
        self.req.close()
        self.rep.close()
        self.ctx.term()


def main():
    endpoint, rows, cols, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x = np.random.default_rng(4).standard_normal(rows * cols)
    raw = RawPair(rows, cols)
    with Client(endpoint, timeout=300) as b, Client(
        endpoint, timeout=300, binary=False, frames=False
    ) as j:
        m = b.call("matrix", rows, cols)
        assert m.shape == (rows, cols) and m[rows - 1, cols - 1] == 10.0 * (rows - 1) + cols - 1
        assert np.array_equal(j.call("matrix", rows, cols), m)
        assert abs(b.call("wave_sum", x) - x.sum()) < 1e-6
        raw.reply()
        cases = {
            "reply_binary": lambda: b.call("matrix", rows, cols),
            "reply_raw": raw.reply,
            "reply_json": lambda: j.call("matrix", rows, cols),
            "param_binary": lambda: b.call("wave_sum", x),
            "param_raw": lambda: raw.param(x),
            "param_json": lambda: j.call("wave_sum", x),
        }
        result = interleaved(cases, reps, {"reply_json": 5, "param_json": 5})
    raw.close()
    result["bytes"] = rows * cols * 8
    print(json.dumps(result))


if __name__ == "__main__":
    main()
