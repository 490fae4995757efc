/*
 * zeromq_mex_arrays.c: numeric arrays as the bytes of frames, and received frames as arrays
 * of a class. A full numeric or logical array travels as its elements in column-major order
 * (complex ones interleaved re, im), like the library's waves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zeromq_mex.h"

int32_t mex_class_wave_type(mxClassID id, size_t *elem)
{
    switch (id) {
    case mxDOUBLE_CLASS: *elem = 8; return ZEROMQ_NT_FP64;
    case mxSINGLE_CLASS: *elem = 4; return ZEROMQ_NT_FP32;
    case mxINT8_CLASS: *elem = 1; return ZEROMQ_NT_I8;
    case mxUINT8_CLASS: *elem = 1; return ZEROMQ_NT_I8 | ZEROMQ_NT_UNSIGNED;
    case mxINT16_CLASS: *elem = 2; return ZEROMQ_NT_I16;
    case mxUINT16_CLASS: *elem = 2; return ZEROMQ_NT_I16 | ZEROMQ_NT_UNSIGNED;
    case mxINT32_CLASS: *elem = 4; return ZEROMQ_NT_I32;
    case mxUINT32_CLASS: *elem = 4; return ZEROMQ_NT_I32 | ZEROMQ_NT_UNSIGNED;
    case mxINT64_CLASS: *elem = 8; return ZEROMQ_NT_I64;
    case mxUINT64_CLASS: *elem = 8; return ZEROMQ_NT_I64 | ZEROMQ_NT_UNSIGNED;
    case mxLOGICAL_CLASS: *elem = sizeof(mxLogical); return ZEROMQ_NT_I8 | ZEROMQ_NT_UNSIGNED;
    default: *elem = 0; return -1;
    }
}

/* True for the arrays whose bytes the gateway sends: full numeric or logical arrays. */
int mex_is_plain_numeric(const mxArray *a)
{
    size_t elem;
    return a != NULL && (mxIsNumeric(a) || mxIsLogical(a)) && !mxIsSparse(a) &&
           mex_class_wave_type(mxGetClassID(a), &elem) >= 0;
}

/* The in-memory bytes of a full numeric or logical array: all elements in column-major
   order, complex ones interleaved (re, im). `*scratch` receives a malloc'd buffer when the
   host keeps real and imaginary parts apart (free it after use); otherwise NULL. Returns
   NULL only when out of memory for a non-empty array. */
const void *mex_numeric_bytes(const mxArray *a, size_t *bytes, void **scratch)
{
    size_t elem = 0;
    size_t n = mxGetNumberOfElements(a);
    int cplx = mxIsComplex(a) ? 1 : 0;

    mex_class_wave_type(mxGetClassID(a), &elem);
    *scratch = NULL;
    *bytes = n * elem * (cplx ? 2u : 1u);
    if (n == 0) {
        return "";
    }
#if MX_HAS_INTERLEAVED_COMPLEX
    return mxGetData(a);
#else
    if (!cplx) {
        return mxGetData(a);
    } else {
        const unsigned char *re = (const unsigned char *)mxGetData(a);
        const unsigned char *im = (const unsigned char *)mxGetImagData(a);
        unsigned char *buf = (unsigned char *)malloc(*bytes);
        size_t i;
        if (buf == NULL) {
            return NULL;
        }
        for (i = 0; i < n; i++) {
            memcpy(buf + 2 * i * elem, re + i * elem, elem);
            memcpy(buf + (2 * i + 1) * elem, im + i * elem, elem);
        }
        *scratch = buf;
        return buf;
    }
#endif
}

void mex_frame_arg(const mxArray *e, const char *what, zeromq_frame *frame)
{
    char detail[160];
    if (mex_is_text_like(e)) {
        size_t len;
        frame->data = mex_text_arg(e, what, 0, &len);
        frame->len = len;
        return;
    }
    if (mex_is_plain_numeric(e)) {
        size_t bytes;
        void *scratch = NULL;
        const void *data = mex_numeric_bytes(e, &bytes, &scratch);
        if (data == NULL) {
            mex_raise(ZEROMQ_ERR_INTERNAL, "Out of memory.");
        }
        if (scratch != NULL) {
            /* Command memory is the host's: it is reclaimed if a later argument raises. */
            void *copy = mxMalloc(bytes);
            memcpy(copy, scratch, bytes);
            free(scratch);
            data = copy;
        }
        frame->data = data;
        frame->len = bytes;
        return;
    }
    snprintf(detail, sizeof detail, "%s must be text or a full numeric or logical array.", what);
    mex_raise(ZEROMQ_ERR_INVALID_TYPE, detail);
}

static void mex_frame_type_of(const char *name, mex_frame_type *t)
{
    static const struct { const char *name; mxClassID id; } classes[] = {
        {"double", mxDOUBLE_CLASS}, {"single", mxSINGLE_CLASS}, {"int8", mxINT8_CLASS},
        {"uint8", mxUINT8_CLASS},   {"int16", mxINT16_CLASS},   {"uint16", mxUINT16_CLASS},
        {"int32", mxINT32_CLASS},   {"uint32", mxUINT32_CLASS}, {"int64", mxINT64_CLASS},
        {"uint64", mxUINT64_CLASS}, {"logical", mxLOGICAL_CLASS},
    };
    size_t i;
    char detail[160];

    memset(t, 0, sizeof *t);
    if (strcmp(name, "char") == 0) {
        t->is_char = 1;
        return;
    }
    for (i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strcmp(name, classes[i].name) == 0) {
            t->id = classes[i].id;
            mex_class_wave_type(t->id, &t->elem);
            return;
        }
    }
    snprintf(detail, sizeof detail,
             "'%.40s' is not a frame type (char, double, single, [u]int8/16/32/64, logical).",
             name);
    mex_raise(ZEROMQ_ERR_INVALID_TYPE, detail);
}

/* One received frame as a MATLAB value of the requested type: a char row, or a column
   vector holding the frame's bytes (`len` is a multiple of the element size). */
static mxArray *mex_frame_value(const uint8_t *data, size_t len, const mex_frame_type *t)
{
    mxArray *a;
    size_t count;

    if (t->is_char) {
        return mex_text_value(data, len, 0);
    }
    count = len / t->elem;
    if (t->id == mxLOGICAL_CLASS) {
        a = mxCreateLogicalMatrix((mwSize)count, 1);
    } else {
        a = mxCreateNumericMatrix((mwSize)count, 1, t->id, mxREAL);
    }
    if (len > 0) {
        memcpy(mxGetData(a), data, len);
    }
    return a;
}

mex_frame_type *mex_frame_types_arg(const mxArray *spec, size_t *count, const char *wrong)
{
    size_t i, n = 0;
    mex_frame_type *types;
    if (mex_is_text_like(spec)) {
        n = 1;
    } else if (mxIsCell(spec)) {
        n = mxGetNumberOfElements(spec);
    } else {
        mex_raise(ZEROMQ_ERR_INVALID_TYPE, wrong);
    }
    types = (mex_frame_type *)mxCalloc(n > 0 ? n : 1, sizeof *types);
    for (i = 0; i < n; i++) {
        const mxArray *e = mxIsCell(spec) ? mxGetCell(spec, (mwIndex)i) : spec;
        size_t len;
        mex_frame_type_of(mex_text_arg(e, "A frame type", 0, &len), &types[i]);
    }
    *count = n;
    return types;
}

mxArray *mex_frame_checked(zeromq_message *msg, size_t index, const mex_frame_type *t)
{
    const uint8_t *data = NULL;
    size_t len = 0;
    if (zeromq_message_frame(msg, index, &data, &len) != 0) {
        zeromq_message_free(msg);
        mex_raise(ZEROMQ_ERR_INTERNAL, "A received frame could not be read.");
    }
    if (!t->is_char && len % t->elem != 0) {
        char detail[200];
        snprintf(detail, sizeof detail,
                 "Frame %lu has %lu bytes, not a multiple of its element size %lu.",
                 (unsigned long)(index + 1), (unsigned long)len, (unsigned long)t->elem);
        zeromq_message_free(msg);
        mex_raise(ZEROMQ_ERR_INVALID_TYPE, detail);
    }
    return mex_frame_value(data, len, t);
}

