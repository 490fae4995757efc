"""Round-trip latency of remote calls served by an idle interactive Octave prompt, beside a
C-ABI host (the `zeromq-xop demo` process) measured the same way in the same run.

Run through scripts/bench-octave-prompt.sh, which builds what it needs:

    python3 scripts/bench_octave_prompt.py --mex-dir DIR --glue-dir DIR --demo EXE [--calls N]

Octave runs under a pseudo-terminal (readline, the idle hook: exactly what a user sees) with
the handler started at its prompt. A pyzmq REQ client makes N calls, one at a time with 10 ms
between them (so each call finds the prompt idle); the same client then calls the demo host.
Afterwards Octave's CPU time is sampled over 5 s of idling at the prompt (handler running).
"""
import argparse
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

import zmq


def read_until(fd, marker, timeout):
    data = b""
    end = time.time() + timeout
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            if marker is not None and re.search(marker, data):
                return data
    if marker is None:
        return data
    raise RuntimeError("Octave did not print %r; output:\n%s" % (marker, data.decode(errors="replace")))


def round_trips(endpoint, function, params, calls):
    context = zmq.Context()
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    request = json.dumps({"version": 1, "CallFunction": {"name": function, "params": params}})
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        socket.send_string(request)
        if not socket.poll(10000, zmq.POLLIN):
            raise RuntimeError("no reply from %s within 10 s" % endpoint)
        socket.recv()
        times.append((time.perf_counter() - start) * 1000.0)
        time.sleep(0.01)
    socket.close()
    context.term()
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def octave_prompt(args):
    functions = tempfile.mkdtemp(prefix="zeromq-bench-")
    with open(os.path.join(functions, "bench_one.m"), "w") as f:
        f.write("function r = bench_one()\n  r = 1;\nend\n")
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args.octave, [args.octave, "--no-gui", "--quiet", "--no-init-file",
                                "--no-history"])
    try:
        os.write(fd, ("addpath('%s'); addpath('%s'); addpath('%s'); "
                      "zeromq_server_bind('tcp://127.0.0.1:*'); zeromq_handler_start(); "
                      "e = zeromq_endpoints('server'); printf('EP=%%s\\n', e{1});\n"
                      % (args.mex_dir, args.glue_dir, functions)).encode())
        out = read_until(fd, rb"EP=(tcp://[0-9.:]+)", 30)
        endpoint = re.search(rb"EP=(tcp://[0-9.:]+)", out).group(1).decode()
        read_until(fd, None, 0.5)
        p50, p99 = round_trips(endpoint, "bench_one", [], args.calls)
        before = cpu_seconds(pid)
        time.sleep(5)
        idle = (cpu_seconds(pid) - before) / 5 * 100.0
        os.write(fd, b"exit\n")
        read_until(fd, None, 2)
        return p50, p99, idle
    finally:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        os.waitpid(pid, 0)


def demo_host(args):
    with socket_port() as port:
        endpoint = "tcp://127.0.0.1:%d" % port
    host = subprocess.Popen([args.demo, "demo", endpoint, "--exit-after", "120"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        host.stdout.readline()  # "serving on ..."
        return round_trips(endpoint, "add", [1, 2], args.calls)
    finally:
        host.kill()
        host.wait()


class socket_port:
    """A free loopback port (closed again before the host binds it)."""

    def __enter__(self):
        import socket
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        return self.s.getsockname()[1]

    def __exit__(self, *exc):
        self.s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mex-dir", required=True)
    parser.add_argument("--glue-dir", required=True)
    parser.add_argument("--demo", required=True)
    parser.add_argument("--octave", default=os.environ.get("OCTAVE", "octave"))
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()

    load = os.getloadavg()
    o50, o99, idle = octave_prompt(args)
    c50, c99 = demo_host(args)
    print("Remote call round trip, pyzmq REQ client, %d calls, load average %.2f %.2f %.2f"
          % (args.calls, load[0], load[1], load[2]))
    print("| host | p50 (ms) | p99 (ms) | idle CPU of the host |")
    print("|------|---------:|---------:|---------------------:|")
    print("| Octave 7 at an idle interactive prompt | %.2f | %.2f | %.2f %% of a core |"
          % (o50, o99, idle))
    print("| C host (zeromq-xop demo) | %.3f | %.3f | - |" % (c50, c99))
    return 0


if __name__ == "__main__":
    sys.exit(main())
