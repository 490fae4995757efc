/* The Igor application itself: the main thread, the history area, the abort state, the
 * version, special folders and dates, and the session (igor_sim_start). */

#include "sim_internal.h"

#include <pthread.h>
#include <time.h>

int igorVersion = 900;

static pthread_t main_thread;
static int started;
static char *preferences;

/* The history: one text, paragraphs end in CR. Written on the main thread only. */
static char *history;
static size_t history_len, history_cap;
static int history_modified;

/* Aborts: set by igor_abort or the spin hook, cleared when the outermost command ends. */
static int aborting;
static int command_depth;
static igor_spin_hook spin_hook;
static void *spin_hook_data;
static long spins;

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

int sim_main_thread(void)
{
    return started && pthread_equal(pthread_self(), main_thread);
}

int RunningInMainThread(void)
{
    return sim_main_thread();
}

void igor_sim_start(const char *preferences_dir)
{
    main_thread = pthread_self();
    started = 1;
    free(preferences);
    preferences = preferences_dir != NULL ? sim_strdup(preferences_dir) : NULL;
    igor_history_clear();
    aborting = 0;
    command_depth = 0;
    spin_hook = NULL;
    spin_hook_data = NULL;
    spins = 0;
    sim_reset_functions();
    sim_reset_folders();
}

void igor_sim_set_version(int version)
{
    igorVersion = version;
}

/* --- history ---------------------------------------------------------------------------------- */

/* Igor's preemptive threads (those that called an external function) may print; Igor shows
   their text when the main thread gets to it. Private threads of the XOP may not. */
static _Thread_local int igor_thread;
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static char *pending;
static size_t pending_len;

void sim_enter_igor_thread(void)
{
    igor_thread = 1;
}

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
        if (!igor_thread) {
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

/* --- aborts ----------------------------------------------------------------------------------- */

void sim_command_begin(void)
{
    command_depth++;
}

void sim_command_end(void)
{
    if (--command_depth == 0) {
        aborting = 0;
        igor_collect_free_waves();
        sim_collect_free_folders();
    }
}

int sim_aborting(void)
{
    return aborting;
}

void igor_abort(void)
{
    aborting = 1;
}

void igor_set_spin_hook(igor_spin_hook hook, void *user_data)
{
    spin_hook = hook;
    spin_hook_data = user_data;
}

long igor_spin_count(void)
{
    return spins;
}

int SpinProcess(void)
{
    /* Igor checks the abort key on the main thread only; threads see an abort of their
       thread group, which the simulation does not model. */
    if (!sim_main_thread()) {
        return 0;
    }
    spins++;
    if (!aborting && spin_hook != NULL && spin_hook(spin_hook_data) != 0) {
        aborting = 1;
    }
    return aborting;
}

/* --- commands, folders and dates -------------------------------------------------------------- */

int XOPSilentCommand(const char *cmdPtr)
{
    if (!sim_main_thread()) {
        sim_fatal("XOPSilentCommand", "not thread-safe");
    }
    if (strcmp(cmdPtr, "DoXOPIdle") == 0) {
        sim_send_idle();
        return 0;
    }
    fprintf(stderr, "igor-sim: XOPSilentCommand(\"%s\") is not simulated\n", cmdPtr);
    return 1; /* Igor reports a syntax error for a command it does not know */
}

int SpecialDirPath(const char *pathID, int domain, int flags, int createDir,
                   char pathOut[MAX_PATH_LEN + 1])
{
    (void)domain;
    (void)createDir;
    pathOut[0] = '\0';
    if (strcmp(pathID, "Igor Preferences") != 0 || preferences == NULL ||
        strlen(preferences) + 1 > MAX_PATH_LEN) {
        return 1;
    }
    /* flags bit 0: a native (POSIX) path, which is all this host has; with a trailing
       separator as Igor returns folders. */
    (void)flags;
    strcpy(pathOut, preferences);
    if (pathOut[0] != '\0' && pathOut[strlen(pathOut) - 1] != '/') {
        strcat(pathOut, "/");
    }
    return 0;
}

/* Days from 1904-01-01 to y-m-d (proleptic Gregorian). */
static long days_since_1904(int y, int m, int d)
{
    /* days from civil, shifted so that March is the first month */
    const int yy = y - (m <= 2);
    const long era = (yy >= 0 ? yy : yy - 399) / 400;
    const unsigned yoe = (unsigned)(yy - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long unix_days = era * 146097 + (long)doe - 719468;

    return unix_days + 24107; /* 1904-01-01 is 24107 days before 1970-01-01 */
}

int DateToIgorDateInSeconds(CountInt numValues, short *year, short *month, short *dayOfMonth,
                            double *secs)
{
    CountInt i;

    for (i = 0; i < numValues; i++) {
        secs[i] = 86400.0 * (double)days_since_1904(year[i], month[i], dayOfMonth[i]);
    }
    return 0;
}

TickCountInt sim_now_igor_seconds(void)
{
    /* Igor dates are local wall-clock seconds since 1904-01-01. */
    const time_t now = time(NULL);
    struct tm local;

    localtime_r(&now, &local);
    return (TickCountInt)((double)days_since_1904(local.tm_year + 1900, local.tm_mon + 1,
                                                  local.tm_mday) *
                              86400.0 +
                          local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec);
}
