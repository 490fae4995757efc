/* The XOP as part of the host: debug output and logging, heartbeats, calls from Igor's
 * preemptive threads, references to killed data folders, and user functions that call the
 * XOP's own functions while the XOP runs them (SPEC 3, 6, 8, 10). */

#include "sim_test.h"

#include <pthread.h>
#include <time.h>

#define SET_DEFAULT 1
#define SET_DEBUG 2
#define SET_NOBUSYWAIT 8
#define SET_LOGGING 16

static int set(int flags)
{
    return CALL(NULL, "zeromq_set", IGOR_NUM(flags));
}

static void test_debug_output(void)
{
    EXPECT_RC(set(SET_DEBUG), 0);
    igor_history_clear();
    EXPECT_RC(set(SET_DEBUG), 0); /* with debug on, zeromq_set reports the versions */
    EXPECT(igor_history_contains("Debug"));
    EXPECT(!igor_history_marked_modified()); /* debug lines do not modify the experiment */
    EXPECT_RC(set(SET_DEFAULT), 0);
    igor_history_clear();
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT(!igor_history_contains("Debug"));
}

static int file_contains(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    int found = 0;

    if (f == NULL) {
        return 0;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)calloc(1, (size_t)size + 1);
    if (fread(buf, 1, (size_t)size, f) == (size_t)size) {
        found = strstr(buf, text) != NULL;
    }
    free(buf);
    fclose(f);
    return found;
}

static int function_to_call(void *p, void *result)
{
    (void)p;
    *(double *)result = 4711;
    return 0;
}

static void test_logging(void)
{
    static const char log[] = IGOR_SIM_WORK_DIR "/Packages/ZeroMQ/Log.jsonl";
    igor_result r = {0, NULL};

    EXPECT_RC(set(SET_LOGGING), 0);
    EXPECT_RC(CALL(&r, "zeromq_test_callfunction",
                   IGOR_STR("{\"version\": 1, \"CallFunction\": {\"name\": \"LoggedFunction\"}}")),
              0);
    free(sim_string(&r));
    EXPECT_RC(set(SET_DEFAULT), 0);
    /* The log lives in the preferences folder SpecialDirPath reported at INIT. */
    EXPECT(file_contains(log, "LoggedFunction"));
}

static void test_heartbeat(void)
{
    igor_result r = {0, NULL};
    Handle filter = NULL;
    char endpoint[64];
    char *payload;

    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("heart")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_connect", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_pub_bind", IGOR_STR(endpoint)), 0);
    sim_abort_after(20);
    EXPECT_RC(CALL(&r, "zeromq_sub_recv", IGOR_STR_REF(&filter)), 0);
    sim_no_abort();
    payload = sim_string(&r);
    EXPECT(strcmp(payload, "") == 0);
    EXPECT(filter != NULL && WMGetHandleSize(filter) == 9 && memcmp(*filter, "heartbeat", 9) == 0);
    free(payload);
    WMDisposeHandle(filter);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* --- Igor's preemptive threads ---------------------------------------------------------------- */

struct thread_calls {
    char endpoint[64];
    int connect_rc, send_rc, recv_rc, bind_rc, start_rc, debug_rc;
    char *reply;
};

static void *igor_thread(void *arg)
{
    struct thread_calls *t = (struct thread_calls *)arg;
    igor_result r = {0, NULL};

    t->bind_rc = CALL(NULL, "zeromq_server_bind", IGOR_STR("")); /* prints from the thread */
    /* Debug output of a call in a thread: the library queues it for Igor's main thread. */
    t->debug_rc = CALL(NULL, "zeromq_set", IGOR_NUM(SET_DEBUG)) |
                  CALL(NULL, "zeromq_set", IGOR_NUM(SET_DEBUG));
    t->start_rc = CALL0(NULL, "zeromq_handler_start"); /* not threadsafe: refused */
    t->connect_rc = CALL(NULL, "zeromq_client_connect", IGOR_STR(t->endpoint));
    t->send_rc = CALL(NULL, "zeromq_client_send", IGOR_STR("from a thread"));
    t->recv_rc = CALL0(&r, "zeromq_client_recv"); /* waits without DoXOPIdle */
    t->reply = igor_take_string(r.string);
    return NULL;
}

static void test_threads(void)
{
    struct thread_calls t;
    igor_result r = {0, NULL};
    Handle identity = NULL;
    pthread_t thread;
    char *text;

    memset(&t, 0, sizeof t);
    snprintf(t.endpoint, sizeof t.endpoint, "tcp://127.0.0.1:%d", sim_bind_server());
    igor_history_clear();
    EXPECT(pthread_create(&thread, NULL, igor_thread, &t) == 0);
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
    text = sim_string(&r);
    EXPECT(strcmp(text, "from a thread") == 0);
    free(text);
    EXPECT_RC(CALL(NULL, "zeromq_server_send",
                   IGOR_BYTES(*identity, (size_t)WMGetHandleSize(identity)), IGOR_STR("answer")),
              0);
    WMDisposeHandle(identity);
    pthread_join(thread, NULL);
    EXPECT(t.bind_rc == ERR_INVALID_ARG);
    EXPECT(t.debug_rc == 0);
    /* Shown by Igor's main thread (at IDLE, also the IDLE of its waiting receive). */
    igor_idle();
    EXPECT(igor_history_contains("Debug: libzmq version"));
    EXPECT(igor_history_contains("Debug: client connected to"));
    EXPECT_RC(set(SET_DEFAULT), 0);
    EXPECT(t.start_rc == -1);
    EXPECT(t.connect_rc == 0 && t.send_rc == 0 && t.recv_rc == 0);
    EXPECT(t.reply != NULL && strcmp(t.reply, "answer") == 0);
    free(t.reply);
    /* What the thread printed reaches the history through the main thread. */
    EXPECT(igor_history_contains("The endpoint is empty"));
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* --- data folders that went away, functions that call the XOP ---------------------------------- */

#pragma pack(push, 2)
struct one_folder { DataFolderHandle df; };
#pragma pack(pop)

static DataFolderHandle doomed;

static int killed_folder(void *params, void *result)
{
    (void)params;
    /* The function's DFREF variable keeps the folder referenced while it is killed. */
    doomed = igor_folder("root:Doomed");
    HoldDataFolder(doomed);
    EXPECT(KillDataFolder(doomed) == 0);
    *(DataFolderHandle *)result = doomed;
    return 0;
}

static int remote_stop(void *params, void *result)
{
    (void)params;
    *(double *)result = 0;
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    return 0;
}

static void test_killed_folder(void)
{
    igor_result r = {0, NULL};
    char *text;

    EXPECT_RC(CALL(&r, "zeromq_test_callfunction",
                   IGOR_STR("{\"version\": 1, \"CallFunction\": {\"name\": \"KilledDFR\"}}")),
              0);
    text = sim_string(&r);
    EXPECT(strstr(text, "\"value\": \"null\"") != NULL);
    free(text);
    ReleaseDataFolder(&doomed); /* the function's own reference */
}

static void test_remote_stop(void)
{
    char port[16];

    snprintf(port, sizeof port, "%d", sim_bind_server());
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    EXPECT(sim_run_client("remote_stop", port, NULL, NULL) == 0);
    /* The XOP goes on: a new server answers. */
    snprintf(port, sizeof port, "%d", sim_bind_server());
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    EXPECT(sim_run_client("idle_only", port, NULL, "NO-REPLY-WITHOUT-IDLE") == 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

int main(void)
{
    static const int none[1] = {0};

    sim_test_start("igor_sim_host");
    igor_define_function("LoggedFunction", NT_FP64, none, 0, 0, function_to_call);
    igor_define_function("FunctionToCall", NT_FP64, none, 0, 0, function_to_call);
    igor_define_function("KilledDFR", DATAFOLDER_TYPE, none, 0, 0, killed_folder);
    igor_define_function("RemoteStop", NT_FP64, none, 0, 0, remote_stop);
    test_debug_output();
    test_logging();
    test_threads();
    test_killed_folder();
    test_remote_stop();
    test_heartbeat();
    return sim_test_finish();
}
