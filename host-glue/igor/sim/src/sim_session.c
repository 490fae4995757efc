/* The session: igor_sim_start makes a fresh Igor, and the top-level commands (loading the XOP,
 * an IDLE, a call of an external function from the command line) bracket what the XOP does.
 * This unit stands above Igor's state, the objects and the user functions, and drives their
 * resets and garbage collection from here, so that none of them calls up into another. */

#include "sim_internal.h"

/* Nesting of top-level commands: the abort flag lives until the outermost one ends. */
static int command_depth;

void igor_sim_start(const char *preferences_dir)
{
    sim_become_main_thread();
    sim_set_preferences(preferences_dir);
    igor_history_clear();
    sim_reset_aborts();
    command_depth = 0;
    sim_reset_functions();
    sim_folders_set_wave_destroyer(sim_wave_destroy);
    sim_reset_folders();
}

void sim_command_begin(void)
{
    command_depth++;
}

void sim_command_end(void)
{
    if (--command_depth == 0) {
        /* As in Igor: an abort ends with the command, and free waves and data folders that
           nothing holds once the command is over are gone. */
        sim_clear_abort();
        igor_collect_free_waves();
        sim_collect_free_folders();
    }
}
