/* Entry points of the ZeroMQ XOP: XOPMain (the INIT message) and XOPEntry (every later
 * message). IDLE runs the queued remote calls and prints queued output, FUNCADDRS answers
 * with the function table, CLEANUP stops everything before Igor unloads the XOP. */

#include "xop_glue.h"

#include <string.h>

#ifdef WINIGOR
#define XOP_PATH_SEPARATOR "\\"
#else
#define XOP_PATH_SEPARATOR "/"
#endif

/* Set while IDLE processing runs: remote calls may run procedures that call DoXOPIdle. */
static int idle_running;

/* Prints the library's debug and emergency lines. The library delivers them on the thread
   that installed this function (Igor's main thread) and queues output of its own threads
   until zeromq_handler_process; anything else is not Igor's to print. */
static void print_output(void *user_data, const char *text, size_t len)
{
    static const char debug_prefix[] = "Debug";
    const size_t prefix_len = sizeof debug_prefix - 1;

    (void)user_data;
    if (!RunningInMainThread()) {
        return;
    }
    /* Debug lines do not mark the experiment as modified. */
    xop_print(text, len, !(len >= prefix_len && memcmp(text, debug_prefix, prefix_len) == 0));
}

/* Log file in Igor's preferences: <Igor Preferences>/Packages/ZeroMQ/Log.jsonl. */
static void set_log_path(void)
{
    static const char tail[] = "Packages" XOP_PATH_SEPARATOR "ZeroMQ" XOP_PATH_SEPARATOR
                               "Log.jsonl";
    char path[MAX_PATH_LEN + 1];
    size_t len;

    if (SpecialDirPath("Igor Preferences", 0, 1, 1, path) != 0) {
        return; /* the library's default location stays */
    }
    len = strlen(path);
    if (len > 0 && path[len - 1] != XOP_PATH_SEPARATOR[0]) {
        if (len + 1 > MAX_PATH_LEN) {
            return;
        }
        path[len++] = XOP_PATH_SEPARATOR[0];
        path[len] = '\0';
    }
    if (len + sizeof tail > sizeof path) {
        return;
    }
    memcpy(path + len, tail, sizeof tail);
    if (zeromq_set_log_path(path, strlen(path)) == 0) {
        /* As the reference does at load: the default template, which starts a new session
           in the log with a "{}" line. */
        (void)zeromq_set_logging_template("{}", 2);
    }
}

static void idle(void)
{
    int32_t rc;

    if (idle_running) {
        return;
    }
    idle_running = 1;
    rc = zeromq_handler_process(NULL);
    if (rc != 0) {
        (void)xop_fail(rc);
    }
    idle_running = 0;
}

/* Igor unloads the XOP: nothing may call into it afterwards. The callbacks go first (Igor is
   shutting down: no history output, no procedures), then every socket and thread, the
   libzmq context included (docs/HARDENING.md). */
static void cleanup(void)
{
    (void)zeromq_set_output(NULL, NULL);
    (void)zeromq_set_dispatcher(NULL, NULL);
    (void)zeromq_shutdown();
}

static void XOPEntry(void)
{
    switch (GetXOPMessage()) {
    case FUNCADDRS:
        SetXOPResult(xop_function_address(GetXOPItem(0)));
        break;
    case IDLE:
        idle();
        break;
    case CLEANUP:
        cleanup();
        break;
    default:
        break;
    }
}

HOST_IMPORT int XOPMain(IORecHandle ioRecHandle);

HOST_IMPORT int XOPMain(IORecHandle ioRecHandle)
{
    XOPInit(ioRecHandle);
    SetXOPEntry(XOPEntry);
    SetXOPType(RESIDENT | IDLES);

    if (igorVersion < XOP_MINIMUM_IGOR_VERSION) {
        SetXOPResult(XOP_ERR_OLD_IGOR);
        return EXIT_FAILURE;
    }
    if (zeromq_set_output(print_output, NULL) != 0 ||
        zeromq_set_dispatcher(xop_dispatch, NULL) != 0) {
        SetXOPResult(XOP_ERR_UNHANDLED_CPP_EXCEPTION);
        return EXIT_FAILURE;
    }
    set_log_path();
#ifdef _DEBUG
    (void)zeromq_set(ZEROMQ_SET_FLAGS_DEBUG);
#endif
    SetXOPResult(0);
    return EXIT_SUCCESS;
}
