/* Remote calls from a real pyzmq client (tests/igor_client.py) into user functions of the
 * simulated Igor, answered only on IDLE: every parameter and return type, by-reference
 * parameters, multiple return values, waves of every type, free and null waves and data
 * folders, aborts with history, calls while a receive busy-waits, zeromq_stop and restart,
 * and CLEANUP while the handler runs and traffic flows (SPEC 4 and 6). */

#include "sim_test.h"

#include <math.h>
#include <time.h>

/* --- the user functions (what a procedure window would define) -------------------------------- */

#pragma pack(push, 2)
struct one_string { Handle s; };
struct two_numbers { double a, b; };
struct by_ref { double a; Handle s; };
struct mrv4 { double v; Handle s; double a; Handle b; };
struct one_folder { DataFolderHandle df; };
struct one_number { double a; };
#pragma pack(pop)

static Handle append(Handle h, const char *suffix)
{
    const BCInt len = h != NULL ? WMGetHandleSize(h) : 0;
    Handle out = WMNewHandle(len + (BCInt)strlen(suffix));

    if (len > 0) {
        memcpy(*out, *h, (size_t)len);
    }
    memcpy(*out + len, suffix, strlen(suffix));
    return out;
}

static int function_to_call(void *p, void *result)
{
    (void)p;
    *(double *)result = 4711;
    return 0;
}

static int no_return(void *p, void *result)
{
    (void)p;
    (void)result;
    return 0;
}

static int string_function(void *params, void *result)
{
    struct one_string *p = (struct one_string *)params;

    *(Handle *)result = append(p->s, "!");
    WMDisposeHandle(p->s); /* by-value strings belong to the function */
    return 0;
}

static int two_numbers(void *params, void *result)
{
    const struct two_numbers *p = (const struct two_numbers *)params;

    *(double *)result = p->a * 10 + p->b;
    return 0;
}

static int pass_by_ref(void *params, void *result)
{
    struct by_ref *p = (struct by_ref *)params;
    Handle old = p->s;

    p->a += 1;
    p->s = append(old, " there");
    WMDisposeHandle(old);
    *(double *)result = 5;
    return 0;
}

static int mrv4(void *params, void *result)
{
    struct mrv4 *p = (struct mrv4 *)params;

    (void)result;
    p->v = p->a + 23;
    p->s = append(p->b, "!!");
    WMDisposeHandle(p->b);
    return 0;
}

static int return_folder(void *params, void *result)
{
    *(DataFolderHandle *)result = ((struct one_folder *)params)->df;
    return 0;
}

static int return_free_folder(void *params, void *result)
{
    (void)params;
    *(DataFolderHandle *)result = igor_new_free_folder();
    return 0;
}

static int folder_by_ref(void *params, void *result)
{
    ((struct one_folder *)params)->df = igor_folder("root:Packages");
    *(double *)result = 0;
    return 0;
}

static int return_null_wave(void *params, void *result)
{
    (void)params;
    *(waveHndl *)result = NULL;
    return 0;
}

static int return_named_wave(void *params, void *result)
{
    const double values[6] = {1, 2, 3, 4, 5, 6.5};
    const double delta = 0.5, offset = 0;
    char unit[MAX_UNIT_CHARS + 1] = "V";
    char label[MAX_DIM_LABEL_BYTES + 1] = "rows";
    waveHndl w = igor_make_wave("data", igor_folder("root:"), NT_FP64, 2, 3, 0, 0);

    (void)params;
    memcpy(WaveData(w), values, sizeof values);
    MDSetWaveUnits(w, -1, unit);
    MDSetDimensionLabel(w, 0, -1, label);
    MDSetWaveScaling(w, 0, &delta, &offset);
    SetWaveNote(w, igor_new_string("a note"));
    *(waveHndl *)result = w;
    return 0;
}

static int first_number(void *params, void *result)
{
    *(double *)result = ((struct one_number *)params)->a;
    return 0;
}

static int aborting_function(void *params, void *result)
{
    (void)params;
    (void)result;
    igor_print("Hello from the aborted function");
    igor_abort();
    return 0;
}

/* A free wave with the points 1, 2, 3 of any type (text: "1", "2", "3"; wave references:
   a wave, null, the same wave; data folder references: root, a free folder, null). */
static waveHndl make_wave_of_type(int type)
{
    CountInt dims[MAX_DIMENSIONS + 1] = {3, 0};
    waveHndl w = NULL;
    int i;

    if (MDMakeWave(&w, "free", (DataFolderHandle)(intptr_t)-1, dims, type, 1) != 0) {
        return NULL;
    }
    if (type == TEXT_WAVE_TYPE) {
        for (i = 0; i < 3; i++) {
            char text[2] = {(char)('1' + i), 0};
            igor_set_text_point(w, i, text, 1);
        }
    } else if (type == WAVE_TYPE) {
        waveHndl element = make_wave_of_type(NT_FP64);
        igor_set_ref_point(w, 0, element);
        igor_set_ref_point(w, 2, element);
    } else if (type == DATAFOLDER_TYPE) {
        igor_set_ref_point(w, 0, igor_folder("root:"));
        igor_set_ref_point(w, 1, igor_new_free_folder());
    } else {
        for (i = 0; i < 3; i++) {
            const double v = i + 1;
            char *data = (char *)WaveData(w);
            const size_t step = (type & NT_CMPLX) ? 2 : 1;

            switch (type & ~(NT_CMPLX | NT_UNSIGNED)) {
            case NT_FP32: ((float *)(void *)data)[i * step] = (float)v; break;
            case NT_FP64: ((double *)(void *)data)[i * step] = v; break;
            case NT_I8: ((int8_t *)(void *)data)[i] = (int8_t)v; break;
            case NT_I16: ((int16_t *)(void *)data)[i] = (int16_t)v; break;
            case NT_I32: ((int32_t *)(void *)data)[i] = (int32_t)v; break;
            default: ((int64_t *)(void *)data)[i] = (int64_t)v; break;
            }
        }
    }
    return w;
}

static int silent_abort(void *params, void *result)
{
    (void)params;
    (void)result;
    igor_abort();
    return 0;
}

static int return_invalid_utf8(void *params, void *result)
{
    (void)params;
    *(Handle *)result = igor_new_string("a\xff" "b");
    return 0;
}

static int return_null_string(void *params, void *result)
{
    (void)params;
    *(Handle *)result = NULL;
    return 0;
}

/* A wave-reference wave that contains itself. */
static int return_cyclic_wave(void *params, void *result)
{
    CountInt dims[MAX_DIMENSIONS + 1] = {1, 0};
    waveHndl w = NULL;

    (void)params;
    if (MDMakeWave(&w, "cycle", igor_folder("root:"), dims, WAVE_TYPE, 1) == 0) {
        igor_set_ref_point(w, 0, w);
    }
    *(waveHndl *)result = w;
    return 0;
}

static int return_wave(void *params, void *result)
{
    *(waveHndl *)result = make_wave_of_type((int)((struct one_number *)params)->a);
    return 0;
}

static void define_functions(void)
{
    static const int none[1] = {0};
    static const int str[] = {HSTRING_TYPE};
    static const int two[] = {NT_FP64, NT_FP64};
    static const int by_ref[] = {NT_FP64 | FV_REF_TYPE, HSTRING_TYPE | FV_REF_TYPE};
    static const int mrv[] = {NT_FP64 | FV_REF_TYPE, HSTRING_TYPE | FV_REF_TYPE, NT_FP64,
                              HSTRING_TYPE};
    static const int unset[] = {NT_FP64 | FV_REF_TYPE, HSTRING_TYPE | FV_REF_TYPE,
                                DATAFOLDER_TYPE | FV_REF_TYPE, WAVE_TYPE | FV_REF_TYPE};
    static const int folder[] = {DATAFOLDER_TYPE};
    static const int folder_ref[] = {DATAFOLDER_TYPE | FV_REF_TYPE};
    static const int number[] = {NT_FP64};
    static const int wave[] = {WAVE_TYPE};
    static const int complex[] = {NT_FP64 | NT_CMPLX};
    static const int integer[] = {NT_I32};
    static const int structure[] = {FV_STRUCT_TYPE | FV_REF_TYPE};

    igor_define_function("FunctionToCall", NT_FP64, none, 0, 0, function_to_call);
    igor_define_function("TestFunctionNoArgs", NT_FP64, none, 0, 0, no_return);
    igor_define_function("TestFunctionStr", HSTRING_TYPE, str, 1, 1, string_function);
    igor_define_function("TestFunctionVars", NT_FP64, two, 2, 2, two_numbers);
    igor_define_function("TestFunctionPassByRef", NT_FP64, by_ref, 2, 2, pass_by_ref);
    igor_define_function("MRV4", FV_NORETURN_TYPE, mrv, 4, 4, mrv4);
    igor_define_function("MRVUnset", FV_NORETURN_TYPE, unset, 4, 4, no_return);
    igor_define_function("ReturnDFR", DATAFOLDER_TYPE, folder, 1, 1, return_folder);
    igor_define_function("ReturnFreeDFR", DATAFOLDER_TYPE, none, 0, 0, return_free_folder);
    igor_define_function("DFRByRef", NT_FP64, folder_ref, 1, 1, folder_by_ref);
    igor_define_function("ReturnNullWave", WAVE_TYPE, none, 0, 0, return_null_wave);
    igor_define_function("ReturnNamedWave", WAVE_TYPE, none, 0, 0, return_named_wave);
    igor_define_function("ReturnWave", WAVE_TYPE, number, 1, 1, return_wave);
    igor_define_function("OptionalParam", NT_FP64, two, 2, 1, first_number);
    igor_define_function("WaveParam", NT_FP64, wave, 1, 1, no_return);
    igor_define_function("ComplexParam", NT_FP64, complex, 1, 1, no_return);
    igor_define_function("IntParam", NT_FP64, integer, 1, 1, no_return);
    igor_define_function("ComplexReturn", NT_FP64 | NT_CMPLX, none, 0, 0, no_return);
    igor_define_function("StructMRV", FV_NORETURN_TYPE, structure, 1, 1, no_return);
    igor_define_function("AbortingFunction", NT_FP64, none, 0, 0, aborting_function);
    igor_define_function("SilentAbort", NT_FP64, none, 0, 0, silent_abort);
    igor_define_function("ReturnInvalidUtf8", HSTRING_TYPE, none, 0, 0, return_invalid_utf8);
    igor_define_function("ReturnNullString", HSTRING_TYPE, none, 0, 0, return_null_string);
    igor_define_function("ReturnCyclicWave", WAVE_TYPE, none, 0, 0, return_cyclic_wave);
    (void)igor_folder("root:Packages:Sub");
}

/* --- the scenarios ---------------------------------------------------------------------------- */

static char port_text[16];

static const char *start_server(void)
{
    snprintf(port_text, sizeof port_text, "%d", sim_bind_server());
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    return port_text;
}

static void test_idle_only(const char *port)
{
    EXPECT(sim_run_client("idle_only", port, NULL, "NO-REPLY-WITHOUT-IDLE") == 0);
}

static void test_calls(const char *port)
{
    igor_history_clear();
    EXPECT(sim_run_client("calls", port, NULL, NULL) == 0);
    EXPECT(igor_history_contains("Hello from the aborted function"));
    EXPECT(sim_run_client("wave_types", port, NULL, NULL) == 0);
}

/* Requests over 1 KiB never reach the server (SPEC 1.3), so the longest parameters are
   checked through zeromq_test_callfunction, which runs the same pipeline in Igor's thread. */
static void test_long_folder_path(void)
{
    static const char head[] = "{\"version\": 1, \"CallFunction\": {\"name\": \"ReturnDFR\", "
                               "\"params\": [\"root:";
    static const char tail[] = "\"]}}";
    const size_t path_len = MAXCMDLEN;
    char *msg = (char *)malloc(sizeof head + path_len + sizeof tail);
    igor_result r = {0, NULL};
    char *text;

    memcpy(msg, head, sizeof head - 1);
    memset(msg + sizeof head - 1, 'a', path_len);
    memcpy(msg + sizeof head - 1 + path_len, tail, sizeof tail);
    EXPECT_RC(CALL(&r, "zeromq_test_callfunction", IGOR_STR(msg)), 0);
    text = sim_string(&r);
    EXPECT(strstr(text, "\"value\": 106") != NULL);
    free(text);
    free(msg);
}

static void test_busy_receive(const char *port)
{
    igor_result r = {0, NULL};
    char endpoint[64], router[16];
    char *text;
    int pid;

    snprintf(router, sizeof router, "%d", sim_free_port());
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%s", router);
    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_client_send", IGOR_STR("ping")), 0);
    pid = sim_start_client("busy", port, router);
    /* Igor waits here; the remote calls run through DoXOPIdle meanwhile. */
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), 0);
    text = sim_string(&r);
    EXPECT(strcmp(text, "done") == 0);
    free(text);
    EXPECT(sim_wait_client(pid) == 0);
}

static void test_stop_and_restart(void)
{
    const char *port;

    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), ERR_HANDLER_NO_CONNECTION);
    port = start_server();
    test_idle_only(port);
}

/* Frame layouts broken by a peer give INVALID_MESSAGE_FORMAT (SPEC 2.8, 2.15). */
static void test_bad_frames(void)
{
    igor_result r = {0, NULL};
    Handle identity = NULL, filter = NULL;
    char server[16], publisher[16], endpoint[64];
    int pid;

    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    snprintf(server, sizeof server, "%d", sim_bind_server());
    snprintf(publisher, sizeof publisher, "%d", sim_free_port());
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%s", publisher);
    EXPECT_RC(CALL(NULL, "zeromq_sub_connect", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("")), 0);
    pid = sim_start_client("bad_frames", server, publisher);
    sim_abort_after(30);
    EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), ERR_INVALID_MESSAGE_FORMAT);
    EXPECT(r.string == NULL);
    EXPECT_RC(CALL(&r, "zeromq_sub_recv", IGOR_STR_REF(&filter)), ERR_INVALID_MESSAGE_FORMAT);
    EXPECT(r.string == NULL);
    sim_no_abort();
    WMDisposeHandle(identity);
    WMDisposeHandle(filter);
    EXPECT(sim_wait_client(pid) == 0);

    /* A reply to Igor's client without the delimiter frame. */
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_client_connect", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_client_send", IGOR_STR("ping")), 0);
    pid = sim_start_client("bad_reply", strrchr(endpoint, ':') + 1, NULL);
    sim_abort_after(30);
    EXPECT_RC(CALL0(&r, "zeromq_client_recv"), ERR_INVALID_MESSAGE_FORMAT);
    EXPECT(r.string == NULL);
    sim_no_abort();
    EXPECT(sim_wait_client(pid) == 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* Igor's subscriber and publisher with pyzmq peers (SPEC 2.9 to 2.16). */
static void test_pyzmq_publisher(void)
{
    igor_result r = {0, NULL};
    Handle filter = NULL;
    char port[16], endpoint[64];
    char *text;
    int pid, i, empty = 0;

    snprintf(port, sizeof port, "%d", sim_free_port());
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%s", port);
    EXPECT_RC(CALL(NULL, "zeromq_sub_connect", IGOR_STR(endpoint)), 0);
    pid = sim_start_client("publisher", port, NULL);
    /* No filter, no message: a subscriber has no subscription by default (SPEC 2.12). */
    EXPECT_RC(CALL(NULL, "zeromq_set", IGOR_NUM(8)), 0);
    for (i = 0; i < 100; i++) {
        const struct timespec pause = {0, 10000000};

        EXPECT_RC(CALL(&r, "zeromq_sub_recv", IGOR_STR_REF(&filter)), 0);
        empty += r.string != NULL && WMGetHandleSize(r.string) == 0;
        free(sim_string(&r));
        nanosleep(&pause, NULL);
    }
    EXPECT(empty == 100);
    EXPECT_RC(CALL(NULL, "zeromq_set", IGOR_NUM(1)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("topic")), 0);
    sim_abort_after(30);
    EXPECT_RC(CALL(&r, "zeromq_sub_recv", IGOR_STR_REF(&filter)), 0);
    sim_no_abort();
    text = sim_string(&r);
    EXPECT(strcmp(text, "Grüße") == 0);
    EXPECT(filter != NULL && WMGetHandleSize(filter) == 5 && memcmp(*filter, "topic", 5) == 0);
    free(text);
    WMDisposeHandle(filter);
    EXPECT(sim_wait_client(pid) == 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

struct publishing {
    waveHndl multi;
    int count;
};

static void publish(void *data)
{
    struct publishing *p = (struct publishing *)data;

    if (++p->count % 10 == 0) {
        EXPECT_RC(CALL(NULL, "zeromq_pub_send", IGOR_STR("news"), IGOR_STR("hello")), 0);
        EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(p->multi)), 0);
    }
}

static void test_pyzmq_subscriber(void)
{
    struct publishing p = {NULL, 0};
    waveHndl rows[3];
    char port[16], endpoint[64];
    int pid, i;

    rows[0] = igor_make_wave(NULL, NULL, TEXT_WAVE_TYPE, 1, 0, 0, 0);
    rows[1] = igor_make_wave(NULL, NULL, TEXT_WAVE_TYPE, 1, 0, 0, 0);
    rows[2] = igor_make_wave(NULL, NULL, NT_I16, 2, 0, 0, 0);
    igor_set_text_point(rows[0], 0, "multi", 5);
    igor_set_text_point(rows[1], 0, "payload", 7);
    ((int16_t *)WaveData(rows[2]))[0] = 1;
    ((int16_t *)WaveData(rows[2]))[1] = 2;
    p.multi = igor_make_wave(NULL, NULL, WAVE_TYPE, 3, 0, 0, 0);
    for (i = 0; i < 3; i++) {
        igor_set_ref_point(p.multi, i, rows[i]);
        ReleaseWave(&rows[i]);
    }
    snprintf(port, sizeof port, "%d", sim_free_port());
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%s", port);
    EXPECT_RC(CALL(NULL, "zeromq_pub_bind", IGOR_STR(endpoint)), 0);
    pid = sim_start_client("subscriber", port, NULL);
    EXPECT(sim_wait_client_doing(pid, publish, &p) == 0);
    ReleaseWave(&p.multi);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

/* A request over 1 KiB never arrives: 100 receives without waiting find nothing. */
static void test_too_big(void)
{
    igor_result r = {0, NULL};
    Handle identity = NULL;
    char server[16];
    int i, empty = 0;

    snprintf(server, sizeof server, "%d", sim_bind_server());
    EXPECT(sim_run_client("too_big", server, NULL, NULL) == 0);
    EXPECT_RC(CALL(NULL, "zeromq_set", IGOR_NUM(8)), 0);
    for (i = 0; i < 100; i++) {
        EXPECT_RC(CALL(&r, "zeromq_server_recv", IGOR_STR_REF(&identity)), 0);
        empty += r.string != NULL && WMGetHandleSize(r.string) == 0 &&
                 WMGetHandleSize(identity) == 0;
        free(sim_string(&r));
    }
    EXPECT(empty == 100);
    WMDisposeHandle(identity);
    EXPECT_RC(CALL(NULL, "zeromq_set", IGOR_NUM(1)), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

static void test_cleanup_under_traffic(const char *port)
{
    const int pid = sim_start_client("flood", port, NULL);
    const struct timespec ms = {0, 1000000};
    int i;

    /* Answer for a while, then Igor quits while requests keep coming. */
    for (i = 0; i < 1000; i++) {
        igor_idle();
        nanosleep(&ms, NULL);
    }
    igor_cleanup();
    EXPECT(sim_wait_client(pid) == 0);
}

int main(void)
{
    const char *port;

    sim_test_start("igor_sim_remote");
    define_functions();
    port = start_server();
    test_idle_only(port);
    test_calls(port);
    test_long_folder_path();
    test_busy_receive(port);
    test_stop_and_restart();
    test_bad_frames();
    test_too_big();
    test_pyzmq_publisher();
    test_pyzmq_subscriber();
    port = start_server();
    test_cleanup_under_traffic(port);
    return sim_test_finish();
}
