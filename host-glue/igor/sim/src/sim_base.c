/* The ground floor of the simulation: allocation that cannot fail, fatal misuse, and which
 * thread is calling (Igor's main thread, one of Igor's preemptive threads, or a private thread
 * of the XOP). Every other part uses it; it calls none of them. */

#include "sim_internal.h"

#include <pthread.h>

static pthread_t main_thread;
static int started;

/* Set on the threads that Igor created to run threadsafe external functions. */
static _Thread_local int igor_thread;

void sim_fatal(const char *what, const char *detail)
{
    fprintf(stderr, "igor-sim: FATAL in %s: %s\n", what, detail);
    fflush(stderr);
    abort();
}

void *sim_alloc(size_t size)
{
    void *p = calloc(1, size > 0 ? size : 1);

    if (p == NULL) {
        sim_fatal("sim_alloc", "out of memory");
    }
    return p;
}

char *sim_strdup(const char *text)
{
    const size_t len = strlen(text);
    char *s = (char *)sim_alloc(len + 1);

    memcpy(s, text, len + 1);
    return s;
}

void sim_become_main_thread(void)
{
    main_thread = pthread_self();
    started = 1;
}

int sim_main_thread(void)
{
    return started && pthread_equal(pthread_self(), main_thread);
}

int RunningInMainThread(void)
{
    return sim_main_thread();
}

void sim_enter_igor_thread(void)
{
    igor_thread = 1;
}

int sim_igor_thread(void)
{
    return igor_thread;
}
