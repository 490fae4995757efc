/*
 * zeromq_mex.c: the entry point of the MEX gateway that makes the zeromq_xop library usable
 * from MATLAB and GNU Octave.
 *
 * One MEX file, `zeromq_mex`, takes a command name as its first argument
 * (`zeromq_mex('server_bind', 'tcp://127.0.0.1:5670')`); the m-files next to it
 * (`zeromq_server_bind.m`, ...) are the documented interface. Both the m-files and the
 * command table (zeromq_mex_table.c) are generated from functions.json by generate.py. The
 * gateway only marshals: MATLAB values become (pointer, length) pairs, the library's status
 * codes become MATLAB errors with the identifiers `zeromq:<NAME>`, and received frames become
 * char or numeric arrays. Everything else (sockets, the JSON protocol, wave serialization) is
 * the library's. zeromq_mex.h lists the files and what each one does.
 *
 * This file: finding the command, the first use (library callbacks, keeping the MEX file
 * loaded), the unload, and the library's output lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zeromq_mex.h"

#if defined(_MSC_VER)
#define MEX_THREAD_LOCAL __declspec(thread)
#else
#define MEX_THREAD_LOCAL _Thread_local
#endif

static int mex_ready;                           /* library callbacks installed, MEX locked */
static MEX_THREAD_LOCAL int mex_on_host_thread; /* set on the interpreter's thread */

/* Debug and emergency lines of the library: printed in the command window when they are
   delivered on the interpreter's thread (zeromq_handler_process does that), written to
   stderr from any other thread. */
static void mex_output(void *user_data, const char *text, size_t len)
{
    char *line;
    size_t i;

    (void)user_data;
    if (text == NULL || len == 0) {
        return;
    }
    if (!mex_on_host_thread) {
        fprintf(stderr, "%.*s\n", (int)len, text);
        return;
    }
    line = (char *)malloc(len + 1);
    if (line == NULL) {
        return;
    }
    for (i = 0; i < len; i++) {
        line[i] = (text[i] == '\r' || text[i] == '\0') ? '\n' : text[i];
    }
    while (len > 0 && line[len - 1] == '\n') {
        len--;
    }
    line[len] = '\0';
    mexPrintf("%s\n", line);
    free(line);
}

/* The host unloads the MEX file (interpreter exit): stop every library thread first, since
   they run code of this file. */
static void mex_at_exit(void)
{
    mex_prompt_remove();
    zeromq_set_dispatcher(NULL, NULL);
    zeromq_shutdown();
    zeromq_set_output(NULL, NULL);
    mex_ready = 0;
}

/* First use: keep the MEX file loaded (library threads run its code), install the
   dispatcher and the output callback. */
static void mex_init(void)
{
    if (mex_ready) {
        return;
    }
    mexLock();
    mexAtExit(mex_at_exit);
    mex_capture_sigint();
    zeromq_set_dispatcher(mex_dispatch, NULL);
    zeromq_set_output(mex_output, NULL);
    mex_prompt_install();
    mex_ready = 1;
}

/* The command named by the first argument (compared in lower case); raises for others. */
static mex_command_fn mex_command_of(const mxArray *name)
{
    char command[64];
    char detail[128];
    size_t i, len;
    const mxChar *c;

    if (!mex_is_text(name) || mxGetNumberOfElements(name) >= sizeof command) {
        mex_raise(ZEROMQ_ERR_INVALID_ARG,
                  "zeromq_mex is the gateway behind the zeromq_* functions; call those.");
    }
    c = (const mxChar *)mxGetChars(name);
    len = mxGetNumberOfElements(name);
    for (i = 0; i < len; i++) {
        char ch = (char)(c[i] & 0x7F);
        command[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    command[len] = '\0';
    for (i = 0; i < mex_command_count; i++) {
        if (strcmp(command, mex_commands[i].name) == 0) {
            return mex_commands[i].fn;
        }
    }
    snprintf(detail, sizeof detail, "zeromq_mex: unknown command '%s'.", command);
    mex_raise(ZEROMQ_ERR_INVALID_ARG, detail);
    return NULL;
}

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
    mex_command_fn fn;

    mex_on_host_thread = 1;
    mex_prompt_busy();
    mex_init();
    fn = mex_command_of(nrhs > 0 ? prhs[0] : NULL);
    fn(nlhs, plhs, nrhs - 1, prhs + 1);
}
