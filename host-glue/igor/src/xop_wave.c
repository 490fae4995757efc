/* Igor waves and data folder references as the library's wave descriptions (SPEC 5): the
 * glue reads every property through the XOP Toolkit and hands it to the zeromq_wave_*
 * builder, which does the JSON serialization. */

#include "xop_glue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t xop_element_size(int wave_type)
{
    size_t size;

    switch (wave_type & ~(NT_CMPLX | NT_UNSIGNED)) {
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
    if ((wave_type & NT_UNSIGNED) && (wave_type & (NT_FP32 | NT_FP64))) {
        return 0; /* no unsigned floating-point types */
    }
    return (wave_type & NT_CMPLX) ? 2 * size : size;
}

size_t xop_dfref_text(DataFolderHandle df, char *buf)
{
    DataFolderHandle root = NULL, parent = NULL;

    if (df == NULL) {
        strcpy(buf, "null");
        return 4;
    }
    if (GetRootDataFolder(0, &root) == 0 && df != root &&
        GetParentDataFolder(df, &parent) == NO_PARENT_DATAFOLDER) {
        strcpy(buf, "free");
        return 4;
    }
    buf[0] = '\0';
    if (GetDataFolderNameOrPath(df, 1, buf) != 0 || strstr(buf, ":_killed folder_:") != NULL) {
        /* a reference to a data folder that was killed */
        strcpy(buf, "null");
        return 4;
    }
    return strlen(buf);
}

int xop_is_free_wave(waveHndl wave)
{
    DataFolderHandle df = NULL;

    return wave != NULL && GetWavesDataFolder(wave, &df) == 0 && df == NULL;
}

/* Igor's date seconds (since 1904, local time) as seconds since 1970; 0 stays 0 (free waves
   and waves from before Igor 1.2 have no date). */
static int64_t unix_seconds(TickCountInt igor_seconds)
{
    short year = 1970, month = 1, day = 1;
    double epoch = 0.0;

    if (igor_seconds == 0) {
        return 0;
    }
    if (DateToIgorDateInSeconds(1, &year, &month, &day, &epoch) != 0) {
        epoch = 2082844800.0; /* 1970-01-01 in seconds since 1904-01-01 */
    }
    return (int64_t)igor_seconds - (int64_t)epoch;
}

/* Appends the text points of a text wave, each read as a C string like the reference. */
static int add_text(waveHndl wave, zeromq_wave *out, size_t points)
{
    Handle all = NULL;
    const PSInt *offsets;
    const char *base;
    size_t i;
    int rc;

    if (points == 0) {
        return 0;
    }
    rc = GetTextWaveData(wave, 2, &all);
    if (rc != 0) {
        return rc;
    }
    base = *all;
    offsets = (const PSInt *)(const void *)base;
    for (i = 0; i < points && rc == 0; i++) {
        const char *start = base + offsets[i];
        size_t len = (size_t)(offsets[i + 1] - offsets[i]);
        const char *nul = (const char *)memchr(start, '\0', len);

        if (nul != NULL) {
            len = (size_t)(nul - start);
        }
        rc = zeromq_wave_set_text(out, i, start, len);
    }
    WMDisposeHandle(all);
    return rc;
}

static int build(waveHndl wave, int depth, zeromq_wave **out, char *detail, size_t cap);

/* Keeps the library's detail text of a failed zeromq_wave_* call (codes from FIRST_XOP_ERR
   on; Igor's own error codes are smaller and have no detail). */
static int library_error(int rc, char *detail, size_t cap)
{
    if (rc >= FIRST_XOP_ERR && detail != NULL && cap > 0 && detail[0] == '\0') {
        size_t len = 0;

        if (zeromq_last_error(detail, cap, &len) != 0) {
            detail[0] = '\0';
        }
    }
    return rc;
}

/* Appends the elements of a wave-reference wave, each serialized in full (or null). */
static int add_waves(waveHndl wave, zeromq_wave *out, size_t points, int depth, char *detail,
                     size_t cap)
{
    size_t i;

    for (i = 0; i < points; i++) {
        zeromq_wave *child = NULL;
        waveHndl element = ((waveHndl *)WaveData(wave))[i];
        int rc = element == NULL ? 0 : build(element, depth + 1, &child, detail, cap);

        if (rc == 0) {
            rc = zeromq_wave_set_wave(out, i, child);
            if (rc != 0) {
                zeromq_wave_free(child); /* still ours when it was not taken */
            }
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* Appends the elements of a data-folder-reference wave as paths, "free" or "null". */
static int add_dfrefs(waveHndl wave, zeromq_wave *out, size_t points)
{
    char path[MAXCMDLEN + 1];
    size_t i;

    for (i = 0; i < points; i++) {
        DataFolderHandle df = ((DataFolderHandle *)WaveData(wave))[i];
        size_t len = xop_dfref_text(df, path);
        int rc = zeromq_wave_set_dfref(out, i, path, len);

        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* Units, scaling, labels, full scale, note and modification date. */
static int add_properties(waveHndl wave, zeromq_wave *out, int num_dims, const CountInt *dims)
{
    char unit[MAX_UNIT_CHARS + 1];
    char label[MAX_DIM_LABEL_BYTES + 1];
    double top = 0.0, bottom = 0.0;
    Handle note;
    int d, rc = 0;

    if (MDGetWaveUnits(wave, -1, unit) == 0 && unit[0] != '\0') {
        rc = zeromq_wave_set_data_unit(out, unit, strlen(unit));
    }
    /* For the data full scale, Igor reports the top as the first value. */
    if (rc == 0 && MDGetWaveScaling(wave, -1, &top, &bottom) == 0 &&
        !(top == 0.0 && bottom == 0.0) && !(isnan(top) && isnan(bottom))) {
        rc = zeromq_wave_set_full_scale(out, bottom, top);
    }
    for (d = 0; d < num_dims && rc == 0; d++) {
        double delta = 1.0, offset = 0.0;
        CountInt index;

        if (MDGetWaveScaling(wave, d, &delta, &offset) == 0 && (delta != 1.0 || offset != 0.0)) {
            rc = zeromq_wave_set_scaling(out, (size_t)d, delta, offset);
        }
        if (rc == 0 && MDGetWaveUnits(wave, d, unit) == 0 && unit[0] != '\0') {
            rc = zeromq_wave_set_dim_unit(out, (size_t)d, unit, strlen(unit));
        }
        if (rc == 0 && MDGetDimensionLabel(wave, d, -1, label) == 0 && label[0] != '\0') {
            rc = zeromq_wave_set_dim_label(out, (size_t)d, -1, label, strlen(label));
        }
        for (index = 0; index < dims[d] && rc == 0; index++) {
            if (MDGetDimensionLabel(wave, d, index, label) == 0 && label[0] != '\0') {
                rc = zeromq_wave_set_dim_label(out, (size_t)d, (int64_t)index, label,
                                               strlen(label));
            }
        }
    }
    note = rc == 0 ? WaveNoteCopy(wave) : NULL;
    if (note != NULL) {
        size_t len;
        const char *text = xop_handle_bytes(note, &len);

        rc = zeromq_wave_set_note(out, text, len);
        WMDisposeHandle(note);
    }
    if (rc == 0) {
        rc = zeromq_wave_set_modification(out, unix_seconds(WaveModDate(wave)));
    }
    return rc;
}

static int build(waveHndl wave, int depth, zeromq_wave **out, char *detail, size_t cap)
{
    CountInt dims[MAX_DIMENSIONS + 1];
    uint64_t sizes[4];
    int num_dims = 0, d, rc;
    const int type = WaveType(wave);
    size_t points, ndims;
    zeromq_wave *result = NULL;

    if (depth >= XOP_MAX_WAVE_NESTING) {
        if (detail != NULL && cap > 0) {
            snprintf(detail, cap, "Wave reference waves are nested more than %d levels deep.",
                     XOP_MAX_WAVE_NESTING);
        }
        return XOP_ERR_INTERNAL_ERROR;
    }
    if (type != TEXT_WAVE_TYPE && type != WAVE_TYPE && type != DATAFOLDER_TYPE &&
        xop_element_size(type) == 0) {
        if (detail != NULL && cap > 0) {
            snprintf(detail, cap, "The wave type 0x%X is not supported.", (unsigned)type);
        }
        return XOP_ERR_INTERNAL_ERROR;
    }

    memset(dims, 0, sizeof dims);
    rc = MDGetWaveDimensions(wave, &num_dims, dims);
    if (rc != 0) {
        return rc;
    }
    if (num_dims < 1) {
        num_dims = 1; /* a zero-point wave has size [0] */
        dims[0] = 0;
    }
    if (num_dims > 4) {
        num_dims = 4;
    }
    ndims = (size_t)num_dims;
    for (d = 0; d < num_dims; d++) {
        sizes[d] = (uint64_t)dims[d];
    }
    rc = zeromq_wave_new(type, sizes, ndims, &result);
    if (rc != 0) {
        return library_error(rc, detail, cap);
    }

    points = (size_t)WavePoints(wave);
    if (type == TEXT_WAVE_TYPE) {
        rc = add_text(wave, result, points);
    } else if (type == WAVE_TYPE) {
        rc = add_waves(wave, result, points, depth, detail, cap);
    } else if (type == DATAFOLDER_TYPE) {
        rc = add_dfrefs(wave, result, points);
    } else if (points > 0) {
        rc = zeromq_wave_set_data(result, WaveData(wave), points * xop_element_size(type));
    }
    if (rc == 0) {
        rc = add_properties(wave, result, num_dims, dims);
    }
    if (rc != 0) {
        zeromq_wave_free(result);
        return library_error(rc, detail, cap);
    }
    *out = result;
    return 0;
}

int xop_wave_build(waveHndl wave, zeromq_wave **out, char *detail, size_t detail_cap)
{
    *out = NULL;
    if (detail != NULL && detail_cap > 0) {
        detail[0] = '\0';
    }
    if (wave == NULL) {
        return 0;
    }
    return build(wave, 0, out, detail, detail_cap);
}
