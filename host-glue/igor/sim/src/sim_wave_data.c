/* Point access: text waves (one point at a time or all at once), numeric points as doubles,
 * the raw numeric data, and the string handle helpers of the toolkit. */

#include "sim_internal.h"

#include <math.h>

#define NUMERIC_ACCESS_ON_TEXT_WAVE 412
#define STR_TOO_LONG 2006
#define USING_NULL_STRVAR 1004 /* a NULL string handle */

CountInt sim_linear_index(const struct sim_wave *w, const IndexInt indices[MAX_DIMENSIONS])
{
    CountInt index = 0, stride = 1;
    int d;

    for (d = 0; d < (w->num_dims > 0 ? w->num_dims : 1); d++) {
        if (indices[d] < 0 || indices[d] >= (w->dims[d] > 0 ? w->dims[d] : 1)) {
            return -1;
        }
        index += indices[d] * stride;
        stride *= w->dims[d];
    }
    return index < w->points ? index : -1;
}

int MDGetTextWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], Handle textH)
{
    struct sim_wave *w = sim_wave(waveH, "MDGetTextWavePointValue");
    const CountInt i = sim_linear_index(w, indices);

    sim_check_handle(textH, "MDGetTextWavePointValue");
    if (w->type != TEXT_WAVE_TYPE) {
        return 5; /* NEEDS_TEXT_WAVE-like: "expected text wave" */
    }
    if (i < 0) {
        return kParameterOutOfRange;
    }
    if (WMSetHandleSize(textH, (BCInt)w->texts[i].len) != 0) {
        return NOMEM;
    }
    if (w->texts[i].len > 0) {
        memcpy(*textH, w->texts[i].bytes, w->texts[i].len);
    }
    return 0;
}

void sim_store_text(struct sim_wave *w, CountInt i, const char *bytes, size_t len)
{
    char *copy = (char *)sim_alloc(len + 1);

    memcpy(copy, bytes, len);
    free(w->texts[i].bytes);
    w->texts[i].bytes = copy;
    w->texts[i].len = len;
}

int MDSetTextWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], Handle textH)
{
    struct sim_wave *w = sim_wave(waveH, "MDSetTextWavePointValue");
    const CountInt i = sim_linear_index(w, indices);

    sim_check_handle(textH, "MDSetTextWavePointValue");
    if (w->type != TEXT_WAVE_TYPE) {
        return 5;
    }
    if (i < 0) {
        return kParameterOutOfRange;
    }
    sim_store_text(w, i, *textH, (size_t)WMGetHandleSize(textH));
    WaveHandleModified(waveH);
    return 0;
}

void igor_set_text_point(waveHndl wave, IndexInt index, const char *text, size_t len)
{
    struct sim_wave *w = sim_wave(wave, "igor_set_text_point");

    if (w->type != TEXT_WAVE_TYPE || index < 0 || index >= w->points) {
        sim_fatal("igor_set_text_point", "not a text point");
    }
    sim_store_text(w, index, text, len);
}

int GetTextWaveData(waveHndl waveH, int mode, Handle *textDataHPtr)
{
    struct sim_wave *w = sim_wave(waveH, "GetTextWaveData");
    const size_t terminator = mode == 2 ? 0 : 1;
    const size_t header = mode == 0 ? 0 : (size_t)(w->points + 1) * sizeof(PSInt);
    size_t total = header;
    CountInt i;
    char *p;
    Handle h;

    *textDataHPtr = NULL;
    if (w->type != TEXT_WAVE_TYPE) {
        return 5;
    }
    if (mode < 0 || mode > 2) {
        return kParameterOutOfRange;
    }
    for (i = 0; i < w->points; i++) {
        total += w->texts[i].len + terminator;
    }
    h = WMNewHandle((BCInt)total);
    if (h == NULL) {
        return NOMEM;
    }
    p = *h + header;
    for (i = 0; i < w->points; i++) {
        if (mode != 0) {
            ((PSInt *)(void *)*h)[i] = (PSInt)(p - *h);
        }
        if (w->texts[i].len > 0) {
            memcpy(p, w->texts[i].bytes, w->texts[i].len);
        }
        p += w->texts[i].len;
        if (terminator) {
            *p++ = '\0';
        }
    }
    if (mode != 0) {
        ((PSInt *)(void *)*h)[w->points] = (PSInt)(p - *h);
    }
    *textDataHPtr = h;
    return 0;
}


int SetTextWaveData(waveHndl waveH, int mode, Handle textDataH)
{
    struct sim_wave *w = sim_wave(waveH, "SetTextWaveData");
    const char *base;
    CountInt i;

    sim_check_handle(textDataH, "SetTextWaveData");
    if (w->type != TEXT_WAVE_TYPE) {
        return 5;
    }
    if (mode != 1 && mode != 2) {
        return kParameterOutOfRange; /* mode 0 is not simulated */
    }
    base = *textDataH;
    for (i = 0; i < w->points; i++) {
        const PSInt from = ((const PSInt *)(const void *)base)[i];
        const PSInt to = ((const PSInt *)(const void *)base)[i + 1];
        size_t len;

        if (from < 0 || to < from || to > WMGetHandleSize(textDataH)) {
            return kParameterOutOfRange;
        }
        len = (size_t)(to - from);
        if (mode == 1 && len > 0) {
            len--; /* the null terminator */
        }
        sim_store_text(w, i, base + from, len);
    }
    WaveHandleModified(waveH);
    return 0;
}

int MDAccessNumericWaveData(waveHndl waveH, int accessMode, BCInt *dataOffsetPtr)
{
    struct sim_wave *w = sim_wave(waveH, "MDAccessNumericWaveData");

    (void)accessMode;
    *dataOffsetPtr = 0;
    if (w->type == TEXT_WAVE_TYPE) {
        return NUMERIC_ACCESS_ON_TEXT_WAVE;
    }
    return 0; /* the data starts at *waveH */
}

/* Point `i` of a numeric wave as a double (part 0: real, 1: imaginary). */
static double get_point(const struct sim_wave *w, CountInt i, int part)
{
    const CountInt k = (w->type & NT_CMPLX) ? 2 * i + part : i;
    const int u = (w->type & NT_UNSIGNED) != 0;

    switch (w->type & ~(NT_CMPLX | NT_UNSIGNED)) {
    case NT_FP32: return ((const float *)w->data)[k];
    case NT_FP64: return ((const double *)w->data)[k];
    case NT_I8:
        return u ? (double)((const uint8_t *)w->data)[k] : (double)((const int8_t *)w->data)[k];
    case NT_I16:
        return u ? (double)((const uint16_t *)w->data)[k] : (double)((const int16_t *)w->data)[k];
    case NT_I32:
        return u ? (double)((const uint32_t *)w->data)[k] : (double)((const int32_t *)w->data)[k];
    default:
        return u ? (double)((const uint64_t *)w->data)[k] : (double)((const int64_t *)w->data)[k];
    }
}

/* Integer conversion as Igor stores doubles in integer waves: truncated, NaN as 0. */
static double clamp(double v, double lo, double hi)
{
    if (isnan(v)) {
        return 0;
    }
    return v < lo ? lo : v > hi ? hi : v;
}

static void set_point(struct sim_wave *w, CountInt i, int part, double v)
{
    const CountInt k = (w->type & NT_CMPLX) ? 2 * i + part : i;
    const int u = (w->type & NT_UNSIGNED) != 0;

    switch (w->type & ~(NT_CMPLX | NT_UNSIGNED)) {
    case NT_FP32: ((float *)w->data)[k] = (float)v; break;
    case NT_FP64: ((double *)w->data)[k] = v; break;
    case NT_I8:
        if (u) ((uint8_t *)w->data)[k] = (uint8_t)clamp(v, 0, 255);
        else ((int8_t *)w->data)[k] = (int8_t)clamp(v, -128, 127);
        break;
    case NT_I16:
        if (u) ((uint16_t *)w->data)[k] = (uint16_t)clamp(v, 0, 65535);
        else ((int16_t *)w->data)[k] = (int16_t)clamp(v, -32768, 32767);
        break;
    case NT_I32:
        if (u) ((uint32_t *)w->data)[k] = (uint32_t)clamp(v, 0, 4294967295.0);
        else ((int32_t *)w->data)[k] = (int32_t)clamp(v, -2147483648.0, 2147483647.0);
        break;
    default:
        if (u) ((uint64_t *)w->data)[k] = (uint64_t)clamp(v, 0, 18446744073709549568.0);
        else ((int64_t *)w->data)[k] = (int64_t)clamp(v, -9223372036854775808.0, 9223372036854774784.0);
        break;
    }
}

static int numeric(const struct sim_wave *w)
{
    return w->type != TEXT_WAVE_TYPE && w->type != WAVE_TYPE && w->type != DATAFOLDER_TYPE;
}

/* The linear index of a numeric point, or -(error code). */
static CountInt numeric_point(waveHndl waveH, const IndexInt indices[MAX_DIMENSIONS],
                              const char *function, struct sim_wave **out)
{
    struct sim_wave *w = sim_wave(waveH, function);
    const CountInt i = sim_linear_index(w, indices);

    *out = w;
    if (!numeric(w)) {
        return -NUMERIC_ACCESS_ON_TEXT_WAVE;
    }
    return i < 0 ? -kParameterOutOfRange : i;
}

int MDGetNumericWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], double value[2])
{
    struct sim_wave *w;
    const CountInt i = numeric_point(waveH, indices, "MDGetNumericWavePointValue", &w);

    if (i < 0) {
        return (int)-i;
    }
    value[0] = get_point(w, i, 0);
    value[1] = (w->type & NT_CMPLX) ? get_point(w, i, 1) : 0.0;
    return 0;
}

int MDSetNumericWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], double value[2])
{
    struct sim_wave *w;
    const CountInt i = numeric_point(waveH, indices, "MDSetNumericWavePointValue", &w);

    if (i < 0) {
        return (int)-i;
    }
    set_point(w, i, 0, value[0]);
    if (w->type & NT_CMPLX) {
        set_point(w, i, 1, value[1]);
    }
    WaveHandleModified(waveH);
    return 0;
}

int MDStoreDPDataInNumericWave(waveHndl waveH, const double *dPtr)
{
    struct sim_wave *w = sim_wave(waveH, "MDStoreDPDataInNumericWave");
    const int parts = (w->type & NT_CMPLX) ? 2 : 1;
    CountInt i;
    int part;

    if (!numeric(w)) {
        return NUMERIC_ACCESS_ON_TEXT_WAVE;
    }
    for (i = 0; i < w->points; i++) {
        for (part = 0; part < parts; part++) {
            set_point(w, i, part, dPtr[i * parts + part]);
        }
    }
    WaveHandleModified(waveH);
    return 0;
}

int GetCStringFromHandle(Handle h, char *str, int maxChars)
{
    BCInt len;

    str[0] = '\0';
    if (h == NULL) {
        return USING_NULL_STRVAR;
    }
    len = WMGetHandleSize(h);
    if (len > maxChars) {
        return STR_TOO_LONG;
    }
    memcpy(str, *h, (size_t)len);
    str[len] = '\0';
    return 0;
}

int PutCStringInHandle(const char *str, Handle h)
{
    const size_t len = strlen(str);

    if (h == NULL) {
        return USING_NULL_STRVAR;
    }
    if (WMSetHandleSize(h, (BCInt)len) != 0) {
        return NOMEM;
    }
    memcpy(*h, str, len);
    return 0;
}
