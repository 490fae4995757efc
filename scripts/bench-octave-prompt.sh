#!/bin/sh
# Latency of remote calls answered by an idle interactive Octave prompt, beside a C-ABI host,
# and Octave's idle CPU (see docs/BENCHMARKS.md, "Octave at the prompt"). Builds the release
# library, the demo host and the MEX file (into target/release/octave-mex), then runs
# scripts/bench_octave_prompt.py. Needs octave, liboctave-dev, python3 with pyzmq.
#
#   scripts/bench-octave-prompt.sh [--calls N]
set -eu
crate=$(cd "$(dirname "$0")/.." && pwd)
cd "$crate"
cargo build --release
sh host-glue/matlab/build.sh --lib "$crate/target/release/libzeromq_xop.a" \
    --out "$crate/target/release/octave-mex" >/dev/null
exec python3 scripts/bench_octave_prompt.py --mex-dir "$crate/target/release/octave-mex" \
    --glue-dir "$crate/host-glue/matlab" --demo "$crate/target/release/zeromq-xop" "$@"
