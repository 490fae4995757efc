/*
 * zeromq_mex_prompt.c: remote calls answered at once while Octave waits at its prompt.
 *
 * At the prompt Octave waits inside readline, which runs the input event hooks (and so the
 * idle driver, zeromq_mex('idle')) only every 100 ms: readline sleeps in select() on the
 * terminal with a 100 ms timeout between two runs of its event hook. A signal ends that
 * select() at once, and readline then runs the hook. So the library's handler thread, after
 * queueing calls, calls mex_wakeup (zeromq_set_wakeup), which sends SIGURG (ignored by
 * default, used by nothing else here) to the interpreter's thread; the signal's handler does
 * nothing. No timer runs more often than before: an idle session costs no extra CPU.
 *
 * The signal is sent only while the interpreter is at the prompt: the idle command notes the
 * time it ran (every 100 ms at the prompt), every other command clears it, and a wake-up is
 * sent only within MEX_PROMPT_WINDOW_MS of the last idle run. A script that is running is not
 * interrupted (its calls run in blocking receives and zeromq_handler_process). The handler is
 * installed with SA_RESTART, so an interrupted read or write is restarted anyway.
 *
 * MATLAB and Windows: nothing is installed (MATLAB's timer runs the idle driver).
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "zeromq_mex.h"

#if defined(HAVE_OCTAVE) && !defined(_WIN32)

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define MEX_WAKE_SIGNAL SIGURG
/* Longest time since the last idle run for which the interpreter counts as at the prompt
   (the hook runs every 100 ms there). */
#define MEX_PROMPT_WINDOW_MS 250

static pthread_t mex_host_thread;
static int mex_prompt_installed;
static struct sigaction mex_previous_action;
/* Monotonic milliseconds of the last idle run; 0 while a command runs. */
static atomic_llong mex_idle_at_ms;

static long long mex_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Only interrupts readline's select(). */
static void mex_wake_handler(int sig)
{
    (void)sig;
}

/* On the library's handler thread, after calls were queued. */
static void mex_wakeup(void *user_data)
{
    long long at = atomic_load(&mex_idle_at_ms);
    (void)user_data;
    if (at != 0 && mex_monotonic_ms() - at < MEX_PROMPT_WINDOW_MS) {
        pthread_kill(mex_host_thread, MEX_WAKE_SIGNAL);
    }
}

void mex_prompt_install(void)
{
    struct sigaction sa;

    if (mex_prompt_installed) {
        return;
    }
    /* Someone else handles the signal: leave it to them (calls then wait for the hook). */
    if (sigaction(MEX_WAKE_SIGNAL, NULL, &mex_previous_action) != 0 ||
        (mex_previous_action.sa_flags & SA_SIGINFO) ||
        (mex_previous_action.sa_handler != SIG_DFL && mex_previous_action.sa_handler != SIG_IGN)) {
        return;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = mex_wake_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(MEX_WAKE_SIGNAL, &sa, NULL) != 0) {
        return;
    }
    mex_host_thread = pthread_self();
    atomic_store(&mex_idle_at_ms, 0);
    mex_prompt_installed = 1;
    zeromq_set_wakeup(mex_wakeup, NULL);
}

void mex_prompt_remove(void)
{
    if (!mex_prompt_installed) {
        return;
    }
    zeromq_set_wakeup(NULL, NULL);
    atomic_store(&mex_idle_at_ms, 0);
    sigaction(MEX_WAKE_SIGNAL, &mex_previous_action, NULL);
    mex_prompt_installed = 0;
}

void mex_prompt_idle(void)
{
    atomic_store(&mex_idle_at_ms, mex_monotonic_ms());
}

void mex_prompt_busy(void)
{
    atomic_store(&mex_idle_at_ms, 0);
}

#else

void mex_prompt_install(void) {}
void mex_prompt_remove(void) {}
void mex_prompt_idle(void) {}
void mex_prompt_busy(void) {}

#endif
