/* Wave parameters of remote calls as free Igor waves: the glue reads the library's wave
 * (zeromq_call_param_wave and the zeromq_wave_* getters) and builds a free wave with the same
 * type, dimensions, points, scaling, units, labels, data full scale and note, which the
 * dispatcher passes to the user function's WAVE parameter and releases after the call. */

#include "xop_glue.h"

#include <string.h>

/* Copies at most `cap` bytes of (s, len) NUL-terminated into buf (Igor's fixed-size unit and
   label fields). */
static void fixed_text(char *buf, size_t cap, const char *s, size_t len)
{
    if (len > cap) {
        len = cap;
    }
    if (len > 0) {
        memcpy(buf, s, len);
    }
    buf[len] = '\0';
}

/* Point `point` (column-major) as Igor's per-dimension indices. */
static void point_indices(size_t point, const CountInt dims[MAX_DIMENSIONS + 1], int num_dims,
                          IndexInt indices[MAX_DIMENSIONS])
{
    int d;

    memset(indices, 0, MAX_DIMENSIONS * sizeof indices[0]);
    for (d = 0; d < num_dims; d++) {
        indices[d] = (IndexInt)(point % (size_t)dims[d]);
        point /= (size_t)dims[d];
    }
}

static int fill_points(const zeromq_wave *w, waveHndl wave, int type,
                       const CountInt dims[MAX_DIMENSIONS + 1], int num_dims, size_t points,
                       int depth);

/* Scaling, units, labels, full scale and note of `w` onto `wave`. */
static int copy_metadata(const zeromq_wave *w, waveHndl wave, const CountInt *dims, int num_dims)
{
    char unit[MAX_UNIT_CHARS + 1];
    char label[MAX_DIM_LABEL_BYTES + 1];
    const char *s = NULL;
    size_t len = 0;
    double a = 0.0, b = 0.0;
    int d, rc = 0;

    if (zeromq_wave_data_unit(w, &s, &len) == 0 && len > 0) {
        fixed_text(unit, MAX_UNIT_CHARS, s, len);
        rc = MDSetWaveUnits(wave, -1, unit);
    }
    /* For the data full scale Igor takes the top first (as it reports it). */
    if (rc == 0 && zeromq_wave_full_scale(w, &a, &b) == 0 && !(a == 0.0 && b == 0.0)) {
        rc = MDSetWaveScaling(wave, -1, &b, &a);
    }
    for (d = 0; d < num_dims && rc == 0; d++) {
        IndexInt index;

        if (zeromq_wave_scaling(w, (size_t)d, &a, &b) == 0 && (a != 1.0 || b != 0.0)) {
            rc = MDSetWaveScaling(wave, d, &a, &b);
        }
        if (rc == 0 && zeromq_wave_dim_unit(w, (size_t)d, &s, &len) == 0 && len > 0) {
            fixed_text(unit, MAX_UNIT_CHARS, s, len);
            rc = MDSetWaveUnits(wave, d, unit);
        }
        for (index = -1; index < (IndexInt)dims[d] && rc == 0; index++) {
            if (zeromq_wave_dim_label(w, (size_t)d, (int64_t)index, &s, &len) == 0 && len > 0) {
                fixed_text(label, MAX_DIM_LABEL_BYTES, s, len);
                rc = MDSetDimensionLabel(wave, d, index, label);
            }
        }
    }
    if (rc == 0 && zeromq_wave_note(w, &s, &len) == 0 && s != NULL) {
        Handle note = NULL;

        rc = xop_new_handle(s, len, &note);
        if (rc == 0) {
            SetWaveNote(wave, note); /* the handle now belongs to Igor */
        }
    }
    return rc;
}

/* A free wave holding `w`; 0 or an Igor error code. */
static int make_free_wave(const zeromq_wave *w, int depth, waveHndl *out)
{
    CountInt dims[MAX_DIMENSIONS + 1];
    uint64_t sizes[4];
    size_t ndims = 0, points = 1, i;
    int32_t type = 0;
    waveHndl wave = NULL;
    int rc;

    *out = NULL;
    if (depth >= XOP_MAX_WAVE_NESTING || zeromq_wave_type(w, &type) != 0 ||
        zeromq_wave_dims(w, sizes, &ndims) != 0 || ndims == 0 || ndims > MAX_DIMENSIONS) {
        return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
    }
    memset(dims, 0, sizeof dims);
    for (i = 0; i < ndims; i++) {
        dims[i] = (CountInt)sizes[i];
        points *= (size_t)sizes[i];
    }
    /* A data folder of -1 makes a free wave; it starts unheld, so the reference the caller
       releases (*out) is taken here. */
    rc = MDMakeWave(&wave, "free", (DataFolderHandle)-1, dims, type, 1);
    if (rc == 0) {
        rc = HoldWave(wave);
    }
    if (rc != 0) {
        return rc;
    }
    rc = fill_points(w, wave, type, dims, (int)ndims, points, depth);
    if (rc == 0) {
        rc = copy_metadata(w, wave, dims, (int)ndims);
    }
    if (rc != 0) {
        ReleaseWave(&wave);
        return rc;
    }
    *out = wave;
    return 0;
}

static int fill_points(const zeromq_wave *w, waveHndl wave, int type,
                       const CountInt dims[MAX_DIMENSIONS + 1], int num_dims, size_t points,
                       int depth)
{
    const char *s = NULL;
    size_t len = 0, i;
    int rc = 0;

    if (type == WAVE_TYPE) {
        for (i = 0; i < points && rc == 0; i++) {
            const zeromq_wave *child = NULL;
            waveHndl element = NULL;

            if (zeromq_wave_wave(w, i, &child) != 0) {
                return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
            }
            if (child != NULL) {
                rc = make_free_wave(child, depth + 1, &element);
                /* The wave reference wave holds its own reference; ours is released. */
                ((waveHndl *)WaveData(wave))[i] = element;
                if (rc == 0 && element != NULL) {
                    rc = HoldWave(element);
                    ReleaseWave(&element);
                }
            }
        }
        return rc;
    }
    if (type == DATAFOLDER_TYPE) {
        char path[MAXCMDLEN + 1];

        for (i = 0; i < points && rc == 0; i++) {
            DataFolderHandle df = NULL;

            if (zeromq_wave_dfref(w, i, &s, &len) != 0) {
                return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
            }
            if (len == 0 || len >= MAXCMDLEN) {
                continue; /* null reference */
            }
            memcpy(path, s, len);
            path[len] = '\0';
            if (GetNamedDataFolder(NULL, path, &df) == 0 && df != NULL) {
                ((DataFolderHandle *)WaveData(wave))[i] = df;
                rc = HoldDataFolder(df);
            }
        }
        return rc;
    }
    if (type == TEXT_WAVE_TYPE) {
        IndexInt indices[MAX_DIMENSIONS];

        for (i = 0; i < points && rc == 0; i++) {
            Handle text = NULL;

            if (zeromq_wave_text(w, i, &s, &len) != 0) {
                return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
            }
            point_indices(i, dims, num_dims, indices);
            rc = xop_new_handle(s, len, &text);
            if (rc == 0) {
                rc = MDSetTextWavePointValue(wave, indices, text);
                WMDisposeHandle(text);
            }
        }
        return rc;
    } else {
        const void *data = NULL;
        size_t bytes = 0;

        if (zeromq_wave_data(w, &data, &bytes) != 0 ||
            bytes != points * xop_element_size(type)) {
            return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
        }
        if (bytes > 0) {
            memcpy(WaveData(wave), data, bytes);
        }
        return 0;
    }
}

int xop_wave_param(const zeromq_call *call, size_t index, waveHndl *out)
{
    const zeromq_wave *w = NULL;

    *out = NULL;
    if (zeromq_call_param_wave(call, index, &w) != 0) {
        return ZEROMQ_REQ_INVALID_PARAM_FORMAT;
    }
    return make_free_wave(w, 0, out) == 0 ? 0 : ZEROMQ_REQ_INVALID_PARAM_FORMAT;
}
