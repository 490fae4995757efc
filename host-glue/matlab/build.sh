#!/bin/sh
# Builds the GNU Octave MEX file zeromq_mex.mex from zeromq_mex*.c and the static zeromq_xop
# library. MATLAB users run build.m instead (it uses MATLAB's mex command).
#
#   host-glue/matlab/build.sh [--lib PATH] [--include DIR] [--out DIR] [--debug]
#
#   --lib PATH     the static library to link (default: build it with
#                  `cargo build --release` and use <crate>/target/release/libzeromq_xop.a)
#   --include DIR  the directory holding zeromq_xop.h (default: <crate>/include)
#   --out DIR      where zeromq_mex.mex goes (default: this folder, next to the m-files, so
#                  that `addpath` of this one folder is enough)
#   --debug        build the library with the dev profile (target/debug) instead
#
# Environment: MKOCTFILE (default: mkoctfile), CARGO (default: cargo),
# ZEROMQ_XOP_NATIVE_LIBS (system libraries the static library needs; default below).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
crate=$(cd "$here/../.." && pwd)
lib=""
include="$crate/include"
out="$here"
profile="release"

while [ $# -gt 0 ]; do
    case "$1" in
        --lib) lib="$2"; shift 2 ;;
        --include) include="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --debug) profile="debug"; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

mkoctfile=${MKOCTFILE:-mkoctfile}
if ! command -v "$mkoctfile" >/dev/null 2>&1; then
    echo "build.sh: $mkoctfile not found; install GNU Octave with its development files" >&2
    echo "          (Debian/Ubuntu: apt-get install octave liboctave-dev)" >&2
    exit 1
fi

if [ -z "$lib" ]; then
    cargo=${CARGO:-cargo}
    if [ "$profile" = "release" ]; then
        (cd "$crate" && "$cargo" build --lib --release)
    else
        (cd "$crate" && "$cargo" build --lib)
    fi
    lib="$crate/target/$profile/libzeromq_xop.a"
fi
if [ ! -f "$lib" ]; then
    echo "build.sh: static library $lib not found" >&2
    exit 1
fi
if [ ! -f "$include/zeromq_xop.h" ]; then
    echo "build.sh: $include/zeromq_xop.h not found" >&2
    exit 1
fi

case "$(uname -s)" in
    Darwin)
        default_libs="-lc++ -liconv -lm -framework CoreFoundation -framework Security"
        # Keep the library's symbols out of the MEX file's exports.
        hide=""
        ;;
    *)
        default_libs="-lstdc++ -lutil -lrt -lpthread -lm -ldl -lgcc_s"
        # The library's symbols (and libzmq's) stay inside the MEX file, so they cannot
        # clash with anything else the host has loaded.
        hide="-Wl,--exclude-libs,ALL"
        ;;
esac
native_libs=${ZEROMQ_XOP_NATIVE_LIBS:-$default_libs}

mkdir -p "$out"
build_dir=$(mktemp -d "${TMPDIR:-/tmp}/zeromq_mex.XXXXXX")
trap 'rm -rf "$build_dir"' EXIT INT TERM

# mkoctfile compiles in the current directory; work in a scratch one so no objects are left
# in the source tree.
cp "$here/zeromq_mex.c" "$here/zeromq_mex_sockets.c" "$here/zeromq_mex_security.c" "$here/zeromq_mex.h" "$build_dir/"
cd "$build_dir"
# shellcheck disable=SC2086
CFLAGS="$("$mkoctfile" -p CFLAGS) -std=c11 -fexceptions -Wall -Wextra -Werror=implicit-function-declaration" \
    "$mkoctfile" --mex -I"$include" -o "$out/zeromq_mex.mex" zeromq_mex.c zeromq_mex_sockets.c zeromq_mex_security.c \
    "$lib" $hide $native_libs

echo "built $out/zeromq_mex.mex"
