"""Scenario `waveparams` of octave_tests.py: arrays as parameters of remote calls to Octave.

A Python client (the repository's `zeromq_xop` package, binary mode) sends numpy arrays of
every class, complex, text, nested and 1000 x 1000 ones to an Octave process serving calls;
zmqtest_describe reports the class and size each argument arrived with and sends it back.
"""

import os
import sys

import numpy as np

from octave_harness import Checks, OctaveProcess

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "python"))
from zeromq_xop import CallError, Client  # noqa: E402


def scenario_wave_params(args):
    checks = Checks("waveparams")
    octave = OctaveProcess(args.octave, args.mex_dir, "zmqtest_run('serve_calls')",
                           env={"ZMQTEST_ENDPOINT": "tcp://127.0.0.1:*",
                                "ZMQTEST_SECONDS": "150",
                                "ZMQTEST_MAX_MESSAGE_SIZE": "-1"},
                           seconds=180)
    client = json_client = None
    try:
        match = octave.wait_for(r"ENDPOINT (tcp://127\.0\.0\.1:\d+)", 90)
        if not checks.check(match is not None, "Octave bound its server"):
            return checks
        client = Client(match.group(1), timeout=60)
        json_client = Client(match.group(1), timeout=60, binary=False, frames=False)

        def describe(c, value, cls, size, cplx=False, back=None, what=""):
            try:
                got_cls, got_size, got_cplx, got = c.call("zmqtest_describe", value)
            except CallError as e:
                checks.check(False, "%s (%s)" % (what, e))
                return
            expect = value if back is None else back
            if isinstance(expect, str):
                same = got == expect
            elif expect.dtype.kind in "UO":
                same = [str(v) for v in np.ravel(got)] == [str(v) for v in np.ravel(expect)]
            else:
                same = got is not None and np.array_equal(np.asarray(got), expect)
            got_size = [int(s) for s in np.ravel(got_size)]
            checks.check(got_cls == cls and got_size == size
                         and bool(got_cplx) == cplx and same,
                         "%s: arrives as %s %s%s and comes back equal (got %s %s)"
                         % (what, cls, size, " complex" if cplx else "", got_cls, got_size))

        m = np.arange(6.0).reshape(2, 3)
        describe(client, m, "double", [2, 3], what="a 2x3 float64 array")
        describe(json_client, m, "double", [2, 3], what="the same in JSON both ways")
        cube = (np.arange(24) - 7).astype(np.int16).reshape(2, 3, 4)
        describe(client, cube, "int16", [2, 3, 4], what="a 3-D int16 array")
        for dtype, cls in [("int8", "int8"), ("uint8", "uint8"), ("uint16", "uint16"),
                           ("int32", "int32"), ("uint32", "uint32"), ("int64", "int64"),
                           ("uint64", "uint64"), ("float32", "single")]:
            v = np.array([0, 1, 2, 100], dtype=dtype)
            describe(client, v, cls, [4, 1], what="a %s vector" % dtype)
        describe(client, np.array([1 + 2j, -3.5j]), "double", [2, 1], cplx=True,
                 what="a complex128 vector")
        describe(client, np.array([[1 - 1j]], dtype=np.complex64), "single", [1, 1],
                 cplx=True, back=np.array([1 - 1j], dtype=np.complex64),
                 what="a complex64 scalar array")
        four = np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2)
        describe(client, four, "single", [2, 2, 2, 2], what="a 4-D float32 array")
        describe(client, np.array([True, False, True]), "uint8", [3, 1],
                 back=np.array([1, 0, 1], dtype=np.uint8),
                 what="a logical vector (sent as uint8: the wire has no logical type)")
        describe(client, np.array(["hello"]), "char", [1, 5], back="hello",
                 what="a one-element text array is a char row")
        describe(client, np.array(["a", "bü", ""]), "cell", [3, 1],
                 what="a text array is a cell array of char")
        nested = np.empty(3, dtype=object)
        nested[:] = [np.array([1.0, 2.0]), None, np.array(["x", "y"])]
        try:
            got = client.call("zmqtest_describe", nested)
            checks.check(got[0] == "cell" and list(np.ravel(got[1])) == [3, 1]
                         and np.array_equal(got[3][0], [1.0, 2.0]) and got[3][1] is None
                         and list(got[3][2]) == ["x", "y"],
                         "an array of arrays is a cell array ([] for None)")
        except CallError as e:
            checks.check(False, "an array of arrays is a cell array (%s)" % e)
        big = np.random.default_rng(1).standard_normal((1000, 1000))
        describe(client, big, "double", [1000, 1000],
                 what="a 1000x1000 matrix through binary frames, every double exact")
        describe(client, np.zeros(0), "double", [0, 0], what="an empty array is []")
        checks.check(client.call("zmqtest_add", 2, 3.5) == 5.5, "scalars still work")
        checks.check(client.call("zmqtest_stop") == 1.0, "zmqtest_stop ends the serving loop")
    finally:
        status = octave.finish(60)
        for c in (client, json_client):
            if c is not None:
                c.close()
    checks.check(status == 0, "serve_calls exited with status %s" % status)
    return checks
