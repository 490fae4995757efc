/* Every function and constant of docs/ABI.md, checked against the generated header at compile
 * time: each function is assigned to a pointer of exactly the documented type (a different
 * parameter or return type is an incompatible-pointer error under -Werror), each constant is
 * compared with its documented value. Nothing here runs. */
#include "zeromq_xop.h"

#include <stddef.h>
#include <stdint.h>

#define ABI_VALUE(name, value) _Static_assert((name) == (value), #name " == " #value)

/* Status codes. */
ABI_VALUE(ZEROMQ_ERR_UNHANDLED, 10002);
ABI_VALUE(ZEROMQ_ERR_UNKNOWN_SET_FLAG, 10003);
ABI_VALUE(ZEROMQ_ERR_INTERNAL, 10004);
ABI_VALUE(ZEROMQ_ERR_INVALID_ARG, 10005);
ABI_VALUE(ZEROMQ_ERR_HANDLER_ALREADY_RUNNING, 10006);
ABI_VALUE(ZEROMQ_ERR_HANDLER_NO_CONNECTION, 10007);
ABI_VALUE(ZEROMQ_ERR_INVALID_MESSAGE_FORMAT, 10009);
ABI_VALUE(ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE, 10010);
ABI_VALUE(ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED, 10011);
ABI_VALUE(ZEROMQ_ERR_MESSAGE_FILTER_MISSING, 10012);
ABI_VALUE(ZEROMQ_ERR_INVALID_TYPE, 10013);

/* Protocol request codes (SPEC.md 4.2). */
ABI_VALUE(ZEROMQ_REQ_SUCCESS, 0);
ABI_VALUE(ZEROMQ_REQ_UNKNOWN_ERROR, 1);
ABI_VALUE(ZEROMQ_REQ_INVALID_JSON_OBJECT, 3);
ABI_VALUE(ZEROMQ_REQ_INVALID_VERSION, 4);
ABI_VALUE(ZEROMQ_REQ_INVALID_OPERATION, 5);
ABI_VALUE(ZEROMQ_REQ_INVALID_OPERATION_FORMAT, 6);
ABI_VALUE(ZEROMQ_REQ_INVALID_MESSAGEID, 7);
ABI_VALUE(ZEROMQ_REQ_OUT_OF_MEMORY, 8);
ABI_VALUE(ZEROMQ_REQ_PROC_NOT_COMPILED, 100);
ABI_VALUE(ZEROMQ_REQ_NON_EXISTING_FUNCTION, 101);
ABI_VALUE(ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS, 102);
ABI_VALUE(ZEROMQ_REQ_TOO_MANY_FUNCTION_PARAMS, 103);
ABI_VALUE(ZEROMQ_REQ_UNSUPPORTED_FUNC_SIG, 104);
ABI_VALUE(ZEROMQ_REQ_UNSUPPORTED_FUNC_RET, 105);
ABI_VALUE(ZEROMQ_REQ_INVALID_PARAM_FORMAT, 106);
ABI_VALUE(ZEROMQ_REQ_FUNCTION_ABORTED, 107);

/* zeromq_set flags. */
ABI_VALUE(ZEROMQ_SET_FLAGS_DEFAULT, 1);
ABI_VALUE(ZEROMQ_SET_FLAGS_DEBUG, 2);
ABI_VALUE(ZEROMQ_SET_FLAGS_IPV6, 4);
ABI_VALUE(ZEROMQ_SET_FLAGS_NOBUSYWAITRECV, 8);
ABI_VALUE(ZEROMQ_SET_FLAGS_LOGGING, 16);

/* Roles. */
ABI_VALUE(ZEROMQ_ROLE_CLIENT, 0);
ABI_VALUE(ZEROMQ_ROLE_SERVER, 1);
ABI_VALUE(ZEROMQ_ROLE_PUBLISHER, 2);
ABI_VALUE(ZEROMQ_ROLE_SUBSCRIBER, 3);

/* Call parameter kinds. */
ABI_VALUE(ZEROMQ_PARAM_STRING, 0);
ABI_VALUE(ZEROMQ_PARAM_NUMBER, 1);
ABI_VALUE(ZEROMQ_PARAM_BOOL, 2);

/* Wave types (Igor type codes). */
ABI_VALUE(ZEROMQ_NT_CMPLX, 0x01);
ABI_VALUE(ZEROMQ_NT_FP32, 0x02);
ABI_VALUE(ZEROMQ_NT_FP64, 0x04);
ABI_VALUE(ZEROMQ_NT_I8, 0x08);
ABI_VALUE(ZEROMQ_NT_I16, 0x10);
ABI_VALUE(ZEROMQ_NT_I32, 0x20);
ABI_VALUE(ZEROMQ_NT_UNSIGNED, 0x40);
ABI_VALUE(ZEROMQ_NT_I64, 0x80);
ABI_VALUE(ZEROMQ_TEXT_WAVE_TYPE, 0);
ABI_VALUE(ZEROMQ_DATAFOLDER_TYPE, 0x100);
ABI_VALUE(ZEROMQ_WAVE_TYPE, 0x4000);

/* Conventions. */
int32_t (*const abi_last_error)(char *, size_t, size_t *) = zeromq_last_error;

/* Messages. */
size_t (*const abi_message_frame_count)(const zeromq_message *) = zeromq_message_frame_count;
int32_t (*const abi_message_frame)(const zeromq_message *, size_t, const uint8_t **,
                                   size_t *) = zeromq_message_frame;
void (*const abi_message_free)(zeromq_message *) = zeromq_message_free;

/* Sockets. */
int32_t (*const abi_stop)(void) = zeromq_stop;
int32_t (*const abi_set)(int32_t) = zeromq_set;
int32_t (*const abi_flags)(void) = zeromq_flags;
int32_t (*const abi_set_logging_template)(const char *, size_t) = zeromq_set_logging_template;
int32_t (*const abi_set_log_path)(const char *, size_t) = zeromq_set_log_path;
int32_t (*const abi_set_max_message_size)(int64_t) = zeromq_set_max_message_size;
int32_t (*const abi_server_bind)(const char *, size_t) = zeromq_server_bind;
int32_t (*const abi_server_send)(const char *, size_t, const char *, size_t) = zeromq_server_send;
int32_t (*const abi_server_recv)(int32_t, zeromq_message **) = zeromq_server_recv;
int32_t (*const abi_client_connect)(const char *, size_t) = zeromq_client_connect;
int32_t (*const abi_client_send)(const char *, size_t) = zeromq_client_send;
int32_t (*const abi_client_recv)(int32_t, zeromq_message **) = zeromq_client_recv;
int32_t (*const abi_pub_bind)(const char *, size_t) = zeromq_pub_bind;
int32_t (*const abi_pub_send)(const char *, size_t, const char *, size_t) = zeromq_pub_send;
int32_t (*const abi_pub_send_multi)(const zeromq_frame *, size_t) = zeromq_pub_send_multi;
int32_t (*const abi_sub_connect)(const char *, size_t) = zeromq_sub_connect;
int32_t (*const abi_sub_add_filter)(const char *, size_t) = zeromq_sub_add_filter;
int32_t (*const abi_sub_remove_filter)(const char *, size_t) = zeromq_sub_remove_filter;
int32_t (*const abi_sub_recv)(int32_t, zeromq_message **) = zeromq_sub_recv;
int32_t (*const abi_sub_recv_multi)(int32_t, zeromq_message **) = zeromq_sub_recv_multi;
int32_t (*const abi_endpoints)(int32_t, zeromq_message **) = zeromq_endpoints;

/* zeromq_frame's members. */
_Static_assert(sizeof(((zeromq_frame *)0)->len) == sizeof(size_t), "zeromq_frame.len is size_t");
const void *abi_frame_data(const zeromq_frame *f);
const void *abi_frame_data(const zeromq_frame *f) { return f->data; }

/* Remote calls. */
void abi_dispatch(void *user_data, const zeromq_call *call, zeromq_reply *reply);
void abi_dispatch(void *user_data, const zeromq_call *call, zeromq_reply *reply) {
  (void)user_data;
  (void)call;
  (void)reply;
}
zeromq_dispatch_fn abi_dispatch_fn = abi_dispatch;
int32_t (*const abi_set_dispatcher)(zeromq_dispatch_fn, void *) = zeromq_set_dispatcher;
int32_t (*const abi_handler_start)(void) = zeromq_handler_start;
int32_t (*const abi_handler_stop)(void) = zeromq_handler_stop;
int32_t (*const abi_handler_process)(uint32_t *) = zeromq_handler_process;
int32_t (*const abi_handler_wait)(int32_t) = zeromq_handler_wait;
int32_t (*const abi_test_callfunction)(const char *, size_t,
                                       zeromq_message **) = zeromq_test_callfunction;
int32_t (*const abi_call_name)(const zeromq_call *, const char **, size_t *) = zeromq_call_name;
size_t (*const abi_call_param_count)(const zeromq_call *) = zeromq_call_param_count;
int32_t (*const abi_call_param)(const zeromq_call *, size_t, int32_t *, const char **,
                                size_t *) = zeromq_call_param;
int32_t (*const abi_call_param_double)(const zeromq_call *, size_t,
                                       double *) = zeromq_call_param_double;
int32_t (*const abi_reply_error)(zeromq_reply *, int32_t, const char *,
                                 size_t) = zeromq_reply_error;
int32_t (*const abi_reply_multiple)(zeromq_reply *) = zeromq_reply_multiple;
int32_t (*const abi_reply_variable)(zeromq_reply *, double) = zeromq_reply_variable;
int32_t (*const abi_reply_string)(zeromq_reply *, const char *, size_t) = zeromq_reply_string;
int32_t (*const abi_reply_dfref)(zeromq_reply *, const char *, size_t) = zeromq_reply_dfref;
int32_t (*const abi_reply_wave)(zeromq_reply *, zeromq_wave *) = zeromq_reply_wave;
int32_t (*const abi_reply_by_ref_variable)(zeromq_reply *, double) = zeromq_reply_by_ref_variable;
int32_t (*const abi_reply_by_ref_string)(zeromq_reply *, const char *,
                                         size_t) = zeromq_reply_by_ref_string;
int32_t (*const abi_reply_by_ref_dfref)(zeromq_reply *, const char *,
                                        size_t) = zeromq_reply_by_ref_dfref;

/* Waves. */
int32_t (*const abi_wave_new)(int32_t, const uint64_t *, size_t, zeromq_wave **) = zeromq_wave_new;
int32_t (*const abi_wave_set_data)(zeromq_wave *, const void *, size_t) = zeromq_wave_set_data;
int32_t (*const abi_wave_set_text)(zeromq_wave *, size_t, const char *,
                                   size_t) = zeromq_wave_set_text;
int32_t (*const abi_wave_set_wave)(zeromq_wave *, size_t, zeromq_wave *) = zeromq_wave_set_wave;
int32_t (*const abi_wave_set_dfref)(zeromq_wave *, size_t, const char *,
                                    size_t) = zeromq_wave_set_dfref;
int32_t (*const abi_wave_set_scaling)(zeromq_wave *, size_t, double,
                                      double) = zeromq_wave_set_scaling;
int32_t (*const abi_wave_set_dim_unit)(zeromq_wave *, size_t, const char *,
                                       size_t) = zeromq_wave_set_dim_unit;
int32_t (*const abi_wave_set_dim_label)(zeromq_wave *, size_t, int64_t, const char *,
                                        size_t) = zeromq_wave_set_dim_label;
int32_t (*const abi_wave_set_data_unit)(zeromq_wave *, const char *,
                                        size_t) = zeromq_wave_set_data_unit;
int32_t (*const abi_wave_set_full_scale)(zeromq_wave *, double,
                                         double) = zeromq_wave_set_full_scale;
int32_t (*const abi_wave_set_note)(zeromq_wave *, const char *, size_t) = zeromq_wave_set_note;
int32_t (*const abi_wave_set_modification)(zeromq_wave *, int64_t) = zeromq_wave_set_modification;
int32_t (*const abi_wave_serialize)(const zeromq_wave *,
                                    zeromq_message **) = zeromq_wave_serialize;
void (*const abi_wave_free)(zeromq_wave *) = zeromq_wave_free;

/* Output from background threads. */
void abi_output(void *user_data, const char *text, size_t len);
void abi_output(void *user_data, const char *text, size_t len) {
  (void)user_data;
  (void)text;
  (void)len;
}
zeromq_output_fn abi_output_fn = abi_output;
int32_t (*const abi_set_output)(zeromq_output_fn, void *) = zeromq_set_output;

/* Library facts. */
void (*const abi_libzmq_version)(int32_t *, int32_t *, int32_t *) = zeromq_libzmq_version;
const char *(*const abi_library_version)(void) = zeromq_library_version;
int32_t (*const abi_has)(const char *, size_t) = zeromq_has;

/* Additions (second release): each issue appends the functions and constants it delivers. */
ABI_VALUE(ZEROMQ_ERR_TIMEOUT, 10014);
ABI_VALUE(ZEROMQ_ERR_CLOSED, 10015);
int32_t (*const abi_error_text)(int32_t, char *, size_t, size_t *) = zeromq_error_text;

/* Generic sockets, polling, context options, the handler's descriptor (issue 12). */
ABI_VALUE(ZEROMQ_PAIR, 0);
ABI_VALUE(ZEROMQ_PUB, 1);
ABI_VALUE(ZEROMQ_SUB, 2);
ABI_VALUE(ZEROMQ_REQ, 3);
ABI_VALUE(ZEROMQ_REP, 4);
ABI_VALUE(ZEROMQ_DEALER, 5);
ABI_VALUE(ZEROMQ_ROUTER, 6);
ABI_VALUE(ZEROMQ_PULL, 7);
ABI_VALUE(ZEROMQ_PUSH, 8);
ABI_VALUE(ZEROMQ_XPUB, 9);
ABI_VALUE(ZEROMQ_XSUB, 10);
ABI_VALUE(ZEROMQ_STREAM, 11);
ABI_VALUE(ZEROMQ_POLLIN, 1);
ABI_VALUE(ZEROMQ_POLLOUT, 2);
ABI_VALUE(ZEROMQ_POLLERR, 4);
ABI_VALUE(ZEROMQ_OPT_LINGER, 17);
ABI_VALUE(ZEROMQ_OPT_SUBSCRIBE, 6);
ABI_VALUE(ZEROMQ_OPT_SNDHWM, 23);
ABI_VALUE(ZEROMQ_CTX_IO_THREADS, 1);
ABI_VALUE(ZEROMQ_CTX_MAX_SOCKETS, 2);
int32_t (*const abi_socket_new)(int32_t, uint64_t *) = zeromq_socket_new;
int32_t (*const abi_socket_close)(uint64_t) = zeromq_socket_close;
int32_t (*const abi_socket_bind)(uint64_t, const char *, size_t) = zeromq_socket_bind;
int32_t (*const abi_socket_unbind)(uint64_t, const char *, size_t) = zeromq_socket_unbind;
int32_t (*const abi_socket_connect)(uint64_t, const char *, size_t) = zeromq_socket_connect;
int32_t (*const abi_socket_disconnect)(uint64_t, const char *, size_t) = zeromq_socket_disconnect;
int32_t (*const abi_socket_send)(uint64_t, const zeromq_frame *, size_t,
                                 int32_t) = zeromq_socket_send;
int32_t (*const abi_socket_recv)(uint64_t, int32_t, zeromq_message **) = zeromq_socket_recv;
int32_t (*const abi_socket_set_option)(uint64_t, int32_t, const void *,
                                       size_t) = zeromq_socket_set_option;
int32_t (*const abi_socket_get_option)(uint64_t, int32_t, void *, size_t,
                                       size_t *) = zeromq_socket_get_option;
int32_t (*const abi_socket_endpoints)(uint64_t, zeromq_message **) = zeromq_socket_endpoints;
int32_t (*const abi_context_set_option)(int32_t, int32_t) = zeromq_context_set_option;
int32_t (*const abi_context_get_option)(int32_t, int32_t *) = zeromq_context_get_option;
int32_t (*const abi_role_socket)(int32_t, uint64_t *) = zeromq_role_socket;
int32_t (*const abi_poll)(zeromq_poll_item *, size_t, int32_t, size_t *) = zeromq_poll;
int32_t (*const abi_handler_fd)(int64_t *) = zeromq_handler_fd;
typedef char abi_poll_item_layout[(offsetof(zeromq_poll_item, socket) == 0 &&
                                   offsetof(zeromq_poll_item, fd) == 8 &&
                                   offsetof(zeromq_poll_item, events) == 16 &&
                                   offsetof(zeromq_poll_item, revents) == 18)
                                      ? 1
                                      : -1];
/* Security (issue 14). */
ABI_VALUE(ZEROMQ_ERR_INVALID_KEY, 10040);
ABI_VALUE(ZEROMQ_ERR_INVALID_ADDRESS, 10041);
ABI_VALUE(ZEROMQ_ERR_INVALID_CERTIFICATE, 10042);
ABI_VALUE(ZEROMQ_OPT_ROUTING_ID, 5);
ABI_VALUE(ZEROMQ_OPT_LINGER, 17);
ABI_VALUE(ZEROMQ_OPT_MAXMSGSIZE, 22);
ABI_VALUE(ZEROMQ_OPT_SNDHWM, 23);
ABI_VALUE(ZEROMQ_OPT_RCVHWM, 24);
ABI_VALUE(ZEROMQ_OPT_RCVTIMEO, 27);
ABI_VALUE(ZEROMQ_OPT_SNDTIMEO, 28);
ABI_VALUE(ZEROMQ_OPT_TCP_KEEPALIVE, 34);
ABI_VALUE(ZEROMQ_OPT_IPV6, 42);
ABI_VALUE(ZEROMQ_OPT_CURVE_SERVER, 47);
ABI_VALUE(ZEROMQ_OPT_CURVE_PUBLICKEY, 48);
ABI_VALUE(ZEROMQ_OPT_CURVE_SECRETKEY, 49);
ABI_VALUE(ZEROMQ_OPT_CURVE_SERVERKEY, 50);
ABI_VALUE(ZEROMQ_OPT_ZAP_DOMAIN, 55);
int32_t (*const abi_role_set_option)(int32_t, int32_t, const void *, size_t) =
    zeromq_role_set_option;
int32_t (*const abi_curve_keypair)(char[41], char[41]) = zeromq_curve_keypair;
int32_t (*const abi_curve_public)(const char *, size_t, char[41]) = zeromq_curve_public;
int32_t (*const abi_auth_allow)(const char *, size_t) = zeromq_auth_allow;
int32_t (*const abi_auth_deny)(const char *, size_t) = zeromq_auth_deny;
int32_t (*const abi_auth_allow_key)(const char *, size_t) = zeromq_auth_allow_key;
int32_t (*const abi_auth_reset)(void) = zeromq_auth_reset;
int32_t (*const abi_handler_allow)(const char *, size_t) = zeromq_handler_allow;
int32_t (*const abi_handler_allow_reset)(void) = zeromq_handler_allow_reset;
int32_t (*const abi_curve_cert_create)(const char *, size_t, const char *, size_t, char *,
                                       char *) = zeromq_curve_cert_create;
int32_t (*const abi_curve_cert_write)(const char *, size_t, const char *, size_t, const char *,
                                      size_t) = zeromq_curve_cert_write;
int32_t (*const abi_curve_cert_read)(const char *, size_t, char *, char *, int32_t *) =
    zeromq_curve_cert_read;
int32_t (*const abi_auth_allow_keys_from)(const char *, size_t, size_t *) =
    zeromq_auth_allow_keys_from;
int32_t (*const abi_set_heartbeat)(const char *, size_t, int32_t) = zeromq_set_heartbeat;
ABI_VALUE(ZEROMQ_ERR_FILTER_TOO_LONG, 10016);
ABI_VALUE(ZEROMQ_MAX_FILTER_LENGTH, 1024);
int32_t (*const abi_set_wakeup)(zeromq_wakeup_fn, void *) = zeromq_set_wakeup;
/* Arrays into host functions, and binary frames. */
ABI_VALUE(ZEROMQ_PARAM_WAVE, 3);
int32_t (*const abi_call_param_wave)(const zeromq_call *, size_t,
                                     const zeromq_wave **) = zeromq_call_param_wave;
int32_t (*const abi_wave_type)(const zeromq_wave *, int32_t *) = zeromq_wave_type;
int32_t (*const abi_wave_dims)(const zeromq_wave *, uint64_t[4], size_t *) = zeromq_wave_dims;
int32_t (*const abi_wave_data)(const zeromq_wave *, const void **, size_t *) = zeromq_wave_data;
int32_t (*const abi_wave_text)(const zeromq_wave *, size_t, const char **,
                               size_t *) = zeromq_wave_text;
int32_t (*const abi_wave_wave)(const zeromq_wave *, size_t,
                               const zeromq_wave **) = zeromq_wave_wave;
int32_t (*const abi_wave_dfref)(const zeromq_wave *, size_t, const char **,
                                size_t *) = zeromq_wave_dfref;
int32_t (*const abi_wave_scaling)(const zeromq_wave *, size_t, double *,
                                  double *) = zeromq_wave_scaling;
int32_t (*const abi_wave_dim_unit)(const zeromq_wave *, size_t, const char **,
                                   size_t *) = zeromq_wave_dim_unit;
int32_t (*const abi_wave_dim_label)(const zeromq_wave *, size_t, int64_t, const char **,
                                    size_t *) = zeromq_wave_dim_label;
int32_t (*const abi_wave_data_unit)(const zeromq_wave *, const char **,
                                    size_t *) = zeromq_wave_data_unit;
int32_t (*const abi_wave_full_scale)(const zeromq_wave *, double *,
                                     double *) = zeromq_wave_full_scale;
int32_t (*const abi_wave_note)(const zeromq_wave *, const char **, size_t *) = zeromq_wave_note;
int32_t (*const abi_wave_modification)(const zeromq_wave *,
                                       int64_t *) = zeromq_wave_modification;
int32_t (*const abi_igor_check_remote_call)(int32_t, int32_t, const int32_t *, size_t, int32_t,
                                            const zeromq_call *,
                                            zeromq_igor_signature *) = zeromq_igor_check_remote_call;
int32_t (*const abi_wave_data_mut)(zeromq_wave *, void **, size_t *) = zeromq_wave_data_mut;
