/*
 * zeromq_mex_errors.c: the library's status codes as MATLAB errors. The identifier is
 * zeromq:<NAME> for ZEROMQ_ERR_<NAME> (the table generated from the header); the message is
 * the library's text for the code (zeromq_error_text) followed by the detail: what the
 * gateway found wrong, or the library's explanation of its last failure.
 */
#include <stdio.h>
#include <string.h>

#include "zeromq_mex.h"

/* The identifier of `code`; zeromq:ERROR_<code> for a number the table does not know. */
static const char *mex_error_id_of(int32_t code, char *fallback, size_t cap)
{
    size_t i;
    for (i = 0; i < mex_error_id_count; i++) {
        if (mex_error_ids[i].code == code) {
            return mex_error_ids[i].id;
        }
    }
    snprintf(fallback, cap, "zeromq:ERROR_%ld", (long)code);
    return fallback;
}

/* The calling thread's last error text without the line break library texts end in (the
   Igor history convention). */
static void mex_last_error_text(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    if (zeromq_last_error(buf, cap, &len) != 0) {
        buf[0] = '\0';
    }
    buf[cap - 1] = '\0';
    len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\r' || buf[len - 1] == '\n' || buf[len - 1] == ' ')) {
        buf[--len] = '\0';
    }
}

void mex_raise(int32_t code, const char *detail)
{
    char fallback_id[64];
    char text[256];
    char last[2048];
    const char *id = mex_error_id_of(code, fallback_id, sizeof fallback_id);

    if (zeromq_error_text(code, text, sizeof text, NULL) != 0) {
        snprintf(text, sizeof text, "zeromq library error %ld.", (long)code);
    }
    if (detail == NULL) {
        mex_last_error_text(last, sizeof last);
        detail = last;
    }
    if (detail[0] != '\0') {
        mexErrMsgIdAndTxt(id, "%s %s", text, detail);
    }
    mexErrMsgIdAndTxt(id, "%s", text);
}

void mex_check(int32_t code)
{
    if (code != ZEROMQ_OK) {
        mex_raise(code, NULL);
    }
}

void mex_nargs(int nrhs, int min, int max, const char *usage)
{
    char detail[300];
    if (nrhs < min || nrhs > max) {
        snprintf(detail, sizeof detail, "Wrong number of arguments; usage: %s", usage);
        mex_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
}
