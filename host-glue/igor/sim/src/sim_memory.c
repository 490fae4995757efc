/* Igor's memory manager as the XOP Toolkit presents it: relocatable handles (WMNewHandle and
 * friends). A handle is the address of a master pointer; the simulation keeps a magic number
 * next to it so that a handle that was never allocated or already disposed is caught (the real
 * Igor would corrupt its heap), and counts live handles so tests can see leaks. */

#include "sim_internal.h"

#include <stdatomic.h>

#define HANDLE_MAGIC 0x48414e44u /* "HAND" */

struct sim_handle {
    char *data; /* the master pointer: a Handle points here */
    BCInt size;
    unsigned magic;
};

static atomic_long live_handles;

/* Handles allocated minus handles disposed by the calling thread: what a call did, even while
   other threads make and dispose handles of their own. */
static _Thread_local long thread_handles;

long sim_thread_handles(void)
{
    return thread_handles;
}

static struct sim_handle *handle_of(Handle h, const char *function)
{
    struct sim_handle *s = (struct sim_handle *)(void *)h;

    if (h == NULL) {
        sim_fatal(function, "NULL handle");
    }
    if (s->magic != HANDLE_MAGIC) {
        sim_fatal(function, "not a live handle (never allocated or already disposed)");
    }
    return s;
}

void sim_check_handle(Handle h, const char *function)
{
    (void)handle_of(h, function);
}

Handle WMNewHandle(BCInt numBytes)
{
    struct sim_handle *s;

    if (numBytes < 0) {
        return NULL;
    }
    s = (struct sim_handle *)malloc(sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    /* Never a NULL master pointer, even for 0 bytes. */
    s->data = (char *)malloc(numBytes > 0 ? (size_t)numBytes : 1);
    if (s->data == NULL) {
        free(s);
        return NULL;
    }
    s->size = numBytes;
    s->magic = HANDLE_MAGIC;
    atomic_fetch_add(&live_handles, 1);
    thread_handles++;
    return &s->data;
}

void WMDisposeHandle(Handle h)
{
    struct sim_handle *s;

    if (h == NULL) {
        return; /* documented as harmless */
    }
    s = handle_of(h, "WMDisposeHandle");
    s->magic = 0;
    free(s->data);
    free(s);
    atomic_fetch_sub(&live_handles, 1);
    thread_handles--;
}

BCInt WMGetHandleSize(Handle h)
{
    return handle_of(h, "WMGetHandleSize")->size;
}

int WMSetHandleSize(Handle h, BCInt numBytes)
{
    struct sim_handle *s = handle_of(h, "WMSetHandleSize");
    char *data;

    if (numBytes < 0) {
        return NOMEM;
    }
    data = (char *)realloc(s->data, numBytes > 0 ? (size_t)numBytes : 1);
    if (data == NULL) {
        return NOMEM;
    }
    s->data = data;
    s->size = numBytes;
    return 0;
}

long igor_sim_live_handles(void)
{
    return atomic_load(&live_handles);
}

Handle igor_new_string(const char *text)
{
    const size_t len = strlen(text);
    Handle h = WMNewHandle((BCInt)len);

    if (h == NULL) {
        sim_fatal("igor_new_string", "out of memory");
    }
    memcpy(*h, text, len);
    return h;
}

char *igor_take_string(Handle h)
{
    char *s;
    size_t len;

    if (h == NULL) {
        return sim_strdup("");
    }
    len = (size_t)WMGetHandleSize(h);
    s = (char *)sim_alloc(len + 1);
    memcpy(s, *h, len);
    s[len] = '\0';
    WMDisposeHandle(h);
    return s;
}
