/*
 * zeromq_mex_security.c: the MEX commands for security (CURVE keys and certificate files,
 * authentication rules, the allow list of remote calls, role socket options), compiled with
 * zeromq_mex.c into the one MEX file. zeromq_mex.c routes the command names to the
 * functions below; the m-files (zeromq_curve_keypair.m, zeromq_auth_allow.m, ...) are the
 * documented interface.
 *
 * Like every command, these raise MATLAB errors only after the library call has returned.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mex.h"
#include "zeromq_xop.h"

typedef void (*sec_command_fn)(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);

/* The error identifiers of the statuses these commands return. */
static const struct {
    int32_t code;
    const char *id;
} sec_error_ids[] = {
    {ZEROMQ_ERR_INVALID_ARG, "zeromq:INVALID_ARG"},
    {ZEROMQ_ERR_INVALID_KEY, "zeromq:INVALID_KEY"},
    {ZEROMQ_ERR_INVALID_ADDRESS, "zeromq:INVALID_ADDRESS"},
    {ZEROMQ_ERR_INVALID_CERTIFICATE, "zeromq:INVALID_CERTIFICATE"},
    {ZEROMQ_ERR_UNHANDLED, "zeromq:UNHANDLED"},
    {ZEROMQ_ERR_INTERNAL, "zeromq:INTERNAL"},
};

/* Raises zeromq:<NAME> with the library's text for `code` and `detail` (NULL: the calling
   thread's last error). Never returns. */
static void sec_raise(int32_t code, const char *detail)
{
    char text[256], last[1024], id[64];
    size_t i, len = 0;

    snprintf(id, sizeof id, "zeromq:ERROR_%ld", (long)code);
    for (i = 0; i < sizeof sec_error_ids / sizeof sec_error_ids[0]; i++) {
        if (sec_error_ids[i].code == code) {
            snprintf(id, sizeof id, "%s", sec_error_ids[i].id);
        }
    }
    if (zeromq_error_text(code, text, sizeof text, &len) != 0) {
        text[0] = '\0';
    }
    if (detail == NULL) {
        if (zeromq_last_error(last, sizeof last, &len) != 0) {
            last[0] = '\0';
        }
        detail = last;
    }
    mexErrMsgIdAndTxt(id, "%s %s", text, detail);
}

static void sec_check(int32_t code)
{
    if (code != 0) {
        sec_raise(code, NULL);
    }
}

static void sec_nargs(int nrhs, int min, int max, const char *usage)
{
    char detail[200];
    if (nrhs < min || nrhs > max) {
        snprintf(detail, sizeof detail, "usage: %s", usage);
        sec_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
}

/* A text argument as UTF-8, NUL-terminated (freed by the host when the command ends). */
static char *sec_text(const mxArray *a, const char *what)
{
    char detail[160];
    char *s = NULL;
    if (a != NULL && mxIsChar(a) && mxGetM(a) <= 1) {
#if defined(MATLAB_MEX_FILE) && !defined(HAVE_OCTAVE)
        s = mxArrayToUTF8String(a);
#else
        s = mxArrayToString(a);
#endif
    }
    if (s == NULL) {
        snprintf(detail, sizeof detail, "%s must be text (a char row).", what);
        sec_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    }
    return s;
}

/* Z85 key text returned by the library (41 bytes with the NUL) as a char row. */
static mxArray *sec_key(const char key[41])
{
    return mxCreateString(key);
}

void cmd_curve_keypair(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    char pub[41], sec[41];
    (void)prhs;
    sec_nargs(nrhs, 0, 0, "[public_key, secret_key] = zeromq_curve_keypair()");
    sec_check(zeromq_curve_keypair(pub, sec));
    plhs[0] = sec_key(pub);
    if (nlhs > 1) {
        plhs[1] = sec_key(sec);
    }
}

void cmd_curve_public(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    char pub[41];
    const char *secret;
    (void)nlhs;
    sec_nargs(nrhs, 1, 1, "public_key = zeromq_curve_public(secret_key)");
    secret = sec_text(prhs[0], "secret_key");
    sec_check(zeromq_curve_public(secret, strlen(secret), pub));
    plhs[0] = sec_key(pub);
}

void cmd_curve_cert_create(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    char pub[41], sec[41];
    const char *dir, *name;
    sec_nargs(nrhs, 2, 2, "[public_key, secret_key] = zeromq_curve_cert_create(folder, name)");
    dir = sec_text(prhs[0], "folder");
    name = sec_text(prhs[1], "name");
    sec_check(zeromq_curve_cert_create(dir, strlen(dir), name, strlen(name), pub, sec));
    plhs[0] = sec_key(pub);
    if (nlhs > 1) {
        plhs[1] = sec_key(sec);
    }
}

void cmd_curve_cert_read(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    char pub[41], sec[41];
    const char *path;
    sec_nargs(nrhs, 1, 1, "[public_key, secret_key] = zeromq_curve_cert_read(file)");
    path = sec_text(prhs[0], "file");
    sec_check(zeromq_curve_cert_read(path, strlen(path), pub, sec, NULL));
    plhs[0] = sec_key(pub);
    if (nlhs > 1) {
        plhs[1] = sec_key(sec);
    }
}

void cmd_curve_cert_write(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    const char *path, *pub, *sec = "";
    (void)nlhs; (void)plhs;
    sec_nargs(nrhs, 2, 3, "zeromq_curve_cert_write(file, public_key[, secret_key])");
    path = sec_text(prhs[0], "file");
    pub = sec_text(prhs[1], "public_key");
    if (nrhs > 2) {
        sec = sec_text(prhs[2], "secret_key");
    }
    sec_check(zeromq_curve_cert_write(path, strlen(path), pub, strlen(pub), sec, strlen(sec)));
}

/* Commands taking one text and returning a status. */
static void sec_text_command(int nrhs, const mxArray *prhs[], const char *usage, const char *what,
                             int32_t (*fn)(const char *, size_t))
{
    const char *s;
    sec_nargs(nrhs, 1, 1, usage);
    s = sec_text(prhs[0], what);
    sec_check(fn(s, strlen(s)));
}

void cmd_auth_allow(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    sec_text_command(nrhs, prhs, "zeromq_auth_allow(address)", "address", zeromq_auth_allow);
}

void cmd_auth_deny(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    sec_text_command(nrhs, prhs, "zeromq_auth_deny(address)", "address", zeromq_auth_deny);
}

void cmd_auth_allow_key(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs;
    sec_text_command(nrhs, prhs, "zeromq_auth_allow_key(public_key)", "public_key",
                     zeromq_auth_allow_key);
}

void cmd_auth_allow_keys_from(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    size_t count = 0;
    const char *dir;
    (void)nlhs;
    sec_nargs(nrhs, 1, 1, "count = zeromq_auth_allow_keys_from(folder)");
    dir = sec_text(prhs[0], "folder");
    sec_check(zeromq_auth_allow_keys_from(dir, strlen(dir), &count));
    plhs[0] = mxCreateDoubleScalar((double)count);
}

void cmd_auth_reset(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs; (void)prhs;
    sec_nargs(nrhs, 0, 0, "zeromq_auth_reset()");
    sec_check(zeromq_auth_reset());
}

void cmd_handler_allow(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    size_t i;
    (void)nlhs; (void)plhs;
    sec_nargs(nrhs, 1, 1, "zeromq_handler_allow(name) or zeromq_handler_allow({names})");
    if (mxIsCell(prhs[0])) {
        for (i = 0; i < mxGetNumberOfElements(prhs[0]); i++) {
            const char *s = sec_text(mxGetCell(prhs[0], (mwIndex)i), "each name");
            sec_check(zeromq_handler_allow(s, strlen(s)));
        }
        return;
    }
    sec_text_command(nrhs, prhs, "zeromq_handler_allow(name)", "name", zeromq_handler_allow);
}

void cmd_handler_allow_reset(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    (void)nlhs; (void)plhs; (void)prhs;
    sec_nargs(nrhs, 0, 0, "zeromq_handler_allow_reset()");
    sec_check(zeromq_handler_allow_reset());
}

/* Option names (without ZMQ_) and libzmq numbers; a number is taken as well. */
static int32_t sec_option_arg(const mxArray *a)
{
    static const struct {
        const char *name;
        int32_t number;
    } options[] = {
        {"ROUTING_ID", ZEROMQ_OPT_ROUTING_ID},
        {"LINGER", ZEROMQ_OPT_LINGER},
        {"MAXMSGSIZE", ZEROMQ_OPT_MAXMSGSIZE},
        {"SNDHWM", ZEROMQ_OPT_SNDHWM},
        {"RCVHWM", ZEROMQ_OPT_RCVHWM},
        {"RCVTIMEO", ZEROMQ_OPT_RCVTIMEO},
        {"SNDTIMEO", ZEROMQ_OPT_SNDTIMEO},
        {"TCP_KEEPALIVE", ZEROMQ_OPT_TCP_KEEPALIVE},
        {"IPV6", ZEROMQ_OPT_IPV6},
        {"CURVE_SERVER", ZEROMQ_OPT_CURVE_SERVER},
        {"CURVE_PUBLICKEY", ZEROMQ_OPT_CURVE_PUBLICKEY},
        {"CURVE_SECRETKEY", ZEROMQ_OPT_CURVE_SECRETKEY},
        {"CURVE_SERVERKEY", ZEROMQ_OPT_CURVE_SERVERKEY},
        {"ZAP_DOMAIN", ZEROMQ_OPT_ZAP_DOMAIN},
        {"HEARTBEAT_IVL", ZEROMQ_OPT_HEARTBEAT_IVL},
        {"HEARTBEAT_TIMEOUT", ZEROMQ_OPT_HEARTBEAT_TIMEOUT},
        {"CONNECT_TIMEOUT", ZEROMQ_OPT_CONNECT_TIMEOUT},
    };
    const char *name;
    size_t i;
    if (mxIsNumeric(a) && mxGetNumberOfElements(a) == 1) {
        return (int32_t)mxGetScalar(a);
    }
    name = sec_text(a, "option");
    if (strncmp(name, "ZMQ_", 4) == 0) {
        name += 4;
    }
    for (i = 0; i < sizeof options / sizeof options[0]; i++) {
        if (strcmp(name, options[i].name) == 0) {
            return options[i].number;
        }
    }
    sec_raise(ZEROMQ_ERR_INVALID_ARG, "unknown option name (use e.g. 'CURVE_SERVER' or a number).");
    return -1;
}

static int32_t sec_role_arg(const mxArray *a)
{
    static const char *roles[] = {"client", "server", "publisher", "subscriber"};
    const char *name;
    int32_t i;
    if (mxIsNumeric(a) && mxGetNumberOfElements(a) == 1) {
        return (int32_t)mxGetScalar(a);
    }
    name = sec_text(a, "role");
    for (i = 0; i < 4; i++) {
        if (strcmp(name, roles[i]) == 0) {
            return i;
        }
    }
    sec_raise(ZEROMQ_ERR_INVALID_ARG,
              "role must be 'client', 'server', 'publisher' or 'subscriber'.");
    return -1;
}

void cmd_role_set_option(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    int32_t role, option, i32;
    int64_t i64;
    double v;
    (void)nlhs; (void)plhs;
    sec_nargs(nrhs, 3, 3, "zeromq_role_set_option(role, option, value)");
    role = sec_role_arg(prhs[0]);
    option = sec_option_arg(prhs[1]);
    if (mxIsChar(prhs[2])) {
        const char *s = sec_text(prhs[2], "value");
        sec_check(zeromq_role_set_option(role, option, s, strlen(s)));
        return;
    }
    if (!(mxIsNumeric(prhs[2]) || mxIsLogical(prhs[2])) || mxGetNumberOfElements(prhs[2]) != 1) {
        sec_raise(ZEROMQ_ERR_INVALID_ARG, "value must be text or a number.");
    }
    v = mxGetScalar(prhs[2]);
    if (option == ZEROMQ_OPT_MAXMSGSIZE) {
        i64 = (int64_t)v;
        sec_check(zeromq_role_set_option(role, option, &i64, sizeof i64));
    } else {
        i32 = (int32_t)v;
        sec_check(zeromq_role_set_option(role, option, &i32, sizeof i32));
    }
}
