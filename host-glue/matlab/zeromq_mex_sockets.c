/*
 * zeromq_mex_sockets.c: the MEX commands of generic sockets (any libzmq type, any number of
 * them), their options, the context options and zeromq_poll. The m-files zeromq_socket_*.m,
 * zeromq_context_*.m, zeromq_role_socket.m and zeromq_poll.m document them.
 *
 * Values: a socket is its id (a double). A message is a cell row of frames; a frame is a char
 * row (UTF-8 text) or a numeric/logical array (its bytes). Blocking calls wait in short slices,
 * running queued remote calls and giving up on Ctrl-C in between, like the role receives.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "zeromq_mex.h"

/* A socket id argument: a positive whole number (double or any integer class). */
static uint64_t mex_id_arg(const mxArray *a)
{
    if (a != NULL && mxIsClass(a, "uint64") && mxGetNumberOfElements(a) == 1) {
        return *(const uint64_t *)mxGetData(a);
    }
    {
        double v = mex_scalar_arg(a, "The socket id");
        if (!(v >= 0.0 && v < 9007199254740992.0) || floor(v) != v) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "The socket id must be a whole number >= 0.");
        }
        return (uint64_t)v;
    }
}

/* A timeout argument in milliseconds: -1 (no limit) or >= 0. */
static int32_t mex_timeout_arg(const mxArray *a)
{
    double v = mex_scalar_arg(a, "timeout_ms");
    if (v < -1.0 || v > 2147483647.0 || floor(v) != v) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "timeout_ms must be -1 (no limit) or a whole number >= 0.");
    }
    return (int32_t)v;
}

/* Upper-case copy of a name without a ZMQ_ / ZEROMQ_ prefix. */
static void mex_upper_name(const char *name, char *out, size_t cap)
{
    size_t i;
    if (strncmp(name, "ZEROMQ_", 7) == 0 || strncmp(name, "zeromq_", 7) == 0) {
        name += 7;
    } else if (strncmp(name, "ZMQ_", 4) == 0 || strncmp(name, "zmq_", 4) == 0) {
        name += 4;
    }
    for (i = 0; i + 1 < cap && name[i] != '\0'; i++) {
        out[i] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 'a' + 'A') : name[i];
    }
    out[i] = '\0';
}

/* A socket type: its number or its name ('PUB', 'ZMQ_PUB', 'pub'). */
static int32_t mex_type_arg(const mxArray *a)
{
    static const struct { const char *name; int32_t type; } types[] = {
        {"PAIR", ZEROMQ_PAIR},     {"PUB", ZEROMQ_PUB},       {"SUB", ZEROMQ_SUB},
        {"REQ", ZEROMQ_REQ},       {"REP", ZEROMQ_REP},       {"DEALER", ZEROMQ_DEALER},
        {"ROUTER", ZEROMQ_ROUTER}, {"PULL", ZEROMQ_PULL},     {"PUSH", ZEROMQ_PUSH},
        {"XPUB", ZEROMQ_XPUB},     {"XSUB", ZEROMQ_XSUB},     {"STREAM", ZEROMQ_STREAM},
    };
    size_t i, len;
    char upper[32];
    const char *name;

    if (!mex_is_text_like(a)) {
        double v = mex_scalar_arg(a, "The socket type");
        return (floor(v) == v && v >= -2147483648.0 && v <= 2147483647.0) ? (int32_t)v : -1;
    }
    name = mex_text_arg(a, "The socket type", 0, &len);
    mex_upper_name(name, upper, sizeof upper);
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(upper, types[i].name) == 0) {
            return types[i].type;
        }
    }
    mex_raise(ZEROMQ_ERR_INVALID_ARG,
              "Unknown socket type: use PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, "
              "XPUB, XSUB or STREAM (or its number).");
    return -1;
}

int32_t mex_option_arg(const mxArray *a, int32_t *kind)
{
    int32_t option;
    if (mex_is_text_like(a)) {
        size_t len;
        const char *name = mex_text_arg(a, "The option", 0, &len);
        mex_check(zeromq_socket_option_by_name(name, len, &option, kind));
        return option;
    }
    {
        double v = mex_scalar_arg(a, "The option");
        option = (floor(v) == v && fabs(v) < 2147483647.0) ? (int32_t)v : -1;
    }
    mex_check(zeromq_socket_option_kind(option, kind));
    return option;
}

/* A context option: its number or its name. */
static int32_t mex_context_option_arg(const mxArray *a)
{
    int32_t option;
    if (mex_is_text_like(a)) {
        size_t len;
        const char *name = mex_text_arg(a, "The option", 0, &len);
        mex_check(zeromq_context_option_by_name(name, len, &option));
        return option;
    }
    {
        double v = mex_scalar_arg(a, "The option");
        return (floor(v) == v && fabs(v) < 2147483647.0) ? (int32_t)v : -1;
    }
}

/* Commands that make a socket id from one argument (a type, a role). */
static void mex_id_command(mxArray *plhs[], int nrhs, const mxArray *prhs[], const char *usage,
                           int32_t (*arg)(const mxArray *), int32_t (*fn)(int32_t, uint64_t *))
{
    uint64_t id = 0;
    mex_nargs(nrhs, 1, 1, usage);
    mex_check(fn(arg(prhs[0]), &id));
    plhs[0] = mxCreateDoubleScalar((double)id);
}

MEX_COMMAND(cmd_socket_new)
{
    (void)nlhs;
    mex_id_command(plhs, nrhs, prhs, "id = zeromq_socket_new(type)", mex_type_arg,
                   zeromq_socket_new);
}

MEX_COMMAND(cmd_socket_close)
{
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_socket_close(id)");
    mex_check(zeromq_socket_close(mex_id_arg(prhs[0])));
}

typedef int32_t (*mex_socket_endpoint_fn)(uint64_t id, const char *endpoint, size_t len);

static void mex_socket_endpoint(int nrhs, const mxArray *prhs[], mex_socket_endpoint_fn fn,
                                const char *usage)
{
    size_t len;
    const char *ep;
    uint64_t id;
    mex_nargs(nrhs, 2, 2, usage);
    id = mex_id_arg(prhs[0]);
    ep = mex_text_arg(prhs[1], "endpoint", 0, &len);
    mex_check(fn(id, ep, len));
}

/* The socket's endpoints as a cell row of char. */
static mxArray *mex_endpoint_list(uint64_t id)
{
    zeromq_message *msg = NULL;
    mxArray *list;
    mex_check(zeromq_socket_endpoints(id, &msg));
    list = mex_text_list(msg);
    zeromq_message_free(msg);
    return list;
}

MEX_COMMAND(cmd_socket_bind)
{
    mex_socket_endpoint(nrhs, prhs, zeromq_socket_bind, "endpoint = zeromq_socket_bind(id, endpoint)");
    if (nlhs > 0) {
        /* The resolved endpoint of this bind: the last one listed. */
        mxArray *list = mex_endpoint_list(mex_id_arg(prhs[0]));
        size_t n = mxGetNumberOfElements(list);
        plhs[0] = n > 0 ? mxDuplicateArray(mxGetCell(list, (mwIndex)(n - 1)))
                        : mex_text_value("", 0, 0);
        mxDestroyArray(list);
    }
}

MEX_COMMAND(cmd_socket_unbind)
{
    (void)nlhs; (void)plhs;
    mex_socket_endpoint(nrhs, prhs, zeromq_socket_unbind, "zeromq_socket_unbind(id, endpoint)");
}

MEX_COMMAND(cmd_socket_connect)
{
    (void)nlhs; (void)plhs;
    mex_socket_endpoint(nrhs, prhs, zeromq_socket_connect, "zeromq_socket_connect(id, endpoint)");
}

MEX_COMMAND(cmd_socket_disconnect)
{
    (void)nlhs; (void)plhs;
    mex_socket_endpoint(nrhs, prhs, zeromq_socket_disconnect,
                        "zeromq_socket_disconnect(id, endpoint)");
}

MEX_COMMAND(cmd_socket_endpoints)
{
    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "list = zeromq_socket_endpoints(id)");
    plhs[0] = mex_endpoint_list(mex_id_arg(prhs[0]));
}

MEX_COMMAND(cmd_socket_send)
{
    uint64_t id;
    const mxArray *m;
    zeromq_frame *frames;
    size_t i, n;
    int32_t timeout_ms = -1;
    double deadline;

    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 3, "zeromq_socket_send(id, frames [, timeout_ms])");
    id = mex_id_arg(prhs[0]);
    m = prhs[1];
    if (nrhs == 3) {
        timeout_ms = mex_timeout_arg(prhs[2]);
    }
    if (mxIsCell(m)) {
        n = mxGetNumberOfElements(m);
        if (n == 0) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "A message needs at least one frame.");
        }
        frames = (zeromq_frame *)mxCalloc(n, sizeof *frames);
        for (i = 0; i < n; i++) {
            char what[32];
            snprintf(what, sizeof what, "Frame %lu", (unsigned long)(i + 1));
            mex_frame_arg(mxGetCell(m, (mwIndex)i), what, &frames[i]);
        }
    } else {
        n = 1;
        frames = (zeromq_frame *)mxCalloc(1, sizeof *frames);
        mex_frame_arg(m, "The message", &frames[0]);
    }
    /* A zero timeout is one attempt; otherwise slices, with queued calls run in between. */
    if (timeout_ms == 0) {
        mex_check(zeromq_socket_send(id, frames, n, 0));
        return;
    }
    deadline = mex_now_ms() + (double)timeout_ms;
    for (;;) {
        uint32_t processed;
        int32_t slice = mex_next_slice(timeout_ms, deadline);
        int32_t rc = zeromq_socket_send(id, frames, n, slice < 0 ? 0 : slice);
        if (rc == ZEROMQ_ERR_TIMEOUT && slice < 0) {
            char detail[160];
            snprintf(detail, sizeof detail,
                     "Waited %ld ms: no peer is connected or its queue is full (SNDHWM).",
                     (long)timeout_ms);
            mex_raise(rc, detail);
        }
        if (rc != ZEROMQ_ERR_TIMEOUT) {
            mex_check(rc);
            return;
        }
        if (mex_interrupt_pending()) {
            mex_raise(ZEROMQ_ERR_TIMEOUT, "Interrupted before the message could be queued.");
        }
        mex_run_queue(&processed, 1);
    }
}

MEX_COMMAND(cmd_socket_recv)
{
    uint64_t id;
    int32_t timeout_ms = -1;
    mex_frame_type *types = NULL;
    size_t ntypes = 0, i, count;
    zeromq_message *msg = NULL;
    mxArray *frames;
    double deadline;

    (void)nlhs;
    mex_nargs(nrhs, 1, 3, "frames = zeromq_socket_recv(id [, timeout_ms [, types]])");
    id = mex_id_arg(prhs[0]);
    if (nrhs >= 2) {
        timeout_ms = mex_timeout_arg(prhs[1]);
    }
    if (nrhs == 3) {
        types = mex_frame_types_arg(prhs[2], &ntypes,
                                    "types must be a class name or a cell array of them, e.g. "
                                    "{'char', 'int16'}.");
    }
    deadline = mex_now_ms() + (double)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        uint32_t processed;
        int32_t slice = timeout_ms == 0 ? 0 : mex_next_slice(timeout_ms, deadline);
        int32_t rc = zeromq_socket_recv(id, slice < 0 ? 0 : slice, &msg);
        mex_check(rc);
        if (msg != NULL || slice <= 0 || mex_interrupt_pending()) {
            break;
        }
        mex_run_queue(&processed, 1);
    }
    count = msg != NULL ? zeromq_message_frame_count(msg) : 0;
    frames = mxCreateCellMatrix(count > 0 ? 1 : 0, (mwSize)count);
    for (i = 0; i < count; i++) {
        mex_frame_type t;
        if (ntypes > 0) {
            /* The last type given holds for the frames after it. */
            t = types[i < ntypes ? i : ntypes - 1];
        } else {
            memset(&t, 0, sizeof t);
            t.is_char = 1;
        }
        mxSetCell(frames, (mwIndex)i, mex_frame_checked(msg, i, &t));
    }
    zeromq_message_free(msg);
    plhs[0] = frames;
}

const void *mex_option_value(const mxArray *v, int32_t kind, void *buf, size_t *len)
{
    double d;
    if (kind == ZEROMQ_OPTION_BYTES) {
        zeromq_frame f;
        mex_frame_arg(v, "The option value", &f);
        *len = f.len;
        return f.data;
    }
    d = mex_scalar_arg(v, "The option value");
    if (floor(d) != d) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "The option value must be a whole number.");
    }
    if (kind == ZEROMQ_OPTION_INT64) {
        int64_t x = mxIsClass(v, "int64") ? *(const int64_t *)mxGetData(v)
                    : mxIsClass(v, "uint64") ? (int64_t)*(const uint64_t *)mxGetData(v)
                                             : (int64_t)d;
        memcpy(buf, &x, sizeof x);
        *len = sizeof x;
    } else {
        int32_t x;
        if (d < -2147483648.0 || d > 2147483647.0) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "The option value does not fit in 32 bits.");
        }
        x = (int32_t)d;
        memcpy(buf, &x, sizeof x);
        *len = sizeof x;
    }
    return buf;
}

MEX_COMMAND(cmd_socket_set_option)
{
    uint64_t id;
    int32_t option, kind = 0;
    int64_t number;
    size_t len = 0;
    const void *value;

    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 3, 3, "zeromq_socket_set_option(id, option, value)");
    id = mex_id_arg(prhs[0]);
    option = mex_option_arg(prhs[1], &kind);
    value = mex_option_value(prhs[2], kind, &number, &len);
    mex_check(zeromq_socket_set_option(id, option, value, len));
}

MEX_COMMAND(cmd_socket_get_option)
{
    uint64_t id;
    int32_t option, kind = 0;
    size_t len = 0;

    (void)nlhs;
    mex_nargs(nrhs, 2, 3, "value = zeromq_socket_get_option(id, option [, 'uint8'])");
    id = mex_id_arg(prhs[0]);
    option = mex_option_arg(prhs[1], &kind);
    if (kind == ZEROMQ_OPTION_INT32) {
        int32_t x = 0;
        mex_check(zeromq_socket_get_option(id, option, &x, sizeof x, &len));
        plhs[0] = mxCreateDoubleScalar((double)x);
    } else if (kind == ZEROMQ_OPTION_INT64) {
        int64_t x = 0;
        mxArray *a = mxCreateNumericMatrix(1, 1, mxINT64_CLASS, mxREAL);
        mex_check(zeromq_socket_get_option(id, option, &x, sizeof x, &len));
        *(int64_t *)mxGetData(a) = x;
        plhs[0] = a;
    } else {
        char *buf;
        int raw = 0;
        mex_check(zeromq_socket_get_option(id, option, NULL, 0, &len));
        buf = (char *)mxMalloc(len + 1);
        mex_check(zeromq_socket_get_option(id, option, buf, len + 1, &len));
        if (nrhs == 3) {
            size_t n;
            raw = strcmp(mex_text_arg(prhs[2], "The class", 0, &n), "uint8") == 0;
        }
        if (raw) {
            plhs[0] = mxCreateNumericMatrix(len > 0 ? 1 : 0, (mwSize)len, mxUINT8_CLASS, mxREAL);
            if (len > 0) {
                memcpy(mxGetData(plhs[0]), buf, len);
            }
        } else {
            /* Text options end in a NUL that is no part of the text. */
            if (len > 0 && buf[len - 1] == '\0') {
                len--;
            }
            plhs[0] = mex_text_value(buf, len, 0);
        }
    }
}

MEX_COMMAND(cmd_context_set_option)
{
    double v;
    int32_t option;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 2, "zeromq_context_set_option(option, value)");
    option = mex_context_option_arg(prhs[0]);
    v = mex_scalar_arg(prhs[1], "The option value");
    if (floor(v) != v || v < -2147483648.0 || v > 2147483647.0) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "The option value must be a 32-bit whole number.");
    }
    mex_check(zeromq_context_set_option(option, (int32_t)v));
}

MEX_COMMAND(cmd_context_get_option)
{
    int32_t value = 0;
    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "value = zeromq_context_get_option(option)");
    mex_check(zeromq_context_get_option(mex_context_option_arg(prhs[0]), &value));
    plhs[0] = mxCreateDoubleScalar((double)value);
}

MEX_COMMAND(cmd_role_socket)
{
    (void)nlhs;
    mex_id_command(plhs, nrhs, prhs, "id = zeromq_role_socket(role)", mex_role_arg,
                   zeromq_role_socket);
}

/* Poll events: numbers (1 in, 2 out, 3 both) or 'in', 'out', 'inout'. */
static int16_t mex_events_value(const mxArray *a, size_t index)
{
    if (mex_is_text_like(a)) {
        size_t len;
        const char *s = mex_text_arg(a, "events", 0, &len);
        if (strcmp(s, "in") == 0 || strcmp(s, "POLLIN") == 0) {
            return ZEROMQ_POLLIN;
        }
        if (strcmp(s, "out") == 0 || strcmp(s, "POLLOUT") == 0) {
            return ZEROMQ_POLLOUT;
        }
        if (strcmp(s, "inout") == 0) {
            return ZEROMQ_POLLIN | ZEROMQ_POLLOUT;
        }
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "events must be 'in', 'out', 'inout' or 1, 2, 3.");
    }
    if (mxIsCell(a)) {
        return mex_events_value(mxGetCell(a, (mwIndex)index), 0);
    }
    {
        size_t n = mxGetNumberOfElements(a);
        double v;
        if (!mxIsNumeric(a) || mxIsComplex(a) || n == 0) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "events must be 'in', 'out', 'inout' or 1, 2, 3.");
        }
        v = mxGetPr(a) != NULL && mxIsDouble(a) ? mxGetPr(a)[n == 1 ? 0 : index]
                                                : mxGetScalar(a);
        if (v != 1.0 && v != 2.0 && v != 3.0) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "events must be 'in', 'out', 'inout' or 1, 2, 3.");
        }
        return (int16_t)v;
    }
}

MEX_COMMAND(cmd_poll)
{
    const mxArray *ids;
    size_t i, n, ready = 0;
    zeromq_poll_item *items;
    int32_t timeout_ms = -1;
    double deadline;
    mxArray *revents;

    mex_nargs(nrhs, 1, 3, "[revents, n] = zeromq_poll(ids [, events [, timeout_ms]])");
    ids = prhs[0];
    n = mxGetNumberOfElements(ids);
    if (!(mxIsDouble(ids) || mxIsClass(ids, "uint64")) || mxIsComplex(ids) || n == 0) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "ids must be a non-empty vector of socket ids.");
    }
    if (nrhs >= 2 && mxIsNumeric(prhs[1]) && mxGetNumberOfElements(prhs[1]) != 1 &&
        mxGetNumberOfElements(prhs[1]) != n) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "events must be one value or one per id.");
    }
    if (nrhs == 3) {
        timeout_ms = mex_timeout_arg(prhs[2]);
    }
    items = (zeromq_poll_item *)mxCalloc(n, sizeof *items);
    for (i = 0; i < n; i++) {
        if (mxIsDouble(ids)) {
            double v = mxGetPr(ids)[i];
            if (!(v >= 1.0 && v < 9007199254740992.0) || floor(v) != v) {
                mex_raise(ZEROMQ_ERR_INVALID_ARG, "Socket ids are whole numbers >= 1.");
            }
            items[i].socket = (uint64_t)v;
        } else {
            items[i].socket = ((const uint64_t *)mxGetData(ids))[i];
        }
        items[i].events = nrhs >= 2 ? mex_events_value(prhs[1], i) : ZEROMQ_POLLIN;
    }
    deadline = mex_now_ms() + (double)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        uint32_t processed;
        int32_t slice = timeout_ms == 0 ? 0 : mex_next_slice(timeout_ms, deadline);
        mex_check(zeromq_poll(items, n, slice < 0 ? 0 : slice, &ready));
        if (ready > 0 || slice <= 0 || mex_interrupt_pending()) {
            break;
        }
        mex_run_queue(&processed, 1);
    }
    revents = mxCreateDoubleMatrix(mxGetM(ids), mxGetN(ids), mxREAL);
    for (i = 0; i < n; i++) {
        mxGetPr(revents)[i] = (double)items[i].revents;
    }
    plhs[0] = revents;
    if (nlhs > 1) {
        plhs[1] = mxCreateDoubleScalar((double)ready);
    }
}
