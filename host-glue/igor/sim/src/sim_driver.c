/* The driver: what Igor does with an XOP. It loads the shared object, reads the function table
 * of its XOPF resource (the resource file the XOP is built with), sends INIT by calling
 * XOPMain, asks for every function's address with FUNCADDRS, calls external functions with
 * the parameter structure Igor builds, sends IDLE and CLEANUP. The XOP side of the message
 * protocol (XOPInit, GetXOPMessage, SetXOPResult, ...) works on the IORec the driver passes. */

#include "sim_internal.h"

#include <ctype.h>
#include <dlfcn.h>

#define MAX_XOP_FUNCTIONS 256
#define MAX_XOP_ERRORS 256
#define F_THREADSAFE 0x4000

struct xop_function {
    char name[MAX_OBJ_NAME + 1];
    int category;
    int return_type;
    int param_types[100];
    int num_params;
    int (*address)(void *params);
};

static struct xop_function xop_functions[MAX_XOP_FUNCTIONS];
static int num_xop_functions;
static char *xop_errors[MAX_XOP_ERRORS];
static int num_xop_errors;
static IORecPtr io_rec;
static int xop_alive;
static void *xop_library;

/* --- the XOP's side (XOPSupport) -------------------------------------------------------------- */

static IORecHandle xop_io_rec;

void XOPInit(IORecHandle ioRecHandle)
{
    xop_io_rec = ioRecHandle;
}

void SetXOPEntry(void (*entryPoint)(void))
{
    (*xop_io_rec)->XOPEntry = entryPoint;
}

void SetXOPType(int type)
{
    (*xop_io_rec)->XOPType = type;
}

void SetXOPResult(XOPIORecResult result)
{
    (*xop_io_rec)->result = result;
}

int GetXOPMessage(void)
{
    return (*xop_io_rec)->message;
}

XOPIORecParam GetXOPItem(int itemNumber)
{
    if (itemNumber < 0 || itemNumber >= (*xop_io_rec)->numItems) {
        return 0;
    }
    return (*xop_io_rec)->items[itemNumber];
}

/* --- the XOPF and STR# resources -------------------------------------------------------------- */

static int symbol_value(const char *name, int *value)
{
    static const struct {
        const char *name;
        int value;
    } symbols[] = {
        {"NT_FP64", NT_FP64},         {"NT_FP32", NT_FP32},
        {"NT_CMPLX", NT_CMPLX},       {"HSTRING_TYPE", HSTRING_TYPE},
        {"WAVE_TYPE", WAVE_TYPE},     {"DATAFOLDER_TYPE", DATAFOLDER_TYPE},
        {"FV_REF_TYPE", FV_REF_TYPE}, {"F_UTIL", 0x100},
        {"F_EXTERNAL", 0x2000},       {"F_THREADSAFE", F_THREADSAFE},
    };
    size_t i;
    char *end;
    const long number = strtol(name, &end, 0);

    if (*end == '\0' && end != name) {
        *value = (int)number;
        return 0;
    }
    for (i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (strcmp(symbols[i].name, name) == 0) {
            *value = symbols[i].value;
            return 0;
        }
    }
    return -1;
}

/* Evaluates "A | B | 0x10" into *value. */
static int expression_value(const char *text, int *value)
{
    char buf[256];
    char *part, *save = NULL;

    snprintf(buf, sizeof buf, "%s", text);
    *value = 0;
    for (part = strtok_r(buf, "|", &save); part != NULL; part = strtok_r(NULL, "|", &save)) {
        char *end;
        int v;

        while (isspace((unsigned char)*part)) {
            part++;
        }
        end = part + strlen(part);
        while (end > part && isspace((unsigned char)end[-1])) {
            *--end = '\0';
        }
        if (symbol_value(part, &v) != 0) {
            return -1;
        }
        *value |= v;
    }
    return 0;
}

/* The items of a resource body (between BEGIN and END): strings without their "\0" and
   expressions, comments removed. */
static int resource_items(const char *text, const char *type, char ***items, int *count)
{
    char marker[64];
    const char *p, *end;
    int cap = 0;

    snprintf(marker, sizeof marker, "1100 %s", type);
    p = strstr(text, marker);
    if (p == NULL || (p = strstr(p, "BEGIN")) == NULL || (end = strstr(p, "END")) == NULL) {
        return -1;
    }
    p += 5;
    *items = NULL;
    *count = 0;
    while (p < end) {
        const char *start;
        char *item;

        while (p < end && (isspace((unsigned char)*p) || *p == ',')) {
            p++;
        }
        if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            const char *close = strstr(p + 2, "*/");
            p = close != NULL ? close + 2 : end;
            continue;
        }
        if (p >= end) {
            break;
        }
        start = p;
        if (*p == '"') {
            start = ++p;
            while (p < end && *p != '"') {
                p++;
            }
            item = (char *)sim_alloc((size_t)(p - start) + 1);
            memcpy(item, start, (size_t)(p - start));
            /* the resource strings end in an explicit \0 */
            if (strlen(item) >= 2 && strcmp(item + strlen(item) - 2, "\\0") == 0) {
                item[strlen(item) - 2] = '\0';
            }
            p++;
        } else {
            while (p < end && *p != ',' && !(p[0] == '/' && p[1] == '*') && *p != '\n') {
                p++;
            }
            item = (char *)sim_alloc((size_t)(p - start) + 1);
            memcpy(item, start, (size_t)(p - start));
        }
        if (*count == cap) {
            cap = cap > 0 ? 2 * cap : 64;
            *items = (char **)realloc(*items, (size_t)cap * sizeof **items);
            if (*items == NULL) {
                sim_fatal("resources", "out of memory");
            }
        }
        (*items)[(*count)++] = item;
    }
    return 0;
}

static void free_items(char **items, int count)
{
    int i;

    for (i = 0; i < count; i++) {
        free(items[i]);
    }
    free(items);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;

    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = (char *)sim_alloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* Reads the XOPF function list: name, category, return type, parameter types, 0. */
static int load_resources(const char *path)
{
    char *text = read_file(path);
    char **items = NULL;
    int count = 0, i = 0, rc = -1;

    num_xop_functions = 0;
    for (i = 0; i < num_xop_errors; i++) {
        free(xop_errors[i]);
    }
    num_xop_errors = 0;
    i = 0;
    if (text == NULL || resource_items(text, "XOPF", &items, &count) != 0) {
        fprintf(stderr, "igor-sim: no XOPF resource in %s\n", path);
        goto done;
    }
    while (i < count && strcmp(items[i], "0") != 0) {
        struct xop_function *f = &xop_functions[num_xop_functions];

        if (num_xop_functions == MAX_XOP_FUNCTIONS || i + 2 >= count) {
            goto bad;
        }
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "%s", items[i++]);
        if (expression_value(items[i++], &f->category) != 0 ||
            expression_value(items[i++], &f->return_type) != 0) {
            goto bad;
        }
        while (i < count && strcmp(items[i], "0") != 0) {
            if (f->num_params == 100 ||
                expression_value(items[i++], &f->param_types[f->num_params++]) != 0) {
                goto bad;
            }
        }
        i++; /* the 0 ending the parameter list */
        num_xop_functions++;
    }
    free_items(items, count);
    items = NULL;

    num_xop_errors = 0;
    if (resource_items(text, "STR#", &items, &count) == 0) {
        for (i = 0; i < count && num_xop_errors < MAX_XOP_ERRORS; i++) {
            if (strcmp(items[i], "0") != 0) {
                xop_errors[num_xop_errors++] = sim_strdup(items[i]);
            }
        }
    }
    rc = 0;
    goto done;
bad:
    fprintf(stderr, "igor-sim: cannot read the XOPF resource of %s near item %d\n", path, i);
done:
    free_items(items, count);
    free(text);
    return rc;
}

const char *igor_xop_error_text(int code)
{
    const int index = code - FIRST_XOP_ERR - 1;

    return index >= 0 && index < num_xop_errors ? xop_errors[index] : NULL;
}

/* --- messages --------------------------------------------------------------------------------- */

/* Sends `message` with `item` to the XOP's entry point and returns the result. Nested messages
   (IDLE from a receive that waits) keep the outer message's fields intact. */
static XOPIORecResult send_message(short message, XOPIORecParam item, int with_item)
{
    IORec saved = *io_rec;
    XOPIORecParam saved_item = io_rec->items[0];
    XOPIORecResult result;

    io_rec->message = message;
    io_rec->result = 0;
    io_rec->numItems = (short)(with_item ? 1 : 0);
    io_rec->items[0] = item;
    io_rec->XOPEntry();
    result = io_rec->result;
    saved.XOPEntry = io_rec->XOPEntry;
    saved.XOPType = io_rec->XOPType;
    *io_rec = saved;
    io_rec->items[0] = saved_item;
    return result;
}

int igor_load_xop(const char *path, const char *resources)
{
    void *lib;
    int (*xop_main)(IORecHandle);
    int rc, i;

    if (load_resources(resources) != 0) {
        return -1;
    }
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "igor-sim: cannot load %s: %s\n", path, dlerror());
        return -1;
    }
    if (xop_library != NULL) {
        dlclose(xop_library); /* the reference of an earlier load */
    }
    xop_library = lib;
    *(void **)(&xop_main) = dlsym(lib, "XOPMain");
    if (xop_main == NULL) {
        fprintf(stderr, "igor-sim: %s has no XOPMain\n", path);
        return -1;
    }
    free(io_rec);
    xop_alive = 0;
    io_rec = (IORecPtr)sim_alloc(sizeof(IORec) + NUM_IOREC_ITEMS * sizeof(XOPIORecParam));
    io_rec->message = INIT;
    io_rec->status = 2; /* XOPINITING */
    sim_command_begin();
    rc = xop_main(&io_rec);
    sim_command_end();
    if (rc != EXIT_SUCCESS || io_rec->result != 0) {
        return io_rec->result != 0 ? (int)io_rec->result : -1;
    }
    if (io_rec->XOPEntry == NULL) {
        fprintf(stderr, "igor-sim: XOPMain set no entry point\n");
        return -1;
    }
    io_rec->status = 0;
    xop_alive = 1;
    for (i = 0; i < num_xop_functions; i++) {
        const XOPIORecResult address = send_message(FUNCADDRS, i, 1);

        if (address == 0) {
            fprintf(stderr, "igor-sim: FUNCADDRS gave no address for %s\n", xop_functions[i].name);
            return -1;
        }
        *(void **)(&xop_functions[i].address) = (void *)(intptr_t)address;
    }
    return 0;
}

/* IDLE for the XOP, when it asked for IDLEs (igor_idle and DoXOPIdle). */
static void send_idle(void)
{
    if (xop_alive && (io_rec->XOPType & IDLES)) {
        (void)send_message(IDLE, 0, 0);
    }
}

void igor_idle(void)
{
    sim_command_begin();
    send_idle();
    sim_command_end();
}

/* A command line run for the XOP. Only DoXOPIdle is simulated: a receive that waits busily runs
   it so that the XOP's IDLE processing goes on meanwhile. */
int XOPSilentCommand(const char *cmdPtr)
{
    if (!sim_main_thread()) {
        sim_fatal("XOPSilentCommand", "not thread-safe");
    }
    if (strcmp(cmdPtr, "DoXOPIdle") == 0) {
        send_idle();
        return 0;
    }
    fprintf(stderr, "igor-sim: XOPSilentCommand(\"%s\") is not simulated\n", cmdPtr);
    return 1; /* Igor reports a syntax error for a command it does not know */
}

void igor_cleanup(void)
{
    if (!xop_alive) {
        return;
    }
    (void)send_message(CLEANUP, 0, 0);
    xop_alive = 0;
}

int igor_unload_xop(void)
{
    int rc;

    if (xop_alive) {
        fprintf(stderr, "igor-sim: the XOP is unloaded before CLEANUP\n");
        return -1;
    }
    if (xop_library == NULL) {
        return 0;
    }
    rc = dlclose(xop_library);
    xop_library = NULL;
    num_xop_functions = 0;
    return rc;
}

/* --- external function calls ------------------------------------------------------------------ */

static const struct xop_function *find_function(const char *name)
{
    int i;

    for (i = 0; i < num_xop_functions; i++) {
        if (strcmp(xop_functions[i].name, name) == 0) {
            return &xop_functions[i];
        }
    }
    return NULL;
}

/* One 8-byte field of the parameter structure (every field in 64-bit Igor is 8 bytes). */
union field {
    double number;
    void *pointer;
};

/* What Igor passes as thread information to functions called from its preemptive threads. */
static int thread_info;

int igor_call(const char *name, const igor_arg *args, int num_args, igor_result *result)
{
    const struct xop_function *f = find_function(name);
    union field block[102];
    Handle refs_before[100];
    long live_before, expected;
    int i, n, rc, threadsafe, result_slot;

    if (f == NULL || !xop_alive) {
        fprintf(stderr, "igor-sim: no external function %s\n", name);
        return -1;
    }
    if (num_args != f->num_params) {
        fprintf(stderr, "igor-sim: %s takes %d parameters, not %d\n", name, f->num_params, num_args);
        return -1;
    }
    for (i = 0; i < num_args; i++) {
        if (args[i].type != f->param_types[i]) {
            fprintf(stderr, "igor-sim: parameter %d of %s has type 0x%x, not 0x%x\n", i, name,
                    args[i].type, f->param_types[i]);
            return -1;
        }
    }
    n = num_args;
    threadsafe = (f->category & F_THREADSAFE) != 0;
    if (!sim_main_thread()) {
        sim_enter_igor_thread();
    }
    if (!threadsafe && !sim_main_thread()) {
        /* Igor does not compile a call of a non-threadsafe function in a threadsafe one. */
        fprintf(stderr, "igor-sim: %s is not threadsafe and cannot be called from a thread\n",
                name);
        return -1;
    }
    memset(block, 0, sizeof block);
    live_before = sim_thread_handles();

    /* Parameters in reverse order. */
    for (i = 0; i < n; i++) {
        const igor_arg *a = &args[n - 1 - i];
        union field *slot = &block[i];

        switch (a->type) {
        case NT_FP64:
            slot->number = a->number;
            break;
        case HSTRING_TYPE:
            if (a->text != NULL) {
                Handle h = WMNewHandle((BCInt)a->len);
                if (h == NULL) {
                    sim_fatal("igor_call", "out of memory");
                }
                memcpy(*h, a->text, a->len);
                slot->pointer = h;
            }
            break;
        case FV_REF_TYPE | HSTRING_TYPE:
            slot->pointer = a->ref;
            break;
        default:
            slot->pointer = a->wave;
            break;
        }
    }
    for (i = 0; i < n; i++) {
        refs_before[i] = args[i].type == (FV_REF_TYPE | HSTRING_TYPE) ? *args[i].ref : NULL;
    }
    /* The thread information of threadsafe functions: NULL on Igor's main thread. */
    result_slot = n + (threadsafe ? 1 : 0);
    if (threadsafe) {
        block[n].pointer = sim_main_thread() ? NULL : &thread_info;
    }
    block[result_slot].pointer = NULL;

    if (sim_main_thread()) {
        sim_command_begin();
    }
    rc = f->address(block);
    if (sim_main_thread()) {
        sim_command_end();
    }

    /* The XOP disposes the by-value string handles it received; a string result and the
       by-reference strings belong to the caller. Anything else is a leak or a double free. */
    expected = live_before;
    if (f->return_type == HSTRING_TYPE && block[result_slot].pointer != NULL) {
        expected++;
    }
    for (i = 0; i < n; i++) {
        if (args[i].type == (FV_REF_TYPE | HSTRING_TYPE)) {
            expected += (*args[i].ref != NULL) - (refs_before[i] != NULL);
        }
    }
    if (sim_thread_handles() != expected) {
        fprintf(stderr, "igor-sim: %s left %ld live handles, expected %ld\n", name,
                sim_thread_handles() - live_before, expected - live_before);
        sim_fatal("igor_call", "the XOP leaked or disposed handles it does not own");
    }

    if (f->return_type == HSTRING_TYPE) {
        Handle h = (Handle)block[result_slot].pointer;

        if (result != NULL) {
            result->string = h;
            result->number = 0.0;
        } else if (h != NULL) {
            WMDisposeHandle(h);
        }
    } else if (result != NULL) {
        result->number = block[result_slot].number;
        result->string = NULL;
    }
    return rc;
}
