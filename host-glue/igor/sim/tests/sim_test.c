/* Helpers of the Igor-in-a-box test programs (see sim_test.h). */

#include "sim_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int sim_test_failures;

/* Seconds after which a client is killed. */
#define CLIENT_TIMEOUT_S 90

void sim_test_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    sim_test_failures++;
}

void sim_expect_rc(int rc, int code, const char *what, const char *file, int line)
{
    char text[512];

    if (rc != code) {
        size_t len;
        const char *history = igor_history(&len);

        snprintf(text, sizeof text, "%s returned %d, expected %d (history tail: %.200s)", what, rc,
                 code, len > 200 ? history + len - 200 : history);
        sim_test_fail(file, line, text);
    } else if (code > FIRST_XOP_ERR && igor_xop_error_text(code) == NULL) {
        snprintf(text, sizeof text, "%s: no error text for %d", what, code);
        sim_test_fail(file, line, text);
    }
}

static const char *test_name = "igor_sim";

void sim_test_start(const char *name)
{
    int rc;

    test_name = name;
    mkdir(IGOR_SIM_WORK_DIR, 0755);
    igor_sim_start(IGOR_SIM_WORK_DIR);
    rc = igor_load_xop(IGOR_SIM_XOP, IGOR_SIM_RESOURCES);
    if (rc != 0) {
        fprintf(stderr, "%s: the XOP did not load (%d)\n", name, rc);
        exit(1);
    }
}

int sim_test_finish(void)
{
    igor_cleanup();
    printf("%s: %s\n", test_name, sim_test_failures == 0 ? "all checks passed" : "FAILED");
    printf("%d passed, %d failed\n", sim_test_failures == 0 ? 1 : 0, sim_test_failures == 0 ? 0 : 1);
    return sim_test_failures == 0 ? 0 : 1;
}

int sim_free_port(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port = -1;

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    if (fd >= 0) {
        close(fd);
    }
    return port;
}

int sim_bind_server(void)
{
    int attempt;

    for (attempt = 0; attempt < 10; attempt++) {
        char endpoint[64];
        const int port = sim_free_port();

        snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
        if (port > 0 && CALL(NULL, "zeromq_server_bind", IGOR_STR(endpoint)) == 0) {
            return port;
        }
    }
    sim_test_fail(__FILE__, __LINE__, "no free port for the server");
    return -1;
}

char *sim_string(igor_result *r)
{
    char *s = igor_take_string(r->string);

    r->string = NULL;
    return s;
}

static int spawn_client(const char *scenario, const char *arg1, const char *arg2, int out_fd)
{
    posix_spawn_file_actions_t actions;
    char *argv[6];
    pid_t pid;
    int rc;

    argv[0] = (char *)IGOR_SIM_PYTHON;
    argv[1] = (char *)IGOR_SIM_CLIENT;
    argv[2] = (char *)scenario;
    argv[3] = (char *)(arg1 != NULL ? arg1 : "");
    argv[4] = (char *)(arg2 != NULL ? arg2 : "");
    argv[5] = NULL;
    posix_spawn_file_actions_init(&actions);
    if (out_fd >= 0) {
        posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    }
    rc = posix_spawn(&pid, IGOR_SIM_PYTHON, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        fprintf(stderr, "cannot start %s: %s\n", IGOR_SIM_PYTHON, strerror(rc));
        return -1;
    }
    return pid;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits for the client while Igor idles; `out` (or -1) is the client's stdout to watch for
   `marker` before idling starts; `each` (or NULL) runs after every IDLE. */
static int wait_idling(int pid, int out, const char *marker, void (*each)(void *), void *data)
{
    const double deadline = now_s() + CLIENT_TIMEOUT_S;
    int idling = marker == NULL, status = 0;
    char line[4096];
    size_t used = 0;

    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);

        if (done == pid) {
            break;
        }
        if (now_s() > deadline) {
            fprintf(stderr, "client timed out, killed\n");
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        if (out >= 0) {
            struct pollfd p = {out, POLLIN, 0};

            if (poll(&p, 1, idling ? 0 : 1) > 0) {
                const ssize_t n = read(out, line + used, sizeof line - 1 - used);
                if (n > 0) {
                    used += (size_t)n;
                    line[used] = '\0';
                    fputs(line, stderr);
                    if (marker != NULL && strstr(line, marker) != NULL) {
                        idling = 1;
                    }
                    used = 0;
                }
            }
        }
        if (idling) {
            igor_idle();
            if (each != NULL) {
                each(data);
            }
            {
                const struct timespec ms = {0, 1000000};
                nanosleep(&ms, NULL);
            }
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static double abort_deadline;

static int abort_at_deadline(void *data)
{
    (void)data;
    return now_s() > abort_deadline;
}

void sim_abort_after(double seconds)
{
    abort_deadline = now_s() + seconds;
    igor_set_spin_hook(abort_at_deadline, NULL);
}

void sim_no_abort(void)
{
    igor_set_spin_hook(NULL, NULL);
}

int sim_run_client(const char *scenario, const char *arg1, const char *arg2,
                   const char *quiet_marker)
{
    int fds[2] = {-1, -1};
    int pid, rc;

    if (quiet_marker != NULL && pipe(fds) != 0) {
        return -1;
    }
    pid = spawn_client(scenario, arg1, arg2, fds[1]);
    if (fds[1] >= 0) {
        close(fds[1]);
    }
    rc = pid > 0 ? wait_idling(pid, fds[0], quiet_marker, NULL, NULL) : -1;
    if (fds[0] >= 0) {
        close(fds[0]);
    }
    if (rc != 0) {
        fprintf(stderr, "client scenario %s exited with %d\n", scenario, rc);
    }
    return rc;
}

int sim_start_client(const char *scenario, const char *arg1, const char *arg2)
{
    return spawn_client(scenario, arg1, arg2, -1);
}

int sim_wait_client(int pid)
{
    return pid > 0 ? wait_idling(pid, -1, NULL, NULL, NULL) : -1;
}

int sim_wait_client_doing(int pid, void (*each)(void *), void *data)
{
    return pid > 0 ? wait_idling(pid, -1, NULL, each, data) : -1;
}
