/*
 * zeromq_mex_glue.h: what the MEX gateway's source files share. zeromq_mex.c holds the
 * command table and the marshalling helpers declared here; zeromq_mex_session.c the
 * session commands (heartbeat); zeromq_mex_guard.cpp the C++ boundary around calls into
 * the interpreter.
 */
#ifndef ZEROMQ_MEX_GLUE_H
#define ZEROMQ_MEX_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "mex.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Helpers of zeromq_mex.c (MATLAB errors are raised only from command functions). */
void mex_raise(int32_t code, const char *detail);
void mex_check(int32_t code);
void mex_nargs(int nrhs, int min, int max, const char *usage);
char *mex_text_arg(const mxArray *a, const char *what, int bytes, size_t *len);
double mex_scalar_arg(const mxArray *a, const char *what);

/* zeromq_mex_session.c */
void cmd_set_heartbeat(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]);

/* zeromq_mex_prompt.c: install/remove the wake-up of the prompt (first use, unload); the
 * idle command marks the interpreter as waiting at the prompt, every other command as busy. */
void mex_prompt_install(void);
void mex_prompt_remove(void);
void mex_prompt_idle(void);
void mex_prompt_busy(void);

/* zeromq_mex_guard.cpp: mexCallMATLABWithTrap from inside the library's dispatcher, where
 * no C++ exception may pass (it would unwind through the library's frames and abort the
 * process). An exception that escapes the trap (Octave's exit_exception when the function
 * calls exit or quit) is caught and kept; the call returns with *escaped set. */
mxArray *mex_call_guarded(int nlhs, mxArray *plhs[], int nrhs, mxArray *prhs[],
                          const char *name, int *escaped);
/* Whether an exception is kept (the session is ending: run no more remote calls). */
int mex_exit_pending(void);
/* Rethrows the kept exception, if any; call it only where the library is not on the stack
 * (a command function after the library call returned). */
void mex_rethrow_pending(void);

#ifdef __cplusplus
}
#endif

#endif
