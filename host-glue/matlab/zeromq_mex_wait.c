/*
 * zeromq_mex_wait.c: waiting without blocking the session. Blocking commands wait in short
 * slices; between two slices they give up on Ctrl-C and run the queued remote calls, so one
 * session can be client and server at once. Also the idle driver's command and
 * zeromq_handler_process, which run the queue.
 */

#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <signal.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <time.h>
#endif

#include "zeromq_mex.h"

#if defined(HAVE_OCTAVE)
/* The interpreter's interrupt counter (> 0: Ctrl-C pending), declared for C in quit.h. */
#include "quit.h"
/* Called by octave_quit() before it acts on a pending interrupt; quit.h declares it for C++
   only, the exported name is the plain C one. */
extern OCTAVE_API void (*octave_signal_hook)(void);
#elif defined(MATLAB_MEX_FILE) && !defined(MEX_NO_UT)
/* MATLAB's Ctrl-C flag, exported by libut (link with -lut). */
extern bool utIsInterruptPending(void);
#endif

/* How long one receive attempt waits before the loop checks for Ctrl-C and runs queued
   calls, in milliseconds. */
#define MEX_WAIT_SLICE_MS 10
/* The longest wait slice of zeromq_handler_process(timeout), in milliseconds. */
#define MEX_PROCESS_SLICE_MS 50

/* > 0 while remote calls run (the queue, zeromq_test_callfunction). */
static int mex_calls_depth;

#if defined(HAVE_OCTAVE)
/*
 * Ctrl-C while remote calls run (Octave). Octave's signal thread counts the interrupt in
 * octave_interrupt_state; the interpreter throws its interrupt exception at the next
 * octave_quit() after calling octave_signal_hook. Thrown inside a remote call, that exception
 * would unwind through the library's frames (which aborts the process). While the queue runs,
 * mex_signal_hook therefore takes the interrupt over and raises it as an ordinary MATLAB error
 * of the running function: zeromq_mex_invoke catches it and the call is answered with 107.
 * Other signals are left pending and handled once the queue is done. Afterwards the interrupt
 * is handed back to the interpreter (mex_defer_end with `rearm`), so a script waiting in a
 * receive stops as usual; at the prompt (the idle driver) there is nothing more to stop.
 */
static void (*mex_saved_signal_hook)(void);
static int mex_call_interrupted;
static int mex_signals_deferred;

#if !defined(_WIN32)
/*
 * The idle driver runs inside readline's wait for input, where readline's SIGINT handler is
 * installed; it only notes the signal and acts once readline has control again, i.e. after
 * the remote call. While the queue runs, Octave's own handler (captured when the MEX file is
 * loaded, from a command, where it is the one installed) is put back so that Ctrl-C reaches
 * the interpreter and stops the running call.
 */
static struct sigaction mex_octave_sigint;
static int mex_have_octave_sigint;
static struct sigaction mex_outer_sigint;
static int mex_sigint_swapped;

static int mex_same_handler(const struct sigaction *a, const struct sigaction *b)
{
    if ((a->sa_flags & SA_SIGINFO) != (b->sa_flags & SA_SIGINFO)) {
        return 0;
    }
    if (a->sa_flags & SA_SIGINFO) {
        return a->sa_sigaction == b->sa_sigaction;
    }
    return a->sa_handler == b->sa_handler;
}

void mex_capture_sigint(void)
{
    struct sigaction sa;
    if (sigaction(SIGINT, NULL, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) &&
        sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN) {
        mex_octave_sigint = sa;
        mex_have_octave_sigint = 1;
    }
}

static void mex_use_octave_sigint(void)
{
    struct sigaction current;
    mex_sigint_swapped = 0;
    if (mex_have_octave_sigint && sigaction(SIGINT, NULL, &current) == 0 &&
        !mex_same_handler(&current, &mex_octave_sigint)) {
        if (sigaction(SIGINT, &mex_octave_sigint, &mex_outer_sigint) == 0) {
            mex_sigint_swapped = 1;
        }
    }
}

static void mex_restore_outer_sigint(void)
{
    if (mex_sigint_swapped) {
        sigaction(SIGINT, &mex_outer_sigint, NULL);
        mex_sigint_swapped = 0;
    }
}
#else
void mex_capture_sigint(void) {}
static void mex_use_octave_sigint(void) {}
static void mex_restore_outer_sigint(void) {}
#endif

static void mex_signal_hook(void)
{
    mex_signals_deferred = 1;
    if (octave_interrupt_state > 0) {
        octave_interrupt_state = 0;
        mex_call_interrupted = 1;
        mexErrMsgIdAndTxt("zeromq:INTERRUPTED", "%s", "Interrupted by Ctrl-C.");
    }
}

static void mex_defer_begin(void)
{
    mex_use_octave_sigint();
    mex_saved_signal_hook = octave_signal_hook;
    mex_call_interrupted = 0;
    mex_signals_deferred = 0;
    octave_signal_hook = mex_signal_hook;
}

static void mex_defer_end(int rearm)
{
    octave_signal_hook = mex_saved_signal_hook;
    mex_restore_outer_sigint();
    if (mex_call_interrupted && rearm && octave_interrupt_state <= 0) {
        octave_interrupt_state = 1;
    }
    if (mex_signals_deferred || octave_interrupt_state > 0) {
        octave_signal_caught = 1;
    }
    mex_call_interrupted = 0;
}
#else
void mex_capture_sigint(void) {}
static void mex_defer_begin(void) {}
static void mex_defer_end(int rearm) { (void)rearm; }
#endif

/* True when the user pressed Ctrl-C and the interpreter has not handled it yet. */
int mex_interrupt_pending(void)
{
#if defined(HAVE_OCTAVE)
    return octave_interrupt_state > 0;
#elif defined(MATLAB_MEX_FILE) && !defined(MEX_NO_UT)
    return utIsInterruptPending() ? 1 : 0;
#else
    return 0;
#endif
}

double mex_now_ms(void)
{
#if defined(_WIN32)
    return (double)GetTickCount64();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1.0e6;
#endif
}

void mex_calls_begin(void)
{
    if (mex_calls_depth == 0) {
        mex_defer_begin();
    }
    mex_calls_depth++;
}

void mex_calls_end(int rearm)
{
    mex_calls_depth--;
    if (mex_calls_depth == 0) {
        mex_defer_end(rearm);
    }
}

int mex_calls_running(void)
{
    return mex_calls_depth > 0;
}

/* Runs every queued remote call (zeromq_handler_process) unless a call is running already
   (a remote call waiting in a receive does not start others) or Ctrl-C is pending. With
   `rearm`, a Ctrl-C that stopped a call also stops the caller afterwards. Returns the
   library's status; `*processed` gets the number of calls run. */
int32_t mex_run_queue(uint32_t *processed, int rearm)
{
    int32_t rc;

    *processed = 0;
    if (mex_calls_running() || mex_interrupt_pending()) {
        return 0;
    }
    mex_calls_begin();
    rc = zeromq_handler_process(processed);
    mex_calls_end(rearm);
    /* A remote function called exit: its reply is sent, now the session ends. */
    mex_rethrow_pending();
    return rc;
}

int32_t mex_next_slice(int32_t timeout_ms, double deadline)
{
    double left;
    if (timeout_ms < 0) {
        return MEX_WAIT_SLICE_MS;
    }
    left = deadline - mex_now_ms();
    if (left <= 0.0) {
        return -1;
    }
    return left < MEX_WAIT_SLICE_MS ? (int32_t)ceil(left) : MEX_WAIT_SLICE_MS;
}

/* The receive loop of SPEC.md 2.2: with busy-waiting on, wait in short slices until a
   message arrives or Ctrl-C is pressed, running queued remote calls in between; with
   ZEROMQ_SET_FLAGS_NOBUSYWAITRECV, one attempt that returns at once. `*out` stays NULL when
   nothing arrived. */
static int32_t mex_receive(mex_recv_fn recv, zeromq_message **out)
{
    int busy = (zeromq_flags() & ZEROMQ_SET_FLAGS_NOBUSYWAITRECV) == 0;

    *out = NULL;
    if (!busy) {
        return recv(0, out);
    }
    for (;;) {
        uint32_t processed;
        int32_t rc = recv(MEX_WAIT_SLICE_MS, out);
        if (rc != 0 || *out != NULL) {
            return rc;
        }
        if (mex_interrupt_pending()) {
            return 0;
        }
        mex_run_queue(&processed, 1);
    }
}

zeromq_message *mex_receive_checked(mex_recv_fn recv)
{
    zeromq_message *msg = NULL;
    int32_t rc = mex_receive(recv, &msg);
    if (rc != 0) {
        zeromq_message_free(msg);
        mex_raise(rc, NULL);
    }
    return msg;
}

/* 'idle': the idle driver (Octave input event hook, MATLAB timer) runs the queued calls.
   Never raises; a Ctrl-C that stops a call there is spent on that call. */
MEX_COMMAND(cmd_idle)
{
    uint32_t processed = 0;
    (void)nlhs; (void)nrhs; (void)prhs;
    mex_run_queue(&processed, 0);
    plhs[0] = mxCreateDoubleScalar((double)processed);
    mex_prompt_idle();
}

/* 'process' [, timeout in seconds]: run the queued remote calls; with a timeout, first wait
   up to that long for one to arrive (Ctrl-C ends the wait). Returns the number run. */
MEX_COMMAND(cmd_process)
{
    double timeout_s = 0.0, deadline;
    uint32_t total = 0, processed = 0;
    int32_t rc;

    (void)nlhs;
    mex_nargs(nrhs, 0, 1, "n = zeromq_handler_process([timeout])");
    if (nrhs == 1) {
        timeout_s = mex_scalar_arg(prhs[0], "timeout");
        if (isnan(timeout_s) || timeout_s < 0.0) {
            mex_raise(ZEROMQ_ERR_INVALID_ARG, "timeout must be a number of seconds >= 0.");
        }
    }
    rc = mex_run_queue(&processed, 1);
    total += processed;
    if (rc == 0 && total == 0 && timeout_s > 0.0 && !mex_calls_running()) {
        deadline = mex_now_ms() + timeout_s * 1000.0;
        for (;;) {
            double left = deadline - mex_now_ms();
            int32_t slice;
            if (left <= 0.0 || mex_interrupt_pending()) {
                break;
            }
            slice = left < MEX_PROCESS_SLICE_MS ? (int32_t)ceil(left) : MEX_PROCESS_SLICE_MS;
            rc = zeromq_handler_wait(slice);
            if (rc != 0) {
                break;
            }
            rc = mex_run_queue(&processed, 1);
            total += processed;
            if (rc != 0 || total > 0) {
                break;
            }
        }
    }
    mex_check(rc);
    plhs[0] = mxCreateDoubleScalar((double)total);
}
