/* Helpers of the Igor-in-a-box test programs: checks, the XOP session, calls of the XOP's
 * external functions with Igor's argument lists, and pyzmq clients run while Igor idles. */

#ifndef IGOR_SIM_TEST_H
#define IGOR_SIM_TEST_H

#include "igor_sim.h"

/* XOP error codes (functions.json) and Igor errors the tests expect. */
#define ERR_UNKNOWN_SET_FLAG 10003
#define ERR_INTERNAL 10004
#define ERR_INVALID_ARG 10005
#define ERR_HANDLER_ALREADY_RUNNING 10006
#define ERR_HANDLER_NO_CONNECTION 10007
#define ERR_INVALID_MESSAGE_FORMAT 10009
#define ERR_INVALID_LOGGING_TEMPLATE 10010
#define ERR_FILTER_DUPLICATED 10011
#define ERR_FILTER_MISSING 10012
#define ERR_INVALID_TYPE 10013

extern int sim_test_failures;

/* Records a failed check (file, line, text) and goes on. */
void sim_test_fail(const char *file, int line, const char *what);

#define EXPECT(cond)                                                                        \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            sim_test_fail(__FILE__, __LINE__, #cond);                                       \
        }                                                                                   \
    } while (0)

/* An external function call must return `code`; XOP codes must have an error text (what
   Igor shows), like the reference suite's CheckErrorMessage. */
#define EXPECT_RC(call, code) sim_expect_rc((call), (code), #call, __FILE__, __LINE__)
void sim_expect_rc(int rc, int code, const char *what, const char *file, int line);

/* Calls an external function with the listed igor_arg values (CALL0: none). */
#define CALL(result, name, ...)                                                             \
    igor_call((name), (igor_arg[]){__VA_ARGS__},                                            \
              (int)(sizeof((igor_arg[]){__VA_ARGS__}) / sizeof(igor_arg)), (result))
#define CALL0(result, name) igor_call((name), NULL, 0, (result))

/* Starts Igor with a preferences folder of its own and loads the XOP (INIT, FUNCADDRS). */
void sim_test_start(const char *name);

/* Sends CLEANUP, reports and returns the exit status of the program. */
int sim_test_finish(void);

/* A free TCP port on 127.0.0.1 (asked from the system). */
int sim_free_port(void);

/* Binds the XOP's server to a free port (zeromq_server_bind) and returns the port. */
int sim_bind_server(void);

/* Result string of a string function (disposes the handle; free the text). */
char *sim_string(igor_result *r);

/* The user's abort key, pressed once a waiting receive took `seconds` of wall time (bounds
   every busy-waiting receive of a test); sim_no_abort removes it. */
void sim_abort_after(double seconds);
void sim_no_abort(void);

/* Runs `igor_client.py <scenario> <args...>` (pyzmq) to the end while Igor idles (IDLE every
   millisecond). With `quiet_marker`, no IDLE is sent until the client prints that line (it
   checks first that nothing is answered without IDLE). Returns the client's exit status. */
int sim_run_client(const char *scenario, const char *arg1, const char *arg2,
                   const char *quiet_marker);

/* Starts the client without waiting (for calls that block Igor); sim_wait_client ends it. */
int sim_start_client(const char *scenario, const char *arg1, const char *arg2);
int sim_wait_client(int pid);

/* sim_wait_client that also runs `each(data)` after every IDLE (e.g. to publish). */
int sim_wait_client_doing(int pid, void (*each)(void *), void *data);

#endif /* IGOR_SIM_TEST_H */
