/*
 * zeromq_mex_text.c: text between MATLAB and the library, and the plain arguments of
 * commands (text, numbers).
 *
 * Octave stores char arrays as bytes (UTF-8 text), MATLAB as UTF-16 code units. Text
 * (endpoints, payloads, filters, JSON) travels as UTF-8; identities travel byte for byte
 * (one char per byte), so that a routing id received from zeromq_server_recv can be passed
 * back to zeromq_server_send unchanged on both hosts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zeromq_mex.h"

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

int mex_is_text(const mxArray *a)
{
    return a != NULL && mxIsChar(a) &&
           (mxGetNumberOfElements(a) == 0 ||
            (mxGetNumberOfDimensions(a) == 2 && mxGetM(a) == 1));
}

int mex_is_text_like(const mxArray *a)
{
    return mex_is_text(a) ||
           (a != NULL && mxIsClass(a, "string") && mxGetNumberOfElements(a) == 1);
}

char *mex_text_dup(const mxArray *a, int bytes, size_t *len)
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

mxArray *mex_frame_text(const zeromq_message *msg, size_t index, int bytes)
{
    const uint8_t *data = NULL;
    size_t len = 0;
    if (msg == NULL || zeromq_message_frame(msg, index, &data, &len) != 0) {
        return mex_text_value("", 0, 0);
    }
    return mex_text_value(data, len, bytes);
}

mxArray *mex_text_list(const zeromq_message *msg)
{
    size_t i, count = msg != NULL ? zeromq_message_frame_count(msg) : 0;
    mxArray *list = mxCreateCellMatrix(count > 0 ? 1 : 0, (mwSize)count);
    for (i = 0; i < count; i++) {
        mxSetCell(list, (mwIndex)i, mex_frame_text(msg, i, 0));
    }
    return list;
}

void mex_text_command(int nrhs, const mxArray *prhs[], const char *usage, const char *what,
                      int32_t (*fn)(const char *, size_t))
{
    size_t len;
    const char *text;
    mex_nargs(nrhs, 1, 1, usage);
    text = mex_text_arg(prhs[0], what, 0, &len);
    mex_check(fn(text, len));
}
