"""Calls with numbers and strings, errors, many calls in flight, timeouts, subscribers."""

import threading
import time

import numpy as np
import pytest

from zeromq_xop import CallError, CallTimeout, Client, Subscriber


def test_numbers_strings_and_multiple_results(client):
    assert client.call("add", 1, 2.5) == 3.5
    assert client.call("greet", "Igor") == "Hello, Igor!"
    assert client.call("divmod", 17, 5) == (3.0, 2.0)
    result, by_ref = client.call("concat", "a", "b", by_reference=True)
    assert result == "ab" and by_ref == ["a", "b"]
    assert np.isnan(client.call("add", float("nan"), 1))
    assert client.call("add", float("inf"), 1) == float("inf")


def test_errors_carry_code_message_and_history(client):
    with pytest.raises(CallError) as e:
        client.call("no_such_function")
    assert e.value.code == 101
    assert e.value.message == "CallFunction: Unknown function."
    with pytest.raises(CallError) as e:
        client.call("fail", "it went\rwrong")
    assert e.value.code == 107 and e.value.history == "it went\nwrong"
    with pytest.raises(CallError) as e:
        client.call("add", "x", 1)
    assert e.value.code == 106
    with pytest.raises(CallError) as e:
        client.call("add", 1)
    assert e.value.code == 102
    # The client still works afterwards.
    assert client.call("add", 2, 2) == 4.0


def test_many_calls_in_flight_on_one_socket(client):
    futures = [client.call_async("add", i, 1000) for i in range(300)]
    assert [f.result(timeout=30) for f in futures] == [float(i + 1000) for i in range(300)]


def test_calls_from_many_threads(client):
    errors = []

    def work(t):
        try:
            for i in range(50):
                assert client.call("add", t, i) == float(t + i)
        except Exception as e:  # collected and reported by the test
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors


def test_a_call_without_a_server_times_out():
    with socket_port() as port:
        with Client("tcp://127.0.0.1:%d" % port, timeout=0.3) as c:
            start = time.monotonic()
            with pytest.raises(CallTimeout):
                c.call("add", 1, 2)
            assert time.monotonic() - start < 5
            f = c.call_async("add", 1, 2, timeout=0.2)
            with pytest.raises(CallTimeout):
                f.result(timeout=5)


class socket_port:
    """A loopback port nobody listens on (bound and released)."""

    def __enter__(self):
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        return self.port

    def __exit__(self, *exc):
        pass


def test_subscriber_yields_published_calls(demo, client):
    with Subscriber(demo[1], topics=["calls"]) as sub:
        got = None
        deadline = time.monotonic() + 10
        # The subscription needs a moment to reach the publisher: call until one arrives.
        while got is None and time.monotonic() < deadline:
            client.call("version")
            got = sub.recv(timeout=0.2)
        assert got is not None, "no published message within 10 s"
        assert got.topic == b"calls" and got.text() == "version"
        assert not got.is_heartbeat


def test_subscriber_sees_heartbeats_when_asked(demo):
    with Subscriber(demo[1], topics=["heartbeat"], heartbeats=True) as sub:
        m = sub.recv(timeout=12)
        assert m is not None and m.is_heartbeat and m.frames == [b""]
