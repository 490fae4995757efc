/* Igor sessions that end the way users end them, repeated (crashes at exit are often 8 in 10):
 * each round is a fresh process that loads the XOP, serves remote calls while a pyzmq client
 * floods it, and then quits with CLEANUP while requests keep arriving, or ends without CLEANUP
 * (Igor killed), or sends CLEANUP twice and ends at once, or sends CLEANUP and unloads the XOP
 * while requests keep arriving, or a remote call runs a function that ends the process. */

#include "sim_test.h"

#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

#define ROUNDS 15

static int function_to_call(void *p, void *result)
{
    (void)p;
    *(double *)result = 4711;
    return 0;
}

/* A user function that ends Igor at once (the process exits inside the remote call). */
static int exit_igor(void *p, void *result)
{
    (void)p;
    (void)result;
    exit(sim_test_failures == 0 ? 0 : 1);
}

/* One session; `how`: 0 CLEANUP under traffic, 1 no CLEANUP, 2 CLEANUP twice and exit,
   3 CLEANUP and unload under traffic, 4 exit inside a remote call. */
static int session(int how, int round)
{
    static const int none[1] = {0};
    const struct timespec ms = {0, 1000000};
    char port[16];
    int pid, i;

    sim_test_start("igor_sim_lifecycle");
    igor_define_function("FunctionToCall", NT_FP64, none, 0, 0, function_to_call);
    igor_define_function("ExitIgor", NT_FP64, none, 0, 0, exit_igor);
    snprintf(port, sizeof port, "%d", sim_bind_server());
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    EXPECT_RC(CALL(NULL, "zeromq_set", IGOR_NUM(16)), 0); /* logging on: a file is open */
    pid = sim_start_client("flood", port, "1500");
    /* A different moment in every round. */
    for (i = 0; i < 100 + 40 * round; i++) {
        igor_idle();
        nanosleep(&ms, NULL);
    }
    if (how == 4) {
        sim_run_client("call_exit", port, NULL, NULL);
        fprintf(stderr, "the process did not end in ExitIgor\n");
        exit(1);
    }
    if (how == 1) {
        exit(sim_test_failures == 0 ? 0 : 1); /* the client goes on alone */
    }
    igor_cleanup();
    if (how == 2) {
        igor_cleanup(); /* Igor does not call a cleaned-up XOP again */
        exit(sim_test_failures == 0 ? 0 : 1);
    }
    if (how == 3) {
        EXPECT(igor_unload_xop() == 0);
    }
    EXPECT(sim_wait_client(pid) == 0);
    return sim_test_finish();
}

int main(int argc, char **argv)
{
    int round, failed = 0;

    if (argc == 3) {
        return session(atoi(argv[1]), atoi(argv[2]));
    }
    for (round = 0; round < ROUNDS; round++) {
        char how[8], number[8];
        char *child_argv[4];
        int status = 0;
        pid_t pid;

        snprintf(how, sizeof how, "%d", round % 5);
        snprintf(number, sizeof number, "%d", round);
        child_argv[0] = argv[0];
        child_argv[1] = how;
        child_argv[2] = number;
        child_argv[3] = NULL;
        if (posix_spawn(&pid, argv[0], NULL, NULL, child_argv, environ) != 0 ||
            waitpid(pid, &status, 0) != pid) {
            fprintf(stderr, "round %d: cannot run the session\n", round);
            failed++;
            continue;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "round %d (ending %s): session failed (status 0x%x)\n", round, how,
                    status);
            failed++;
        }
    }
    printf("igor_sim_lifecycle: %d of %d sessions ended cleanly\n", ROUNDS - failed, ROUNDS);
    printf("%d passed, %d failed\n", ROUNDS - failed, failed);
    return failed == 0 ? 0 : 1;
}
