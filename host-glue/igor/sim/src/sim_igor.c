/* The Igor application's own state: its version, the preferences folder, the abort flag that
 * SpinProcess reports, and dates (Igor counts seconds from 1904). The session (sim_session.c)
 * resets it when it starts. */

#include "sim_internal.h"

#include <time.h>

int igorVersion = 900;

static char *preferences;

/* Aborts: set by igor_abort or the spin hook, cleared when the outermost command ends. */
static int aborting;
static igor_spin_hook spin_hook;
static void *spin_hook_data;
static long spins;

void sim_set_preferences(const char *preferences_dir)
{
    free(preferences);
    preferences = preferences_dir != NULL ? sim_strdup(preferences_dir) : NULL;
}

void igor_sim_set_version(int version)
{
    igorVersion = version;
}

/* --- aborts ----------------------------------------------------------------------------------- */

void sim_reset_aborts(void)
{
    aborting = 0;
    spin_hook = NULL;
    spin_hook_data = NULL;
    spins = 0;
}

void sim_clear_abort(void)
{
    aborting = 0;
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

/* --- the preferences folder and dates --------------------------------------------------------- */

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
