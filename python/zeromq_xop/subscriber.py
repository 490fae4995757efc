"""Subscribing to a host's publisher: messages as a topic and typed frames."""

import json

import numpy as np
import zmq

from .waves import decode_wave

__all__ = ["Subscriber", "Message"]


class Message:
    """One published multipart message: ``topic`` (bytes, the first frame) and ``frames``
    (the frames after it, as bytes), with readers that give a frame a type."""

    def __init__(self, frames):
        self.topic = frames[0]
        self.frames = list(frames[1:])

    def __repr__(self):
        sizes = ", ".join(str(len(f)) for f in self.frames)
        return "Message(topic=%r, frames of %s bytes)" % (self.topic, sizes or "no")

    @property
    def is_heartbeat(self):
        """Whether this is the publisher's heartbeat (topic ``heartbeat``)."""
        return self.topic == b"heartbeat"

    def text(self, i=0):
        """Frame ``i`` as UTF-8 text (invalid bytes replaced)."""
        return self.frames[i].decode("utf-8", "replace")

    def json(self, i=0):
        """Frame ``i`` parsed as JSON."""
        return json.loads(self.frames[i])

    def wave(self, i=0):
        """Frame ``i`` as a serialized wave (JSON, as the hosts publish waves) decoded into a
        :class:`~zeromq_xop.Wave`; a ``{"buffer": k}`` reference is frame ``i + 1 + k``."""
        return decode_wave(self.json(i), self.frames[i + 1 :])

    def array(self, i=0, dtype=np.float64, shape=None, order="F"):
        """Frame ``i`` as raw numbers of ``dtype`` (little-endian by default), optionally
        reshaped (column-major by default, as hosts lay out their arrays). No copy."""
        dt = np.dtype(dtype)
        if dt.byteorder == "=" and dt.itemsize > 1:
            dt = dt.newbyteorder("<")
        a = np.frombuffer(self.frames[i], dtype=dt)
        return a if shape is None else a.reshape(shape, order=order)


class Subscriber:
    """A SUB socket connected to a host's publisher.

    ``Subscriber(endpoint, topics=("",))`` subscribes to every topic prefix in ``topics``
    (``""``: everything). ``recv(timeout)`` returns the next :class:`Message` or ``None``;
    iterating yields messages for ever (heartbeats skipped unless ``heartbeats=True``).
    """

    def __init__(self, endpoint, topics=("",), heartbeats=False, context=None):
        self._ctx = context or zmq.Context.instance()
        self._sock = self._ctx.socket(zmq.SUB)
        self._sock.linger = 0
        self.heartbeats = heartbeats
        for t in topics:
            self.subscribe(t)
        self._sock.connect(endpoint)

    def subscribe(self, topic):
        """Add a topic prefix (str or bytes)."""
        self._sock.setsockopt(zmq.SUBSCRIBE, topic.encode() if isinstance(topic, str) else topic)

    def unsubscribe(self, topic):
        """Remove a topic prefix."""
        self._sock.setsockopt(
            zmq.UNSUBSCRIBE, topic.encode() if isinstance(topic, str) else topic
        )

    def recv(self, timeout=None):
        """The next message (skipping heartbeats unless asked for), or ``None`` when none
        arrives within ``timeout`` seconds (``None``: wait forever)."""
        ms = None if timeout is None else max(0, int(timeout * 1000))
        while True:
            if not self._sock.poll(ms):
                return None
            m = Message(self._sock.recv_multipart())
            if self.heartbeats or not m.is_heartbeat:
                return m

    def __iter__(self):
        while True:
            m = self.recv()
            if m is not None:
                yield m

    def close(self):
        """Close the socket."""
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
