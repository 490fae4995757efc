"""The harness of the Octave scenarios: a checks collector, Octave in batch mode, the
scenario driver (`main`), and a DEALER client of the CallFunction protocol with the checks
of its replies. Shared by octave_tests.py, octave_sockets.py and octave_wave_params.py.
"""

import argparse
import json
import os
import queue
import re
import shutil
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
    check_passed(checks, octave, name, octave.finish())
    return checks


def check_passed(checks, octave, name, status):
    """Octave's run of tests/<name>.m ended well: exit status 0 and `PASS <name>` printed."""
    checks.check(status == 0, "%s exited with status %s" % (name, status))
    checks.check(any(line.startswith("PASS %s" % name) for line in octave.output),
                 "%s printed PASS" % name)

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


def main(scenarios, description=None):
    """Runs the scenarios (name -> function of the arguments) named on the command line, all
    of them by default; `description` heads the usage text."""
    parser = argparse.ArgumentParser(description=description)
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
