/* Wave parameters of remote calls (SPEC 5) from a real pyzmq client: a user function's
 * by-value WAVE input receives a free wave with the type, dimensions, points, units, scaling
 * and note sent (in JSON or as a data frame), a wave for a variable input is refused (106),
 * and a binary request gets a numeric wave result as a data frame. */

#include "sim_test.h"

#include <stdarg.h>
#include <stdlib.h>

#pragma pack(push, 2)
struct one_wave { waveHndl w; };
struct one_number { double a; };
#pragma pack(pop)

/* Appends printf-style text to buf (capacity cap, used *at). */
static void add(char *buf, size_t cap, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t cap, size_t *at, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*at >= cap) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(buf + *at, cap - *at, fmt, ap);
    va_end(ap);
    *at += n > 0 ? (size_t)n : 0;
}

/* The real part of point `p` (column-major) of a numeric wave. */
static double point_value(waveHndl w, const CountInt *dims, int num_dims, IndexInt p)
{
    IndexInt indices[MAX_DIMENSIONS] = {0};
    double value[2] = {0, 0};
    int d;

    for (d = 0; d < num_dims; d++) {
        indices[d] = p % dims[d];
        p /= dims[d];
    }
    MDGetNumericWavePointValue(w, indices, value);
    return value[0];
}

/* What the wave parameter looks like from Igor: a free wave's type, dimensions, points (real
   parts, column-major), data unit, dimension units, scaling (delta:offset) and note. */
static int describe_wave(void *params, void *result)
{
    waveHndl w = ((struct one_wave *)params)->w;
    CountInt dims[MAX_DIMENSIONS + 1];
    DataFolderHandle df = NULL;
    char text[1024], unit[MAX_UNIT_CHARS + 1];
    size_t at = 0;
    int num_dims = 0, d;
    IndexInt p, points;
    Handle note;

    if (w == NULL || MDGetWaveDimensions(w, &num_dims, dims) != 0) {
        *(Handle *)result = igor_new_string("no wave");
        return 0;
    }
    add(text, sizeof text, &at, "free=%d type=%d dims=",
        GetWavesDataFolder(w, &df) == 0 && df == NULL, WaveType(w));
    for (d = 0; d < num_dims; d++) {
        add(text, sizeof text, &at, "%s%lld", d > 0 ? "," : "", (long long)dims[d]);
    }
    add(text, sizeof text, &at, " data=");
    points = (IndexInt)WavePoints(w);
    for (p = 0; p < points; p++) {
        if (WaveType(w) == WAVE_TYPE) { /* elements: their number of points, or null */
            const waveHndl element = ((waveHndl *)WaveData(w))[p];

            add(text, sizeof text, &at, element != NULL ? "%s%lld" : "%snull", p > 0 ? "," : "",
                element != NULL ? (long long)WavePoints(element) : 0LL);
        } else {
            add(text, sizeof text, &at, "%s%g", p > 0 ? "," : "",
                point_value(w, dims, num_dims, p));
        }
    }
    MDGetWaveUnits(w, -1, unit);
    add(text, sizeof text, &at, " unit=%s dunits=", unit);
    for (d = 0; d < num_dims; d++) {
        MDGetWaveUnits(w, d, unit);
        add(text, sizeof text, &at, "%s%s", d > 0 ? "," : "", unit);
    }
    add(text, sizeof text, &at, " scale=");
    for (d = 0; d < num_dims; d++) {
        double delta = 0, offset = 0;

        MDGetWaveScaling(w, d, &delta, &offset);
        add(text, sizeof text, &at, "%s%g:%g", d > 0 ? "," : "", delta, offset);
    }
    note = WaveNoteCopy(w);
    add(text, sizeof text, &at, " note=%.*s", note != NULL ? (int)WMGetHandleSize(note) : 0,
        note != NULL ? *note : "");
    WMDisposeHandle(note);
    *(Handle *)result = igor_new_string(text);
    return 0;
}

/* A new free double wave of the parameter's dimensions with every point doubled. */
static int double_wave(void *params, void *result)
{
    waveHndl in = ((struct one_wave *)params)->w, out = NULL;
    CountInt dims[MAX_DIMENSIONS + 1];
    int num_dims = 0;
    IndexInt p, points;
    double *values;

    *(waveHndl *)result = NULL;
    if (in == NULL || MDGetWaveDimensions(in, &num_dims, dims) != 0) {
        return 0;
    }
    points = (IndexInt)WavePoints(in);
    if (MDMakeWave(&out, "free", (DataFolderHandle)(intptr_t)-1, dims, NT_FP64, 1) != 0) {
        return 0;
    }
    values = (double *)calloc((size_t)points + 1, sizeof *values);
    for (p = 0; p < points; p++) {
        values[p] = 2 * point_value(in, dims, num_dims, p);
    }
    MDStoreDPDataInNumericWave(out, values);
    free(values);
    *(waveHndl *)result = out;
    return 0;
}

static int number_param(void *params, void *result)
{
    *(double *)result = ((struct one_number *)params)->a;
    return 0;
}

int main(void)
{
    static const int wave[] = {WAVE_TYPE};
    static const int number[] = {NT_FP64};
    char port[16];
    long waves_before;

    sim_test_start("igor_sim_wave_params");
    igor_define_function("DescribeWave", HSTRING_TYPE, wave, 1, 1, describe_wave);
    igor_define_function("DoubleWave", WAVE_TYPE, wave, 1, 1, double_wave);
    igor_define_function("NumberParam", NT_FP64, number, 1, 1, number_param);
    snprintf(port, sizeof port, "%d", sim_bind_server());
    EXPECT_RC(CALL0(NULL, "zeromq_handler_start"), 0);
    waves_before = igor_live_waves();
    EXPECT(sim_run_client("wave_params", port, NULL, NULL) == 0);
    /* The free waves made for the parameters and results are gone once the calls ended. */
    igor_collect_free_waves();
    EXPECT(igor_live_waves() == waves_before);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    return sim_test_finish();
}
