/*
 * zeromq_mex_dispatch.c: remote calls. The library queues each CallFunction request;
 * zeromq_handler_process (run by zeromq_mex_wait.c) hands them one by one to mex_dispatch on
 * the interpreter's thread. mex_dispatch calls the m-function zeromq_mex_invoke (name lookup,
 * argument counts, the call itself inside try/catch) and turns its outputs into the reply.
 * Nothing here raises a MATLAB error: failures are answered in the reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zeromq_mex.h"

/* The m-function that runs one remote call (zeromq_mex_invoke.m). */
#define MEX_INVOKE_FUNCTION "zeromq_mex_invoke"

typedef struct {
    enum { MEX_RESULT_VARIABLE, MEX_RESULT_STRING, MEX_RESULT_WAVE } kind;
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
        r->kind = MEX_RESULT_STRING;
        r->text = mex_text_dup(a, 0, &r->len);
        if (r->text == NULL) {
            *why = "out of memory";
            return -1;
        }
        return 0;
    }
    if (mex_is_plain_numeric(a) && !mxIsComplex(a) && mxGetNumberOfElements(a) == 1) {
        r->kind = MEX_RESULT_VARIABLE;
        r->value = mxGetScalar(a);
        return 0;
    }
    r->kind = MEX_RESULT_WAVE;
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
    case MEX_RESULT_VARIABLE:
        return zeromq_reply_variable(reply, r->value);
    case MEX_RESULT_STRING:
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
            zeromq_reply_error(reply, ZEROMQ_REQ_UNSUPPORTED_FUNC_RET, NULL, 0);
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

/* The reply code of zeromq_mex_invoke's status: '' (the function ran), 'unknown',
   'too_few', 'too_many' or 'failed' (it raised an error); -1 for anything else. */
static int32_t mex_invoke_code(const mxArray *status)
{
    static const struct { const char *status; int32_t code; } codes[] = {
        {"unknown", ZEROMQ_REQ_NON_EXISTING_FUNCTION},
        {"too_few", ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS},
        {"too_many", ZEROMQ_REQ_TOO_MANY_FUNCTION_PARAMS},
        {"failed", ZEROMQ_REQ_FUNCTION_ABORTED},
    };
    char text[16];
    size_t i;

    if (status == NULL || !mex_is_text(status)) {
        return -1;
    }
    if (mxGetNumberOfElements(status) == 0) {
        return ZEROMQ_REQ_SUCCESS;
    }
    if (mxGetString(status, text, sizeof text) == 0) {
        for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
            if (strcmp(text, codes[i].status) == 0) {
                return codes[i].code;
            }
        }
    }
    return -1;
}

/* The library's dispatcher: runs one queued call in the interpreter through
   zeromq_mex_invoke.m, on the interpreter's thread. Never raises a MATLAB error. */
void mex_dispatch(void *user_data, const zeromq_call *call, zeromq_reply *reply)
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
        mex_reply_text_error(reply, ZEROMQ_REQ_FUNCTION_ABORTED, "The session is ending.");
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
        mex_reply_text_error(reply, ZEROMQ_REQ_FUNCTION_ABORTED,
                             "The function ended the session (exit or quit).");
        goto cleanup;
    }
    if (trapped != NULL) {
        mxDestroyArray(trapped);
        mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL,
                             "zeromq_mex_invoke failed; is the zeromq folder on the path?");
        goto cleanup;
    }
    code = mex_invoke_code(out[0]);
    if (code < 0) {
        mex_reply_text_error(reply, ZEROMQ_ERR_INTERNAL, "zeromq_mex_invoke gave no status.");
        goto cleanup;
    }
    if (code != ZEROMQ_REQ_SUCCESS) {
        if (code == ZEROMQ_REQ_FUNCTION_ABORTED && out[1] != NULL && mex_is_text(out[1])) {
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


/* 'test_callfunction', json: runs one request here as a client's would run. */
MEX_COMMAND(cmd_test_callfunction)
{
    zeromq_message *reply = NULL;
    int32_t rc;

    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "reply = zeromq_test_callfunction(msg)");
    {
        size_t len;
        const char *json = mex_text_arg(prhs[0], "msg", 0, &len);
        mex_calls_begin();
        rc = zeromq_test_callfunction(json, len, &reply);
        mex_calls_end(1);
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

MEX_COMMAND(cmd_test_serializewave)
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

