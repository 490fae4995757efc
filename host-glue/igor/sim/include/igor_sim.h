/* The simulated Igor Pro ("Igor in a box"): an in-memory Igor with waves, data folders, user
 * functions, the history and an abort flag, the XOP Toolkit functions the ZeroMQ XOP calls
 * (XOPStandardHeaders.h), and a driver that loads the XOP as Igor does and sends it messages.
 *
 * Tests use this interface to play the part of Igor and of the user: register user functions,
 * make waves, call the XOP's external functions, deliver IDLE events, abort, and read the
 * history. Everything runs on the thread that called igor_sim_start (Igor's main thread),
 * except igor_call of threadsafe functions, which other threads may make as Igor's preemptive
 * threads do. */

#ifndef IGOR_SIM_H
#define IGOR_SIM_H

#include "XOPStandardHeaders.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- the session ------------------------------------------------------------------------------ */

/* Starts a fresh Igor (empty history, root data folder only, no user functions) and makes the
   calling thread Igor's main thread. `preferences_dir` is what SpecialDirPath reports for
   "Igor Preferences" (NULL: SpecialDirPath fails). */
void igor_sim_start(const char *preferences_dir);

/* Igor's version times 100 as the XOP sees it in igorVersion (default 900). */
void igor_sim_set_version(int version);

/* Number of handles allocated with WMNewHandle and not yet disposed. */
long igor_sim_live_handles(void);

/* --- the history ------------------------------------------------------------------------------ */

/* The whole history text (paragraphs end in CR), valid until the history changes. */
const char *igor_history(size_t *len);

/* Whether the history contains `text`. */
int igor_history_contains(const char *text);

/* Empties the history. */
void igor_history_clear(void);

/* Whether XOPNotice2 marked the experiment as modified since the last call (and resets it). */
int igor_history_marked_modified(void);

/* Prints `text` and a CR to the history, as a user function's Print does. */
void igor_print(const char *text);

/* --- aborts ----------------------------------------------------------------------------------- */

/* The Abort operation in a user function: the running procedure and its callers stop; SpinProcess
   reports the abort until the command that started everything has finished. */
void igor_abort(void);

/* Called on every SpinProcess: return non-zero for the user pressing the abort key now. */
typedef int (*igor_spin_hook)(void *user_data);
void igor_set_spin_hook(igor_spin_hook hook, void *user_data);

/* Number of SpinProcess calls so far. */
long igor_spin_count(void);

/* --- user-defined functions ------------------------------------------------------------------- */

/* A user function implemented in C. `params` is the structure CallFunction received (declared
   order, 2-byte packing, each field as the XOP Toolkit's CallFunction documents); `result`
   points to the result (NULL for multiple-return functions). By-value string handles belong to
   the function, which disposes them (igor_take_string helps). Returns 0, or an Igor error code
   for a function that failed to run. */
typedef int (*igor_user_function)(void *params, void *result);

/* Registers a user function as if a procedure window defined it: `return_type` and
   `param_types` are Igor's codes (NT_FP64, HSTRING_TYPE, FV_REF_TYPE | ..., WAVE_TYPE,
   DATAFOLDER_TYPE, FV_NORETURN_TYPE, ...); the first `num_required` parameters are required,
   the rest optional. */
void igor_define_function(const char *name, int return_type, const int *param_types,
                          int num_params, int num_required, igor_user_function fn);

/* Marks the procedures as needing compilation (GetFunctionInfo then fails with NEED_COMPILE). */
void igor_set_procedures_compiled(int compiled);

/* The text of a string handle as a new C string (caller frees); the handle is disposed. */
char *igor_take_string(Handle h);

/* A new string handle holding `text`. */
Handle igor_new_string(const char *text);

/* --- waves and data folders ------------------------------------------------------------------- */

/* Makes a wave: `name` NULL for a free wave, else a wave in `df` (NULL: the current data folder),
   replacing one of that name. Dimensions as in Make/N=(d0, d1, d2, d3); 0 ends the list. The
   numeric data is zeroed, text points are empty, reference elements null. */
waveHndl igor_make_wave(const char *name, DataFolderHandle df, int type, CountInt d0, CountInt d1,
                        CountInt d2, CountInt d3);

/* Stores text in point `index` (column-major) of a text wave. */
void igor_set_text_point(waveHndl wave, IndexInt index, const char *text, size_t len);

/* Stores a wave (WAVE_TYPE wave) or data folder (DATAFOLDER_TYPE wave) in point `index` of a
   reference wave, as `wv[index] = object` does: the element holds it, the old one is released. */
void igor_set_ref_point(waveHndl wave, IndexInt index, void *object);

/* Number of waves alive (in data folders or free). */
long igor_live_waves(void);

/* Kills free waves that nobody holds, as Igor does when the command that made them ends. */
void igor_collect_free_waves(void);

/* Makes a free data folder, killed when the command ends unless someone holds it
   (HoldDataFolder), as a function's NewFreeDataFolder(). */
DataFolderHandle igor_new_free_folder(void);

/* The data folder at an absolute path, created with its parents when missing. */
DataFolderHandle igor_folder(const char *path);

/* Sets the modification date (Igor seconds since 1904) of a wave, e.g. for tests of dates. */
void igor_set_mod_date(waveHndl wave, TickCountInt seconds);

/* --- the XOP (driver) ------------------------------------------------------------------------- */

/* Loads the XOP shared object `path` and its function table `resources` (the XOPF/STR#
   resource file the XOP is built with) and sends INIT by calling XOPMain. Returns the result the
   XOP set (0: loaded) or an error of the loader (-1, message on stderr). */
int igor_load_xop(const char *path, const char *resources);

/* Sends IDLE, as Igor does while no procedure runs. */
void igor_idle(void);

/* Sends CLEANUP, as Igor does before it quits or unloads the XOP; the XOP is not called again. */
void igor_cleanup(void);

/* Unloads the XOP after CLEANUP, as Igor does when it quits (dlclose); 0 on success. */
int igor_unload_xop(void);

/* The error text of an XOP error code (FIRST_XOP_ERR + n) from the STR# resource, NULL if none. */
const char *igor_xop_error_text(int code);

/* One argument of an external function call, in Igor's declared order. */
typedef struct igor_arg {
    int type;            /* NT_FP64, HSTRING_TYPE, FV_REF_TYPE | HSTRING_TYPE, WAVE_TYPE */
    double number;       /* NT_FP64 */
    const char *text;    /* HSTRING_TYPE: the bytes Igor puts in a new handle (NULL: null handle) */
    size_t len;          /* HSTRING_TYPE: number of bytes of `text` */
    Handle *ref;         /* FV_REF_TYPE | HSTRING_TYPE: the caller's string variable */
    waveHndl wave;       /* WAVE_TYPE */
} igor_arg;

#define IGOR_NUM(x) ((igor_arg){NT_FP64, (x), NULL, 0, NULL, NULL})
#define IGOR_STR(s) ((igor_arg){HSTRING_TYPE, 0.0, (s), strlen(s), NULL, NULL})
#define IGOR_BYTES(s, n) ((igor_arg){HSTRING_TYPE, 0.0, (s), (n), NULL, NULL})
#define IGOR_STR_REF(h) ((igor_arg){FV_REF_TYPE | HSTRING_TYPE, 0.0, NULL, 0, (h), NULL})
#define IGOR_WAVE(w) ((igor_arg){WAVE_TYPE, 0.0, NULL, 0, NULL, (w)})

/* What an external function returned. */
typedef struct igor_result {
    double number; /* variable functions */
    Handle string; /* string functions: the caller owns it (NULL: "") */
} igor_result;

/* Calls the XOP's external function `name` through its function table, with the parameter
   structure Igor builds (parameters in reverse order, the thread information of threadsafe
   functions, the result). Returns the function's error code (0: no runtime error), or -1 when
   the function does not exist or the arguments do not match its declaration (message on
   stderr). `result` may be NULL (a string result is then disposed). */
int igor_call(const char *name, const igor_arg *args, int num_args, igor_result *result);

#ifdef __cplusplus
}
#endif

#endif /* IGOR_SIM_H */
