#!/usr/bin/env python3
"""Tests of the MATLAB/Octave MEX gateway against a real GNU Octave.

Scenarios (all by default, or those named on the command line):

  errors       error identifiers for bad input, the no-busy-wait flag, the local test
               entry points (check_errors.m)
  selfcall     one Octave session as client and server at once (check_selfcall.m)
  server       an Octave process serves remote calls to a pyzmq client: scalars, strings,
               arrays of every class up to 4-D, multiple outputs, errors (serve_calls.m)
  subscriber   an Octave subscriber receives text, numeric and ScanImage-style int16 frames
               published from Python (check_subscriber.m)
  interactive  Octave at its prompt in a pseudo-terminal (octave and octave-cli): the input
               event hook serves calls, a blocking receive serves calls while it waits and
               ends with Ctrl-C, Ctrl-C stops a running remote call (107), and the session
               exits cleanly
  waveparams   arrays of every class as parameters of remote calls, from the Python client
               in binary mode (octave_wave_params.py)

Usage: octave_tests.py --mex-dir DIR [--octave PATH] [scenario ...]

DIR holds zeromq_mex.mex (build it with host-glue/matlab/build.sh). Every Octave process is
killed after a deadline, every socket operation has a timeout, and only 127.0.0.1 is used.
The exit status is 0 when every scenario passed.
"""

import argparse
import json
import os
import queue
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time

try:
    import numpy as np
    import zmq
except ImportError as missing:  # pragma: no cover - reported as a failure
    sys.stderr.write("octave_tests.py needs pyzmq and numpy (pip install pyzmq numpy): %s\n"
                     % missing)
    sys.exit(2)

TESTS = os.path.dirname(os.path.abspath(__file__))
GLUE = os.path.dirname(TESTS)
REMOTE = os.path.join(TESTS, "remote")

OCTAVE_FLAGS = ["--no-gui", "--no-window-system", "--norc", "--quiet", "--no-history"]


class Failure(Exception):
    """A check of a scenario failed."""


class Checks:
    """Collects the outcome of the checks of one scenario."""

    def __init__(self, scenario):
        self.scenario = scenario
        self.failed = []
        self.passed = 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
            print("  ok: %s" % what)
        else:
            self.failed.append(what)
            print("  FAILED: %s" % what)
        sys.stdout.flush()
        return condition


def path_code(mex_dir):
    dirs = [GLUE, TESTS, REMOTE, mex_dir]
    return "".join("addpath('%s'); " % d.replace("'", "''") for d in dirs)


class OctaveProcess:
    """Octave running a script in batch mode, its stdout read line by line in a thread."""

    def __init__(self, octave, mex_dir, code, env=None, seconds=180):
        argv = [octave] + OCTAVE_FLAGS + ["--eval", path_code(mex_dir) + code]
        timeout = shutil.which("timeout")
        if timeout:
            argv = [timeout, "-k", "5", str(seconds)] + argv
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.deadline = time.monotonic() + seconds + 10
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=full_env)
        self.lines = queue.Queue()
        self.output = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.output.append(line)
            print("  octave| %s" % line)
            sys.stdout.flush()
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern, seconds):
        """The first match of pattern in a line printed from now on, or None."""
        end = time.monotonic() + seconds
        regex = re.compile(pattern)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            match = regex.search(line)
            if match:
                return match

    def finish(self, seconds=None):
        """Waits for the exit (killing Octave at the deadline); returns the exit status."""
        left = self.deadline - time.monotonic() if seconds is None else seconds
        try:
            status = self.proc.wait(timeout=max(left, 1))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
            print("  octave was killed at its deadline")
        self.reader.join(10)
        return status

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run_octave_check(args, name, seconds=180):
    """Runs tests/<name>.m through zmqtest_run; passes when Octave prints PASS, exits 0."""
    checks = Checks(name)
    octave = OctaveProcess(args.octave, args.mex_dir, "zmqtest_run('%s')" % name,
                           seconds=seconds)
    status = octave.finish()
    checks.check(status == 0, "%s exited with status %s" % (name, status))
    checks.check(any(line.startswith("PASS %s" % name) for line in octave.output),
                 "%s printed PASS" % name)
    return checks


# --- remote calls ---------------------------------------------------------------------------

DTYPES = {"NT_FP64": "float64", "NT_FP32": "float32", "NT_I8": "int8", "NT_I16": "int16",
          "NT_I32": "int32", "NT_I64": "int64"}


def number(x):
    if isinstance(x, str):
        return float(x)
    return x


def wave_array(w):
    """A serialized wave (SPEC.md section 5) as a numpy array of its shape."""
    if w is None:
        return None
    parts = [p.strip() for p in w["type"].split("|")]
    size = w["dimension"]["size"]
    raw = w["data"]["raw"]
    base = parts[0]
    if base == "TEXT_WAVE_TYPE":
        flat = np.empty(len(raw), dtype=object)
        flat[:] = raw
    elif base == "WAVE_TYPE":
        flat = np.empty(len(raw), dtype=object)
        for i, item in enumerate(raw):
            flat[i] = wave_array(item)
    else:
        name = DTYPES[base]
        if "NT_UNSIGNED" in parts:
            name = "u" + name
        if "NT_CMPLX" in parts:
            real = np.array([number(x) for x in raw["real"]], dtype=name)
            imag = np.array([number(x) for x in raw["imag"]], dtype=name)
            flat = real + 1j * imag
        else:
            flat = np.array([number(x) for x in raw], dtype=name)
    return flat.reshape(size, order="F")


class Client:
    """A DEALER talking the CallFunction protocol to the Octave server."""

    def __init__(self, context, endpoint):
        self.sock = context.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(endpoint)

    def send(self, payload):
        self.sock.send_multipart([b"", payload])

    def receive(self, seconds=20):
        if self.sock.poll(int(seconds * 1000)) == 0:
            raise Failure("no reply within %s s" % seconds)
        return json.loads(self.sock.recv_multipart()[-1].decode("utf-8"))

    def call_async(self, name, params=None, message_id=None):
        request = {"version": 1, "CallFunction": {"name": name}}
        if params is not None:
            request["CallFunction"]["params"] = params
        if message_id is not None:
            request["messageID"] = message_id
        self.send(json.dumps(request).encode("utf-8"))

    def call(self, name, params=None, message_id=None, seconds=20):
        self.call_async(name, params, message_id)
        return self.receive(seconds)

    def close(self):
        self.sock.close(0)


def error_value(reply):
    return reply.get("errorCode", {}).get("value")


def result_of(reply):
    return reply.get("result") if error_value(reply) == 0 else None


def check_call(checks, client, name, params, expect, what):
    """Calls name(params); expect(reply) decides. Exceptions count as failures."""
    try:
        reply = client.call(name, params)
        ok = bool(expect(reply))
        if not ok:
            print("    reply: %s" % json.dumps(reply)[:600])
        checks.check(ok, what)
    except Exception as exc:  # noqa: BLE001 - any problem is a failed check
        checks.check(False, "%s (%s: %s)" % (what, type(exc).__name__, exc))


def is_variable(value):
    return lambda r: result_of(r) == {"type": "variable", "value": value}


def is_string(value):
    return lambda r: result_of(r) == {"type": "string", "value": value}


def is_error(code):
    return lambda r: error_value(r) == code and "result" not in r


def is_wave(type_name, expected):
    def test(reply):
        result = result_of(reply)
        if not result or result.get("type") != "wave" or result["value"]["type"] != type_name:
            return False
        got = wave_array(result["value"])
        return got.shape == expected.shape and np.array_equal(got, expected)
    return test


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
    checks.check(status == 0, "serve_calls exited with status %s" % status)
    checks.check(any(line.startswith("PASS serve_calls") for line in octave.output),
                 "serve_calls printed PASS")
    return checks


# --- publish/subscribe ----------------------------------------------------------------------

def scanimage_frame(number):
    """A ScanImage message: 5 doubles (pixelsPerLine, linesPerFrame, numChannels, timestamp,
    frameNumber), then int16 pixels in (x, y, channel) order."""
    nx, ny, nc = 64, 48, 2
    x, y, c = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nc), indexing="ij")
    pixels = (x * 100 + y - 1000 * c).astype(np.int16)
    header = struct.pack("<5d", nx, ny, nc, 0.01 * number, number)
    return [header, pixels.tobytes(order="F")]


def scenario_subscriber(args):
    checks = Checks("subscriber")
    context = zmq.Context()
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.bind("tcp://127.0.0.1:*")
    endpoint = pub.getsockopt_string(zmq.LAST_ENDPOINT)
    octave = OctaveProcess(args.octave, args.mex_dir, "zmqtest_run('check_subscriber')",
                           env={"ZMQTEST_PUB": endpoint}, seconds=120)
    phase = {"name": None}

    def follow():
        while True:
            match = octave.wait_for(r"^PHASE (\w+)", 120)
            if match is None:
                return
            phase["name"] = match.group(1)

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    int16_frame = (np.arange(-3, 4) * 1000).astype(np.int16).tobytes()
    double_frame = np.array([0.5, -2.25, 1e300]).tobytes()
    sent = 0
    try:
        while octave.proc.poll() is None and time.monotonic() < octave.deadline:
            name = phase["name"]
            if name == "text":
                pub.send_multipart([b"txt", b"hello from python"])
            elif name == "frames":
                pub.send_multipart([b"frames", b"meta", int16_frame, double_frame])
            elif name == "scanimage":
                pub.send_multipart(scanimage_frame(sent))
            sent += 1
            time.sleep(0.02)
    finally:
        status = octave.finish(30)
        pub.close(0)
        context.term()
    checks.check(status == 0, "check_subscriber exited with status %s" % status)
    checks.check(any(line.startswith("PASS check_subscriber") for line in octave.output),
                 "check_subscriber printed PASS")
    return checks


# --- Octave at its prompt ---------------------------------------------------------------------

class Terminal:
    """Octave in a pseudo-terminal, as a user runs it."""

    def __init__(self, octave, seconds=120):
        import pty
        self.deadline = time.monotonic() + seconds
        env = dict(os.environ, TERM="dumb")
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                os.execvpe(octave, [octave] + OCTAVE_FLAGS, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.buffer = ""
        self.pending = ""
        self.position = 0
        self.status = None

    def _pump(self, seconds):
        ready, _, _ = select.select([self.fd], [], [], max(seconds, 0))
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        text = data.decode("utf-8", "replace").replace("\r", "")
        self.buffer += text
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            if line.strip():
                print("  tty| %s" % line)
        sys.stdout.flush()
        return True

    def expect(self, pattern, seconds=30):
        """The next match of pattern in the output after the previous match, or None."""
        end = min(time.monotonic() + seconds, self.deadline)
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.buffer, self.position)
            if match:
                self.position = match.end()
                return match
            left = end - time.monotonic()
            if left <= 0 or not self._pump(min(left, 0.2)):
                if left > 0:
                    match = regex.search(self.buffer, self.position)
                    if match:
                        self.position = match.end()
                        return match
                return None

    def output_since(self, start):
        return self.buffer[start:]

    def send(self, text):
        os.write(self.fd, text.encode("utf-8"))

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end and self._pump(end - time.monotonic()):
            pass

    def wait_exit(self, seconds):
        end = min(time.monotonic() + seconds, self.deadline + 30)
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = status
                return status
            self._pump(0.1)
        return None

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                _, self.status = os.waitpid(self.pid, 0)
            except OSError:
                pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def scenario_interactive(args):
    """Runs the prompt session with the given octave and, when it exists next to it, with the
    other of `octave` / `octave-cli`: they wait for input differently (readline's SIGINT
    handler is active while octave-cli waits)."""
    checks = Checks("interactive")
    programs = [args.octave]
    folder, name = os.path.split(shutil.which(args.octave) or args.octave)
    other = os.path.join(folder, "octave" if name == "octave-cli" else "octave-cli")
    if name in ("octave", "octave-cli") and os.access(other, os.X_OK):
        programs.append(other)
    for program in programs:
        print("-- %s" % program)
        interactive_session(args, program, checks)
    return checks


def interactive_session(args, program, checks):
    context = zmq.Context()
    term = Terminal(program, seconds=150)
    client = None
    try:
        # Markers are assembled at run time so that the echoed command line never matches.
        term.send(path_code(args.mex_dir)
                  + "zeromq_server_bind('tcp://127.0.0.1:*'); e = zeromq_endpoints('server');"
                  + " zeromq_handler_start(); printf('REA%s %s\\n', 'DY', e{1});\n")
        match = term.expect(r"READY (tcp://127\.0\.0\.1:\d+)", 90)
        if not checks.check(match is not None, "Octave at its prompt started the handler"):
            return
        client = Client(context, match.group(1))
        check_call(checks, client, "zmqtest_add", [1, 2], is_variable(3),
                   "the input event hook runs a call while Octave waits at the prompt")
        check_call(checks, client, "zmqtest_cube", [2, 2, 2],
                   is_wave("NT_I16", (np.arange(8) * 7 - 50).astype(np.int16).reshape(
                       (2, 2, 2), order="F")),
                   "the hook serves array results too")

        term.send("zeromq_sub_connect('tcp://127.0.0.1:9'); zeromq_sub_add_filter('');"
                  " printf('WAIT%s\\n', 'ING'); t0 = tic; m = zeromq_sub_recv();"
                  " printf('NOT-%s\\n', 'INTERRUPTED');\n")
        waiting = term.expect(r"WAITING", 30)
        checks.check(waiting is not None, "zeromq_sub_recv is waiting")
        mark = term.position
        check_call(checks, client, "zmqtest_greet", ["tty"], is_string("Hello, tty!"),
                   "a blocking receive keeps running queued calls")
        term.send("\x03")
        term.send("printf('ALI%s %d %d\\n', 'VE', 6 * 7, exist('m', 'var'));\n")
        alive = term.expect(r"ALIVE 42 (\d)", 30)
        checks.check(alive is not None, "Ctrl-C ended the receive and the prompt came back")
        checks.check("NOT-INTERRUPTED" not in term.output_since(mark),
                     "the interrupted command line did not go on")
        check_call(checks, client, "zmqtest_add", [5, 5], is_variable(10),
                   "calls are still served after the interrupt")

        # Ctrl-C while a remote call runs (from the idle hook): the call ends with 107, the
        # interrupt must not unwind through the library, the prompt stays.
        for function, params in (("zmqtest_spin", None), ("zmqtest_sleep", [30])):
            try:
                started = time.monotonic()
                client.call_async(function, params)
                time.sleep(1.0)
                term.send("\x03")
                reply = client.receive(20)
                checks.check(error_value(reply) == 107
                             and "Interrupted" in reply.get("history", "")
                             and time.monotonic() - started < 15,
                             "Ctrl-C stops the running call %s: 107 with history %r"
                             % (function, reply.get("history")))
            except Exception as exc:  # noqa: BLE001
                checks.check(False, "Ctrl-C during %s (%s: %s)"
                             % (function, type(exc).__name__, exc))
        term.send("printf('STI%s %d\\n', 'LL', 7 * 7);\n")
        checks.check(term.expect(r"STILL 49", 30) is not None,
                     "Octave is still alive after Ctrl-C during a call")
        check_call(checks, client, "zmqtest_add", [6, 6], is_variable(12),
                   "calls are served after Ctrl-C during a call")

        # A script serving calls in a loop: Ctrl-C stops the running call (107) and then the
        # loop itself.
        term.send("printf('LOO%s\\n', 'PING'); while true, zeromq_handler_process(0.5); end;"
                  " printf('LOOP-%s\\n', 'GOES-ON');\n")
        checks.check(term.expect(r"LOOPING", 30) is not None, "a script loop serves calls")
        mark = term.position
        check_call(checks, client, "zmqtest_add", [7, 7], is_variable(14),
                   "zeromq_handler_process in a loop runs calls")
        try:
            client.call_async("zmqtest_spin")
            time.sleep(1.0)
            term.send("\x03")
            reply = client.receive(20)
            checks.check(error_value(reply) == 107 and "Interrupted" in reply.get("history", ""),
                         "Ctrl-C stops the call run by the loop (107)")
        except Exception as exc:  # noqa: BLE001
            checks.check(False, "Ctrl-C in the loop (%s: %s)" % (type(exc).__name__, exc))
        term.send("printf('AF%s %d\\n', 'TER', 3 * 3);\n")
        checks.check(term.expect(r"AFTER 9", 30) is not None
                     and "LOOP-GOES-ON" not in term.output_since(mark),
                     "the same Ctrl-C also ended the script loop")

        term.send("zeromq_handler_stop(); zeromq_stop(); exit(0)\n")
        status = term.wait_exit(60)
        checks.check(status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
                     "Octave exits cleanly (status %r)" % (status,))
    except Exception as exc:  # noqa: BLE001
        checks.check(False, "interactive session (%s: %s)" % (type(exc).__name__, exc))
    finally:
        if client is not None:
            client.close()
        term.kill()
        context.term()


# --- a locked-down server ---------------------------------------------------------------------

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


# --- driver ---------------------------------------------------------------------------------

SCENARIOS = {
    "errors": lambda args: run_octave_check(args, "check_errors"),
    "selfcall": lambda args: run_octave_check(args, "check_selfcall"),
    "security": lambda args: run_octave_check(args, "check_security"),
    "secure_server": scenario_secure_server,
    "server": scenario_server,
    "subscriber": scenario_subscriber,
    "interactive": scenario_interactive,
    "waveparams": lambda args: __import__("octave_wave_params").scenario_wave_params(args),
}


def main(scenarios=None):
    """Runs the scenarios named on the command line (all of `scenarios` by default)."""
    scenarios = scenarios or SCENARIOS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mex-dir", required=True, help="folder holding zeromq_mex.mex")
    parser.add_argument("--octave", default=shutil.which("octave") or "octave",
                        help="the octave executable")
    parser.add_argument("scenarios", nargs="*", default=list(scenarios),
                        help="scenarios to run: %s" % ", ".join(scenarios))
    args = parser.parse_args()
    args.mex_dir = os.path.abspath(args.mex_dir)
    if not os.path.isfile(os.path.join(args.mex_dir, "zeromq_mex.mex")):
        print("no zeromq_mex.mex in %s; build it with host-glue/matlab/build.sh" % args.mex_dir)
        return 2
    if shutil.which(args.octave) is None:
        print("octave not found (%s)" % args.octave)
        return 2

    summary = []
    for name in args.scenarios:
        if name not in scenarios:
            print("unknown scenario %s" % name)
            return 2
        print("== %s" % name)
        sys.stdout.flush()
        started = time.monotonic()
        checks = scenarios[name](args)
        summary.append((name, checks, time.monotonic() - started))

    print("== summary")
    failed = False
    for name, checks, seconds in summary:
        state = "PASS" if not checks.failed else "FAIL"
        failed = failed or bool(checks.failed)
        print("%s %s: %d checks passed, %d failed (%.1f s)"
              % (state, name, checks.passed, len(checks.failed), seconds))
        for what in checks.failed:
            print("    failed: %s" % what)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
