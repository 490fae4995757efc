/* Wave parameters of remote calls as MATLAB values: see zeromq_mex_waves.h. */
#include <stdint.h>
#include <string.h>

#include "zeromq_mex_waves.h"

#define W_NT_CMPLX 0x01
#define W_NT_FP32 0x02
#define W_NT_FP64 0x04
#define W_NT_I8 0x08
#define W_NT_I16 0x10
#define W_NT_I32 0x20
#define W_NT_UNSIGNED 0x40
#define W_NT_I64 0x80
#define W_TEXT 0x0000
#define W_DATAFOLDER 0x0100
#define W_WAVE_REF 0x4000

/* The MATLAB class of a numeric wave type and the size of one (real) element; 0 for other
   types. */
static size_t wave_class(int32_t type, mxClassID *id)
{
    int unsigned_ = (type & W_NT_UNSIGNED) != 0;
    switch (type & ~(W_NT_CMPLX | W_NT_UNSIGNED)) {
    case W_NT_FP64: *id = mxDOUBLE_CLASS; return unsigned_ ? 0 : 8;
    case W_NT_FP32: *id = mxSINGLE_CLASS; return unsigned_ ? 0 : 4;
    case W_NT_I8: *id = unsigned_ ? mxUINT8_CLASS : mxINT8_CLASS; return 1;
    case W_NT_I16: *id = unsigned_ ? mxUINT16_CLASS : mxINT16_CLASS; return 2;
    case W_NT_I32: *id = unsigned_ ? mxUINT32_CLASS : mxINT32_CLASS; return 4;
    case W_NT_I64: *id = unsigned_ ? mxUINT64_CLASS : mxINT64_CLASS; return 8;
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
    int cplx = (type & W_NT_CMPLX) != 0;
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
    if (type != W_TEXT && type != W_DATAFOLDER && type != W_WAVE_REF) {
        return numeric_value(w, type, dims, nd);
    }
    if (type == W_TEXT && points == 1 && nd == 2 && dims[1] == 1) {
        const char *s = NULL;
        size_t len = 0;
        return zeromq_wave_text(w, 0, &s, &len) == 0 ? mex_text_value(s, len, 0) : NULL;
    }
    cell = mxCreateCellArray((mwSize)nd, dims);
    for (i = 0; i < points; i++) {
        mxArray *e = NULL;
        if (type == W_WAVE_REF) {
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
            int32_t rc = type == W_TEXT ? zeromq_wave_text(w, i, &s, &len)
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
