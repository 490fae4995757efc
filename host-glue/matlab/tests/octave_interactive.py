"""Scenario `interactive`: Octave at its prompt in a pseudo-terminal (octave and octave-cli).
The input event hook serves calls, a blocking receive serves calls while it waits and ends
with Ctrl-C, Ctrl-C stops a running remote call (107), and the session exits cleanly.
"""

import os
import re
import select
import shutil
import signal
import sys
import time

import numpy as np
import zmq

from octave_harness import (Checks, Client, OCTAVE_FLAGS, check_call, error_value, is_string,
                            is_variable, is_wave, path_code)


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
