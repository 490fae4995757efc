/*
 * zeromq_mex_roles.c: the commands of the four role sockets (the client, the server that
 * serves remote calls, the publisher and the subscriber) and of the message handler. The
 * receives wait with the loop of zeromq_mex_wait.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "zeromq_mex.h"

MEX_COMMAND(cmd_server_bind)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_server_bind(localPoint)", "localPoint",
                     zeromq_server_bind);
}

MEX_COMMAND(cmd_client_connect)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_client_connect(remotePoint)", "remotePoint",
                     zeromq_client_connect);
}

MEX_COMMAND(cmd_pub_bind)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_pub_bind(localPoint)", "localPoint",
                     zeromq_pub_bind);
}

MEX_COMMAND(cmd_sub_connect)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_sub_connect(remotePoint)", "remotePoint",
                     zeromq_sub_connect);
}

MEX_COMMAND(cmd_sub_add_filter)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_sub_add_filter(filter)", "filter",
                     zeromq_sub_add_filter);
}

MEX_COMMAND(cmd_sub_remove_filter)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_sub_remove_filter(filter)", "filter",
                     zeromq_sub_remove_filter);
}

MEX_COMMAND(cmd_client_send)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_client_send(msg)", "msg", zeromq_client_send);
}

MEX_COMMAND(cmd_server_send)
{
    size_t identity_len, msg_len;
    const char *identity, *msg;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 2, "zeromq_server_send(identity, msg)");
    identity = mex_text_arg(prhs[0], "identity", 1, &identity_len);
    msg = mex_text_arg(prhs[1], "msg", 0, &msg_len);
    mex_check(zeromq_server_send(identity, identity_len, msg, msg_len));
}

MEX_COMMAND(cmd_pub_send)
{
    size_t filter_len, msg_len;
    const char *filter, *msg;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 2, "zeromq_pub_send(filter, msg)");
    filter = mex_text_arg(prhs[0], "filter", 0, &filter_len);
    msg = mex_text_arg(prhs[1], "msg", 0, &msg_len);
    mex_check(zeromq_pub_send(filter, filter_len, msg, msg_len));
}

MEX_COMMAND(cmd_client_recv)
{
    zeromq_message *msg;
    (void)nlhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "msg = zeromq_client_recv()");
    msg = mex_receive_checked(zeromq_client_recv);
    plhs[0] = mex_frame_text(msg, 0, 0);
    zeromq_message_free(msg);
}

/* Receives of two-frame messages: the payload (frame 2), then frame 1 as the second output
   (byte for byte with `bytes`). */
static void mex_recv_pair(int nlhs, mxArray *plhs[], mex_recv_fn recv, int bytes)
{
    zeromq_message *msg = mex_receive_checked(recv);
    plhs[0] = mex_frame_text(msg, 1, 0);
    if (nlhs > 1) {
        plhs[1] = mex_frame_text(msg, 0, bytes);
    }
    zeromq_message_free(msg);
}

MEX_COMMAND(cmd_server_recv)
{
    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[msg, identity] = zeromq_server_recv()");
    mex_recv_pair(nlhs, plhs, zeromq_server_recv, 1);
}

MEX_COMMAND(cmd_sub_recv)
{
    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[msg, filter] = zeromq_sub_recv()");
    mex_recv_pair(nlhs, plhs, zeromq_sub_recv, 0);
}

MEX_COMMAND(cmd_sub_recv_multi)
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

MEX_COMMAND(cmd_pub_send_multi)
{
    const mxArray *cell;
    size_t i, n;
    zeromq_frame *frames;
    char what[64];

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
        if (i < 2 && !mex_is_text_like(e)) {
            snprintf(what, sizeof what, "Frame %lu (the %s) must be text.",
                     (unsigned long)(i + 1), i == 0 ? "filter" : "payload");
            mex_raise(ZEROMQ_ERR_INVALID_TYPE, what);
        }
        snprintf(what, sizeof what, "Frame %lu", (unsigned long)(i + 1));
        mex_frame_arg(e, what, &frames[i]);
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
        if (v >= ZEROMQ_ROLE_CLIENT && v <= ZEROMQ_ROLE_SUBSCRIBER && floor(v) == v) {
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

MEX_COMMAND(cmd_endpoints)
{
    zeromq_message *msg = NULL;
    int32_t role;

    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "list = zeromq_endpoints(role)");
    role = mex_role_arg(prhs[0]);
    mex_check(zeromq_endpoints(role, &msg));
    plhs[0] = mex_text_list(msg);
    zeromq_message_free(msg);
}

MEX_COMMAND(cmd_handler_start)
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_handler_start()");
    mex_check(zeromq_handler_start());
}

MEX_COMMAND(cmd_handler_stop)
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_handler_stop()");
    mex_check(zeromq_handler_stop());
}
