/* The Igor external functions of the ZeroMQ XOP (except the _multi ones, see xop_multi.c):
 * each takes Igor's parameter structure, passes the values to the library and maps the
 * result back. Variable results are always 0; string results are NULL on error. Library
 * errors are passed through (they are FIRST_XOP_ERR-based already) after their detail text
 * was printed. */

#include "xop_glue.h"

#include <math.h>

typedef int32_t (*xop_string_fn)(const char *s, size_t len);

/* The common shape of the functions taking one string: call, dispose the handle, report. */
static int call_with_string(xop_string_fn fn, Handle *h)
{
    size_t len;
    const char *s = xop_handle_bytes(*h, &len);
    const int32_t rc = fn(s, len);

    xop_dispose(h);
    return rc != 0 ? xop_fail(rc) : 0;
}

/* Frame `index` of `msg` as a new string handle in *out (the empty string when missing). */
static int frame_to_handle(const zeromq_message *msg, size_t index, Handle *out)
{
    size_t len;
    const uint8_t *data = xop_frame(msg, index, &len);

    return xop_new_handle(data, len, out);
}

/* Receive with the busy-wait loop and return frame `payload` as *result and, when `by_ref`
   is not NULL, frame 0 in the by-reference string (both "" when nothing arrived). */
static int receive_into(xop_recv_fn recv, size_t payload, Handle *result, Handle *by_ref)
{
    zeromq_message *msg = NULL;
    const uint8_t *data;
    size_t len;
    int rc = xop_receive(recv, &msg);

    if (rc != 0) {
        return rc;
    }
    if (msg == NULL) {
        rc = xop_new_handle(NULL, 0, result);
        if (rc == 0 && by_ref != NULL) {
            rc = xop_store_handle(by_ref, NULL, 0);
        }
        return rc;
    }
    rc = frame_to_handle(msg, payload, result);
    if (rc == 0 && by_ref != NULL) {
        data = xop_frame(msg, 0, &len);
        rc = xop_store_handle(by_ref, data, len);
    }
    zeromq_message_free(msg);
    if (rc != 0) {
        xop_dispose(result);
    }
    return rc;
}

int xop_zeromq_client_connect(struct xop_zeromq_client_connect_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_client_connect, &p->remotePoint);
}

int xop_zeromq_client_recv(struct xop_zeromq_client_recv_params *p)
{
    p->result = NULL;
    return receive_into(zeromq_client_recv, 0, &p->result, NULL);
}

int xop_zeromq_client_send(struct xop_zeromq_client_send_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_client_send, &p->msg);
}

int xop_zeromq_handler_start(struct xop_zeromq_handler_start_params *p)
{
    const int32_t rc = zeromq_handler_start();

    p->result = 0;
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_handler_stop(struct xop_zeromq_handler_stop_params *p)
{
    const int32_t rc = zeromq_handler_stop();

    p->result = 0;
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_pub_bind(struct xop_zeromq_pub_bind_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_pub_bind, &p->localPoint);
}

int xop_zeromq_pub_send(struct xop_zeromq_pub_send_params *p)
{
    size_t filter_len, msg_len;
    const char *filter = xop_handle_bytes(p->filter, &filter_len);
    const char *msg = xop_handle_bytes(p->msg, &msg_len);
    const int32_t rc = zeromq_pub_send(filter, filter_len, msg, msg_len);

    p->result = 0;
    xop_dispose(&p->filter);
    xop_dispose(&p->msg);
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_server_bind(struct xop_zeromq_server_bind_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_server_bind, &p->localPoint);
}

int xop_zeromq_server_recv(struct xop_zeromq_server_recv_params *p)
{
    p->result = NULL;
    return receive_into(zeromq_server_recv, 1, &p->result, p->identity);
}

int xop_zeromq_server_send(struct xop_zeromq_server_send_params *p)
{
    size_t identity_len, msg_len;
    const char *identity = xop_handle_bytes(p->identity, &identity_len);
    const char *msg = xop_handle_bytes(p->msg, &msg_len);
    const int32_t rc = zeromq_server_send(identity, identity_len, msg, msg_len);

    p->result = 0;
    xop_dispose(&p->identity);
    xop_dispose(&p->msg);
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_set(struct xop_zeromq_set_params *p)
{
    const double flags = p->flags;
    int32_t rc;

    p->result = 0;
    /* Igor's conversion to an integer parameter: no NaN/Inf, in range, truncated to zero. */
    if (isnan(flags) || isinf(flags)) {
        return kDoesNotSupportNaNorINF;
    }
    if (flags > 2147483647.0 || flags < -2147483648.0) {
        return kParameterOutOfRange;
    }
    rc = zeromq_set((int32_t)flags);
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_set_heartbeat(struct xop_zeromq_set_heartbeat_params *p)
{
    const double period = p->periodMs;
    size_t len;
    const char *topic = xop_handle_bytes(p->topic, &len);
    int32_t rc;

    p->result = 0;
    /* Igor's conversion to an integer parameter, as for zeromq_set; negative periods are the
       library's INVALID_ARG. */
    if (isnan(period) || isinf(period)) {
        xop_dispose(&p->topic);
        return kDoesNotSupportNaNorINF;
    }
    if (period > 2147483647.0 || period < -2147483648.0) {
        xop_dispose(&p->topic);
        return kParameterOutOfRange;
    }
    rc = zeromq_set_heartbeat(topic, len, (int32_t)period);
    xop_dispose(&p->topic);
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_set_logging_template(struct xop_zeromq_set_logging_template_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_set_logging_template, &p->jsonString);
}

int xop_zeromq_stop(struct xop_zeromq_stop_params *p)
{
    p->result = 0;
    (void)zeromq_stop(); /* never an error, as in the reference */
    return 0;
}

int xop_zeromq_sub_add_filter(struct xop_zeromq_sub_add_filter_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_sub_add_filter, &p->filter);
}

int xop_zeromq_sub_connect(struct xop_zeromq_sub_connect_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_sub_connect, &p->remotePoint);
}

int xop_zeromq_sub_recv(struct xop_zeromq_sub_recv_params *p)
{
    p->result = NULL;
    return receive_into(zeromq_sub_recv, 1, &p->result, p->filter);
}

int xop_zeromq_sub_remove_filter(struct xop_zeromq_sub_remove_filter_params *p)
{
    p->result = 0;
    return call_with_string(zeromq_sub_remove_filter, &p->filter);
}

int xop_zeromq_test_callfunction(struct xop_zeromq_test_callfunction_params *p)
{
    zeromq_message *reply = NULL;
    size_t len;
    const char *msg = xop_handle_bytes(p->msg, &len);
    int32_t rc = zeromq_test_callfunction(msg, len, &reply);

    p->result = NULL;
    xop_dispose(&p->msg);
    if (rc != 0) {
        return xop_fail(rc);
    }
    rc = frame_to_handle(reply, 0, &p->result);
    zeromq_message_free(reply);
    return rc;
}

int xop_zeromq_test_serializeWave(struct xop_zeromq_test_serializeWave_params *p)
{
    zeromq_wave *wave = NULL;
    zeromq_message *json = NULL;
    char detail[256];
    int32_t rc;

    p->result = NULL;
    detail[0] = '\0';
    rc = xop_wave_build(p->wv, &wave, detail, sizeof detail);
    if (rc != 0) {
        return xop_fail_text(rc, detail);
    }
    rc = zeromq_wave_serialize(wave, &json);
    zeromq_wave_free(wave);
    if (rc != 0) {
        return xop_fail(rc);
    }
    rc = frame_to_handle(json, 0, &p->result);
    zeromq_message_free(json);
    return rc;
}
