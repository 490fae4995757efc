/*
 * zeromq_mex_guard.cpp: the C++ boundary between remote calls and the interpreter.
 *
 * The library runs queued remote calls through the gateway's dispatcher, so the function a
 * client names runs with the library's (Rust) frames below it on the stack. A C++ exception
 * must never unwind through them. mexCallMATLABWithTrap turns the interpreter's errors into
 * a returned MException, but Octave's `exit` and `quit` throw octave::exit_exception, which
 * the trap lets through. It is caught here, kept, and rethrown by the command function once
 * the library call has returned (mex_rethrow_pending): the client gets its reply first, then
 * the session ends as the user asked.
 */
#include <exception>

#include "zeromq_mex.h"

namespace {
std::exception_ptr pending;
}

extern "C" mxArray *mex_call_guarded(int nlhs, mxArray *plhs[], int nrhs, mxArray *prhs[],
                                     const char *name, int *escaped)
{
    *escaped = 0;
    try {
        return mexCallMATLABWithTrap(nlhs, plhs, nrhs, prhs, name);
    } catch (...) {
        pending = std::current_exception();
        *escaped = 1;
        return NULL;
    }
}

extern "C" int mex_exit_pending(void)
{
    return pending ? 1 : 0;
}

extern "C" void mex_rethrow_pending(void)
{
    if (pending) {
        std::exception_ptr e = pending;
        pending = nullptr;
        std::rethrow_exception(e);
    }
}
