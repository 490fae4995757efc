/* The 21 external functions called from Igor with valid and invalid arguments, checking the
 * reference's error codes, results and history output (SPEC 2 and 3). Remote calls are in
 * igor_sim_remote.c, wave serialization in igor_sim_waves.c. */

#include "sim_test.h"

#include <math.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define SET_DEFAULT 1
#define SET_DEBUG 2
#define SET_IPV6 4
#define SET_NOBUSYWAIT 8
#define SET_LOGGING 16

static int set(double flags)
{
    return CALL(NULL, "zeromq_set", IGOR_NUM(flags));
}

static void endpoint(char *buf, size_t cap, int port)
{
    snprintf(buf, cap, "tcp://127.0.0.1:%d", port);
}

static void test_load(void)
{
    /* INIT refuses Igor versions before 8 with OLD_IGOR (and no entry point is kept). */
    igor_sim_set_version(799);
    EXPECT(igor_load_xop(IGOR_SIM_XOP, IGOR_SIM_RESOURCES) == FIRST_XOP_ERR + 1);
    igor_sim_set_version(900);
    EXPECT(igor_load_xop(IGOR_SIM_XOP, IGOR_SIM_RESOURCES) == 0);
    EXPECT(strcmp(igor_xop_error_text(10013), "Invalid type encountered.") == 0);
    EXPECT(igor_xop_error_text(10014) == NULL);
}

static void test_set(void)
{
    igor_history_clear();
    EXPECT_RC(set(-1), ERR_UNKNOWN_SET_FLAG);
    EXPECT(igor_history_contains("must be positive"));
    EXPECT(igor_history_marked_modified());
    EXPECT_RC(set(0.9), ERR_UNKNOWN_SET_FLAG); /* truncated to 0 */
    EXPECT_RC(set(32), ERR_UNKNOWN_SET_FLAG);
    EXPECT(igor_history_contains("is unknown"));
    EXPECT_RC(set(NAN), 863);
    EXPECT_RC(set(INFINITY), 863);
    EXPECT_RC(set(1e12), 823);
    EXPECT_RC(set(-1e12), 823);
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT_RC(set(SET_DEBUG), 0);
    EXPECT_RC(set(SET_IPV6), 0);
    EXPECT_RC(set(SET_IPV6 | SET_DEBUG), 0);
    EXPECT_RC(set(SET_NOBUSYWAIT), 0);
    EXPECT_RC(set(SET_LOGGING), 0);
    EXPECT_RC(set(33), 0); /* unknown bits next to a known one are ignored */
    EXPECT_RC(set(SET_DEFAULT), 0);
}

static void test_bind_connect(void)
{
    static const char *const binders[] = {"zeromq_server_bind", "zeromq_pub_bind"};
    static const char *const connectors[] = {"zeromq_client_connect", "zeromq_sub_connect"};
    char ep[64];
    int i;

    for (i = 0; i < 2; i++) {
        const int port = sim_free_port();

        igor_history_clear();
        EXPECT_RC(CALL(NULL, binders[i], IGOR_STR("")), ERR_INVALID_ARG);
        /* the detail text reaches the history */
        EXPECT(igor_history_contains("The endpoint is empty"));
        EXPECT(igor_history_marked_modified());
        EXPECT_RC(CALL(NULL, binders[i], IGOR_STR("abcd:1234")), ERR_INVALID_ARG);
        EXPECT_RC(CALL(NULL, binders[i], IGOR_STR("tcp://localhost:5555")), ERR_INVALID_ARG);
        endpoint(ep, sizeof ep, port);
        EXPECT_RC(CALL(NULL, binders[i], IGOR_STR(ep)), 0);
        EXPECT_RC(CALL(NULL, binders[i], IGOR_STR(ep)), ERR_INVALID_ARG); /* in use */
        EXPECT_RC(CALL(NULL, connectors[i], IGOR_STR("")), ERR_INVALID_ARG);
        EXPECT_RC(CALL(NULL, connectors[i], IGOR_STR("abcd:1234")), ERR_INVALID_ARG);
        EXPECT_RC(CALL(NULL, connectors[i], IGOR_STR("tcp://localhost:5555")), 0);
        EXPECT_RC(CALL(NULL, connectors[i], IGOR_STR(ep)), 0);
        EXPECT_RC(CALL(NULL, connectors[i], IGOR_STR(ep)), 0); /* no de-duplication */
    }
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* A whole conversation between the XOP's own client and server (SPEC 2.3 to 2.8). */
static void test_client_server(void)
{
    igor_result r = {0, NULL};
    Handle identity = NULL;
    char ep[64];
    char *text;
    int port;

    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL(NULL, "zeromq_client_send", IGOR_STR("abc")), ERR_INVALID_ARG); /* no peer */
    port = sim_bind_server();
    endpoint(ep, sizeof ep, port);
    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR(ep)), 0);
    /* An empty payload is valid (SPEC 15.10, unlike the reference). */
    EXPECT_RC(CALL(NULL, "zeromq_client_send", IGOR_STR("")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_client_send", IGOR_STR("hello")), 0);

    /* Busy-waiting receive: returns once the message is there. */
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
    text = sim_string(&r);
    EXPECT(strcmp(text, "") == 0);
    free(text);
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
    text = sim_string(&r);
    EXPECT(strcmp(text, "hello") == 0);
    free(text);
    /* The client's routing identity with its per-process suffix (SPEC 15.9). */
    EXPECT(identity != NULL && WMGetHandleSize(identity) > 18 &&
           memcmp(*identity, "zeromq xop: dealer", 18) == 0);

    EXPECT_RC(CALL(NULL, "zeromq_server_send", IGOR_STR(""), IGOR_STR("x")), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_server_send", IGOR_STR("nobody"), IGOR_STR("x")),
              ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_server_send",
                   IGOR_BYTES(*identity, (size_t)WMGetHandleSize(identity)), IGOR_STR("")),
              0);
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), 0);
    EXPECT(r.string != NULL && WMGetHandleSize(r.string) == 0);
    free(sim_string(&r));
    EXPECT_RC(CALL(NULL, "zeromq_server_send",
                   IGOR_BYTES(*identity, (size_t)WMGetHandleSize(identity)),
                   IGOR_BYTES("re\0ply", 6)),
              0);
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), 0);
    EXPECT(r.string != NULL && WMGetHandleSize(r.string) == 6 &&
           memcmp(*r.string, "re\0ply", 6) == 0); /* binary-safe */
    free(sim_string(&r));

    /* Without busy-waiting nothing pending gives "" and the identity is emptied. */
    EXPECT_RC(set(SET_NOBUSYWAIT), 0);
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
    EXPECT(r.string != NULL && WMGetHandleSize(r.string) == 0);
    EXPECT(identity != NULL && WMGetHandleSize(identity) == 0);
    free(sim_string(&r));
    WMDisposeHandle(identity);
    identity = NULL;
    /* A NULL string variable is filled in too. */
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
    EXPECT(identity != NULL && WMGetHandleSize(identity) == 0);
    free(sim_string(&r));
    WMDisposeHandle(identity);
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), 0);
    free(sim_string(&r));
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* A busy-waiting receive ends without error when the user aborts (SPEC 2.2). */
static int abort_after_50(void *data)
{
    (void)data;
    return igor_spin_count() >= 50;
}

static void test_abort_receive(void)
{
    igor_result r = {0, NULL};
    Handle filter = NULL;

    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR("tcp://127.0.0.1:1")), 0);
    igor_set_spin_hook(abort_after_50, NULL);
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), 0);
    EXPECT(r.string != NULL && WMGetHandleSize(r.string) == 0);
    free(sim_string(&r));
    EXPECT(igor_spin_count() >= 50);
    igor_set_spin_hook(abort_after_50, NULL); /* the count is past 50: aborts at once */
    EXPECT_RC(CALL(&r, "zeromq_sub_recv", IGOR_STR_REF(&filter)), 0);
    EXPECT(filter != NULL && WMGetHandleSize(filter) == 0);
    free(sim_string(&r));
    WMDisposeHandle(filter);
    igor_set_spin_hook(NULL, NULL);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* Settings survive zeromq_stop (SPEC 15.6): without busy-waiting a receive returns at once,
   before and after the stop, without a single SpinProcess. */
static void test_settings_survive_stop(void)
{
    igor_result r = {0, NULL};
    long spins;
    char ep[64];

    EXPECT_RC(set(SET_NOBUSYWAIT), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    endpoint(ep, sizeof ep, sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR(ep)), 0);
    spins = igor_spin_count();
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), 0);
    EXPECT(r.string != NULL && WMGetHandleSize(r.string) == 0);
    free(sim_string(&r));
    EXPECT(igor_spin_count() == spins);
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* Whether this machine has the IPv6 loopback. */
static int have_ipv6_loopback(void)
{
    struct sockaddr_in6 addr;
    const int fd = socket(AF_INET6, SOCK_STREAM, 0);
    int ok;

    memset(&addr, 0, sizeof addr);
    addr.sin6_family = AF_INET6;
    addr.sin6_addr = in6addr_loopback;
    ok = fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
    if (fd >= 0) {
        close(fd);
    }
    return ok;
}

/* IPv6 literals bind only once IPv6 is switched on (SPEC 1.5). */
static void test_ipv6(void)
{
    char ep[64];

    if (!have_ipv6_loopback()) {
        printf("no IPv6 loopback here: the IPv6 checks are skipped\n");
        return;
    }
    snprintf(ep, sizeof ep, "tcp://[::1]:%d", sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_server_bind", IGOR_STR(ep)), ERR_INVALID_ARG);
    EXPECT_RC(set(SET_IPV6), 0);
    EXPECT_RC(CALL(NULL, "zeromq_server_bind", IGOR_STR(ep)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_pub_bind", IGOR_STR("tcp://[::1]:*")), 0);
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* A server may listen on several endpoints. */
static void test_several_binds(void)
{
    char ep[64];

    endpoint(ep, sizeof ep, sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_server_bind", IGOR_STR(ep)), 0);
    endpoint(ep, sizeof ep, sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_server_bind", IGOR_STR(ep)), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

static void test_handler(void)
{
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), ERR_HANDLER_NO_CONNECTION);
    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR("tcp://127.0.0.1:1")), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), ERR_HANDLER_NO_CONNECTION);
    sim_bind_server();
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), ERR_HANDLER_ALREADY_RUNNING);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), ERR_HANDLER_NO_CONNECTION);
}

static void test_logging_template(void)
{
    EXPECT_RC(CALL(NULL, "zeromq_set_logging_template", IGOR_STR("")), ERR_INVALID_LOGGING_TEMPLATE);
    EXPECT_RC(CALL(NULL, "zeromq_set_logging_template", IGOR_STR("abcd")),
              ERR_INVALID_LOGGING_TEMPLATE);
    EXPECT_RC(CALL(NULL, "zeromq_set_logging_template", IGOR_STR("[1]")),
              ERR_INVALID_LOGGING_TEMPLATE);
    EXPECT_RC(CALL(NULL, "zeromq_set_logging_template", IGOR_STR("{\"a\": 1}")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_set_logging_template", IGOR_STR("{}")), 0);
    /* INIT started the log in the preferences folder given by SpecialDirPath. */
    EXPECT(access(IGOR_SIM_WORK_DIR "/Packages/ZeroMQ/Log.jsonl", F_OK) == 0);
}

static void test_filters(void)
{
    igor_result r = {0, NULL};
    Handle filter = igor_new_string("old");

    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("a")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("a")), ERR_FILTER_DUPLICATED);
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_remove_filter", IGOR_STR("b")), ERR_FILTER_MISSING);
    EXPECT_RC(CALL(NULL, "zeromq_sub_remove_filter", IGOR_STR("a")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_remove_filter", IGOR_STR("a")), ERR_FILTER_MISSING);
    EXPECT_RC(CALL(NULL, "zeromq_sub_remove_filter", IGOR_STR("")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_remove_filter", IGOR_STR("")), 0);
    EXPECT_RC(set(SET_NOBUSYWAIT), 0);
    EXPECT_RC(CALL(&r, "zeromq_sub_recv", IGOR_STR_REF(&filter)), 0);
    EXPECT(WMGetHandleSize(filter) == 0); /* the old text is replaced by "" */
    free(sim_string(&r));
    WMDisposeHandle(filter);
    EXPECT_RC(CALL(NULL, "zeromq_pub_send", IGOR_STR(""), IGOR_STR("")), 0); /* no bind: dropped */
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

static void test_callfunction_locally(void)
{
    igor_result r = {0, NULL};
    char *text;

    EXPECT_RC(CALL(&r, "zeromq_test_callfunction", IGOR_STR("garbage")), 0);
    text = sim_string(&r);
    EXPECT(strstr(text, "\"value\": 3") != NULL);
    free(text);
    EXPECT_RC(CALL(&r, "zeromq_test_callfunction",
                   IGOR_STR("{\"version\": 1, \"CallFunction\": {\"name\": \"NoSuchFunction\"}}")),
              0);
    text = sim_string(&r);
    EXPECT(strstr(text, "\"value\": 101") != NULL);
    free(text);
}

/* Igor passes NULL for a string variable that holds no string: it reads as "". */
static void test_null_strings(void)
{
    const igor_arg null = IGOR_BYTES(NULL, 0);
    igor_result r = {0, NULL};
    char *text;

    EXPECT_RC(CALL(NULL, "zeromq_client_connect", null), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_server_bind", null), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_pub_bind", null), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_sub_connect", null), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_server_send", null, null), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_pub_send", null, null), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", null), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_remove_filter", null), 0);
    EXPECT_RC(CALL(NULL, "zeromq_set_logging_template", null), ERR_INVALID_LOGGING_TEMPLATE);
    EXPECT_RC(CALL(&r, "zeromq_test_callfunction", null), 0);
    text = sim_string(&r);
    EXPECT(strstr(text, "\"value\": 3") != NULL);
    free(text);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

int main(void)
{
    sim_test_start("igor_sim_functions");
    test_load();
    test_set();
    test_bind_connect();
    test_client_server();
    test_abort_receive();
    test_settings_survive_stop();
    test_several_binds();
    test_ipv6();
    test_handler();
    test_logging_template();
    test_filters();
    test_callfunction_locally();
    test_null_strings();
    return sim_test_finish();
}
