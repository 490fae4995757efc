/*
 * zeromq_mex.c: the MEX gateway that makes the zeromq_xop library usable from MATLAB and
 * GNU Octave.
 *
 * One MEX file, `zeromq_mex`, takes a command name as its first argument
 * (`zeromq_mex('server_bind', 'tcp://127.0.0.1:5670')`); the m-files next to it
 * (`zeromq_server_bind.m`, ...) are the documented interface. The gateway only marshals:
 * MATLAB values become (pointer, length) pairs, the library's status codes become MATLAB
 * errors with the identifiers `zeromq:<NAME>`, and received frames become char or numeric
 * arrays. Everything else (sockets, the JSON protocol, wave serialization) is the library's.
 *
 * Remote calls: the library queues each CallFunction request; `zeromq_handler_process` runs
 * the queue on the interpreter's thread through `mex_dispatch`, which calls the m-function
 * `zeromq_mex_invoke` (name lookup, argument counts, the call itself inside try/catch) and
 * turns its outputs into reply results. The queue is run by the idle driver (an Octave input
 * event hook or a MATLAB timer calling the 'process' command), by `zeromq_handler_process`
 * and by every blocking receive while it waits.
 *
 * Rules kept throughout:
 *   - MATLAB errors (which unwind the C stack) are raised only from the command functions,
 *     after the library call has returned; code that runs inside the library's dispatcher
 *     callback never raises: it uses mexCallMATLABWithTrap and reports failures in the reply.
 *   - Octave: Ctrl-C during a remote call becomes an ordinary error of that call (see
 *     mex_signal_hook), so the interpreter's interrupt never unwinds through the library.
 *   - Memory taken with malloc on the dispatcher path is freed there; command functions use
 *     mxMalloc, which the host reclaims when the command ends or raises an error.
 */

#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <time.h>
#endif

#include "mex.h"
#include "zeromq_xop.h"
#include "zeromq_mex.h"
#include "zeromq_mex_glue.h"
#include "zeromq_mex_waves.h"

#if defined(HAVE_OCTAVE)
/* The interpreter's interrupt counter (> 0: Ctrl-C pending), declared for C in quit.h. */
#include "quit.h"
/* Called by octave_quit() before it acts on a pending interrupt; quit.h declares it for C++
   only, the exported name is the plain C one. */
extern OCTAVE_API void (*octave_signal_hook)(void);
#elif defined(MATLAB_MEX_FILE) && !defined(MEX_NO_UT)
/* MATLAB's Ctrl-C flag, exported by libut (link with -lut). */
extern bool utIsInterruptPending(void);
#endif

#if !defined(MX_HAS_INTERLEAVED_COMPLEX)
#define MX_HAS_INTERLEAVED_COMPLEX 0
#endif

#if defined(_MSC_VER)
#define MEX_THREAD_LOCAL __declspec(thread)
#else
#define MEX_THREAD_LOCAL _Thread_local
#endif

/* Igor wave type codes (SPEC.md section 5.3). */
#define MEX_NT_CMPLX 0x01
#define MEX_NT_FP32 0x02
#define MEX_NT_FP64 0x04
#define MEX_NT_I8 0x08
#define MEX_NT_I16 0x10
#define MEX_NT_I32 0x20
#define MEX_NT_UNSIGNED 0x40
#define MEX_NT_I64 0x80
#define MEX_TEXT_WAVE 0x0000
#define MEX_WAVE_REF 0x4000

/* Reply codes of the request protocol (SPEC.md section 4.2). */
#define MEX_REQ_NON_EXISTING_FUNCTION 101
#define MEX_REQ_UNSUPPORTED_FUNC_RET 105
#define MEX_REQ_FUNCTION_ABORTED 107

/* How long one receive attempt waits before the loop checks for Ctrl-C and runs queued
   calls, in milliseconds. */
#define MEX_WAIT_SLICE_MS 10
/* Deepest nesting of cell arrays converted into wave-reference waves. */
#define MEX_MAX_NESTING 32
/* The m-function that runs one remote call (zeromq_mex_invoke.m). */
#define MEX_INVOKE_FUNCTION "zeromq_mex_invoke"

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                      */

static int mex_ready;                      /* library callbacks installed, MEX locked */
static int mex_dispatch_depth;             /* > 0 while the call queue runs */
static MEX_THREAD_LOCAL int mex_on_host_thread; /* set on the interpreter's thread */

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

typedef struct {
    int32_t code;
    const char *id;
    const char *text;
} mex_error_name;

static const mex_error_name mex_error_names[] = {
    {ZEROMQ_ERR_UNHANDLED, "zeromq:UNHANDLED", "Unhandled exception."},
    {ZEROMQ_ERR_UNKNOWN_SET_FLAG, "zeromq:UNKNOWN_SET_FLAG", "Unknown zeromq_set flag."},
    {ZEROMQ_ERR_INTERNAL, "zeromq:INTERNAL", "Internal error, this should not happen!"},
    {ZEROMQ_ERR_INVALID_ARG, "zeromq:INVALID_ARG", "Invalid argument!"},
    {ZEROMQ_ERR_HANDLER_ALREADY_RUNNING, "zeromq:HANDLER_ALREADY_RUNNING",
     "Message handler already running."},
    {ZEROMQ_ERR_HANDLER_NO_CONNECTION, "zeromq:HANDLER_NO_CONNECTION",
     "Message handler could not find a binded server."},
    {ZEROMQ_ERR_INVALID_MESSAGE_FORMAT, "zeromq:INVALID_MESSAGE_FORMAT",
     "Unexpected multi-part message format."},
    {ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE, "zeromq:INVALID_LOGGING_TEMPLATE",
     "Invalid logging template."},
    {ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED, "zeromq:MESSAGE_FILTER_DUPLICATED",
     "Exists already as message filter."},
    {ZEROMQ_ERR_MESSAGE_FILTER_MISSING, "zeromq:MESSAGE_FILTER_MISSING",
     "No such message filter."},
    {ZEROMQ_ERR_INVALID_TYPE, "zeromq:INVALID_TYPE", "Invalid type encountered."},
    {ZEROMQ_ERR_TIMEOUT, "zeromq:TIMEOUT", "The message could not be queued in time."},
    {ZEROMQ_ERR_CLOSED, "zeromq:CLOSED", "No such socket: it was closed or never existed."},
    {ZEROMQ_ERR_INVALID_KEY, "zeromq:INVALID_KEY", "Invalid CURVE key."},
    {ZEROMQ_ERR_INVALID_ADDRESS, "zeromq:INVALID_ADDRESS", "Invalid address."},
    {ZEROMQ_ERR_INVALID_CERTIFICATE, "zeromq:INVALID_CERTIFICATE", "Invalid certificate file."},
    {ZEROMQ_ERR_FILTER_TOO_LONG, "zeromq:FILTER_TOO_LONG", "The message filter is too long."},
};

/* Raises the MATLAB error for library status `code`. `detail` is the explanation; NULL takes
   the library's text for the calling thread's last failure. Never returns. */
void mex_raise(int32_t code, const char *detail)
{
    char last[2048];
    char message[2600];
    char fallback_id[64];
    const char *id = NULL;
    const char *text = "zeromq library error.";
    size_t i, len = 0;

    for (i = 0; i < sizeof mex_error_names / sizeof mex_error_names[0]; i++) {
        if (mex_error_names[i].code == code) {
            id = mex_error_names[i].id;
            text = mex_error_names[i].text;
            break;
        }
    }
    if (id == NULL) {
        snprintf(fallback_id, sizeof fallback_id, "zeromq:ERROR_%ld", (long)code);
        id = fallback_id;
    }
    if (detail == NULL) {
        last[0] = '\0';
        if (zeromq_last_error(last, sizeof last, &len) != 0) {
            last[0] = '\0';
        }
        last[sizeof last - 1] = '\0';
        /* Library texts end in a line break (Igor history convention); drop it. */
        len = strlen(last);
        while (len > 0 && (last[len - 1] == '\r' || last[len - 1] == '\n' ||
                           last[len - 1] == ' ')) {
            last[--len] = '\0';
        }
        detail = last;
    }
    if (detail[0] != '\0') {
        snprintf(message, sizeof message, "%s %s", text, detail);
    } else {
        snprintf(message, sizeof message, "%s", text);
    }
    mexErrMsgIdAndTxt(id, "%s", message);
}

/* Raises the MATLAB error for `code` unless it is 0 (success). */
void mex_check(int32_t code)
{
    if (code != 0) {
        mex_raise(code, NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Text conversion                                                                            */
/*
 * Octave stores char arrays as bytes (UTF-8 text), MATLAB as UTF-16 code units. Text
 * (endpoints, payloads, filters, JSON) travels as UTF-8; identities travel byte for byte
 * (one char per byte), so that a routing id received from zeromq_server_recv can be passed
 * back to zeromq_server_send unchanged on both hosts.
 */

/* Number of UTF-8 bytes for `n` chars, written to `dst` when it is not NULL. With `bytes`
   set every char is taken as one byte (its low 8 bits). */
static size_t mex_chars_to_utf8(const mxChar *c, size_t n, int bytes, char *dst)
{
    size_t i, out = 0;

    if (sizeof(mxChar) == 1 || bytes) {
        if (dst != NULL) {
            for (i = 0; i < n; i++) {
                dst[i] = (char)(unsigned char)c[i];
            }
        }
        return n;
    }
    for (i = 0; i < n; i++) {
        uint32_t u = (uint32_t)c[i] & 0xFFFFu;
        if (u >= 0xD800u && u <= 0xDBFFu && i + 1 < n) {
            uint32_t low = (uint32_t)c[i + 1] & 0xFFFFu;
            if (low >= 0xDC00u && low <= 0xDFFFu) {
                u = 0x10000u + ((u - 0xD800u) << 10) + (low - 0xDC00u);
                i++;
            }
        }
        if (u < 0x80u) {
            if (dst != NULL) {
                dst[out] = (char)u;
            }
            out += 1;
        } else if (u < 0x800u) {
            if (dst != NULL) {
                dst[out] = (char)(0xC0u | (u >> 6));
                dst[out + 1] = (char)(0x80u | (u & 0x3Fu));
            }
            out += 2;
        } else if (u < 0x10000u) {
            if (dst != NULL) {
                dst[out] = (char)(0xE0u | (u >> 12));
                dst[out + 1] = (char)(0x80u | ((u >> 6) & 0x3Fu));
                dst[out + 2] = (char)(0x80u | (u & 0x3Fu));
            }
            out += 3;
        } else {
            if (dst != NULL) {
                dst[out] = (char)(0xF0u | (u >> 18));
                dst[out + 1] = (char)(0x80u | ((u >> 12) & 0x3Fu));
                dst[out + 2] = (char)(0x80u | ((u >> 6) & 0x3Fu));
                dst[out + 3] = (char)(0x80u | (u & 0x3Fu));
            }
            out += 4;
        }
    }
    return out;
}

/* Decodes one UTF-8 sequence at s[0..n); returns its length and the code point, or 0 when
   the bytes are not well-formed UTF-8. */
static size_t mex_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t need, k;
    uint32_t u;

    if (s[0] < 0x80u) {
        *cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2u && s[0] <= 0xDFu) {
        need = 2;
        u = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0u && s[0] <= 0xEFu) {
        need = 3;
        u = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0u && s[0] <= 0xF4u) {
        need = 4;
        u = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < need) {
        return 0;
    }
    for (k = 1; k < need; k++) {
        if ((s[k] & 0xC0u) != 0x80u) {
            return 0;
        }
        u = (u << 6) | (s[k] & 0x3Fu);
    }
    if ((need == 3 && u < 0x800u) || (need == 4 && (u < 0x10000u || u > 0x10FFFFu))) {
        return 0;
    }
    *cp = u;
    return need;
}

/* Number of chars for `n` received bytes, written to `dst` when it is not NULL. UTF-16 hosts
   decode UTF-8; a byte that does not start well-formed UTF-8 becomes the char of its value. */
static size_t mex_utf8_to_chars(const unsigned char *s, size_t n, int bytes, mxChar *dst)
{
    size_t i = 0, out = 0;

    if (sizeof(mxChar) == 1 || bytes) {
        if (dst != NULL) {
            for (i = 0; i < n; i++) {
                dst[i] = (mxChar)s[i];
            }
        }
        return n;
    }
    while (i < n) {
        uint32_t cp;
        size_t used = mex_utf8_decode(s + i, n - i, &cp);
        if (used == 0) {
            cp = s[i];
            used = 1;
        }
        i += used;
        if (cp >= 0x10000u) {
            if (dst != NULL) {
                dst[out] = (mxChar)(0xD800u + ((cp - 0x10000u) >> 10));
                dst[out + 1] = (mxChar)(0xDC00u + ((cp - 0x10000u) & 0x3FFu));
            }
            out += 2;
        } else {
            if (dst != NULL) {
                dst[out] = (mxChar)cp;
            }
            out += 1;
        }
    }
    return out;
}

/* A char row vector holding the bytes (see mex_utf8_to_chars); '' (0x0) when empty. */
mxArray *mex_text_value(const void *data, size_t len, int bytes)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t n = len > 0 ? mex_utf8_to_chars(s, len, bytes, NULL) : 0;
    mwSize dims[2];
    mxArray *a;

    dims[0] = n > 0 ? 1 : 0;
    dims[1] = (mwSize)n;
    a = mxCreateCharArray(2, dims);
    if (n > 0) {
        mex_utf8_to_chars(s, len, bytes, (mxChar *)mxGetChars(a));
    }
    return a;
}

/* True for text as the gateway takes it: a char row vector or an empty char array. */
int mex_is_text(const mxArray *a)
{
    return a != NULL && mxIsChar(a) &&
           (mxGetNumberOfElements(a) == 0 ||
            (mxGetNumberOfDimensions(a) == 2 && mxGetM(a) == 1));
}

/* The UTF-8 (or byte) form of the text array `a` in malloc'd memory (NUL-terminated, so
   never NULL unless out of memory). */
static char *mex_text_dup(const mxArray *a, int bytes, size_t *len)
{
    size_t n = mxGetNumberOfElements(a);
    const mxChar *c = n > 0 ? (const mxChar *)mxGetChars(a) : NULL;
    size_t need = n > 0 ? mex_chars_to_utf8(c, n, bytes, NULL) : 0;
    char *buf = (char *)malloc(need + 1);

    if (buf == NULL) {
        *len = 0;
        return NULL;
    }
    if (need > 0) {
        mex_chars_to_utf8(c, n, bytes, buf);
    }
    buf[need] = '\0';
    *len = need;
    return buf;
}

/* A text argument of a command: char row, '' or a MATLAB string scalar. The result is
   mxMalloc'd and NUL-terminated. Raises zeromq:INVALID_ARG for anything else. */
char *mex_text_arg(const mxArray *a, const char *what, int bytes, size_t *len)
{
    mxArray *converted = NULL;
    char *tmp, *out;
    char detail[256];

    if (a != NULL && !mxIsChar(a) && mxIsClass(a, "string") && mxGetNumberOfElements(a) == 1) {
        mxArray *in = (mxArray *)a;
        if (mexCallMATLAB(1, &converted, 1, &in, "char") == 0) {
            a = converted;
        }
    }
    if (!mex_is_text(a)) {
        snprintf(detail, sizeof detail, "%s must be text (a char row vector or a string).",
                 what);
        mex_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
    tmp = mex_text_dup(a, bytes, len);
    if (tmp == NULL) {
        mex_raise(ZEROMQ_ERR_INTERNAL, "Out of memory.");
    }
    out = (char *)mxMalloc(*len + 1);
    memcpy(out, tmp, *len + 1);
    free(tmp);
    if (converted != NULL) {
        mxDestroyArray(converted);
    }
    return out;
}

/* A real numeric or logical scalar argument. Raises zeromq:INVALID_ARG otherwise. */
double mex_scalar_arg(const mxArray *a, const char *what)
{
    char detail[256];

    if (a == NULL || !(mxIsNumeric(a) || mxIsLogical(a)) || mxIsComplex(a) ||
        mxGetNumberOfElements(a) != 1) {
        snprintf(detail, sizeof detail, "%s must be a real number.", what);
        mex_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
    return mxGetScalar(a);
}

/* ------------------------------------------------------------------------------------------ */
/* Numeric arrays                                                                             */

/* The wave type code and element size (of one real part) for a numeric or logical class;
   returns -1 for other classes. */
static int32_t mex_class_wave_type(mxClassID id, size_t *elem)
{
    switch (id) {
    case mxDOUBLE_CLASS: *elem = 8; return MEX_NT_FP64;
    case mxSINGLE_CLASS: *elem = 4; return MEX_NT_FP32;
    case mxINT8_CLASS: *elem = 1; return MEX_NT_I8;
    case mxUINT8_CLASS: *elem = 1; return MEX_NT_I8 | MEX_NT_UNSIGNED;
    case mxINT16_CLASS: *elem = 2; return MEX_NT_I16;
    case mxUINT16_CLASS: *elem = 2; return MEX_NT_I16 | MEX_NT_UNSIGNED;
    case mxINT32_CLASS: *elem = 4; return MEX_NT_I32;
    case mxUINT32_CLASS: *elem = 4; return MEX_NT_I32 | MEX_NT_UNSIGNED;
    case mxINT64_CLASS: *elem = 8; return MEX_NT_I64;
    case mxUINT64_CLASS: *elem = 8; return MEX_NT_I64 | MEX_NT_UNSIGNED;
    case mxLOGICAL_CLASS: *elem = sizeof(mxLogical); return MEX_NT_I8 | MEX_NT_UNSIGNED;
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

/* ------------------------------------------------------------------------------------------ */
/* MATLAB values -> waves                                                                     */

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

static int mex_wave_from_array(const mxArray *a, unsigned depth, zeromq_wave **out,
                               const char **why);

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
        type |= MEX_NT_CMPLX;
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

    if (zeromq_wave_new(MEX_TEXT_WAVE, &one, 1, &w) != 0) {
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
    if (zeromq_wave_new(all_text ? MEX_TEXT_WAVE : MEX_WAVE_REF, dims, ndims, &w) != 0) {
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
static int mex_wave_from_array(const mxArray *a, unsigned depth, zeromq_wave **out,
                               const char **why)
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

/* ------------------------------------------------------------------------------------------ */
/* Remote calls: the dispatcher                                                               */

typedef struct {
    int kind; /* 0 variable, 1 string, 2 wave */
    double value;
    char *text;
    size_t len;
    zeromq_wave *wave;
} mex_result;

/* Converts one output of the called function into a reply result: real scalars become
   variables, char rows strings, arrays and cells waves. Returns 0 or -1 (unsupported). */
static int mex_result_from_array(const mxArray *a, mex_result *r, const char **why)
{
    memset(r, 0, sizeof *r);
    if (a == NULL) {
        *why = "an output was not assigned";
        return -1;
    }
    if (mxIsChar(a)) {
        if (!mex_is_text(a)) {
            *why = "char arrays with more than one row are not supported";
            return -1;
        }
        r->kind = 1;
        r->text = mex_text_dup(a, 0, &r->len);
        if (r->text == NULL) {
            *why = "out of memory";
            return -1;
        }
        return 0;
    }
    if (mex_is_plain_numeric(a) && !mxIsComplex(a) && mxGetNumberOfElements(a) == 1) {
        r->kind = 0;
        r->value = mxGetScalar(a);
        return 0;
    }
    r->kind = 2;
    return mex_wave_from_array(a, 0, &r->wave, why);
}

static void mex_result_free(mex_result *r)
{
    free(r->text);
    zeromq_wave_free(r->wave);
    memset(r, 0, sizeof *r);
}

/* Hands a converted result to the reply (the reply takes the wave). */
static int32_t mex_result_push(zeromq_reply *reply, mex_result *r)
{
    int32_t rc;
    switch (r->kind) {
    case 0:
        return zeromq_reply_variable(reply, r->value);
    case 1:
        rc = zeromq_reply_string(reply, r->text, r->len);
        free(r->text);
        r->text = NULL;
        return rc;
    default:
        rc = zeromq_reply_wave(reply, r->wave);
        r->wave = NULL;
        return rc;
    }
}

static void mex_reply_text_error(zeromq_reply *reply, int32_t code, const char *text)
{
    zeromq_reply_error(reply, code, text, text != NULL ? strlen(text) : 0);
}

/* Fills the reply from the outputs (a cell array) of the called function. */
static void mex_reply_outputs(zeromq_reply *reply, const mxArray *outputs, int multiple)
{
    size_t i, n = outputs != NULL && mxIsCell(outputs) ? mxGetNumberOfElements(outputs) : 0;
    mex_result *results;
    const char *why = NULL;

    if (n == 0) {
        /* A function without outputs answers like an Igor function without a return
           statement: the variable NaN. */
        zeromq_reply_variable(reply, mxGetNaN());
        return;
    }
    results = (mex_result *)calloc(n, sizeof *results);
    if (results == NULL) {
        mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL, "Out of memory.");
        return;
    }
    for (i = 0; i < n; i++) {
        if (mex_result_from_array(mxGetCell(outputs, (mwIndex)i), &results[i], &why) != 0) {
            size_t k;
            for (k = 0; k <= i; k++) {
                mex_result_free(&results[k]);
            }
            free(results);
            zeromq_reply_error(reply, MEX_REQ_UNSUPPORTED_FUNC_RET, NULL, 0);
            return;
        }
    }
    if (multiple) {
        zeromq_reply_multiple(reply);
    }
    for (i = 0; i < n; i++) {
        if (mex_result_push(reply, &results[i]) != 0) {
            size_t k;
            for (k = i; k < n; k++) {
                mex_result_free(&results[k]);
            }
            free(results);
            mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL,
                                 "The library refused a result of the call.");
            return;
        }
    }
    free(results);
}

/* One parameter of the call as a MATLAB value: strings become char, numbers double,
   booleans logical, waves arrays (zeromq_mex_waves.c). */
static mxArray *mex_param_value(const zeromq_call *call, size_t index)
{
    int32_t kind = ZEROMQ_PARAM_STRING;
    const char *text = NULL;
    size_t len = 0;
    double value = 0.0;

    if (zeromq_call_param(call, index, &kind, &text, &len) != 0) {
        return NULL;
    }
    switch (kind) {
    case ZEROMQ_PARAM_NUMBER:
        if (zeromq_call_param_double(call, index, &value) != 0) {
            value = mxGetNaN();
        }
        return mxCreateDoubleScalar(value);
    case ZEROMQ_PARAM_BOOL:
        return mxCreateLogicalScalar(len > 0 && text != NULL && text[0] == '1');
    case ZEROMQ_PARAM_WAVE: {
        const zeromq_wave *w = NULL;
        return zeromq_call_param_wave(call, index, &w) == 0
                   ? mex_wave_value(w, 0, MEX_MAX_NESTING)
                   : NULL;
    }
    default:
        return mex_text_value(text, len, 0);
    }
}

/* The library's dispatcher: runs one queued call in the interpreter through
   zeromq_mex_invoke.m, on the interpreter's thread. Never raises a MATLAB error. */
static void mex_dispatch(void *user_data, const zeromq_call *call, zeromq_reply *reply)
{
    mxArray *in[2] = {NULL, NULL};
    mxArray *out[4] = {NULL, NULL, NULL, NULL};
    mxArray *trapped;
    const char *name = NULL;
    size_t name_len = 0, i, count;
    int32_t code;
    int escaped = 0;

    (void)user_data;
    if (mex_exit_pending()) {
        mex_reply_text_error(reply, MEX_REQ_FUNCTION_ABORTED, "The session is ending.");
        return;
    }
    if (zeromq_call_name(call, &name, &name_len) != 0) {
        mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL, "The call has no readable name.");
        return;
    }
    count = zeromq_call_param_count(call);
    in[0] = mex_text_value(name, name_len, 0);
    in[1] = mxCreateCellMatrix(1, (mwSize)count);
    for (i = 0; i < count; i++) {
        mxArray *v = mex_param_value(call, i);
        if (v == NULL) {
            mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL, "A parameter could not be read.");
            goto cleanup;
        }
        mxSetCell(in[1], (mwIndex)i, v);
    }

    trapped = mex_call_guarded(4, out, 2, in, MEX_INVOKE_FUNCTION, &escaped);
    if (escaped) {
        mex_reply_text_error(reply, MEX_REQ_FUNCTION_ABORTED,
                             "The function ended the session (exit or quit).");
        goto cleanup;
    }
    if (trapped != NULL) {
        mxDestroyArray(trapped);
        mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL,
                             "zeromq_mex_invoke failed; is the zeromq folder on the path?");
        goto cleanup;
    }
    if (out[0] == NULL || mxGetNumberOfElements(out[0]) != 1) {
        mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL, "zeromq_mex_invoke gave no status.");
        goto cleanup;
    }
    code = (int32_t)mxGetScalar(out[0]);
    if (code != 0) {
        if (code == MEX_REQ_FUNCTION_ABORTED && out[1] != NULL && mex_is_text(out[1])) {
            size_t len;
            char *history = mex_text_dup(out[1], 0, &len);
            zeromq_reply_error(reply, code, history, history != NULL ? len : 0);
            free(history);
        } else {
            zeromq_reply_error(reply, code, NULL, 0);
        }
        goto cleanup;
    }
    mex_reply_outputs(reply, out[2],
                      out[3] != NULL && mxGetNumberOfElements(out[3]) == 1 &&
                          mxGetScalar(out[3]) != 0.0);

cleanup:
    for (i = 0; i < 2; i++) {
        if (in[i] != NULL) {
            mxDestroyArray(in[i]);
        }
    }
    for (i = 0; i < 4; i++) {
        if (out[i] != NULL) {
            mxDestroyArray(out[i]);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Interrupts, time, running the queue                                                        */

#if defined(HAVE_OCTAVE)
/*
 * Ctrl-C while remote calls run (Octave). Octave's signal thread counts the interrupt in
 * octave_interrupt_state; the interpreter throws its interrupt exception at the next
 * octave_quit() after calling octave_signal_hook. Thrown inside a remote call, that exception
 * would unwind through the library's frames (which aborts the process). While the queue runs,
 * mex_signal_hook therefore takes the interrupt over and raises it as an ordinary MATLAB error
 * of the running function: zeromq_mex_invoke catches it and the call is answered with 107.
 * Other signals are left pending and handled once the queue is done. Afterwards the interrupt
 * is handed back to the interpreter (mex_defer_end with `rearm`), so a script waiting in a
 * receive stops as usual; at the prompt (the idle driver) there is nothing more to stop.
 */
static void (*mex_saved_signal_hook)(void);
static int mex_call_interrupted;
static int mex_signals_deferred;

#if !defined(_WIN32)
/*
 * The idle driver runs inside readline's wait for input, where readline's SIGINT handler is
 * installed; it only notes the signal and acts once readline has control again, i.e. after
 * the remote call. While the queue runs, Octave's own handler (captured when the MEX file is
 * loaded, from a command, where it is the one installed) is put back so that Ctrl-C reaches
 * the interpreter and stops the running call.
 */
static struct sigaction mex_octave_sigint;
static int mex_have_octave_sigint;
static struct sigaction mex_outer_sigint;
static int mex_sigint_swapped;

static int mex_same_handler(const struct sigaction *a, const struct sigaction *b)
{
    if ((a->sa_flags & SA_SIGINFO) != (b->sa_flags & SA_SIGINFO)) {
        return 0;
    }
    if (a->sa_flags & SA_SIGINFO) {
        return a->sa_sigaction == b->sa_sigaction;
    }
    return a->sa_handler == b->sa_handler;
}

static void mex_capture_sigint(void)
{
    struct sigaction sa;
    if (sigaction(SIGINT, NULL, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) &&
        sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN) {
        mex_octave_sigint = sa;
        mex_have_octave_sigint = 1;
    }
}

static void mex_use_octave_sigint(void)
{
    struct sigaction current;
    mex_sigint_swapped = 0;
    if (mex_have_octave_sigint && sigaction(SIGINT, NULL, &current) == 0 &&
        !mex_same_handler(&current, &mex_octave_sigint)) {
        if (sigaction(SIGINT, &mex_octave_sigint, &mex_outer_sigint) == 0) {
            mex_sigint_swapped = 1;
        }
    }
}

static void mex_restore_outer_sigint(void)
{
    if (mex_sigint_swapped) {
        sigaction(SIGINT, &mex_outer_sigint, NULL);
        mex_sigint_swapped = 0;
    }
}
#else
static void mex_capture_sigint(void) {}
static void mex_use_octave_sigint(void) {}
static void mex_restore_outer_sigint(void) {}
#endif

static void mex_signal_hook(void)
{
    mex_signals_deferred = 1;
    if (octave_interrupt_state > 0) {
        octave_interrupt_state = 0;
        mex_call_interrupted = 1;
        mexErrMsgIdAndTxt("zeromq:INTERRUPTED", "%s", "Interrupted by Ctrl-C.");
    }
}

static void mex_defer_begin(void)
{
    mex_use_octave_sigint();
    mex_saved_signal_hook = octave_signal_hook;
    mex_call_interrupted = 0;
    mex_signals_deferred = 0;
    octave_signal_hook = mex_signal_hook;
}

static void mex_defer_end(int rearm)
{
    octave_signal_hook = mex_saved_signal_hook;
    mex_restore_outer_sigint();
    if (mex_call_interrupted && rearm && octave_interrupt_state <= 0) {
        octave_interrupt_state = 1;
    }
    if (mex_signals_deferred || octave_interrupt_state > 0) {
        octave_signal_caught = 1;
    }
    mex_call_interrupted = 0;
}
#else
static void mex_capture_sigint(void) {}
static void mex_defer_begin(void) {}
static void mex_defer_end(int rearm) { (void)rearm; }
#endif

/* True when the user pressed Ctrl-C and the interpreter has not handled it yet. */
int mex_interrupt_pending(void)
{
#if defined(HAVE_OCTAVE)
    return octave_interrupt_state > 0;
#elif defined(MATLAB_MEX_FILE) && !defined(MEX_NO_UT)
    return utIsInterruptPending() ? 1 : 0;
#else
    return 0;
#endif
}

double mex_now_ms(void)
{
#if defined(_WIN32)
    return (double)GetTickCount64();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1.0e6;
#endif
}

/* Runs every queued remote call (zeromq_handler_process) unless a call is running already
   (a remote call waiting in a receive does not start others) or Ctrl-C is pending. With
   `rearm`, a Ctrl-C that stopped a call also stops the caller afterwards. Returns the
   library's status; `*processed` gets the number of calls run. */
int32_t mex_run_queue(uint32_t *processed, int rearm)
{
    int32_t rc;

    *processed = 0;
    if (mex_dispatch_depth > 0 || mex_interrupt_pending()) {
        return 0;
    }
    mex_defer_begin();
    mex_dispatch_depth++;
    rc = zeromq_handler_process(processed);
    mex_dispatch_depth--;
    mex_defer_end(rearm);
    /* A remote function called exit: its reply is sent, now the session ends. */
    mex_rethrow_pending();
    return rc;
}

typedef int32_t (*mex_recv_fn)(int32_t timeout_ms, zeromq_message **out);

/* The receive loop of SPEC.md 2.2: with busy-waiting on, wait in short slices until a
   message arrives or Ctrl-C is pressed, running queued remote calls in between; with
   ZEROMQ_SET_FLAGS_NOBUSYWAITRECV, one attempt that returns at once. `*out` stays NULL when
   nothing arrived. */
static int32_t mex_receive(mex_recv_fn recv, zeromq_message **out)
{
    int busy = (zeromq_flags() & ZEROMQ_SET_FLAGS_NOBUSYWAITRECV) == 0;

    *out = NULL;
    if (!busy) {
        return recv(0, out);
    }
    for (;;) {
        uint32_t processed;
        int32_t rc = recv(MEX_WAIT_SLICE_MS, out);
        if (rc != 0 || *out != NULL) {
            return rc;
        }
        if (mex_interrupt_pending()) {
            return 0;
        }
        mex_run_queue(&processed, 1);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Library output and lifetime                                                                */

/* Debug and emergency lines of the library: printed in the command window when they are
   delivered on the interpreter's thread (zeromq_handler_process does that), written to
   stderr from any other thread. */
static void mex_output(void *user_data, const char *text, size_t len)
{
    char *line;
    size_t i;

    (void)user_data;
    if (text == NULL || len == 0) {
        return;
    }
    if (!mex_on_host_thread) {
        fprintf(stderr, "%.*s\n", (int)len, text);
        return;
    }
    line = (char *)malloc(len + 1);
    if (line == NULL) {
        return;
    }
    for (i = 0; i < len; i++) {
        line[i] = (text[i] == '\r' || text[i] == '\0') ? '\n' : text[i];
    }
    while (len > 0 && line[len - 1] == '\n') {
        len--;
    }
    line[len] = '\0';
    mexPrintf("%s\n", line);
    free(line);
}

/* The host unloads the MEX file (interpreter exit): stop every library thread first, since
   they run code of this file. */
static void mex_at_exit(void)
{
    mex_prompt_remove();
    zeromq_set_dispatcher(NULL, NULL);
    zeromq_shutdown();
    zeromq_set_output(NULL, NULL);
    mex_ready = 0;
}

/* First use: keep the MEX file loaded (library threads run its code), install the
   dispatcher and the output callback. */
static void mex_init(void)
{
    if (mex_ready) {
        return;
    }
    mexLock();
    mexAtExit(mex_at_exit);
    mex_capture_sigint();
    zeromq_set_dispatcher(mex_dispatch, NULL);
    zeromq_set_output(mex_output, NULL);
    mex_prompt_install();
    mex_ready = 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Commands                                                                                   */

typedef void (*mex_command_fn)(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);

/* Checks the argument count of a command (arguments after the command name). */
void mex_nargs(int nrhs, int min, int max, const char *usage)
{
    char detail[300];
    if (nrhs < min || nrhs > max) {
        snprintf(detail, sizeof detail, "Wrong number of arguments; usage: %s", usage);
        mex_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
}

/* The (pointer, length) pair of a text argument; the macro keeps the commands short. */
#define MEX_TEXT(var, arg, what) \
    size_t var##_len;            \
    const char *var = mex_text_arg((arg), (what), 0, &var##_len)

/* Frame `index` of a received message as text (or bytes). */
mxArray *mex_frame_text(const zeromq_message *msg, size_t index, int bytes)
{
    const uint8_t *data = NULL;
    size_t len = 0;
    if (msg == NULL || zeromq_message_frame(msg, index, &data, &len) != 0) {
        return mex_text_value("", 0, 0);
    }
    return mex_text_value(data, len, bytes);
}

static void cmd_stop(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_stop()");
    mex_check(zeromq_stop());
}

/* Flags: a number, a name ('DEBUG', 'ZeroMQ_SET_FLAGS_DEBUG'), or several names in a cell
   array or joined by '|'. */
static int32_t mex_flag_value(const char *name)
{
    static const struct { const char *name; int32_t value; } flags[] = {
        {"DEFAULT", ZEROMQ_SET_FLAGS_DEFAULT},
        {"DEBUG", ZEROMQ_SET_FLAGS_DEBUG},
        {"IPV6", ZEROMQ_SET_FLAGS_IPV6},
        {"NOBUSYWAITRECV", ZEROMQ_SET_FLAGS_NOBUSYWAITRECV},
        {"LOGGING", ZEROMQ_SET_FLAGS_LOGGING},
    };
    static const char *prefixes[] = {"ZeroMQ_SET_FLAGS_", "ZMQ_SET_FLAGS_", "ZEROMQ_SET_FLAGS_"};
    size_t i, k;

    for (k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        size_t p = strlen(prefixes[k]);
        if (strncmp(name, prefixes[k], p) == 0) {
            name += p;
            break;
        }
    }
    for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *a = flags[i].name, *b = name;
        while (*a != '\0' && *b != '\0' && (*a == *b || *a == (*b & ~0x20))) {
            a++;
            b++;
        }
        if (*a == '\0' && *b == '\0') {
            return flags[i].value;
        }
    }
    return -1;
}

static int32_t mex_flags_from_names(const char *text)
{
    int32_t total = 0;
    char token[64];
    const char *p = text;

    while (*p != '\0') {
        size_t n = 0;
        int32_t v;
        while (*p == ' ' || *p == '|' || *p == '+' || *p == ',') {
            p++;
        }
        while (*p != '\0' && *p != ' ' && *p != '|' && *p != '+' && *p != ',') {
            if (n + 1 < sizeof token) {
                token[n++] = *p;
            }
            p++;
        }
        token[n] = '\0';
        if (n == 0) {
            continue;
        }
        v = mex_flag_value(token);
        if (v < 0) {
            char detail[128];
            snprintf(detail, sizeof detail, "zeromq_set: The flag %s is unknown.", token);
            mex_raise(ZEROMQ_ERR_UNKNOWN_SET_FLAG, detail);
        }
        total |= v;
    }
    return total;
}

static void cmd_set(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    int32_t flags = 0;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_set(flags)");
    if (mxIsCell(prhs[0])) {
        size_t i, n = mxGetNumberOfElements(prhs[0]);
        for (i = 0; i < n; i++) {
            const mxArray *e = mxGetCell(prhs[0], (mwIndex)i);
            if (e != NULL && (mxIsNumeric(e) || mxIsLogical(e))) {
                double v = mex_scalar_arg(e, "A flag");
                if (!(v >= -2147483648.0 && v <= 2147483647.0)) {
                    mex_raise(ZEROMQ_ERR_INVALID_ARG, "A flag is out of range.");
                }
                flags |= (int32_t)v;
            } else {
                size_t len;
                const char *name = mex_text_arg(e, "A flag", 0, &len);
                flags |= mex_flags_from_names(name);
            }
        }
    } else if (mxIsNumeric(prhs[0]) || mxIsLogical(prhs[0])) {
        double v = mex_scalar_arg(prhs[0], "flags");
        if (isnan(v) || isinf(v)) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "zeromq_set: flags must be finite.");
        }
        if (!(v >= -2147483648.0 && v <= 2147483647.0)) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "zeromq_set: flags are out of range.");
        }
        flags = (int32_t)v; /* truncates toward zero */
    } else {
        size_t len;
        const char *names = mex_text_arg(prhs[0], "flags", 0, &len);
        flags = mex_flags_from_names(names);
    }
    mex_check(zeromq_set(flags));
}

static void cmd_flags(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_flags()");
    plhs[0] = mxCreateDoubleScalar((double)zeromq_flags());
}

static void cmd_set_logging_template(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_set_logging_template(jsonString)");
    {
        MEX_TEXT(json, prhs[0], "jsonString");
        mex_check(zeromq_set_logging_template(json, json_len));
    }
}

static void cmd_set_log_path(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_set_log_path(path)");
    {
        MEX_TEXT(path, prhs[0], "path");
        mex_check(zeromq_set_log_path(path, path_len));
    }
}

static void cmd_set_max_message_size(int nlhs, mxArray *plhs[], int nrhs,
                                     const mxArray *prhs[])
{
    double bytes;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_set_max_message_size(bytes)");
    bytes = mex_scalar_arg(prhs[0], "bytes");
    if (isnan(bytes) || bytes < -1.0 || bytes > 9.0e18 || bytes != floor(bytes)) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "bytes must be a whole number >= -1 (-1: no limit).");
    }
    mex_check(zeromq_set_max_message_size((int64_t)bytes));
}

typedef int32_t (*mex_endpoint_fn)(const char *endpoint, size_t len);

static void mex_endpoint_command(int nrhs, const mxArray *prhs[], mex_endpoint_fn fn,
                                 const char *usage, const char *what)
{
    mex_nargs(nrhs, 1, 1, usage);
    {
        MEX_TEXT(endpoint, prhs[0], what);
        mex_check(fn(endpoint, endpoint_len));
    }
}

static void cmd_server_bind(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_endpoint_command(nrhs, prhs, zeromq_server_bind, "zeromq_server_bind(localPoint)",
                         "localPoint");
}

static void cmd_client_connect(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_endpoint_command(nrhs, prhs, zeromq_client_connect,
                         "zeromq_client_connect(remotePoint)", "remotePoint");
}

static void cmd_pub_bind(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_endpoint_command(nrhs, prhs, zeromq_pub_bind, "zeromq_pub_bind(localPoint)",
                         "localPoint");
}

static void cmd_sub_connect(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_endpoint_command(nrhs, prhs, zeromq_sub_connect, "zeromq_sub_connect(remotePoint)",
                         "remotePoint");
}

static void cmd_sub_add_filter(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_endpoint_command(nrhs, prhs, zeromq_sub_add_filter, "zeromq_sub_add_filter(filter)",
                         "filter");
}

static void cmd_sub_remove_filter(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_endpoint_command(nrhs, prhs, zeromq_sub_remove_filter,
                         "zeromq_sub_remove_filter(filter)", "filter");
}

static void cmd_client_send(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_client_send(msg)");
    {
        MEX_TEXT(msg, prhs[0], "msg");
        mex_check(zeromq_client_send(msg, msg_len));
    }
}

static void cmd_server_send(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    size_t identity_len;
    const char *identity;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 2, "zeromq_server_send(identity, msg)");
    identity = mex_text_arg(prhs[0], "identity", 1, &identity_len);
    {
        MEX_TEXT(msg, prhs[1], "msg");
        mex_check(zeromq_server_send(identity, identity_len, msg, msg_len));
    }
}

static void cmd_pub_send(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 2, "zeromq_pub_send(filter, msg)");
    {
        MEX_TEXT(filter, prhs[0], "filter");
        MEX_TEXT(msg, prhs[1], "msg");
        mex_check(zeromq_pub_send(filter, filter_len, msg, msg_len));
    }
}

/* Receives with the wait loop and raises on failure; the message (or NULL) is the caller's
   to free. */
static zeromq_message *mex_receive_checked(mex_recv_fn recv)
{
    zeromq_message *msg = NULL;
    int32_t rc = mex_receive(recv, &msg);
    if (rc != 0) {
        zeromq_message_free(msg);
        mex_raise(rc, NULL);
    }
    return msg;
}

static void cmd_client_recv(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    zeromq_message *msg;
    (void)nlhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "msg = zeromq_client_recv()");
    msg = mex_receive_checked(zeromq_client_recv);
    plhs[0] = mex_frame_text(msg, 0, 0);
    zeromq_message_free(msg);
}

static void cmd_server_recv(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    zeromq_message *msg;
    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[msg, identity] = zeromq_server_recv()");
    msg = mex_receive_checked(zeromq_server_recv);
    plhs[0] = mex_frame_text(msg, 1, 0);
    if (nlhs > 1) {
        plhs[1] = mex_frame_text(msg, 0, 1);
    }
    zeromq_message_free(msg);
}

static void cmd_sub_recv(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    zeromq_message *msg;
    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[msg, filter] = zeromq_sub_recv()");
    msg = mex_receive_checked(zeromq_sub_recv);
    plhs[0] = mex_frame_text(msg, 1, 0);
    if (nlhs > 1) {
        plhs[1] = mex_frame_text(msg, 0, 0);
    }
    zeromq_message_free(msg);
}

void mex_frame_type_of(const char *name, mex_frame_type *t)
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
mxArray *mex_frame_value(const uint8_t *data, size_t len, const mex_frame_type *t)
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
    if (mex_is_text(spec) || mxIsClass(spec, "string")) {
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

static void cmd_sub_recv_multi(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    mex_frame_type *types = NULL;
    size_t ntypes = 0, i, count;
    zeromq_message *msg;
    mxArray *frames;

    (void)nlhs;
    mex_nargs(nrhs, 0, 1, "frames = zeromq_sub_recv_multi([types])");
    if (nrhs == 1) {
        types = mex_frame_types_arg(prhs[0], &ntypes,
                                    "types must be a cell array of class names, e.g. "
                                    "{'char', 'char', 'int16'}.");
    }

    msg = mex_receive_checked(zeromq_sub_recv_multi);
    count = msg != NULL ? zeromq_message_frame_count(msg) : 0;
    frames = mxCreateCellMatrix(count > 0 ? 1 : 0, (mwSize)count);
    for (i = 0; i < count; i++) {
        mex_frame_type t;
        if (i < ntypes) {
            t = types[i];
        } else {
            /* Defaults of the reference: text for the filter and the payload, unsigned
               bytes for the frames after them. */
            memset(&t, 0, sizeof t);
            t.is_char = i < 2;
            t.id = mxUINT8_CLASS;
            t.elem = 1;
        }
        mxSetCell(frames, (mwIndex)i, mex_frame_checked(msg, i, &t));
    }
    zeromq_message_free(msg);
    plhs[0] = frames;
}

static void cmd_pub_send_multi(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    const mxArray *cell;
    size_t i, n;
    zeromq_frame *frames;
    char detail[200];

    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_pub_send_multi(frames)");
    cell = prhs[0];
    if (!mxIsCell(cell)) {
        mex_raise(ZEROMQ_ERR_INVALID_TYPE,
                  "frames must be a cell array {filter, payload, frame3, ...}.");
    }
    n = mxGetNumberOfElements(cell);
    if (n < 2 || (mxGetM(cell) != 1 && mxGetN(cell) != 1) || mxGetNumberOfDimensions(cell) > 2) {
        mex_raise(ZEROMQ_ERR_INVALID_TYPE,
                  "frames must be a cell vector with at least two elements (filter and payload).");
    }
    frames = (zeromq_frame *)mxCalloc(n, sizeof *frames);
    for (i = 0; i < n; i++) {
        const mxArray *e = mxGetCell(cell, (mwIndex)i);
        if (e != NULL && (mex_is_text(e) || mxIsClass(e, "string"))) {
            size_t len;
            frames[i].data = mex_text_arg(e, "A text frame", 0, &len);
            frames[i].len = len;
        } else if (i >= 2 && mex_is_plain_numeric(e)) {
            size_t bytes;
            void *scratch = NULL;
            const void *data = mex_numeric_bytes(e, &bytes, &scratch);
            if (data == NULL) {
                mex_raise(ZEROMQ_ERR_INTERNAL, "Out of memory.");
            }
            if (scratch != NULL) {
                void *copy = mxMalloc(bytes);
                memcpy(copy, scratch, bytes);
                free(scratch);
                data = copy;
            }
            frames[i].data = data;
            frames[i].len = bytes;
        } else {
            snprintf(detail, sizeof detail,
                     i < 2 ? "Frame %lu (the %s) must be text."
                           : "Frame %lu must be text or a full numeric or logical array%s.",
                     (unsigned long)(i + 1), i == 0 ? "filter" : (i == 1 ? "payload" : ""));
            mex_raise(ZEROMQ_ERR_INVALID_TYPE, detail);
        }
    }
    mex_check(zeromq_pub_send_multi(frames, n));
}

int32_t mex_role_arg(const mxArray *a)
{
    static const struct { const char *name; int32_t role; } roles[] = {
        {"client", ZEROMQ_ROLE_CLIENT},       {"server", ZEROMQ_ROLE_SERVER},
        {"publisher", ZEROMQ_ROLE_PUBLISHER}, {"pub", ZEROMQ_ROLE_PUBLISHER},
        {"subscriber", ZEROMQ_ROLE_SUBSCRIBER}, {"sub", ZEROMQ_ROLE_SUBSCRIBER},
    };
    size_t i, len;
    const char *name;

    if (mxIsNumeric(a)) {
        double v = mex_scalar_arg(a, "role");
        if (v == 0.0 || v == 1.0 || v == 2.0 || v == 3.0) {
            return (int32_t)v;
        }
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "role must be 0..3 or a role name.");
    }
    name = mex_text_arg(a, "role", 0, &len);
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        if (strcmp(name, roles[i].name) == 0) {
            return roles[i].role;
        }
    }
    mex_raise(ZEROMQ_ERR_INVALID_ARG,
              "role must be 'client', 'server', 'publisher' or 'subscriber'.");
    return -1;
}

static void cmd_endpoints(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    zeromq_message *msg = NULL;
    size_t i, count;
    int32_t role;
    mxArray *list;

    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "list = zeromq_endpoints(role)");
    role = mex_role_arg(prhs[0]);
    mex_check(zeromq_endpoints(role, &msg));
    count = msg != NULL ? zeromq_message_frame_count(msg) : 0;
    list = mxCreateCellMatrix(count > 0 ? 1 : 0, (mwSize)count);
    for (i = 0; i < count; i++) {
        mxSetCell(list, (mwIndex)i, mex_frame_text(msg, i, 0));
    }
    zeromq_message_free(msg);
    plhs[0] = list;
}

static void cmd_handler_start(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_handler_start()");
    mex_check(zeromq_handler_start());
}

static void cmd_handler_stop(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_handler_stop()");
    mex_check(zeromq_handler_stop());
}

/* 'idle': the idle driver (Octave input event hook, MATLAB timer) runs the queued calls.
   Never raises; a Ctrl-C that stops a call there is spent on that call. */
static void cmd_idle(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    uint32_t processed = 0;
    (void)nlhs; (void)nrhs; (void)prhs;
    mex_run_queue(&processed, 0);
    plhs[0] = mxCreateDoubleScalar((double)processed);
    mex_prompt_idle();
}

/* 'process' [, timeout in seconds]: run the queued remote calls; with a timeout, first wait
   up to that long for one to arrive (Ctrl-C ends the wait). Returns the number run. */
static void cmd_process(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    double timeout_s = 0.0, deadline;
    uint32_t total = 0, processed = 0;
    int32_t rc;

    (void)nlhs;
    mex_nargs(nrhs, 0, 1, "n = zeromq_handler_process([timeout])");
    if (nrhs == 1) {
        timeout_s = mex_scalar_arg(prhs[0], "timeout");
        if (isnan(timeout_s) || timeout_s < 0.0) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "timeout must be a number of seconds >= 0.");
        }
    }
    rc = mex_run_queue(&processed, 1);
    total += processed;
    if (rc == 0 && total == 0 && timeout_s > 0.0 && mex_dispatch_depth == 0) {
        deadline = mex_now_ms() + timeout_s * 1000.0;
        for (;;) {
            double left = deadline - mex_now_ms();
            int32_t slice;
            if (left <= 0.0 || mex_interrupt_pending()) {
                break;
            }
            slice = left < 50.0 ? (int32_t)ceil(left) : 50;
            rc = zeromq_handler_wait(slice);
            if (rc != 0) {
                break;
            }
            rc = mex_run_queue(&processed, 1);
            total += processed;
            if (rc != 0 || total > 0) {
                break;
            }
        }
    }
    mex_check(rc);
    plhs[0] = mxCreateDoubleScalar((double)total);
}

static void cmd_test_callfunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    zeromq_message *reply = NULL;
    int32_t rc;

    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "reply = zeromq_test_callfunction(msg)");
    {
        MEX_TEXT(json, prhs[0], "msg");
        if (mex_dispatch_depth == 0) {
            mex_defer_begin();
        }
        mex_dispatch_depth++;
        rc = zeromq_test_callfunction(json, json_len, &reply);
        mex_dispatch_depth--;
        if (mex_dispatch_depth == 0) {
            mex_defer_end(1);
        }
        if (mex_exit_pending()) {
            zeromq_message_free(reply);
            mex_rethrow_pending();
        }
    }
    if (rc != 0) {
        zeromq_message_free(reply);
        mex_raise(rc, NULL);
    }
    plhs[0] = mex_frame_text(reply, 0, 0);
    zeromq_message_free(reply);
}

static void cmd_test_serialize_wave(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    zeromq_wave *w = NULL;
    zeromq_message *json = NULL;
    const char *why = NULL;
    char detail[200];
    int32_t rc;

    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "json = zeromq_test_serializeWave(array)");
    if (mex_wave_from_array(prhs[0], 0, &w, &why) != 0) {
        snprintf(detail, sizeof detail, "The array cannot be a wave: %s.", why);
        mex_raise(ZEROMQ_ERR_INVALID_TYPE, detail);
    }
    rc = zeromq_wave_serialize(w, &json);
    zeromq_wave_free(w);
    if (rc != 0) {
        zeromq_message_free(json);
        mex_raise(rc, NULL);
    }
    plhs[0] = mex_frame_text(json, 0, 0);
    zeromq_message_free(json);
}

static void cmd_version(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    int32_t major = 0, minor = 0, patch = 0;
    char text[64];
    const char *lib = zeromq_library_version();

    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[library, libzmq] = zeromq_version()");
    plhs[0] = mxCreateString(lib != NULL ? lib : "");
    if (nlhs > 1) {
        zeromq_libzmq_version(&major, &minor, &patch);
        snprintf(text, sizeof text, "%ld.%ld.%ld", (long)major, (long)minor, (long)patch);
        plhs[1] = mxCreateString(text);
    }
}

typedef struct {
    const char *name;
    mex_command_fn fn;
} mex_command;

/* Security commands (zeromq_mex_security.c). */
void cmd_curve_keypair(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_curve_public(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_curve_cert_create(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_curve_cert_read(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_curve_cert_write(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_auth_allow(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_auth_deny(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_auth_allow_key(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_auth_allow_keys_from(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_auth_reset(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_handler_allow(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_handler_allow_reset(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);
void cmd_role_set_option(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);

static const mex_command mex_commands[] = {
    {"stop", cmd_stop},
    {"set", cmd_set},
    {"flags", cmd_flags},
    {"set_logging_template", cmd_set_logging_template},
    {"set_log_path", cmd_set_log_path},
    {"set_max_message_size", cmd_set_max_message_size},
    {"set_heartbeat", cmd_set_heartbeat},
    {"server_bind", cmd_server_bind},
    {"server_send", cmd_server_send},
    {"server_recv", cmd_server_recv},
    {"client_connect", cmd_client_connect},
    {"client_send", cmd_client_send},
    {"client_recv", cmd_client_recv},
    {"pub_bind", cmd_pub_bind},
    {"pub_send", cmd_pub_send},
    {"pub_send_multi", cmd_pub_send_multi},
    {"sub_connect", cmd_sub_connect},
    {"sub_add_filter", cmd_sub_add_filter},
    {"sub_remove_filter", cmd_sub_remove_filter},
    {"sub_recv", cmd_sub_recv},
    {"sub_recv_multi", cmd_sub_recv_multi},
    {"endpoints", cmd_endpoints},
    {"handler_start", cmd_handler_start},
    {"handler_stop", cmd_handler_stop},
    {"process", cmd_process},
    {"idle", cmd_idle},
    {"test_callfunction", cmd_test_callfunction},
    {"test_serializewave", cmd_test_serialize_wave},
    {"version", cmd_version},
    {"socket_new", cmd_socket_new},
    {"socket_close", cmd_socket_close},
    {"socket_bind", cmd_socket_bind},
    {"socket_unbind", cmd_socket_unbind},
    {"socket_connect", cmd_socket_connect},
    {"socket_disconnect", cmd_socket_disconnect},
    {"socket_send", cmd_socket_send},
    {"socket_recv", cmd_socket_recv},
    {"socket_set_option", cmd_socket_set_option},
    {"socket_get_option", cmd_socket_get_option},
    {"socket_endpoints", cmd_socket_endpoints},
    {"context_set_option", cmd_context_set_option},
    {"context_get_option", cmd_context_get_option},
    {"role_socket", cmd_role_socket},
    {"poll", cmd_poll},
    {"curve_keypair", cmd_curve_keypair},
    {"curve_public", cmd_curve_public},
    {"curve_cert_create", cmd_curve_cert_create},
    {"curve_cert_read", cmd_curve_cert_read},
    {"curve_cert_write", cmd_curve_cert_write},
    {"auth_allow", cmd_auth_allow},
    {"auth_deny", cmd_auth_deny},
    {"auth_allow_key", cmd_auth_allow_key},
    {"auth_allow_keys_from", cmd_auth_allow_keys_from},
    {"auth_reset", cmd_auth_reset},
    {"handler_allow", cmd_handler_allow},
    {"handler_allow_reset", cmd_handler_allow_reset},
    {"role_set_option", cmd_role_set_option},
};

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    char command[64];
    size_t i, len = 0;
    const mxChar *c;

    mex_on_host_thread = 1;
    mex_prompt_busy();
    mex_init();

    if (nrhs < 1 || !mex_is_text(prhs[0]) || mxGetNumberOfElements(prhs[0]) >= sizeof command) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG,
                  "zeromq_mex is the gateway behind the zeromq_* functions; call those.");
    }
    c = (const mxChar *)mxGetChars(prhs[0]);
    len = mxGetNumberOfElements(prhs[0]);
    for (i = 0; i < len; i++) {
        char ch = (char)(c[i] & 0x7F);
        command[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    command[len] = '\0';

    for (i = 0; i < sizeof mex_commands / sizeof mex_commands[0]; i++) {
        if (strcmp(command, mex_commands[i].name) == 0) {
            mex_commands[i].fn(nlhs, plhs, nrhs - 1, prhs + 1);
            return;
        }
    }
    {
        char detail[128];
        snprintf(detail, sizeof detail, "zeromq_mex: unknown command '%s'.", command);
        mex_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
}
