"""Fixtures: the repository's demo host (`zeromq-xop demo`) on free loopback ports."""

import os
import socket
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package from this checkout

REPO = os.path.dirname(os.path.dirname(HERE))


def _binary():
    path = os.environ.get("ZEROMQ_XOP_BIN") or os.path.join(
        REPO, "target", "release", "zeromq-xop"
    )
    if not os.path.exists(path):
        pytest.fail("no demo host binary at %s: build it (cargo build --release) or set "
                    "ZEROMQ_XOP_BIN" % path)
    return path


def _free_port_pair():
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = a.getsockname()[1]
            if port >= 65000:
                continue
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port pair")


@pytest.fixture(scope="session")
def demo():
    """(server endpoint, publisher endpoint) of a running demo host."""
    port = _free_port_pair()
    server = "tcp://127.0.0.1:%d" % port
    publisher = "tcp://127.0.0.1:%d" % (port + 1)
    proc = subprocess.Popen(
        [_binary(), "demo", server, "--exit-after", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Ready when it says so (it prints after binding).
    line = proc.stdout.readline().decode()
    assert "serving on" in line, line
    yield server, publisher
    proc.kill()
    proc.wait()


@pytest.fixture
def client(demo):
    from zeromq_xop import Client

    with Client(demo[0], timeout=10) as c:
        yield c
