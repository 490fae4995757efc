/* Data folders: the tree under root:, the current data folder, free data folders, killed
 * folders that are still referenced, and the reference counts of HoldDataFolder. */

#include "sim_internal.h"

#define FOLDER_MAGIC 0x44464c44u /* "DFLD" */

static struct sim_folder *root;
static struct sim_folder *current;

/* Killed folders that are still referenced hang below this hidden folder of root (it is not
   one of root's children), so their path reads root:_killed folder_:name: */
static struct sim_folder *graveyard;

/* Free data folders nobody holds yet (made during a command), collected when it ends. */
static struct sim_folder *unheld[256];
static size_t num_unheld;

/* How a wave that a destroyed folder held is destroyed. The waves stand above the data folders
   (a wave lives in a folder, and reference waves hold folders), so this unit cannot call them:
   the session hands the function down when it starts. */
static void (*destroy_wave)(struct sim_wave *w);

void sim_folders_set_wave_destroyer(void (*destroy)(struct sim_wave *w))
{
    destroy_wave = destroy;
}

struct sim_folder *sim_folder(DataFolderHandle df, const char *function)
{
    struct sim_folder *f = (struct sim_folder *)(void *)df;

    if (f == NULL || f->magic != FOLDER_MAGIC) {
        sim_fatal(function, "not a live data folder handle");
    }
    return f;
}

static DataFolderHandle handle_of(struct sim_folder *f)
{
    return (DataFolderHandle)(void *)f;
}

static struct sim_folder *folder_new(const char *name)
{
    struct sim_folder *f = (struct sim_folder *)sim_alloc(sizeof *f);

    f->magic = FOLDER_MAGIC;
    snprintf(f->name, sizeof f->name, "%s", name);
    return f;
}

static void forget_unheld(struct sim_folder *f)
{
    size_t i;

    for (i = 0; i < num_unheld; i++) {
        if (unheld[i] == f) {
            unheld[i] = unheld[--num_unheld];
            return;
        }
    }
}

/* Frees a folder and everything in it (waves that are still held become free waves). */
static void folder_destroy(struct sim_folder *f)
{
    size_t i;

    for (i = 0; i < f->num_children; i++) {
        if (f->children[i]->refs > 0) {
            /* a held reference keeps it as a killed folder */
            f->children[i]->parent = graveyard;
            f->children[i]->killed = 1;
        } else {
            f->children[i]->parent = NULL;
            folder_destroy(f->children[i]);
        }
    }
    for (i = 0; i < f->num_waves; i++) {
        struct sim_wave *w = f->waves[i];

        w->folder = NULL;
        if (w->refs <= 0) {
            if (destroy_wave == NULL) {
                sim_fatal("data folders", "igor_sim_start was not called");
            }
            destroy_wave(w);
        }
    }
    forget_unheld(f);
    free(f->children);
    free(f->waves);
    f->magic = 0;
    free(f);
}

void sim_reset_folders(void)
{
    if (root != NULL) {
        folder_destroy(root);
        graveyard->magic = 0;
        free(graveyard);
    }
    root = folder_new("root");
    root->is_root = 1;
    current = root;
    graveyard = folder_new("_killed folder_");
    graveyard->parent = root;
}

struct sim_folder *sim_root(void)
{
    if (root == NULL) {
        sim_reset_folders();
    }
    return root;
}

static struct sim_folder *child(struct sim_folder *f, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < f->num_children; i++) {
        if (strlen(f->children[i]->name) == len &&
            strncasecmp(f->children[i]->name, name, len) == 0) {
            return f->children[i];
        }
    }
    return NULL;
}

static struct sim_folder *add_child(struct sim_folder *parent, const char *name)
{
    struct sim_folder *f = folder_new(name);
    struct sim_folder **grown = (struct sim_folder **)realloc(
        parent->children, (parent->num_children + 1) * sizeof *grown);

    if (grown == NULL) {
        sim_fatal("NewDataFolder", "out of memory");
    }
    parent->children = grown;
    parent->children[parent->num_children++] = f;
    f->parent = parent;
    return f;
}

int GetRootDataFolder(int refNum, DataFolderHandle *rootFolderHPtr)
{
    (void)refNum;
    *rootFolderHPtr = handle_of(sim_root());
    return 0;
}

int GetCurrentDataFolder(DataFolderHandle *currentFolderHPtr)
{
    (void)sim_root();
    *currentFolderHPtr = handle_of(current);
    return 0;
}

int SetCurrentDataFolder(DataFolderHandle dataFolderH)
{
    struct sim_folder *f = sim_folder(dataFolderH, "SetCurrentDataFolder");

    if (f->killed) {
        return kParameterOutOfRange;
    }
    current = f;
    return 0;
}

int GetParentDataFolder(DataFolderHandle dataFolderH, DataFolderHandle *parentFolderHPtr)
{
    struct sim_folder *f =
        dataFolderH == NULL ? (sim_root(), current) : sim_folder(dataFolderH, "GetParentDataFolder");

    *parentFolderHPtr = NULL;
    if (f->parent == NULL) {
        return NO_PARENT_DATAFOLDER; /* root and free folders */
    }
    *parentFolderHPtr = handle_of(f->parent);
    return 0;
}

/* Resolves a path relative to `start` ("root:a:b:", ":a:b", "a", "::a"); NULL when missing. */
static struct sim_folder *resolve(struct sim_folder *start, const char *path)
{
    struct sim_folder *f = start;
    const char *p = path;

    if (strncasecmp(p, "root:", 5) == 0) {
        f = sim_root();
        p += 5;
    } else if (*p == ':') {
        p++; /* relative to the start */
    }
    while (*p != '\0') {
        const char *end = strchr(p, ':');
        const size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *name = p;
        size_t n = len;

        if (n == 0) {
            /* an empty element ("::") goes one level up */
            if (f->parent == NULL) {
                return NULL;
            }
            f = f->parent;
        } else {
            if (n >= 2 && name[0] == '\'' && name[n - 1] == '\'') {
                name++; /* a quoted liberal name: 'my folder' */
                n -= 2;
            }
            f = n <= MAX_OBJ_NAME ? child(f, name, n) : NULL;
            if (f == NULL) {
                return NULL;
            }
        }
        p += len + (end != NULL);
    }
    return f;
}

int GetNamedDataFolder(DataFolderHandle startingDataFolderH,
                       const char dataFolderPath[MAXCMDLEN + 1], DataFolderHandle *dataFolderHPtr)
{
    struct sim_folder *start;
    struct sim_folder *found;

    (void)sim_root();
    start = startingDataFolderH != NULL ? sim_folder(startingDataFolderH, "GetNamedDataFolder")
                                        : current;
    /* "root" alone is a name relative to the start, not the root. */
    if (strcasecmp(dataFolderPath, "root") == 0) {
        found = child(start, "root", 4);
    } else {
        found = resolve(start, dataFolderPath);
    }
    /* A folder that does not exist is a NULL handle, not an error. */
    *dataFolderHPtr = found != NULL ? handle_of(found) : NULL;
    return 0;
}

/* Full path with trailing colon of a folder in the tree. */
static void full_path(struct sim_folder *f, char *out, size_t cap)
{
    if (f->is_root) {
        snprintf(out, cap, "root:");
        return;
    }
    if (f->parent == NULL) {
        snprintf(out, cap, ":"); /* a free folder's own tree */
        return;
    }
    full_path(f->parent, out, cap);
    if (strlen(out) + strlen(f->name) + 2 <= cap) {
        strcat(out, f->name);
        strcat(out, ":");
    }
}

int GetDataFolderNameOrPath(DataFolderHandle dataFolderH, int flags,
                            char dataFolderPathOrName[MAXCMDLEN + 1])
{
    struct sim_folder *f;

    (void)sim_root();
    f = dataFolderH == NULL ? current : sim_folder(dataFolderH, "GetDataFolderNameOrPath");
    if (flags & 1) {
        if (f->is_free) {
            snprintf(dataFolderPathOrName, MAXCMDLEN + 1, ":");
        } else {
            full_path(f, dataFolderPathOrName, MAXCMDLEN + 1);
        }
    } else {
        snprintf(dataFolderPathOrName, MAXCMDLEN + 1, "%s", f->name);
    }
    return 0;
}

int NewDataFolder(DataFolderHandle parentFolderH, const char newDataFolderName[MAX_OBJ_NAME + 1],
                  DataFolderHandle *newDataFolderHPtr)
{
    struct sim_folder *parent;
    struct sim_folder *existing;

    (void)sim_root();
    parent = parentFolderH != NULL ? sim_folder(parentFolderH, "NewDataFolder") : current;
    existing = child(parent, newDataFolderName, strlen(newDataFolderName));
    if (existing != NULL) {
        *newDataFolderHPtr = handle_of(existing);
        return 0;
    }
    *newDataFolderHPtr = handle_of(add_child(parent, newDataFolderName));
    return 0;
}

int KillDataFolder(DataFolderHandle dataFolderH)
{
    struct sim_folder *f = sim_folder(dataFolderH, "KillDataFolder");
    struct sim_folder *parent = f->parent;
    size_t i;

    if (f->is_root || f->killed || parent == NULL) {
        return kParameterOutOfRange;
    }
    for (i = 0; i < parent->num_children; i++) {
        if (parent->children[i] == f) {
            parent->children[i] = parent->children[--parent->num_children];
            break;
        }
    }
    if (current == f) {
        current = root;
    }
    if (f->refs > 0) {
        f->parent = graveyard; /* references stay valid; the folder is gone from the tree */
        f->killed = 1;
    } else {
        f->parent = NULL;
        folder_destroy(f);
    }
    return 0;
}

int HoldDataFolder(DataFolderHandle dfH)
{
    sim_folder(dfH, "HoldDataFolder")->refs++;
    return 0;
}

int ReleaseDataFolder(DataFolderHandle *dfRefPtr)
{
    struct sim_folder *f;

    if (*dfRefPtr == NULL) {
        return 0;
    }
    f = sim_folder(*dfRefPtr, "ReleaseDataFolder");
    *dfRefPtr = NULL;
    if (f->refs <= 0) {
        sim_fatal("ReleaseDataFolder", "released more often than held");
    }
    if (--f->refs == 0 && (f->is_free || f->killed)) {
        folder_destroy(f);
    }
    return 0;
}

DataFolderHandle igor_new_free_folder(void)
{
    struct sim_folder *f = folder_new("freeroot");

    if (num_unheld == sizeof unheld / sizeof unheld[0]) {
        sim_fatal("igor_new_free_folder", "too many unheld free data folders");
    }
    f->is_free = 1;
    unheld[num_unheld++] = f;
    return handle_of(f);
}

void sim_collect_free_folders(void)
{
    size_t i = 0;

    while (i < num_unheld) {
        if (unheld[i]->refs == 0) {
            folder_destroy(unheld[i]); /* takes it off the list */
        } else {
            unheld[i] = unheld[--num_unheld];
        }
    }
}

DataFolderHandle igor_folder(const char *path)
{
    struct sim_folder *f = sim_root();
    const char *p = path;

    if (strncasecmp(p, "root:", 5) != 0) {
        sim_fatal("igor_folder", "needs an absolute path");
    }
    p += 5;
    while (*p != '\0') {
        const char *end = strchr(p, ':');
        const size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        char name[MAX_OBJ_NAME + 1];
        struct sim_folder *next;

        if (len == 0 || len > MAX_OBJ_NAME) {
            sim_fatal("igor_folder", path);
        }
        memcpy(name, p, len);
        name[len] = '\0';
        next = child(f, name, len);
        f = next != NULL ? next : add_child(f, name);
        p += len + (end != NULL);
    }
    return handle_of(f);
}

void sim_folder_add_wave(struct sim_folder *f, struct sim_wave *w)
{
    struct sim_wave **grown =
        (struct sim_wave **)realloc(f->waves, (f->num_waves + 1) * sizeof *grown);

    if (grown == NULL) {
        sim_fatal("MDMakeWave", "out of memory");
    }
    f->waves = grown;
    f->waves[f->num_waves++] = w;
    w->folder = f;
}

void sim_folder_remove_wave(struct sim_folder *f, struct sim_wave *w)
{
    size_t i;

    for (i = 0; i < f->num_waves; i++) {
        if (f->waves[i] == w) {
            f->waves[i] = f->waves[--f->num_waves];
            break;
        }
    }
    w->folder = NULL;
}

struct sim_wave *sim_folder_find_wave(struct sim_folder *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->num_waves; i++) {
        if (strcasecmp(f->waves[i]->name, name) == 0) {
            return f->waves[i];
        }
    }
    return NULL;
}

waveHndl FetchWave(const char *waveName)
{
    /* a wave of that name in the current data folder, or NULL */
    (void)sim_root();
    return (waveHndl)(void *)sim_folder_find_wave(current, waveName);
}
