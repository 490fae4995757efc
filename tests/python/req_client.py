"""A plain pyzmq REQ client, written the way client scripts of the neighbouring projects are:
connect, send one CallFunction request, wait for the reply.

    python3 req_client.py ENDPOINT FUNCTION [--pad BYTES] [--timeout MS]

--pad adds a string parameter of that many bytes (an oversized request). Prints the reply
(one line of JSON) and exits 0, or prints NO REPLY and exits 1 after the timeout.
"""
import argparse
import json
import sys

import zmq


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("function")
    parser.add_argument("--pad", type=int, default=0)
    parser.add_argument("--timeout", type=int, default=10000)
    args = parser.parse_args()

    params = ["x" * args.pad] if args.pad else []
    request = {"version": 1, "CallFunction": {"name": args.function, "params": params}}

    context = zmq.Context()
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(args.endpoint)
    socket.send_string(json.dumps(request))
    if socket.poll(args.timeout, zmq.POLLIN):
        reply = json.loads(socket.recv_string())
        print(json.dumps(reply))
        status = 0
    else:
        print("NO REPLY")
        status = 1
    socket.close()
    context.term()
    return status


if __name__ == "__main__":
    sys.exit(main())
