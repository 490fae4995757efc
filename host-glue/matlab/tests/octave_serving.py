"""Scenarios `server` and `secure_server`: an Octave process serves remote calls to pyzmq
clients, openly and locked down (CURVE, allowed keys, an allow list of functions).
"""

import json
import os
import shutil

import numpy as np
import zmq

from octave_harness import (Checks, Client, Failure, OctaveProcess, check_call, check_passed,
                            error_value, is_error, is_string, is_variable, is_wave, result_of,
                            wave_array)


def scenario_server(args):
    checks = Checks("server")
    octave = OctaveProcess(args.octave, args.mex_dir, "zmqtest_run('serve_calls')",
                           env={"ZMQTEST_ENDPOINT": "tcp://127.0.0.1:*",
                                "ZMQTEST_SECONDS": "150"},
                           seconds=180)
    context = zmq.Context()
    client = None
    try:
        match = octave.wait_for(r"ENDPOINT (tcp://127\.0\.0\.1:\d+)", 90)
        if not checks.check(match is not None, "Octave bound its server and started the handler"):
            return checks
        client = Client(context, match.group(1))
        cube = (np.arange(24, dtype=np.int64) * 7 - 50).astype(np.int16).reshape(
            (2, 3, 4), order="F")

        check_call(checks, client, "zmqtest_add", [2, 3.5], is_variable(5.5),
                   "numbers arrive as double, a real scalar is a variable")
        check_call(checks, client, "zmqtest_greet", ["Octave"], is_string("Hello, Octave!"),
                   "strings arrive as char, a char row is a string")
        check_call(checks, client, "zmqtest_greet", ["Grüße"], is_string("Hello, Grüße!"),
                   "UTF-8 text round-trips")
        check_call(checks, client, "zmqtest_classof", ["x"], is_string("char"),
                   "a JSON string is char")
        check_call(checks, client, "zmqtest_classof", [1], is_string("double"),
                   "a JSON number is double")
        check_call(checks, client, "zmqtest_classof", [True], is_string("logical"),
                   "a JSON boolean is logical")
        check_call(checks, client, "zmqtest_cube", [2, 3, 4], is_wave("NT_I16", cube),
                   "a 3-D int16 array is an NT_I16 wave of size [2, 3, 4]")

        def multi(reply):
            result = result_of(reply)
            return (isinstance(result, list) and len(result) == 3
                    and result[0] == {"type": "variable", "value": 3}
                    and result[1] == {"type": "string", "value": "x=1.5"}
                    and result[2]["type"] == "wave"
                    and np.array_equal(wave_array(result[2]["value"]),
                                       np.array([[1.5, 3.0], [4.5, 6.0]])))
        check_call(checks, client, "zmqtest_multi", [1.5], multi,
                   "three outputs give a multiple-result reply in order")

        def failed(reply):
            return (error_value(reply) == 107 and "result" not in reply
                    and "Failure: boom" in reply.get("history", ""))
        check_call(checks, client, "zmqtest_fail", ["boom"], failed,
                   "an error inside the function is 107 with its message as history")
        check_call(checks, client, "zmqtest_no_such_function", [], is_error(101),
                   "an unknown function is 101")
        check_call(checks, client, "cos", [1], is_error(101), "a built-in function is 101")
        check_call(checks, client, "zeromq_stop", [], is_error(101),
                   "the zeromq_* functions cannot be called remotely (101)")
        check_call(checks, client, "a" * 400, [], is_error(101), "a 400-character name is 101")
        check_call(checks, client, "out", None, is_string("out called"),
                   "a function named like a variable of the gateway's helper is found")
        check_call(checks, client, "zmqtest_add", [1], is_error(102), "too few inputs is 102")
        check_call(checks, client, "zmqtest_add", [1, 2, 3], is_error(103),
                   "too many inputs is 103")
        check_call(checks, client, "zmqtest_count", [], is_error(102),
                   "too few inputs for a varargin function is 102")
        check_call(checks, client, "zmqtest_count", [1, "a", True, 4], is_variable(4),
                   "a varargin function takes any number of further inputs")
        check_call(checks, client, "zmqtest_struct", None, is_error(105),
                   "a struct result is 105")
        check_call(checks, client, "zmqtest_value", ["fived"], is_error(105),
                   "a 5-D array is 105")
        check_call(checks, client, "zmqtest_value", ["charmatrix"], is_error(105),
                   "a char matrix is 105")
        check_call(checks, client, "zmqtest_noreturn", None, is_variable("nan"),
                   "a function without outputs answers the variable nan")
        check_call(checks, client, "zmqtest_value", ["nan"], is_variable("nan"),
                   "NaN is the variable \"nan\"")
        check_call(checks, client, "zmqtest_value", ["int8scalar"], is_variable(-5),
                   "an int8 scalar is a variable")
        check_call(checks, client, "zmqtest_value", ["emptychar"], is_string(""),
                   "'' is the empty string")
        check_call(checks, client, "zmqtest_value", ["utf8"], is_string("Grüße"),
                   "a UTF-8 char row is a string")
        check_call(checks, client, "zmqtest_value", ["logical"],
                   is_wave("NT_I8 | NT_UNSIGNED", np.array([[1, 0, 1]], dtype=np.uint8)),
                   "a logical array is an unsigned 8-bit wave")
        check_call(checks, client, "zmqtest_value", ["complex"],
                   is_wave("NT_FP32 | NT_CMPLX",
                           np.array([1 + 2j, 3 - 4j], dtype=np.complex64)),
                   "a complex single column is an NT_FP32 | NT_CMPLX wave")
        check_call(checks, client, "zmqtest_value", ["complexdouble"],
                   is_wave("NT_FP64 | NT_CMPLX", np.array([[0.5 - 1j, 2 + 0.25j]])),
                   "a complex double row is an NT_FP64 | NT_CMPLX wave of size [1, 2]")
        check_call(checks, client, "zmqtest_value", ["uint64"],
                   is_wave("NT_I64 | NT_UNSIGNED",
                           np.array([0, 18446744073709551615], dtype=np.uint64)),
                   "uint64 values are exact")
        check_call(checks, client, "zmqtest_value", ["fourd"],
                   is_wave("NT_I32 | NT_UNSIGNED",
                           np.arange(1, 25, dtype=np.uint32).reshape((2, 3, 2, 2), order="F")),
                   "a 4-D uint32 array keeps its shape")
        check_call(checks, client, "zmqtest_value", ["row"],
                   is_wave("NT_FP64", np.array([[1.5, 2.5, 3.5]])),
                   "a row vector is a wave of size [1, 3]")

        def empty(reply):
            result = result_of(reply)
            return (result and result["type"] == "wave"
                    and result["value"]["dimension"]["size"] == [0]
                    and result["value"]["data"]["raw"] == [])
        check_call(checks, client, "zmqtest_value", ["empty"], empty,
                   "[] is a wave without points")

        def cellstr(reply):
            result = result_of(reply)
            return (result and result["type"] == "wave"
                    and result["value"]["type"] == "TEXT_WAVE_TYPE"
                    and result["value"]["dimension"]["size"] == [2, 2]
                    and result["value"]["data"]["raw"] == ["a", "d", "bc", ""])
        check_call(checks, client, "zmqtest_value", ["cellstr"], cellstr,
                   "a cell array of char is a text wave (column-major)")

        def cellmixed(reply):
            result = result_of(reply)
            if not result or result["value"]["type"] != "WAVE_TYPE":
                return False
            items = result["value"]["data"]["raw"]
            return (result["value"]["dimension"]["size"] == [1, 4] and len(items) == 4
                    and items[0]["type"] == "NT_I8"
                    and np.array_equal(wave_array(items[0]), np.array([[1, 2, 3]]))
                    and items[1]["type"] == "TEXT_WAVE_TYPE"
                    and items[1]["data"]["raw"] == ["txt"]
                    and items[2] is None
                    and items[3]["type"] == "TEXT_WAVE_TYPE"
                    and items[3]["data"]["raw"] == ["x", "y"])
        check_call(checks, client, "zmqtest_value", ["cellmixed"], cellmixed,
                   "a cell array of arrays is a wave-reference wave ([] is null)")

        # Protocol-level behaviour seen through this host.
        try:
            reply = client.call("zmqtest_add", [20, 22], message_id="id-42")
            checks.check(reply.get("messageID") == "id-42" and result_of(reply)
                         == {"type": "variable", "value": 42}, "the messageID is echoed")
            client.send(b"garbage")
            checks.check(error_value(client.receive()) == 3, "invalid JSON is answered with 3")
            client.send(b'{"version": 1, "CallFunction": {"name": "zmqtest_add", "params": [null, 1]}}')
            checks.check(error_value(client.receive()) == 106, "a null parameter is 106")
            # Pipelined calls, answered in order.
            for k in range(5):
                client.send(json.dumps({"version": 1, "messageID": "p%d" % k,
                                        "CallFunction": {"name": "zmqtest_add",
                                                         "params": [k, 100]}}).encode())
            replies = [client.receive() for _ in range(5)]
            checks.check([r.get("messageID") for r in replies] == ["p%d" % k for k in range(5)]
                         and [result_of(r)["value"] for r in replies] == [100 + k for k in range(5)],
                         "five pipelined calls are answered in order")
        except Exception as exc:  # noqa: BLE001
            checks.check(False, "protocol checks (%s: %s)" % (type(exc).__name__, exc))

        check_call(checks, client, "zmqtest_stop", None, is_variable(1),
                   "zmqtest_stop ends the serving loop")
    finally:
        status = octave.finish(60)
        if client is not None:
            client.close()
        context.term()
    check_passed(checks, octave, "serve_calls", status)
    return checks


def scenario_secure_server(args):
    """Octave serves with CURVE (pyzmq certificates), allowed client keys and an allow list of
    functions; pyzmq clients: the allowed one, one whose key is not listed, one without CURVE,
    and a call of system() that must never run."""
    import tempfile
    import zmq.auth

    checks = Checks("secure_server")
    certs = tempfile.mkdtemp(prefix="zmqtest-certs-")
    for sub in ("clients", "others"):
        os.mkdir(os.path.join(certs, sub))
    zmq.auth.create_certificates(certs, "server")
    zmq.auth.create_certificates(os.path.join(certs, "clients"), "alice")
    zmq.auth.create_certificates(os.path.join(certs, "others"), "mallory")
    marker = os.path.join(certs, "remote-shell-ran")
    octave = OctaveProcess(args.octave, args.mex_dir, "zmqtest_run('serve_secure')",
                           env={"ZMQTEST_ENDPOINT": "tcp://127.0.0.1:*",
                                "ZMQTEST_SECONDS": "150",
                                "ZMQTEST_CERT": os.path.join(certs, "server.key_secret"),
                                "ZMQTEST_CLIENTS": os.path.join(certs, "clients")},
                           seconds=180)
    context = zmq.Context()
    server_key, _ = zmq.auth.load_certificate(os.path.join(certs, "server.key"))

    def dealer(endpoint, cert):
        sock = context.socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        # A refused connection leaves no peer to queue for: sends wait at most this long.
        sock.setsockopt(zmq.SNDTIMEO, 1000)
        if cert is not None:
            sock.curve_publickey, sock.curve_secretkey = zmq.auth.load_certificate(cert)
            sock.curve_serverkey = server_key
        sock.connect(endpoint)
        return sock

    def call(sock, name, params, seconds):
        request = {"version": 1, "CallFunction": {"name": name, "params": params}}
        try:
            sock.send_multipart([b"", json.dumps(request).encode("utf-8")])
        except zmq.Again:
            return None
        if sock.poll(int(seconds * 1000)) == 0:
            return None
        return json.loads(sock.recv_multipart()[-1].decode("utf-8"))

    sockets = []
    try:
        match = octave.wait_for(r"ENDPOINT (tcp://127\.0\.0\.1:\d+)", 90)
        if not checks.check(match is not None, "Octave bound its CURVE server"):
            return checks
        endpoint = match.group(1)
        alice, mallory, plain = (
            dealer(endpoint, os.path.join(certs, "clients", "alice.key_secret")),
            dealer(endpoint, os.path.join(certs, "others", "mallory.key_secret")),
            dealer(endpoint, None))
        sockets = [alice, mallory, plain]
        reply = call(alice, "zmqtest_add", [2, 3], 20)
        checks.check(reply is not None and result_of(reply) == {"type": "variable", "value": 5},
                     "the allowed CURVE client calls an allowed function: %s" % reply)
        reply = call(alice, "system", ["touch %s" % marker], 20)
        checks.check(reply is not None and error_value(reply) == 101,
                     "system() never runs: unknown (101): %s" % reply)
        reply = call(alice, "zmqtest_greet", ["x"], 20)
        checks.check(reply is not None and error_value(reply) == 101,
                     "zmqtest_greet (served without the list) is 101 outside the list")
        checks.check(call(mallory, "zmqtest_add", [1, 1], 1.5) is None,
                     "a CURVE client whose key is not listed gets no reply")
        checks.check(call(plain, "zmqtest_add", [1, 1], 1.5) is None,
                     "a client without CURVE gets no reply")
        checks.check(not os.path.exists(marker), "the command given to system() did not run")
        reply = call(alice, "zmqtest_add", [40, 2], 20)
        checks.check(reply is not None and result_of(reply)["value"] == 42, "still serving")
        call(alice, "zmqtest_stop", [], 20)
        status = octave.finish()
        checks.check(status == 0, "Octave stopped serving and exited cleanly (%s)" % status)
    except Failure as exc:
        checks.check(False, str(exc))
    finally:
        for sock in sockets:
            sock.close(0)
        octave.kill()
        context.term()
        shutil.rmtree(certs, ignore_errors=True)
    return checks
