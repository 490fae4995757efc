/* Wave parameters of remote calls as MATLAB values (zeromq_mex_waves.c), and the helpers of
   zeromq_mex.c it shares. */
#ifndef ZEROMQ_MEX_WAVES_H
#define ZEROMQ_MEX_WAVES_H

#include <stddef.h>

#include "mex.h"
#include "zeromq_xop.h"

#if !defined(MX_HAS_INTERLEAVED_COMPLEX)
#define MX_HAS_INTERLEAVED_COMPLEX 0
#endif

/* A char row vector holding UTF-8 text (or raw bytes when `bytes`), '' when empty
   (zeromq_mex.c). */
mxArray *mex_text_value(const void *data, size_t len, int bytes);

/* The MATLAB value of a wave parameter: numeric waves as arrays of the matching class and
   shape (complex when the wave is), a one-point text wave as a char row, other text and data
   folder waves as cell arrays of char, wave reference waves as cell arrays of converted waves
   ([] for a null wave). One-dimensional waves become column vectors. NULL when the wave
   cannot be read or is nested more than `max_depth` levels. Never raises. */
mxArray *mex_wave_value(const zeromq_wave *w, unsigned depth, unsigned max_depth);

#endif
