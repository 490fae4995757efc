#!/usr/bin/env bash
# Install what building and testing zeromq-xop needs on a Debian/Ubuntu machine: make
# (libsodium is configured and built from source),
# cmake (C tests, host glue), Octave with its MEX headers (MATLAB/Octave glue tests),
# nlohmann-json (JSON baseline of the benchmark), valgrind (leak checks), the MinGW
# cross compiler (Windows compile check of the Igor glue), and pyzmq + numpy for the Python
# client tests. Packages already present are skipped, so a second run is quick.
set -euo pipefail

APT_PACKAGES=(cmake make octave liboctave-dev nlohmann-json3-dev valgrind gcc-mingw-w64-x86-64 g++)
PIP_PACKAGES=(pyzmq numpy)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "installing with apt-get: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if ! "$PY" -c "import zmq, numpy" 2>/dev/null; then
    echo "installing with pip: ${PIP_PACKAGES[*]}"
    "$PY" -m pip install --quiet "${PIP_PACKAGES[@]}"
fi
echo "dependencies ready"
