/*
 * zeromq_mex_waves.c: MATLAB values and the library's waves, both ways.
 *
 * Into the interpreter, a wave parameter of a remote call becomes a MATLAB value (numeric
 * waves arrays of the matching class and shape, complex when the wave is; a one-point text
 * wave a char row; other text and data folder waves cell arrays of char; wave-reference waves
 * cell arrays of converted waves, [] for a null wave; one-dimensional waves columns).
 * Out of it, results of remote calls (and zeromq_test_serializeWave's argument) become waves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zeromq_mex.h"

/* ---- waves -> MATLAB values ------------------------------------------------------------- */

/* The MATLAB class of a numeric wave type and the size of one (real) element; 0 for other
   types. */
static size_t wave_class(int32_t type, mxClassID *id)
{
    int unsigned_ = (type & ZEROMQ_NT_UNSIGNED) != 0;
    switch (type & ~(ZEROMQ_NT_CMPLX | ZEROMQ_NT_UNSIGNED)) {
    case ZEROMQ_NT_FP64: *id = mxDOUBLE_CLASS; return unsigned_ ? 0 : 8;
    case ZEROMQ_NT_FP32: *id = mxSINGLE_CLASS; return unsigned_ ? 0 : 4;
    case ZEROMQ_NT_I8: *id = unsigned_ ? mxUINT8_CLASS : mxINT8_CLASS; return 1;
    case ZEROMQ_NT_I16: *id = unsigned_ ? mxUINT16_CLASS : mxINT16_CLASS; return 2;
    case ZEROMQ_NT_I32: *id = unsigned_ ? mxUINT32_CLASS : mxINT32_CLASS; return 4;
    case ZEROMQ_NT_I64: *id = unsigned_ ? mxUINT64_CLASS : mxINT64_CLASS; return 8;
    default: return 0;
    }
}

/* MATLAB dimensions of a wave: at least two, a 1-D wave of n points is n x 1, an empty one
   0 x 0 when it is one-dimensional. */
static size_t wave_mx_dims(const zeromq_wave *w, mwSize dims[4], size_t *points)
{
    uint64_t d[4];
    size_t n = 0, i;
    if (zeromq_wave_dims(w, d, &n) != 0 || n == 0 || n > 4) {
        return 0;
    }
    *points = 1;
    for (i = 0; i < n; i++) {
        dims[i] = (mwSize)d[i];
        *points *= (size_t)d[i];
    }
    if (n == 1) {
        dims[1] = d[0] == 0 ? 0 : 1;
        n = 2;
    }
    return n;
}

static mxArray *numeric_value(const zeromq_wave *w, int32_t type, mwSize *dims, size_t nd)
{
    mxClassID id = mxDOUBLE_CLASS;
    size_t elem = wave_class(type, &id);
    int cplx = (type & ZEROMQ_NT_CMPLX) != 0;
    const void *data = NULL;
    size_t bytes = 0;
    mxArray *a;

    if (elem == 0 || zeromq_wave_data(w, &data, &bytes) != 0) {
        return NULL;
    }
    a = mxCreateNumericArray((mwSize)nd, dims, id, cplx ? mxCOMPLEX : mxREAL);
    if (a == NULL || bytes == 0) {
        return a;
    }
    if (bytes != mxGetNumberOfElements(a) * elem * (cplx ? 2u : 1u)) {
        mxDestroyArray(a);
        return NULL;
    }
#if MX_HAS_INTERLEAVED_COMPLEX
    memcpy(mxGetData(a), data, bytes);
#else
    if (!cplx) {
        memcpy(mxGetData(a), data, bytes);
    } else {
        /* The wave interleaves (re, im); this API keeps the parts apart. */
        const unsigned char *src = (const unsigned char *)data;
        unsigned char *re = (unsigned char *)mxGetData(a);
        unsigned char *im = (unsigned char *)mxGetImagData(a);
        size_t i, n = mxGetNumberOfElements(a);
        for (i = 0; i < n; i++) {
            memcpy(re + i * elem, src + 2 * i * elem, elem);
            memcpy(im + i * elem, src + (2 * i + 1) * elem, elem);
        }
    }
#endif
    return a;
}

mxArray *mex_wave_value(const zeromq_wave *w, unsigned depth, unsigned max_depth)
{
    int32_t type = 0;
    mwSize dims[4];
    size_t nd, points = 0, i;
    mxArray *cell;

    if (w == NULL || depth > max_depth || zeromq_wave_type(w, &type) != 0) {
        return NULL;
    }
    nd = wave_mx_dims(w, dims, &points);
    if (nd == 0) {
        return NULL;
    }
    if (type != ZEROMQ_TEXT_WAVE_TYPE && type != ZEROMQ_DATAFOLDER_TYPE && type != ZEROMQ_WAVE_TYPE) {
        return numeric_value(w, type, dims, nd);
    }
    if (type == ZEROMQ_TEXT_WAVE_TYPE && points == 1 && nd == 2 && dims[1] == 1) {
        const char *s = NULL;
        size_t len = 0;
        return zeromq_wave_text(w, 0, &s, &len) == 0 ? mex_text_value(s, len, 0) : NULL;
    }
    cell = mxCreateCellArray((mwSize)nd, dims);
    for (i = 0; i < points; i++) {
        mxArray *e = NULL;
        if (type == ZEROMQ_WAVE_TYPE) {
            const zeromq_wave *child = NULL;
            if (zeromq_wave_wave(w, i, &child) != 0) {
                mxDestroyArray(cell);
                return NULL;
            }
            e = child == NULL ? mxCreateDoubleMatrix(0, 0, mxREAL)
                              : mex_wave_value(child, depth + 1, max_depth);
        } else {
            const char *s = NULL;
            size_t len = 0;
            int32_t rc = type == ZEROMQ_TEXT_WAVE_TYPE ? zeromq_wave_text(w, i, &s, &len)
                                        : zeromq_wave_dfref(w, i, &s, &len);
            e = rc == 0 ? mex_text_value(s, len, 0) : NULL;
        }
        if (e == NULL) {
            mxDestroyArray(cell);
            return NULL;
        }
        mxSetCell(cell, (mwIndex)i, e);
    }
    return cell;
}

/* ---- MATLAB values -> waves ------------------------------------------------------------- */

/* The wave dimensions of `a`: its sizes without trailing singleton dimensions, [0] when it
   has no elements. Returns 0, or -1 when more than 4 dimensions remain. */
static int mex_wave_dims(const mxArray *a, uint64_t dims[4], size_t *ndims)
{
    size_t n = mxGetNumberOfDimensions(a);
    const mwSize *d = mxGetDimensions(a);
    size_t i;

    if (mxGetNumberOfElements(a) == 0) {
        dims[0] = 0;
        *ndims = 1;
        return 0;
    }
    while (n > 1 && d[n - 1] == 1) {
        n--;
    }
    if (n > 4) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        dims[i] = (uint64_t)d[i];
    }
    *ndims = n;
    return 0;
}

/* A numeric wave with the type, shape and bytes of a full numeric or logical array. */
static int mex_numeric_wave(const mxArray *a, zeromq_wave **out, const char **why)
{
    uint64_t dims[4];
    size_t ndims, elem, bytes;
    int32_t type = mex_class_wave_type(mxGetClassID(a), &elem);
    const void *data;
    void *scratch = NULL;
    zeromq_wave *w = NULL;

    if (mex_wave_dims(a, dims, &ndims) != 0) {
        *why = "arrays with more than 4 dimensions are not supported";
        return -1;
    }
    if (mxIsComplex(a)) {
        type |= ZEROMQ_NT_CMPLX;
    }
    if (zeromq_wave_new(type, dims, ndims, &w) != 0) {
        *why = "the library refused the wave";
        return -1;
    }
    data = mex_numeric_bytes(a, &bytes, &scratch);
    if (data == NULL || zeromq_wave_set_data(w, data, bytes) != 0) {
        free(scratch);
        zeromq_wave_free(w);
        *why = "the library refused the wave data";
        return -1;
    }
    free(scratch);
    *out = w;
    return 0;
}

/* A one-point text wave holding a char row. */
static int mex_text_wave(const mxArray *a, zeromq_wave **out, const char **why)
{
    uint64_t one = 1;
    size_t len;
    char *s;
    zeromq_wave *w = NULL;

    if (zeromq_wave_new(ZEROMQ_TEXT_WAVE_TYPE, &one, 1, &w) != 0) {
        *why = "the library refused the text wave";
        return -1;
    }
    s = mex_text_dup(a, 0, &len);
    if (s == NULL || zeromq_wave_set_text(w, 0, s, len) != 0) {
        free(s);
        zeromq_wave_free(w);
        *why = "the library refused the text";
        return -1;
    }
    free(s);
    *out = w;
    return 0;
}

/* A cell array: a text wave when every element is text, otherwise a wave-reference wave
   whose elements are converted one by one ([] elements stay null). */
static int mex_cell_wave(const mxArray *a, unsigned depth, zeromq_wave **out, const char **why)
{
    uint64_t dims[4];
    size_t ndims, i, n = mxGetNumberOfElements(a);
    int all_text = 1;
    zeromq_wave *w = NULL;

    if (mex_wave_dims(a, dims, &ndims) != 0) {
        *why = "cell arrays with more than 4 dimensions are not supported";
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (!mex_is_text(mxGetCell(a, (mwIndex)i))) {
            all_text = 0;
            break;
        }
    }
    if (zeromq_wave_new(all_text ? ZEROMQ_TEXT_WAVE_TYPE : ZEROMQ_WAVE_TYPE, dims, ndims, &w) != 0) {
        *why = "the library refused the wave";
        return -1;
    }
    for (i = 0; i < n; i++) {
        const mxArray *e = mxGetCell(a, (mwIndex)i);
        if (all_text) {
            size_t len;
            char *s = mex_text_dup(e, 0, &len);
            int32_t rc = s != NULL ? zeromq_wave_set_text(w, i, s, len) : -1;
            free(s);
            if (rc != 0) {
                zeromq_wave_free(w);
                *why = "the library refused the text";
                return -1;
            }
        } else if (e == NULL || (mxIsDouble(e) && mxGetNumberOfElements(e) == 0)) {
            continue; /* null wave reference */
        } else {
            zeromq_wave *child = NULL;
            if (mex_wave_from_array(e, depth + 1, &child, why) != 0) {
                zeromq_wave_free(w);
                return -1;
            }
            if (zeromq_wave_set_wave(w, i, child) != 0) {
                zeromq_wave_free(child); /* still ours when the library refused it */
                zeromq_wave_free(w);
                *why = "the library refused the nested wave";
                return -1;
            }
        }
    }
    *out = w;
    return 0;
}

/* Converts `a` into a wave: numeric and logical arrays (real or complex, up to 4-D), char
   rows (one-point text waves) and cell arrays (text or wave-reference waves). Returns 0, or
   -1 with `*why` explaining what is not supported. Never raises. */
int mex_wave_from_array(const mxArray *a, unsigned depth, zeromq_wave **out, const char **why)
{
    *out = NULL;
    if (a == NULL) {
        *why = "the value is missing";
        return -1;
    }
    if (depth > MEX_MAX_NESTING) {
        *why = "cell arrays are nested too deeply";
        return -1;
    }
    if (mxIsCell(a)) {
        return mex_cell_wave(a, depth, out, why);
    }
    if (mxIsChar(a)) {
        if (!mex_is_text(a)) {
            *why = "char arrays with more than one row are not supported";
            return -1;
        }
        return mex_text_wave(a, out, why);
    }
    if (mxIsSparse(a)) {
        *why = "sparse arrays are not supported";
        return -1;
    }
    if (mex_is_plain_numeric(a)) {
        return mex_numeric_wave(a, out, why);
    }
    *why = "values of this class are not supported";
    return -1;
}

