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

import sys

# Checks, OctaveProcess and main are used from here by octave_sockets.py.
from octave_harness import Checks, OctaveProcess, main, run_octave_check  # noqa: F401
from octave_interactive import scenario_interactive
from octave_serving import scenario_secure_server, scenario_server
from octave_subscriber import scenario_subscriber
from octave_wave_params import scenario_wave_params

SCENARIOS = {
    "errors": lambda args: run_octave_check(args, "check_errors"),
    "selfcall": lambda args: run_octave_check(args, "check_selfcall"),
    "security": lambda args: run_octave_check(args, "check_security"),
    "secure_server": scenario_secure_server,
    "server": scenario_server,
    "subscriber": scenario_subscriber,
    "interactive": scenario_interactive,
    "waveparams": scenario_wave_params,
}

if __name__ == "__main__":
    sys.exit(main(SCENARIOS, __doc__.split("\n\n")[0]))
