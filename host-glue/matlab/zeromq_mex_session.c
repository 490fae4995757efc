/*
 * zeromq_mex_session.c: session settings of the MEX gateway (the publisher's heartbeat).
 */
#include <math.h>

#include "zeromq_mex_glue.h"
#include "zeromq_xop.h"

/* 'set_heartbeat', topic, period_ms: see zeromq_set_heartbeat.m. */
void cmd_set_heartbeat(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
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
