/* The Igor external functions for security: the allow list of remote calls, address and key
 * rules, CURVE keys and certificate files, and options of the XOP's sockets. Each passes its
 * strings to the library (which copies them), disposes the input handles and reports a
 * failure through xop_fail. */

#include "xop_glue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int32_t (*xop_text_fn)(const char *s, size_t len);

/* Calls fn with the bytes of an input string handle, disposes it, sets the variable result. */
static int text_call(xop_text_fn fn, Handle *h, double *result)
{
    size_t len;
    const char *s = xop_handle_bytes(*h, &len);
    const int32_t rc = fn(s, len);

    *result = 0;
    xop_dispose(h);
    return rc != 0 ? xop_fail(rc) : 0;
}

/* A handle's bytes copied NUL-terminated into buf (capacity cap); 0, or an error when the
   text does not fit. */
static int text_copy(Handle h, char *buf, size_t cap)
{
    size_t len;
    const char *s = xop_handle_bytes(h, &len);

    if (len >= cap) {
        return xop_fail_text(XOP_ERR_INVALID_ARG, "The text is too long.");
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

int xop_zeromq_handler_allow(struct xop_zeromq_handler_allow_params *p)
{
    return text_call(zeromq_handler_allow, &p->name, &p->result);
}

int xop_zeromq_handler_allow_reset(struct xop_zeromq_handler_allow_reset_params *p)
{
    const int32_t rc = zeromq_handler_allow_reset();
    p->result = 0;
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_auth_allow(struct xop_zeromq_auth_allow_params *p)
{
    return text_call(zeromq_auth_allow, &p->address, &p->result);
}

int xop_zeromq_auth_deny(struct xop_zeromq_auth_deny_params *p)
{
    return text_call(zeromq_auth_deny, &p->address, &p->result);
}

int xop_zeromq_auth_allow_key(struct xop_zeromq_auth_allow_key_params *p)
{
    return text_call(zeromq_auth_allow_key, &p->publicKey, &p->result);
}

int xop_zeromq_auth_allow_keys_from(struct xop_zeromq_auth_allow_keys_from_params *p)
{
    size_t len, count = 0;
    const char *folder = xop_handle_bytes(p->folder, &len);
    const int32_t rc = zeromq_auth_allow_keys_from(folder, len, &count);

    xop_dispose(&p->folder);
    p->result = (double)count;
    return rc != 0 ? xop_fail(rc) : 0;
}

int xop_zeromq_auth_reset(struct xop_zeromq_auth_reset_params *p)
{
    const int32_t rc = zeromq_auth_reset();
    p->result = 0;
    return rc != 0 ? xop_fail(rc) : 0;
}

/* Returns `public_key` as the string result and stores `secret_key` (may be NULL) in the
   by-reference string. */
static int key_results(const char *public_key, const char *secret_key, Handle *result,
                       Handle *secret_ref)
{
    int rc = xop_new_handle(public_key, strlen(public_key), result);
    if (rc == 0 && secret_ref != NULL && secret_key != NULL) {
        rc = xop_store_handle(secret_ref, secret_key, strlen(secret_key));
    }
    return rc;
}

int xop_zeromq_curve_keypair(struct xop_zeromq_curve_keypair_params *p)
{
    char public_key[41], secret_key[41];
    const int32_t rc = zeromq_curve_keypair(public_key, secret_key);

    p->result = NULL;
    if (rc != 0) {
        return xop_fail(rc);
    }
    return key_results(public_key, secret_key, &p->result, p->secretKey);
}

int xop_zeromq_curve_public(struct xop_zeromq_curve_public_params *p)
{
    char public_key[41];
    size_t len;
    const char *secret = xop_handle_bytes(p->secretKey, &len);
    const int32_t rc = zeromq_curve_public(secret, len, public_key);

    p->result = NULL;
    xop_dispose(&p->secretKey);
    if (rc != 0) {
        return xop_fail(rc);
    }
    return key_results(public_key, NULL, &p->result, NULL);
}

int xop_zeromq_curve_cert_create(struct xop_zeromq_curve_cert_create_params *p)
{
    char public_key[41];
    size_t folder_len, name_len;
    const char *folder = xop_handle_bytes(p->folder, &folder_len);
    const char *name = xop_handle_bytes(p->name, &name_len);
    const int32_t rc =
        zeromq_curve_cert_create(folder, folder_len, name, name_len, public_key, NULL);

    p->result = NULL;
    xop_dispose(&p->folder);
    xop_dispose(&p->name);
    if (rc != 0) {
        return xop_fail(rc);
    }
    return key_results(public_key, NULL, &p->result, NULL);
}

int xop_zeromq_curve_cert_read(struct xop_zeromq_curve_cert_read_params *p)
{
    char public_key[41], secret_key[41];
    size_t len;
    const char *file = xop_handle_bytes(p->file, &len);
    const int32_t rc = zeromq_curve_cert_read(file, len, public_key, secret_key, NULL);

    p->result = NULL;
    xop_dispose(&p->file);
    if (rc != 0) {
        return xop_fail(rc);
    }
    return key_results(public_key, secret_key, &p->result, p->secretKey);
}

/* Options whose value is bytes (keys, routing id, ZAP domain); the others are numbers. */
static int option_is_text(int32_t option)
{
    return option == ZEROMQ_OPT_ROUTING_ID || option == ZEROMQ_OPT_ZAP_DOMAIN ||
           option == ZEROMQ_OPT_CURVE_PUBLICKEY || option == ZEROMQ_OPT_CURVE_SECRETKEY ||
           option == ZEROMQ_OPT_CURVE_SERVERKEY;
}

int xop_zeromq_role_set_option(struct xop_zeromq_role_set_option_params *p)
{
    size_t len;
    char number[64], *end = NULL;
    int32_t rc, role, option, i32;
    int64_t i64;
    const char *value;

    p->result = 0;
    if (isnan(p->role) || isnan(p->option) || fabs(p->role) > 1e9 || fabs(p->option) > 1e9) {
        xop_dispose(&p->value);
        return kParameterOutOfRange;
    }
    role = (int32_t)p->role;
    option = (int32_t)p->option;
    if (option_is_text(option)) {
        value = xop_handle_bytes(p->value, &len);
        rc = zeromq_role_set_option(role, option, value, len);
    } else {
        rc = text_copy(p->value, number, sizeof number);
        if (rc != 0) {
            xop_dispose(&p->value);
            return rc;
        }
        i64 = (int64_t)strtoll(number, &end, 10);
        if (end == number || *end != '\0') {
            xop_dispose(&p->value);
            return xop_fail_text(XOP_ERR_INVALID_ARG, "The option's value must be a whole number.");
        }
        i32 = (int32_t)i64;
        rc = option == ZEROMQ_OPT_MAXMSGSIZE ? zeromq_role_set_option(role, option, &i64, sizeof i64)
                                             : zeromq_role_set_option(role, option, &i32, sizeof i32);
    }
    xop_dispose(&p->value);
    return rc != 0 ? xop_fail(rc) : 0;
}
