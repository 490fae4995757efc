"""Scenario `subscriber`: an Octave subscriber receives text, numeric and ScanImage-style
int16 frames published from Python (check_subscriber.m).
"""

import struct
import threading
import time

import numpy as np
import zmq

from octave_harness import Checks, OctaveProcess, check_passed


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
    check_passed(checks, octave, "check_subscriber", status)
    return checks
