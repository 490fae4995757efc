"""Remote function calls to a zeromq-xop host (Igor Pro, MATLAB/Octave, a C program) or the
reference ZeroMQ XOP.

One :class:`Client` holds one DEALER socket, owned by a background I/O thread: any number of
calls may be in flight at once (from any number of threads), and replies are matched to their
calls by ``messageID``. Numpy arrays go out as data frames after the JSON, and replies are
asked for in binary form (numeric waves as frames, every double exact); a server that ignores
that (the reference XOP) answers in JSON, which is decoded the same way.
"""

import concurrent.futures
import itertools
import json
import math
import os
import threading
import time

import numpy as np
import zmq

from .waves import decode_wave, encode_wave

__all__ = ["Client", "CallError", "CallTimeout"]


class CallError(Exception):
    """The host answered a call with an error.

    Attributes: ``code`` (the REQ code, e.g. 101 unknown function, 106 invalid parameter,
    107 aborted, or a library error number), ``message`` (the host's text), ``history`` (the
    host's output for an aborted function, may be empty), ``detail`` (what exactly was wrong
    with a parameter, may be empty).
    """

    def __init__(self, code, message, history="", detail=""):
        self.code = code
        self.message = message
        self.history = history
        self.detail = detail
        text = "%d: %s" % (code, message)
        if detail:
            text += " " + detail
        if history:
            text += "\n" + history
        super().__init__(text)


class CallTimeout(TimeoutError):
    """No reply arrived within the call's timeout."""


def _value(item, frames):
    """A ``{type, value}`` reply item as a Python value."""
    kind, value = item.get("type"), item.get("value")
    if kind == "variable":
        return float(value)
    if kind == "wave":
        return decode_wave(value, frames)
    return value


def _param(p, frames):
    """One call parameter as JSON (arrays as wave objects, their data into ``frames``)."""
    if isinstance(p, (bool, np.bool_)):
        return bool(p)
    if isinstance(p, (int, np.integer)):
        return int(p)
    if isinstance(p, (float, np.floating)):
        x = float(p)
        if math.isfinite(x):
            return x
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if isinstance(p, str):
        return p
    if isinstance(p, bytes):
        return p.decode("utf-8", "replace")
    if isinstance(p, (np.ndarray, list, tuple)):
        return encode_wave(p, frames)
    raise TypeError("cannot pass a %s as a parameter" % type(p).__name__)


class Client:
    """A connection to a host's server socket.

    ``Client(endpoint, timeout=10.0)``: ``endpoint`` like ``"tcp://127.0.0.1:5670"``;
    ``timeout`` in seconds for each call (``None``: wait forever). ``binary`` (default True)
    asks for binary replies; ``frames`` (default True) sends numeric arrays as data frames
    (False: as JSON, for servers that do not read frames). Use it as a context manager or call
    :meth:`close`.
    """

    def __init__(self, endpoint, timeout=10.0, binary=True, frames=True, context=None):
        self.endpoint = endpoint
        self.timeout = timeout
        self.binary = binary
        self.frames = frames
        self._ctx = context or zmq.Context.instance()
        self._ids = itertools.count(1)
        self._prefix = "py-%d-%x-" % (os.getpid(), id(self))
        self._pending = {}
        self._lock = threading.Lock()
        self._closed = False
        self._dealer = self._ctx.socket(zmq.DEALER)
        self._dealer.linger = 0
        self._dealer.connect(endpoint)
        # Calls are handed to the I/O thread through an in-process queue.
        address = "inproc://zeromq-xop-client-%x-%x" % (os.getpid(), id(self))
        self._inbox = self._ctx.socket(zmq.PULL)
        self._inbox.linger = 0
        self._inbox.bind(address)
        self._outbox = self._ctx.socket(zmq.PUSH)
        self._outbox.linger = 0
        self._outbox.connect(address)
        self._outbox_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="zeromq_xop client", daemon=True)
        self._thread.start()

    # ----------------------------------------------------------------------------- calls

    def call(self, name, *params, timeout=None, by_reference=False):
        """Call the host function ``name`` with ``params`` and return its result.

        Parameters: numbers, strings, booleans, and arrays (numpy arrays, :class:`Wave`,
        lists) which arrive as waves. The result: a float, a str (also for data folder
        references), a :class:`Wave` (numpy array with metadata), ``None`` for a null wave, or
        a tuple of those for a function with multiple return values. With
        ``by_reference=True`` it returns ``(result, [by-reference values after the call])``.
        Arrays of binary replies are read-only views of the received frames (no copy); use
        ``numpy.array(w)`` for a writable copy.

        Raises :class:`CallError` when the host answers with an error and
        :class:`CallTimeout` when no reply arrives in time.
        """
        future = self.call_async(name, *params, timeout=timeout, by_reference=by_reference)
        return future.result()

    def call_async(self, name, *params, timeout=None, by_reference=False):
        """Like :meth:`call`, but return a :class:`concurrent.futures.Future` at once. Many
        calls may be in flight; each future gets its own reply (matched by messageID), its
        :class:`CallError`, or :class:`CallTimeout`."""
        if self._closed:
            raise RuntimeError("the client is closed")
        frames = [] if self.frames else None
        request = {
            "version": 1,
            "messageID": self._prefix + str(next(self._ids)),
            "CallFunction": {"name": name, "params": [_param(p, frames) for p in params]},
        }
        if self.binary:
            request["binary"] = True
        payload = json.dumps(request, allow_nan=False).encode()
        limit = self.timeout if timeout is None else timeout
        deadline = None if limit is None else time.monotonic() + limit
        future = concurrent.futures.Future()
        future.set_running_or_notify_cancel()
        with self._lock:
            self._pending[request["messageID"]] = (future, deadline, by_reference)
        with self._outbox_lock:
            self._outbox.send_multipart([b"", payload] + (frames or []), copy=False)
        return future

    def close(self):
        """Stop the I/O thread and close the sockets; calls still in flight fail."""
        if self._closed:
            return
        self._closed = True
        with self._outbox_lock:
            self._outbox.send(b"stop")
        self._thread.join()
        self._outbox.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ----------------------------------------------------------------------------- I/O thread

    def _run(self):
        poller = zmq.Poller()
        poller.register(self._dealer, zmq.POLLIN)
        poller.register(self._inbox, zmq.POLLIN)
        try:
            while True:
                events = dict(poller.poll(self._poll_ms()))
                if self._inbox in events:
                    out = self._inbox.recv_multipart(copy=False)
                    if len(out) == 1:
                        break
                    self._dealer.send_multipart(out, copy=False)
                if self._dealer in events:
                    self._deliver(self._dealer.recv_multipart(copy=False))
                self._expire()
        finally:
            self._fail_all(RuntimeError("the client was closed"))
            self._dealer.close()
            self._inbox.close()

    def _poll_ms(self):
        with self._lock:
            deadlines = [d for _, d, _ in self._pending.values() if d is not None]
        if not deadlines:
            return 1000
        return max(0, min(1000, int((min(deadlines) - time.monotonic()) * 1000) + 1))

    def _expire(self):
        now = time.monotonic()
        with self._lock:
            late = [k for k, (_, d, _) in self._pending.items() if d is not None and d <= now]
            futures = [self._pending.pop(k)[0] for k in late]
        for f in futures:
            f.set_exception(CallTimeout("no reply from %s within the timeout" % self.endpoint))

    def _fail_all(self, error):
        with self._lock:
            futures = [f for f, _, _ in self._pending.values()]
            self._pending.clear()
        for f in futures:
            f.set_exception(error)

    def _deliver(self, msg):
        # [empty delimiter, JSON, data frames...]
        if len(msg) < 2 or len(msg[0].bytes) != 0:
            return
        try:
            reply = json.loads(msg[1].bytes)
        except ValueError:
            return
        if not isinstance(reply, dict):
            return
        with self._lock:
            key = reply.get("messageID")
            if key not in self._pending and key is None and len(self._pending) == 1:
                key = next(iter(self._pending))  # a reply that could not echo the ID
            entry = self._pending.pop(key, None)
        if entry is None:
            return
        future, _, by_reference = entry
        try:
            future.set_result(self._decode(reply, msg[2:], by_reference))
        except CallError as e:
            future.set_exception(e)
        except Exception as e:  # a malformed reply must not stop the I/O thread
            future.set_exception(e)

    @staticmethod
    def _decode(reply, frames, by_reference):
        error = reply.get("errorCode", {})
        code = error.get("value", 0)
        if code != 0:
            raise CallError(
                code, error.get("msg", ""), reply.get("history", ""), error.get("detail", "")
            )
        result = reply.get("result")
        if isinstance(result, list):
            value = tuple(_value(r, frames) for r in result)
        else:
            value = _value(result, frames)
        if by_reference:
            return value, [_value(r, frames) for r in reply.get("passByReference", [])]
        return value
