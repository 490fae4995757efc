/* Internal state of the simulated Igor shared by its parts (memory, history, waves, data
 * folders, user functions, driver). Not for tests: they use igor_sim.h. */

#ifndef IGOR_SIM_INTERNAL_H
#define IGOR_SIM_INTERNAL_H

#include "igor_sim.h"

/* Igor waves have at most four dimensions (MAX_DIMENSIONS sizes the toolkit's arrays). */
#define SIM_WAVE_DIMS 4

/* A fatal misuse of the toolkit (a bad handle, a call from the wrong thread): what would crash
   or corrupt the real Igor. Prints and aborts the process so that the test fails loudly. */
void sim_fatal(const char *what, const char *detail);

/* Whether the caller is Igor's main thread. */
int sim_main_thread(void);

/* Marks the calling thread as one of Igor's preemptive threads (may call threadsafe
   external functions and print to the history). */
void sim_enter_igor_thread(void);

/* Allocation that aborts on failure (the simulation's own bookkeeping). */
void *sim_alloc(size_t size);
char *sim_strdup(const char *text);

/* Handles allocated minus disposed by the calling thread. */
long sim_thread_handles(void);

/* A handle's bytes checked for validity. */
void sim_check_handle(Handle h, const char *function);

/* Top-level commands: the abort flag lives until the outermost one ends. */
void sim_command_begin(void);
void sim_command_end(void);

/* Whether an abort is in progress (without counting as a SpinProcess call). */
int sim_aborting(void);

/* Runs IDLE for the XOP (XOPSilentCommand("DoXOPIdle") and igor_idle). */
void sim_send_idle(void);

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

struct sim_wave *sim_wave(waveHndl w, const char *function);
struct sim_folder *sim_folder(DataFolderHandle df, const char *function);
struct sim_folder *sim_root(void);
size_t sim_element_size(int type);
void sim_wave_destroy(struct sim_wave *w);
void sim_folder_remove_wave(struct sim_folder *f, struct sim_wave *w);
void sim_reset_waves(void);

/* Linear (column-major) index of `indices`, or -1 when out of range. */
CountInt sim_linear_index(const struct sim_wave *w, const IndexInt indices[MAX_DIMENSIONS]);

/* Replaces text point `i` of a text wave with a copy of `len` bytes. */
void sim_store_text(struct sim_wave *w, CountInt i, const char *bytes, size_t len);
void sim_collect_free_folders(void);
void sim_reset_folders(void);
void sim_reset_functions(void);
TickCountInt sim_now_igor_seconds(void);

#endif /* IGOR_SIM_INTERNAL_H */
