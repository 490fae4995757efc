/* Waves: every numeric type (real and complex, signed and unsigned), text waves, wave and
 * data folder reference waves, up to four dimensions, with dimension scaling and units, data
 * units and full scale, dimension and element labels, a note and a modification date; named
 * waves live in data folders, free waves live while they are held. */

#include "sim_internal.h"

#include <limits.h>

#define WAVE_MAGIC 0x57415645u /* "WAVE" */

/* Largest wave the simulation makes (bytes of data). */
#define SIM_MAX_WAVE_BYTES ((CountInt)1 << 31)

/* Every live wave, for counting and for collecting unheld free waves. */
static struct sim_wave **all_waves;
static size_t num_waves, cap_waves;

struct sim_wave *sim_wave(waveHndl w, const char *function)
{
    struct sim_wave *s = (struct sim_wave *)(void *)w;

    if (s == NULL) {
        sim_fatal(function, "NULL wave handle");
    }
    if (s->magic != WAVE_MAGIC) {
        sim_fatal(function, "not a live wave handle (never made or already killed)");
    }
    return s;
}

static waveHndl handle_of(struct sim_wave *w)
{
    return (waveHndl)(void *)w;
}

size_t sim_element_size(int type)
{
    size_t size;

    if (type == WAVE_TYPE) {
        return sizeof(waveHndl);
    }
    if (type == DATAFOLDER_TYPE) {
        return sizeof(DataFolderHandle);
    }
    switch (type & ~(NT_CMPLX | NT_UNSIGNED)) {
    case NT_FP32:
        size = 4;
        break;
    case NT_FP64:
        size = 8;
        break;
    case NT_I8:
        size = 1;
        break;
    case NT_I16:
        size = 2;
        break;
    case NT_I32:
        size = 4;
        break;
    case NT_I64:
        size = 8;
        break;
    default:
        return 0;
    }
    if ((type & NT_UNSIGNED) && (type & (NT_FP32 | NT_FP64))) {
        return 0;
    }
    return (type & NT_CMPLX) ? 2 * size : size;
}

static int valid_type(int type)
{
    return type == TEXT_WAVE_TYPE || sim_element_size(type) > 0;
}

/* Releases the objects held by reference elements [from, to). */
static void release_elements(struct sim_wave *w, CountInt from, CountInt to)
{
    CountInt i;

    for (i = from; i < to; i++) {
        if (w->type == WAVE_TYPE) {
            waveHndl *e = &((waveHndl *)w->data)[i];
            if (*e != NULL) {
                ReleaseWave(e);
            }
        } else if (w->type == DATAFOLDER_TYPE) {
            DataFolderHandle *e = &((DataFolderHandle *)w->data)[i];
            if (*e != NULL) {
                ReleaseDataFolder(e);
            }
        }
    }
}

static void free_texts(struct sim_wave *w, CountInt from, CountInt to)
{
    CountInt i;

    for (i = from; i < to && w->texts != NULL; i++) {
        free(w->texts[i].bytes);
        w->texts[i].bytes = NULL;
        w->texts[i].len = 0;
    }
}

static void free_labels(struct sim_wave *w)
{
    int d;

    for (d = 0; d < SIM_WAVE_DIMS; d++) {
        if (w->labels[d] != NULL) {
            CountInt i;
            for (i = 0; i <= w->dims[d]; i++) {
                free(w->labels[d][i]);
            }
            free(w->labels[d]);
            w->labels[d] = NULL;
        }
    }
}

void sim_wave_destroy(struct sim_wave *w)
{
    size_t i;

    for (i = 0; i < num_waves; i++) {
        if (all_waves[i] == w) {
            all_waves[i] = all_waves[--num_waves];
            break;
        }
    }
    if (w->folder != NULL) {
        sim_folder_remove_wave(w->folder, w);
    }
    w->magic = 0; /* elements may refer back to this wave */
    release_elements(w, 0, w->points);
    free_texts(w, 0, w->points);
    free(w->texts);
    free(w->data);
    free_labels(w);
    free(w->note);
    free(w);
}

/* Sizes from a toolkit dimension array (0 ends the list, -1 keeps the current size when
   `current` is given); 0 or an error. */
static int read_dims(const CountInt in[MAX_DIMENSIONS + 1], const struct sim_wave *current,
                     CountInt out[SIM_WAVE_DIMS], int *num_dims, CountInt *points)
{
    int d;
    CountInt total = 1;

    *num_dims = 0;
    memset(out, 0, SIM_WAVE_DIMS * sizeof *out);
    for (d = 0; d < SIM_WAVE_DIMS; d++) {
        CountInt n = in[d];

        if (n == -1 && current != NULL) {
            n = current->dims[d];
        }
        if (n < 0) {
            return kParameterOutOfRange;
        }
        if (n == 0) {
            break;
        }
        out[d] = n;
        *num_dims = d + 1;
        if (total > SIM_MAX_WAVE_BYTES / n) {
            return NOMEM;
        }
        total *= n;
    }
    *points = *num_dims == 0 ? 0 : total;
    return 0;
}

static void init_properties(struct sim_wave *w)
{
    int d;

    for (d = 0; d < SIM_WAVE_DIMS; d++) {
        w->delta[d] = 1.0;
        w->offset[d] = 0.0;
    }
}

/* Allocates the storage of `points` points of `type` (zeroed); NULL on failure. */
static int alloc_storage(int type, CountInt points, void **data, struct sim_text **texts)
{
    *data = NULL;
    *texts = NULL;
    if (type == TEXT_WAVE_TYPE) {
        *texts = (struct sim_text *)calloc(points > 0 ? (size_t)points : 1, sizeof **texts);
        return *texts != NULL ? 0 : NOMEM;
    }
    if ((CountInt)sim_element_size(type) * points > SIM_MAX_WAVE_BYTES) {
        return NOMEM;
    }
    *data = calloc(points > 0 ? (size_t)points : 1, sim_element_size(type));
    return *data != NULL ? 0 : NOMEM;
}

int MDMakeWave(waveHndl *waveHPtr, const char *waveName, DataFolderHandle dataFolderH,
               CountInt dimSizes[MAX_DIMENSIONS + 1], int type, int overwrite)
{
    const int make_free = dataFolderH == (DataFolderHandle)(intptr_t)-1;
    struct sim_folder *folder = NULL;
    struct sim_wave *w, *old = NULL;
    int rc;

    *waveHPtr = NULL;
    if (!valid_type(type)) {
        return kParameterOutOfRange;
    }
    if (!make_free) {
        DataFolderHandle df = dataFolderH;

        if (df == NULL) {
            GetCurrentDataFolder(&df);
        }
        folder = sim_folder(df, "MDMakeWave");
        if (waveName == NULL || waveName[0] == '\0' || strlen(waveName) > MAX_OBJ_NAME) {
            return kParameterOutOfRange;
        }
        old = sim_folder_find_wave(folder, waveName);
        if (old != NULL && !overwrite) {
            return 27; /* NAME_WAV_CONFLICT */
        }
    }
    w = (struct sim_wave *)sim_alloc(sizeof *w);
    w->magic = WAVE_MAGIC;
    w->type = type;
    init_properties(w);
    rc = read_dims(dimSizes, NULL, w->dims, &w->num_dims, &w->points);
    if (rc == 0) {
        rc = alloc_storage(type, w->points, &w->data, &w->texts);
    }
    if (rc != 0) {
        free(w->data);
        free(w->texts);
        free(w);
        return rc;
    }
    if (old != NULL) {
        sim_folder_remove_wave(folder, old);
        if (old->refs <= 0) {
            sim_wave_destroy(old);
        }
    }
    if (num_waves == cap_waves) {
        cap_waves = cap_waves > 0 ? 2 * cap_waves : 64;
        all_waves = (struct sim_wave **)realloc(all_waves, cap_waves * sizeof *all_waves);
        if (all_waves == NULL) {
            sim_fatal("MDMakeWave", "out of memory");
        }
    }
    all_waves[num_waves++] = w;
    if (folder != NULL) {
        snprintf(w->name, sizeof w->name, "%s", waveName);
        sim_folder_add_wave(folder, w);
        w->mod_date = sim_now_igor_seconds();
    } else {
        snprintf(w->name, sizeof w->name, "%s", "'_free_'");
    }
    *waveHPtr = handle_of(w);
    return 0;
}

int MDChangeWave2(waveHndl waveH, int dataType, CountInt dimSizes[MAX_DIMENSIONS + 1], int mode)
{
    struct sim_wave *w = sim_wave(waveH, "MDChangeWave2");
    const int type = dataType == -1 ? w->type : dataType;
    CountInt dims[SIM_WAVE_DIMS], points;
    int num_dims, rc, d;
    void *data;
    struct sim_text *texts;

    if (!valid_type(type) || mode != 0) {
        return kParameterOutOfRange; /* only the normal redimension is simulated */
    }
    if ((type == TEXT_WAVE_TYPE) != (w->type == TEXT_WAVE_TYPE) ||
        ((type == WAVE_TYPE || type == DATAFOLDER_TYPE) && type != w->type)) {
        return kParameterOutOfRange; /* conversions between kinds are not simulated */
    }
    rc = read_dims(dimSizes, w, dims, &num_dims, &points);
    if (rc == 0) {
        rc = alloc_storage(type, points, &data, &texts);
    }
    if (rc != 0) {
        return rc;
    }
    /* The points keep their linear (column-major) position, which is what Redimension does
       for 1-D waves; surplus points are dropped with the references they hold. */
    if (type == TEXT_WAVE_TYPE) {
        const CountInt keep = points < w->points ? points : w->points;
        memcpy(texts, w->texts, (size_t)keep * sizeof *texts);
        memset(w->texts, 0, (size_t)keep * sizeof *texts);
        free_texts(w, keep, w->points);
        free(w->texts);
        w->texts = texts;
        free(data);
    } else {
        const size_t old_size = sim_element_size(w->type), new_size = sim_element_size(type);
        const size_t bytes_old = (size_t)w->points * old_size, bytes_new = (size_t)points * new_size;

        if (points < w->points) {
            release_elements(w, points, w->points);
        }
        memcpy(data, w->data, bytes_old < bytes_new ? bytes_old : bytes_new);
        free(w->data);
        w->data = data;
        free(texts);
    }
    free_labels(w);
    for (d = 0; d < SIM_WAVE_DIMS; d++) {
        w->dims[d] = dims[d];
    }
    w->num_dims = num_dims;
    w->points = points;
    w->type = type;
    WaveHandleModified(waveH);
    return 0;
}

int MDChangeWave(waveHndl waveH, int dataType, CountInt dimSizes[MAX_DIMENSIONS + 1])
{
    return MDChangeWave2(waveH, dataType, dimSizes, 0);
}

int KillWave(waveHndl waveHandle)
{
    struct sim_wave *w = sim_wave(waveHandle, "KillWave");

    if (w->folder != NULL) {
        sim_folder_remove_wave(w->folder, w);
    }
    if (w->refs <= 0) {
        sim_wave_destroy(w);
    }
    return 0;
}

int HoldWave(waveHndl waveH)
{
    if (waveH != NULL) {
        sim_wave(waveH, "HoldWave")->refs++;
    }
    return 0;
}

int ReleaseWave(waveHndl *waveRefPtr)
{
    struct sim_wave *w;

    if (*waveRefPtr == NULL) {
        return 0;
    }
    w = sim_wave(*waveRefPtr, "ReleaseWave");
    *waveRefPtr = NULL;
    if (w->refs <= 0) {
        sim_fatal("ReleaseWave", "released more often than held");
    }
    if (--w->refs == 0 && w->folder == NULL) {
        sim_wave_destroy(w);
    }
    return 0;
}

void igor_collect_free_waves(void)
{
    size_t i = 0;

    while (i < num_waves) {
        struct sim_wave *w = all_waves[i];

        if (w->folder == NULL && w->refs <= 0) {
            sim_wave_destroy(w); /* removes it from all_waves */
            i = 0;
        } else {
            i++;
        }
    }
}

long igor_live_waves(void)
{
    return (long)num_waves;
}

int WaveType(waveHndl waveHandle)
{
    return sim_wave(waveHandle, "WaveType")->type;
}

CountInt WavePoints(waveHndl waveHandle)
{
    return sim_wave(waveHandle, "WavePoints")->points;
}

void *WaveData(waveHndl waveHandle)
{
    struct sim_wave *w = sim_wave(waveHandle, "WaveData");

    if (w->type == TEXT_WAVE_TYPE) {
        sim_fatal("WaveData", "a text wave has no numeric data (use the text wave functions)");
    }
    return w->data;
}

void WaveHandleModified(waveHndl waveHandle)
{
    struct sim_wave *w = sim_wave(waveHandle, "WaveHandleModified");

    if (w->folder != NULL) {
        w->mod_date = sim_now_igor_seconds();
    }
}

TickCountInt WaveModDate(waveHndl waveH)
{
    return sim_wave(waveH, "WaveModDate")->mod_date;
}

void igor_set_mod_date(waveHndl wave, TickCountInt seconds)
{
    sim_wave(wave, "igor_set_mod_date")->mod_date = seconds;
}

void WaveName(waveHndl waveHandle, char name[MAX_OBJ_NAME + 1])
{
    snprintf(name, MAX_OBJ_NAME + 1, "%s", sim_wave(waveHandle, "WaveName")->name);
}

int MDGetWaveDimensions(waveHndl waveH, int *numDimensionsPtr,
                        CountInt dimSizes[MAX_DIMENSIONS + 1])
{
    struct sim_wave *w = sim_wave(waveH, "MDGetWaveDimensions");
    int d;

    for (d = 0; d <= MAX_DIMENSIONS; d++) {
        dimSizes[d] = d < SIM_WAVE_DIMS ? w->dims[d] : 0;
    }
    *numDimensionsPtr = w->num_dims;
    return 0;
}

static int check_dim(int dimension, int allow_data)
{
    if (dimension == -1 && allow_data) {
        return 0;
    }
    return dimension >= 0 && dimension < SIM_WAVE_DIMS ? 0 : kParameterOutOfRange;
}

int MDGetWaveScaling(waveHndl waveH, int dimension, double *sfA, double *sfB)
{
    struct sim_wave *w = sim_wave(waveH, "MDGetWaveScaling");

    if (check_dim(dimension, 1) != 0) {
        return kParameterOutOfRange;
    }
    if (dimension == -1) {
        *sfA = w->full_top;
        *sfB = w->full_bottom;
    } else {
        *sfA = w->delta[dimension];
        *sfB = w->offset[dimension];
    }
    return 0;
}

int MDSetWaveScaling(waveHndl waveH, int dimension, const double *sfA, const double *sfB)
{
    struct sim_wave *w = sim_wave(waveH, "MDSetWaveScaling");

    if (check_dim(dimension, 1) != 0) {
        return kParameterOutOfRange;
    }
    if (dimension == -1) {
        w->full_top = *sfA;
        w->full_bottom = *sfB;
    } else {
        if (*sfA == 0.0) {
            return kParameterOutOfRange; /* a delta of zero is refused */
        }
        w->delta[dimension] = *sfA;
        w->offset[dimension] = *sfB;
    }
    return 0;
}

int MDGetWaveUnits(waveHndl waveH, int dimension, char units[MAX_UNIT_CHARS + 1])
{
    struct sim_wave *w = sim_wave(waveH, "MDGetWaveUnits");

    if (check_dim(dimension, 1) != 0) {
        return kParameterOutOfRange;
    }
    strcpy(units, dimension == -1 ? w->data_unit : w->dim_unit[dimension]);
    return 0;
}

int MDSetWaveUnits(waveHndl waveH, int dimension, const char units[MAX_UNIT_CHARS + 1])
{
    struct sim_wave *w = sim_wave(waveH, "MDSetWaveUnits");

    if (check_dim(dimension, 1) != 0 || strlen(units) > MAX_UNIT_CHARS) {
        return kParameterOutOfRange;
    }
    strcpy(dimension == -1 ? w->data_unit : w->dim_unit[dimension], units);
    return 0;
}

int MDGetDimensionLabel(waveHndl waveH, int dimension, IndexInt element,
                        char label[MAX_DIM_LABEL_BYTES + 1])
{
    struct sim_wave *w = sim_wave(waveH, "MDGetDimensionLabel");

    label[0] = '\0';
    if (check_dim(dimension, 0) != 0 || element < -1 || element >= w->dims[dimension]) {
        return kParameterOutOfRange;
    }
    if (w->labels[dimension] != NULL && w->labels[dimension][element + 1] != NULL) {
        strcpy(label, w->labels[dimension][element + 1]);
    }
    return 0;
}

int MDSetDimensionLabel(waveHndl waveH, int dimension, IndexInt element,
                        const char label[MAX_DIM_LABEL_BYTES + 1])
{
    struct sim_wave *w = sim_wave(waveH, "MDSetDimensionLabel");
    char **slot;

    if (check_dim(dimension, 0) != 0 || element < -1 || element >= w->dims[dimension] ||
        strlen(label) > MAX_DIM_LABEL_BYTES) {
        return kParameterOutOfRange;
    }
    if (w->labels[dimension] == NULL) {
        w->labels[dimension] =
            (char **)sim_alloc((size_t)(w->dims[dimension] + 1) * sizeof(char *));
    }
    slot = &w->labels[dimension][element + 1];
    free(*slot);
    *slot = sim_strdup(label);
    return 0;
}

Handle WaveNoteCopy(waveHndl waveHandle)
{
    struct sim_wave *w = sim_wave(waveHandle, "WaveNoteCopy");
    Handle copy;

    if (w->note == NULL) {
        return NULL;
    }
    copy = WMNewHandle((BCInt)w->note_len);
    if (copy != NULL && w->note_len > 0) {
        memcpy(*copy, w->note, w->note_len);
    }
    return copy;
}

void SetWaveNote(waveHndl waveHandle, Handle noteHandle)
{
    struct sim_wave *w = sim_wave(waveHandle, "SetWaveNote");

    free(w->note);
    w->note = NULL;
    w->note_len = 0;
    if (noteHandle != NULL) {
        /* Igor owns the handle now; the simulation keeps the text and frees the handle. */
        w->note_len = (size_t)WMGetHandleSize(noteHandle);
        w->note = (char *)sim_alloc(w->note_len + 1);
        memcpy(w->note, *noteHandle, w->note_len);
        WMDisposeHandle(noteHandle);
    }
}

waveHndl igor_make_wave(const char *name, DataFolderHandle df, int type, CountInt d0, CountInt d1,
                        CountInt d2, CountInt d3)
{
    CountInt dims[MAX_DIMENSIONS + 1] = {d0, d1, d2, d3, 0};
    waveHndl w = NULL;
    const int rc = MDMakeWave(&w, name != NULL ? name : "free",
                              name != NULL ? df : (DataFolderHandle)(intptr_t)-1, dims, type, 1);

    if (rc != 0) {
        sim_fatal("igor_make_wave", "MDMakeWave failed");
    }
    if (name == NULL) {
        HoldWave(w); /* the caller's reference, like a WAVE variable of a function */
    }
    return w;
}

void igor_set_ref_point(waveHndl wave, IndexInt index, void *object)
{
    struct sim_wave *w = sim_wave(wave, "igor_set_ref_point");

    if ((w->type != WAVE_TYPE && w->type != DATAFOLDER_TYPE) || index < 0 || index >= w->points) {
        sim_fatal("igor_set_ref_point", "not a reference wave point");
    }
    release_elements(w, index, index + 1);
    if (w->type == WAVE_TYPE) {
        ((waveHndl *)w->data)[index] = (waveHndl)object;
        HoldWave((waveHndl)object);
    } else {
        ((DataFolderHandle *)w->data)[index] = (DataFolderHandle)object;
        if (object != NULL) {
            HoldDataFolder((DataFolderHandle)object);
        }
    }
}

int GetWavesDataFolder(waveHndl waveH, DataFolderHandle *dataFolderHPtr)
{
    struct sim_wave *w = sim_wave(waveH, "GetWavesDataFolder");

    /* A free wave has no data folder. */
    *dataFolderHPtr = w->folder != NULL ? (DataFolderHandle)(void *)w->folder : NULL;
    return 0;
}
