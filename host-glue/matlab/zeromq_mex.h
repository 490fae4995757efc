/*
 * zeromq_mex.h: what the parts of the MEX gateway share. zeromq_mex.c holds the command
 * table, errors, text and numeric conversion and the receive loop; zeromq_mex_sockets.c the
 * commands of generic sockets and polling, which use those helpers.
 */
#ifndef ZEROMQ_MEX_H
#define ZEROMQ_MEX_H

#include <stddef.h>
#include <stdint.h>

#include "mex.h"
#include "zeromq_xop.h"

/* The class of a received frame: char (UTF-8 text) or a numeric/logical class. */
typedef struct {
    int is_char;
    mxClassID id;
    size_t elem;
} mex_frame_type;

/* Errors: raise the MATLAB error zeromq:<NAME> for a status (detail NULL: the library's last
   error text); never return. */
void mex_raise(int32_t code, const char *detail);
void mex_check(int32_t code);
void mex_nargs(int nrhs, int min, int max, const char *usage);

/* Text: char rows are UTF-8 text (or one byte per char with `bytes`). */
mxArray *mex_text_value(const void *data, size_t len, int bytes);
int mex_is_text(const mxArray *a);
char *mex_text_arg(const mxArray *a, const char *what, int bytes, size_t *len);
double mex_scalar_arg(const mxArray *a, const char *what);
mxArray *mex_frame_text(const zeromq_message *msg, size_t index, int bytes);

/* Numeric arrays as bytes, and received frames as arrays of a class. */
int mex_is_plain_numeric(const mxArray *a);
const void *mex_numeric_bytes(const mxArray *a, size_t *bytes, void **scratch);
void mex_frame_type_of(const char *name, mex_frame_type *t);
mxArray *mex_frame_value(const uint8_t *data, size_t len, const mex_frame_type *t);
/* The frame types of a `types` argument (a class name or a cell array of them); `wrong` is the
   message for anything else. */
mex_frame_type *mex_frame_types_arg(const mxArray *spec, size_t *count, const char *wrong);
/* Frame `index` of `msg` as a value of type `t`; a length that is not a whole number of
   elements frees `msg` and raises zeromq:INVALID_TYPE. */
mxArray *mex_frame_checked(zeromq_message *msg, size_t index, const mex_frame_type *t);

/* Waiting: Ctrl-C, a monotonic clock, running queued remote calls in between. */
int mex_interrupt_pending(void);
double mex_now_ms(void);
int32_t mex_run_queue(uint32_t *processed, int rearm);

int32_t mex_role_arg(const mxArray *a);

/* Commands of zeromq_mex_sockets.c. */
#define MEX_COMMAND(name) void name(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
MEX_COMMAND(cmd_socket_new);
MEX_COMMAND(cmd_socket_close);
MEX_COMMAND(cmd_socket_bind);
MEX_COMMAND(cmd_socket_unbind);
MEX_COMMAND(cmd_socket_connect);
MEX_COMMAND(cmd_socket_disconnect);
MEX_COMMAND(cmd_socket_send);
MEX_COMMAND(cmd_socket_recv);
MEX_COMMAND(cmd_socket_set_option);
MEX_COMMAND(cmd_socket_get_option);
MEX_COMMAND(cmd_socket_endpoints);
MEX_COMMAND(cmd_context_set_option);
MEX_COMMAND(cmd_context_get_option);
MEX_COMMAND(cmd_role_socket);
MEX_COMMAND(cmd_poll);

#endif
