/* Internal interface of the simulated Igor, shared by its parts. Not for tests: they use
 * igor_sim.h. The parts form layers, each calling only those listed before it:
 *   sim_base.c      allocation, fatal misuse, thread identity
 *   sim_memory.c    handles                  sim_igor.c   version, preferences, aborts, dates
 *   sim_history.c   the history area
 *   sim_folders.c   data folders
 *   sim_waves.c     waves                    sim_wave_data.c   their points
 *   sim_functions.c user functions
 *   sim_session.c   igor_sim_start and top-level commands (resets, garbage collection)
 *   sim_driver.c    the XOP: loading, messages, external function calls
 * The one call that runs upward (a destroyed data folder destroys its waves) goes through a
 * function the session hands down (sim_folders_set_wave_destroyer). */

#ifndef IGOR_SIM_INTERNAL_H
#define IGOR_SIM_INTERNAL_H

#include "igor_sim.h"

/* Igor waves have at most four dimensions (MAX_DIMENSIONS sizes the toolkit's arrays). */
#define SIM_WAVE_DIMS 4

/* --- sim_base.c ------------------------------------------------------------------------------- */

/* A fatal misuse of the toolkit (a bad handle, a call from the wrong thread): what would crash
   or corrupt the real Igor. Prints and aborts the process so that the test fails loudly. */
void sim_fatal(const char *what, const char *detail);

/* Allocation that aborts on failure (the simulation's own bookkeeping). */
void *sim_alloc(size_t size);
char *sim_strdup(const char *text);

/* Makes the calling thread Igor's main thread. */
void sim_become_main_thread(void);

/* Whether the caller is Igor's main thread. */
int sim_main_thread(void);

/* Marks the calling thread as one of Igor's preemptive threads (may call threadsafe
   external functions and print to the history). */
void sim_enter_igor_thread(void);

/* Whether sim_enter_igor_thread marked the calling thread. */
int sim_igor_thread(void);

/* --- sim_memory.c ----------------------------------------------------------------------------- */

/* Handles allocated minus disposed by the calling thread. */
long sim_thread_handles(void);

/* A handle's bytes checked for validity. */
void sim_check_handle(Handle h, const char *function);

/* --- sim_igor.c ------------------------------------------------------------------------------- */

/* What SpecialDirPath reports for "Igor Preferences" (NULL: it fails). */
void sim_set_preferences(const char *preferences_dir);

/* No abort, no spin hook, no SpinProcess calls counted (a fresh session). */
void sim_reset_aborts(void);

/* Ends an abort (the outermost command has ended). */
void sim_clear_abort(void);

/* Whether an abort is in progress (without counting as a SpinProcess call). */
int sim_aborting(void);

/* The current time as an Igor date (a wave's modification date). */
TickCountInt sim_now_igor_seconds(void);

/* --- data folders and waves (sim_folders.c, sim_waves.c, sim_wave_data.c) --------------------- */

/* A data folder. */
struct sim_folder {
    unsigned magic;
    char name[MAX_OBJ_NAME + 1];
    struct sim_folder *parent; /* NULL: root, free or killed */
    int is_root;
    int is_free;
    int killed;
    long refs; /* HoldDataFolder count (free and killed folders live while held) */
    struct sim_folder **children;
    size_t num_children;
    struct sim_wave **waves;
    size_t num_waves;
};

/* One text point. */
struct sim_text {
    char *bytes;
    size_t len;
};

/* A wave. A waveHndl points to its first member, the master pointer of the data (so the
   offsets of MDAccessNumericWaveData are from *waveH). */
struct sim_wave {
    void *data;                /* numeric data, waveHndl or DataFolderHandle elements */
    unsigned magic;
    char name[MAX_OBJ_NAME + 1];
    struct sim_folder *folder; /* NULL: free wave */
    long refs;                 /* HoldWave count */
    int type;
    int num_dims;
    CountInt dims[SIM_WAVE_DIMS];
    CountInt points;
    struct sim_text *texts;    /* text waves */
    double delta[SIM_WAVE_DIMS], offset[SIM_WAVE_DIMS];
    double full_top, full_bottom;
    char data_unit[MAX_UNIT_CHARS + 1];
    char dim_unit[SIM_WAVE_DIMS][MAX_UNIT_CHARS + 1];
    char **labels[SIM_WAVE_DIMS]; /* per dimension: [0] the dimension label, [1 + i] element i */
    char *note;                   /* NULL: no note (kept as Igor's own memory, not a handle) */
    size_t note_len;
    TickCountInt mod_date;
};

/* sim_folders.c */
struct sim_folder *sim_folder(DataFolderHandle df, const char *function);
struct sim_folder *sim_root(void);
/* The function that destroys the waves a destroyed folder held (set by the session). */
void sim_folders_set_wave_destroyer(void (*destroy)(struct sim_wave *w));
void sim_folder_add_wave(struct sim_folder *f, struct sim_wave *w);
void sim_folder_remove_wave(struct sim_folder *f, struct sim_wave *w);
struct sim_wave *sim_folder_find_wave(struct sim_folder *f, const char *name);
void sim_collect_free_folders(void);
void sim_reset_folders(void);

/* sim_waves.c */
struct sim_wave *sim_wave(waveHndl w, const char *function);
size_t sim_element_size(int type);
void sim_wave_destroy(struct sim_wave *w);

/* sim_wave_data.c: the linear (column-major) index of `indices`, or -1 when out of range. */
CountInt sim_linear_index(const struct sim_wave *w, const IndexInt indices[MAX_DIMENSIONS]);

/* Replaces text point `i` of a text wave with a copy of `len` bytes. */
void sim_store_text(struct sim_wave *w, CountInt i, const char *bytes, size_t len);

/* --- sim_functions.c -------------------------------------------------------------------------- */

/* Forgets the user functions (a fresh procedure window). */
void sim_reset_functions(void);

/* --- sim_session.c ---------------------------------------------------------------------------- */

/* Top-level commands: the abort flag lives until the outermost one ends. */
void sim_command_begin(void);
void sim_command_end(void);

#endif /* IGOR_SIM_INTERNAL_H */
