/* The dispatcher: runs a remote CallFunction request as an Igor user function call.
 *
 * Igor's function information is passed to zeromq_igor_check_remote_call, which applies
 * every check of SPEC 4.4 (and accepts wave parameters for WAVE inputs) and says how to call
 * the function; this file converts the parameters,
 * calls the function through CallFunction, detects aborts and captures the history printed
 * meanwhile (SPEC 4.5), and turns return values and by-reference parameters into the reply
 * (SPEC 4.6). */

#include "xop_glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest function name handed to Igor: a module name, '#' and a function name. */
#define XOP_MAX_FUNCTION_NAME (2 * MAX_LONG_NAME + 1)

/* Parameter slots Igor's FunctionInfo describes. */
#define XOP_MAX_PARAMS 100

/* One parameter or return value as CallFunction reads and writes it. */
union xop_value {
    double number;
    Handle string;
    DataFolderHandle folder;
    waveHndl wave;
};

/* A call in progress. */
struct xop_call {
    FunctionInfo info;
    zeromq_igor_signature signature;
    int kinds[XOP_MAX_PARAMS];           /* ZEROMQ_IGOR_KIND_* of each required parameter */
    union xop_value values[XOP_MAX_PARAMS];
    union xop_value result;
    /* The packed parameter block: each value at its natural size, two-byte aligned. */
    double block[XOP_MAX_PARAMS * sizeof(union xop_value) / sizeof(double)];
    size_t offsets[XOP_MAX_PARAMS];
};

static size_t value_size(int kind)
{
    return kind == ZEROMQ_IGOR_KIND_VARIABLE ? sizeof(double) : sizeof(void *);
}

static int is_by_ref(const struct xop_call *c, int index)
{
    return (c->info.parameterTypes[index] & FV_REF_TYPE) != 0;
}

static int required(const struct xop_call *c)
{
    return c->info.numRequiredParameters;
}

/* Releases a value the glue owns after the call. With `extracted` (the value went into the
   reply) this also releases returned data folder references and free waves, as the reference
   does; otherwise only string handles are disposed. */
static void release_value(int kind, union xop_value *v, int extracted)
{
    switch (kind) {
    case ZEROMQ_IGOR_KIND_STRING:
        xop_dispose(&v->string);
        break;
    case ZEROMQ_IGOR_KIND_DFREF:
        if (extracted && v->folder != NULL) {
            ReleaseDataFolder(&v->folder);
        }
        v->folder = NULL;
        break;
    case ZEROMQ_IGOR_KIND_WAVE:
        if (extracted && v->wave != NULL && xop_is_free_wave(v->wave)) {
            ReleaseWave(&v->wave);
        }
        v->wave = NULL;
        break;
    default:
        break;
    }
}

/* Cleanup after CallFunction ran: every output and by-reference slot, and the result. */
static void release_after_call(struct xop_call *c, int extracted)
{
    int i;

    for (i = 0; i < required(c); i++) {
        if ((size_t)i < c->signature.num_outputs || is_by_ref(c, i)) {
            release_value(c->kinds[i], &c->values[i], extracted);
        }
    }
    if (!c->signature.multiple_return) {
        release_value(zeromq_igor_return_kind(c->info.returnType), &c->result, extracted);
    }
}

/* Cleanup when the call never happened: the string handles and free waves created for
   inputs. */
static void release_before_call(struct xop_call *c)
{
    int i;

    for (i = 0; i < required(c); i++) {
        if (c->kinds[i] == ZEROMQ_IGOR_KIND_STRING) {
            xop_dispose(&c->values[i].string);
        } else if (c->kinds[i] == ZEROMQ_IGOR_KIND_WAVE && c->values[i].wave != NULL) {
            ReleaseWave(&c->values[i].wave);
        }
    }
}

/* Converts call parameter `param` (text `text`) for required parameter `index`; 0 or a reply
   code. A WAVE input gets a free wave built from the wave parameter. */
static int convert_input(struct xop_call *c, int index, const zeromq_call *call, size_t param,
                         const char *text, size_t len)
{
    union xop_value *v = &c->values[index];
    char path[MAXCMDLEN + 1];

    switch (c->kinds[index]) {
    case ZEROMQ_IGOR_KIND_VARIABLE:
        return zeromq_igor_parse_double(text, len, &v->number) == 0
                   ? 0
                   : ZEROMQ_REQ_INVALID_PARAM_FORMAT;
    case ZEROMQ_IGOR_KIND_STRING:
        return xop_new_handle(text, len, &v->string) == 0 ? 0 : ZEROMQ_REQ_OUT_OF_MEMORY;
    case ZEROMQ_IGOR_KIND_DFREF:
        if (len >= MAXCMDLEN) {
            return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
        }
        memcpy(path, text, len);
        path[len] = '\0';
        /* A data folder that does not exist gives a null reference, not an error. */
        return GetNamedDataFolder(NULL, path, &v->folder) == 0 ? 0 : ZEROMQ_ERR_INTERNAL;
    case ZEROMQ_IGOR_KIND_WAVE:
        return xop_wave_param(call, param, &v->wave);
    default:
        return ZEROMQ_ERR_INTERNAL; /* excluded by zeromq_igor_check_call */
    }
}

/* Adds one value of the given kind to the reply, as result or as by-reference entry. */
static int32_t reply_value(zeromq_reply *reply, int kind, const union xop_value *v, int by_ref)
{
    char path[MAXCMDLEN + 1];
    size_t len;
    const char *s;
    zeromq_wave *wave = NULL;
    int32_t rc;

    switch (kind) {
    case ZEROMQ_IGOR_KIND_VARIABLE:
        return by_ref ? zeromq_reply_by_ref_variable(reply, v->number)
                      : zeromq_reply_variable(reply, v->number);
    case ZEROMQ_IGOR_KIND_STRING:
        s = xop_handle_bytes(v->string, &len);
        return by_ref ? zeromq_reply_by_ref_string(reply, s, len)
                      : zeromq_reply_string(reply, s, len);
    case ZEROMQ_IGOR_KIND_DFREF:
        len = xop_dfref_text(v->folder, path);
        return by_ref ? zeromq_reply_by_ref_dfref(reply, path, len)
                      : zeromq_reply_dfref(reply, path, len);
    case ZEROMQ_IGOR_KIND_WAVE:
        rc = xop_wave_build(v->wave, &wave, NULL, 0);
        if (rc != 0) {
            return rc;
        }
        return zeromq_reply_wave(reply, wave); /* takes the wave, also on failure */
    default:
        return ZEROMQ_ERR_INTERNAL;
    }
}

/* The success reply: result(s) and by-reference inputs after the call. */
static int32_t reply_success(struct xop_call *c, zeromq_reply *reply)
{
    int32_t rc = 0;
    int i;

    if (c->signature.multiple_return) {
        rc = zeromq_reply_multiple(reply);
        for (i = 0; rc == 0 && (size_t)i < c->signature.num_outputs; i++) {
            rc = reply_value(reply, c->kinds[i], &c->values[i], 0);
        }
    } else {
        rc = reply_value(reply, zeromq_igor_return_kind(c->info.returnType), &c->result, 0);
    }
    for (i = (int)c->signature.num_outputs; rc == 0 && i < required(c); i++) {
        if (is_by_ref(c, i)) {
            rc = reply_value(reply, c->kinds[i], &c->values[i], 1);
        }
    }
    return rc;
}

/* The history printed since line `start_line`, cleaned, as the reply's error history. */
static void reply_aborted(zeromq_reply *reply, int start_line)
{
    TULoc start, end;
    Handle text = NULL;
    size_t offset = 0, len = 0;

    memset(&start, 0, sizeof start);
    memset(&end, 0, sizeof end);
    /* HistoryLines counts the paragraph after the last one holding text. */
    start.paragraph = start_line > 0 ? start_line - 1 : 0;
    end.paragraph = HistoryLines() - 1;
    if (start_line >= 0 && end.paragraph >= start.paragraph &&
        HistoryFetchText(&start, &end, &text) == 0 && text != NULL) {
        const BCInt size = WMGetHandleSize(text);

        if (size > 0 && zeromq_igor_clean_history(*text, (size_t)size, &offset, &len) == 0 &&
            len > 0) {
            zeromq_reply_error(reply, ZEROMQ_REQ_FUNCTION_ABORTED, *text + offset, len);
            WMDisposeHandle(text);
            return;
        }
    }
    if (text != NULL) {
        WMDisposeHandle(text);
    }
    zeromq_reply_error(reply, ZEROMQ_REQ_FUNCTION_ABORTED, NULL, 0);
}

/* Runs a checked call (SPEC 4.5) and answers. */
static void run(struct xop_call *c, const zeromq_call *call, zeromq_reply *reply)
{
    const int main_thread = RunningInMainThread();
    int i, start_line, rc;
    size_t offset = 0;

    for (i = 0; i < required(c); i++) {
        c->kinds[i] = zeromq_igor_param_kind(c->info.parameterTypes[i]);
        c->offsets[i] = offset;
        offset += value_size(c->kinds[i]);
        if ((size_t)i >= c->signature.num_outputs) {
            int32_t kind;
            const char *text = NULL;
            size_t len = 0;
            const size_t param = (size_t)i - c->signature.num_outputs;

            rc = zeromq_call_param(call, param, &kind, &text, &len) == 0
                     ? convert_input(c, i, call, param, text, len)
                     : ZEROMQ_ERR_INTERNAL;
            if (rc != 0) {
                release_before_call(c);
                zeromq_reply_error(reply, rc, NULL, 0);
                return;
            }
        }
        /* Outputs of multiple-return functions start zeroed (0, "", null). */
    }
    for (i = 0; i < required(c); i++) {
        memcpy((char *)c->block + c->offsets[i], &c->values[i], value_size(c->kinds[i]));
    }

    start_line = main_thread ? HistoryLines() : -1;
    rc = CallFunction(&c->info, c->block, c->signature.multiple_return ? NULL : &c->result);

    /* Read back what the function may have changed: outputs and by-reference parameters.
       By-value string handles now belong to Igor and are left alone; the free waves made for
       WAVE inputs are released (the function may have kept its own reference). */
    for (i = 0; i < required(c); i++) {
        if ((size_t)i < c->signature.num_outputs || is_by_ref(c, i)) {
            memcpy(&c->values[i], (char *)c->block + c->offsets[i], value_size(c->kinds[i]));
        } else {
            if (c->kinds[i] == ZEROMQ_IGOR_KIND_WAVE && c->values[i].wave != NULL) {
                ReleaseWave(&c->values[i].wave);
            }
            memset(&c->values[i], 0, sizeof c->values[i]);
        }
    }

    if (rc != 0) {
        char msg[128];

        snprintf(msg, sizeof msg,
                 "Internal error, this should not happen! CallFunction failed with Igor error %d.",
                 (int)rc);
        zeromq_reply_error_message(reply, ZEROMQ_ERR_INTERNAL, msg, strlen(msg));
        release_after_call(c, 0);
    } else if (SpinProcess() != 0) {
        if (main_thread) {
            reply_aborted(reply, start_line);
        } else {
            zeromq_reply_error(reply, ZEROMQ_REQ_FUNCTION_ABORTED, NULL, 0);
        }
        release_after_call(c, 0);
    } else {
        if (reply_success(c, reply) != 0) {
            zeromq_reply_error(reply, ZEROMQ_ERR_INTERNAL, NULL, 0);
        }
        release_after_call(c, 1);
    }
}

void xop_dispatch(void *user_data, const zeromq_call *call, zeromq_reply *reply)
{
    struct xop_call *c;
    char name[XOP_MAX_FUNCTION_NAME + 1];
    const char *name_text = NULL;
    size_t name_len = 0;
    int lookup, num_types;
    int32_t rc;

    (void)user_data;
    if (zeromq_call_name(call, &name_text, &name_len) != 0 || name_len == 0 ||
        name_len > XOP_MAX_FUNCTION_NAME || memchr(name_text, '\0', name_len) != NULL) {
        zeromq_reply_error(reply, ZEROMQ_REQ_NON_EXISTING_FUNCTION, NULL, 0);
        return;
    }
    memcpy(name, name_text, name_len);
    name[name_len] = '\0';

    c = (struct xop_call *)calloc(1, sizeof *c);
    if (c == NULL) {
        zeromq_reply_error(reply, ZEROMQ_REQ_OUT_OF_MEMORY, NULL, 0);
        goto done;
    }

    lookup = GetFunctionInfo(name, &c->info);
    if (lookup != 0) {
        memset(&c->info, 0, sizeof c->info);
    }
    num_types = c->info.totalNumParameters;
    if (num_types < 0) {
        num_types = 0;
    } else if (num_types > XOP_MAX_PARAMS) {
        num_types = XOP_MAX_PARAMS;
    }
    /* The checks see the parameters' texts and which of them are waves. */
    rc = zeromq_igor_check_remote_call(lookup, c->info.returnType, c->info.parameterTypes,
                                       (size_t)num_types, c->info.numRequiredParameters, call,
                                       &c->signature);
    if (rc != 0) {
        zeromq_reply_error(reply, rc, NULL, 0);
        goto done;
    }
    run(c, call, reply);

done:
    free(c);
}
