/*
 * zeromq_mex_settings.c: the library's settings (zeromq_set flags, logging, the message size
 * limit, the publisher's heartbeat), its versions, and zeromq_stop.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "zeromq_mex.h"

MEX_COMMAND(cmd_stop)
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_stop()");
    mex_check(zeromq_stop());
}

/* Flags: a number, a name ('DEBUG', 'ZeroMQ_SET_FLAGS_DEBUG'), or several names in a cell
   array or joined by '|'. */
static int32_t mex_flag_value(const char *name)
{
    static const struct { const char *name; int32_t value; } flags[] = {
        {"DEFAULT", ZEROMQ_SET_FLAGS_DEFAULT},
        {"DEBUG", ZEROMQ_SET_FLAGS_DEBUG},
        {"IPV6", ZEROMQ_SET_FLAGS_IPV6},
        {"NOBUSYWAITRECV", ZEROMQ_SET_FLAGS_NOBUSYWAITRECV},
        {"LOGGING", ZEROMQ_SET_FLAGS_LOGGING},
    };
    static const char *prefixes[] = {"ZeroMQ_SET_FLAGS_", "ZMQ_SET_FLAGS_", "ZEROMQ_SET_FLAGS_"};
    size_t i, k;

    for (k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        size_t p = strlen(prefixes[k]);
        if (strncmp(name, prefixes[k], p) == 0) {
            name += p;
            break;
        }
    }
    for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *a = flags[i].name, *b = name;
        while (*a != '\0' && *b != '\0' && (*a == *b || *a == (*b & ~0x20))) {
            a++;
            b++;
        }
        if (*a == '\0' && *b == '\0') {
            return flags[i].value;
        }
    }
    return -1;
}

static int32_t mex_flags_from_names(const char *text)
{
    int32_t total = 0;
    char token[64];
    const char *p = text;

    while (*p != '\0') {
        size_t n = 0;
        int32_t v;
        while (*p == ' ' || *p == '|' || *p == '+' || *p == ',') {
            p++;
        }
        while (*p != '\0' && *p != ' ' && *p != '|' && *p != '+' && *p != ',') {
            if (n + 1 < sizeof token) {
                token[n++] = *p;
            }
            p++;
        }
        token[n] = '\0';
        if (n == 0) {
            continue;
        }
        v = mex_flag_value(token);
        if (v < 0) {
            char detail[128];
            snprintf(detail, sizeof detail, "zeromq_set: The flag %s is unknown.", token);
            mex_raise(ZEROMQ_ERR_UNKNOWN_SET_FLAG, detail);
        }
        total |= v;
    }
    return total;
}

MEX_COMMAND(cmd_set)
{
    int32_t flags = 0;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_set(flags)");
    if (mxIsCell(prhs[0])) {
        size_t i, n = mxGetNumberOfElements(prhs[0]);
        for (i = 0; i < n; i++) {
            const mxArray *e = mxGetCell(prhs[0], (mwIndex)i);
            if (e != NULL && (mxIsNumeric(e) || mxIsLogical(e))) {
                double v = mex_scalar_arg(e, "A flag");
                if (!(v >= -2147483648.0 && v <= 2147483647.0)) {
                    mex_raise(ZEROMQ_ERR_INVALID_ARG, "A flag is out of range.");
                }
                flags |= (int32_t)v;
            } else {
                size_t len;
                const char *name = mex_text_arg(e, "A flag", 0, &len);
                flags |= mex_flags_from_names(name);
            }
        }
    } else if (mxIsNumeric(prhs[0]) || mxIsLogical(prhs[0])) {
        double v = mex_scalar_arg(prhs[0], "flags");
        if (isnan(v) || isinf(v)) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "zeromq_set: flags must be finite.");
        }
        if (!(v >= -2147483648.0 && v <= 2147483647.0)) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "zeromq_set: flags are out of range.");
        }
        flags = (int32_t)v; /* truncates toward zero */
    } else {
        size_t len;
        const char *names = mex_text_arg(prhs[0], "flags", 0, &len);
        flags = mex_flags_from_names(names);
    }
    mex_check(zeromq_set(flags));
}

MEX_COMMAND(cmd_flags)
{
    (void)nlhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_flags()");
    plhs[0] = mxCreateDoubleScalar((double)zeromq_flags());
}

MEX_COMMAND(cmd_set_logging_template)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_set_logging_template(jsonString)", "jsonString",
                     zeromq_set_logging_template);
}

MEX_COMMAND(cmd_set_log_path)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_set_log_path(path)", "path", zeromq_set_log_path);
}

MEX_COMMAND(cmd_set_max_message_size)
{
    double bytes;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 1, 1, "zeromq_set_max_message_size(bytes)");
    bytes = mex_scalar_arg(prhs[0], "bytes");
    if (isnan(bytes) || bytes < -1.0 || bytes > 9.0e18 || bytes != floor(bytes)) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG, "bytes must be a whole number >= -1 (-1: no limit).");
    }
    mex_check(zeromq_set_max_message_size((int64_t)bytes));
}

/* 'set_heartbeat', topic, period_ms: see zeromq_set_heartbeat.m. */
MEX_COMMAND(cmd_set_heartbeat)
{
    size_t len = 0;
    char *topic;
    double period;

    (void)nlhs;
    (void)plhs;
    mex_nargs(nrhs, 2, 2, "zeromq_set_heartbeat(topic, period_ms)");
    topic = mex_text_arg(prhs[0], "topic", 0, &len);
    period = mex_scalar_arg(prhs[1], "period_ms");
    if (isnan(period) || period < 0.0 || period > 2147483647.0 || period != floor(period)) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG,
                  "period_ms must be a whole number of milliseconds >= 0 (0: off).");
    }
    mex_check(zeromq_set_heartbeat(topic, len, (int32_t)period));
}

MEX_COMMAND(cmd_version)
{
    int32_t major = 0, minor = 0, patch = 0;
    char text[64];
    const char *lib = zeromq_library_version();

    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[library, libzmq] = zeromq_version()");
    plhs[0] = mxCreateString(lib != NULL ? lib : "");
    if (nlhs > 1) {
        zeromq_libzmq_version(&major, &minor, &patch);
        snprintf(text, sizeof text, "%ld.%ld.%ld", (long)major, (long)minor, (long)patch);
        plhs[1] = mxCreateString(text);
    }
}
