/* The history area: what the XOP and the user functions print (XOPNotice2, igor_print), and
 * the toolkit's read access to it (HistoryLines, HistoryFetchText). Only Igor's main thread
 * writes it; what Igor's preemptive threads print waits until the main thread gets to it. */

#include "sim_internal.h"

#include <pthread.h>

/* The history: one text, paragraphs end in CR. Written on the main thread only. */
static char *history;
static size_t history_len, history_cap;
static int history_modified;

/* Igor's preemptive threads (those that called an external function) may print; Igor shows
   their text when the main thread gets to it. Private threads of the XOP may not. */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static char *pending;
static size_t pending_len;

static void history_append(const char *text, size_t len);

/* Shows what Igor's threads printed (main thread). */
static void flush_pending(void)
{
    char *text;
    size_t len;

    pthread_mutex_lock(&pending_lock);
    text = pending;
    len = pending_len;
    pending = NULL;
    pending_len = 0;
    pthread_mutex_unlock(&pending_lock);
    if (text != NULL) {
        history_append(text, len);
        free(text);
    }
}

static void queue_from_thread(const char *text, size_t len)
{
    char *grown;

    pthread_mutex_lock(&pending_lock);
    grown = (char *)realloc(pending, pending_len + len);
    if (grown == NULL) {
        sim_fatal("XOPNotice2", "out of memory");
    }
    pending = grown;
    memcpy(pending + pending_len, text, len);
    pending_len += len;
    pthread_mutex_unlock(&pending_lock);
}

static void history_append(const char *text, size_t len)
{
    if (!sim_main_thread()) {
        if (!sim_igor_thread()) {
            sim_fatal("XOPNotice2", "called from a thread that Igor did not create");
        }
        queue_from_thread(text, len);
        return;
    }
    flush_pending(); /* what threads printed comes first */
    if (history_len + len + 1 > history_cap) {
        size_t cap = history_cap > 0 ? history_cap : 1024;
        char *grown;

        while (cap < history_len + len + 1) {
            cap *= 2;
        }
        grown = (char *)realloc(history, cap);
        if (grown == NULL) {
            sim_fatal("history", "out of memory");
        }
        history = grown;
        history_cap = cap;
    }
    memcpy(history + history_len, text, len);
    history_len += len;
    history[history_len] = '\0';
}

void XOPNotice2(const char *noticePtr, UInt32 options)
{
    history_append(noticePtr, strlen(noticePtr));
    if ((options & 1u) && sim_main_thread()) {
        history_modified = 1;
    }
}

void XOPNotice(const char *noticePtr)
{
    XOPNotice2(noticePtr, 1u);
}

void igor_print(const char *text)
{
    history_append(text, strlen(text));
    history_append("\r", 1);
}

const char *igor_history(size_t *len)
{
    flush_pending();
    if (len != NULL) {
        *len = history_len;
    }
    return history != NULL ? history : "";
}

int igor_history_contains(const char *text)
{
    return strstr(igor_history(NULL), text) != NULL;
}

void igor_history_clear(void)
{
    history_len = 0;
    if (history != NULL) {
        history[0] = '\0';
    }
    history_modified = 0;
}

int igor_history_marked_modified(void)
{
    const int modified = history_modified;

    history_modified = 0;
    return modified;
}

/* Paragraphs: every CR ends one, and the text after the last CR is one more (possibly empty). */
int HistoryLines(void)
{
    int lines = 1;
    size_t i;

    if (!sim_main_thread()) {
        sim_fatal("HistoryLines", "not thread-safe");
    }
    for (i = 0; i < history_len; i++) {
        lines += history[i] == '\r';
    }
    return lines;
}

/* Offset of a location, or -1 when it is outside the history. */
static long history_offset(const TULoc *loc)
{
    size_t i = 0;
    int paragraph = 0;
    size_t end;

    if (loc->paragraph < 0) {
        return -1;
    }
    while (paragraph < loc->paragraph) {
        const char *cr = history_len > i ? (const char *)memchr(history + i, '\r', history_len - i)
                                         : NULL;
        if (cr == NULL) {
            return -1;
        }
        i = (size_t)(cr - history) + 1;
        paragraph++;
    }
    end = i;
    while (end < history_len && history[end] != '\r') {
        end++;
    }
    if (i + loc->pos > end) {
        return -1;
    }
    return (long)(i + loc->pos);
}

int HistoryFetchText(TULocPtr startLocPtr, TULocPtr endLocPtr, Handle *textHPtr)
{
    long start = 0, end = (long)history_len;
    Handle h;

    if (!sim_main_thread()) {
        sim_fatal("HistoryFetchText", "not thread-safe");
    }
    *textHPtr = NULL;
    if (startLocPtr != NULL) {
        start = history_offset(startLocPtr);
    }
    if (endLocPtr != NULL) {
        end = history_offset(endLocPtr);
    }
    if (start < 0 || end < 0 || end < start) {
        return kParameterOutOfRange;
    }
    h = WMNewHandle(end - start);
    if (h == NULL) {
        return NOMEM;
    }
    memcpy(*h, history + start, (size_t)(end - start));
    *textHPtr = h;
    return 0;
}
