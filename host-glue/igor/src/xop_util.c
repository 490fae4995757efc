/* History output, error reporting, string handles and the receive loop of the ZeroMQ XOP. */

#include "xop_glue.h"

#include <stdlib.h>
#include <string.h>

void xop_print(const char *text, size_t len, int mark_modified)
{
    char *line;
    size_t i, n = 0;

    while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == '\n')) {
        len--;
    }
    if (len == 0) {
        return;
    }
    line = (char *)malloc(len + 2);
    if (line == NULL) {
        return;
    }
    for (i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n') {
            if (i > 0 && text[i - 1] == '\r') {
                continue; /* CR LF counts as one line end */
            }
            c = '\r';
        } else if (c == '\0') {
            c = ' ';
        }
        line[n++] = c;
    }
    line[n++] = '\r';
    line[n] = '\0';
    XOPNotice2(line, mark_modified ? 1u : 0u);
    free(line);
}

int xop_fail(int code)
{
    size_t len = 0;
    char *text;

    if (zeromq_last_error(NULL, 0, &len) != 0 || len == 0) {
        return code;
    }
    text = (char *)malloc(len + 1);
    if (text != NULL) {
        if (zeromq_last_error(text, len + 1, &len) == 0) {
            xop_print(text, strlen(text), 1);
        }
        free(text);
    }
    return code;
}

int xop_fail_text(int code, const char *text)
{
    if (text != NULL) {
        xop_print(text, strlen(text), 1);
    }
    return code;
}

const char *xop_handle_bytes(Handle h, size_t *len)
{
    if (h == NULL || *h == NULL) {
        *len = 0;
        return "";
    }
    *len = (size_t)WMGetHandleSize(h);
    return *h;
}

void xop_dispose(Handle *h)
{
    if (*h != NULL) {
        WMDisposeHandle(*h);
        *h = NULL;
    }
}

int xop_new_handle(const void *data, size_t len, Handle *out)
{
    Handle h = WMNewHandle((BCInt)len);

    if (h == NULL) {
        return NOMEM;
    }
    if (len > 0) {
        memcpy(*h, data, len);
    }
    *out = h;
    return 0;
}

int xop_store_handle(Handle *h, const void *data, size_t len)
{
    if (*h == NULL) {
        return xop_new_handle(data, len, h);
    }
    if (WMSetHandleSize(*h, (BCInt)len) != 0) {
        return NOMEM;
    }
    if (len > 0) {
        memcpy(**h, data, len);
    }
    return 0;
}

const uint8_t *xop_frame(const zeromq_message *msg, size_t index, size_t *len)
{
    const uint8_t *data = NULL;

    *len = 0;
    if (zeromq_message_frame(msg, index, &data, len) != 0) {
        *len = 0;
        return NULL;
    }
    return data;
}

int xop_receive(xop_recv_fn recv, zeromq_message **out)
{
    const int busy_wait = (zeromq_flags() & ZEROMQ_SET_FLAGS_NOBUSYWAITRECV) == 0;

    *out = NULL;
    for (;;) {
        const int32_t rc = recv(XOP_RECV_SLICE_MS, out);
        if (rc != 0) {
            *out = NULL;
            return xop_fail(rc);
        }
        if (*out != NULL) {
            return 0;
        }
        if (!busy_wait || SpinProcess() != 0) {
            return 0;
        }
        if (RunningInMainThread()) {
            XOPSilentCommand("DoXOPIdle");
        }
    }
}
