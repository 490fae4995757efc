/* Igor waves through the XOP: zeromq_test_serializeWave on waves with every property (SPEC 5)
 * and the multipart functions with their wave-reference containers (SPEC 2.11, 2.16). */

#include "sim_test.h"

#include <ctype.h>
#include <time.h>

/* The serialization of `wave` with the blanks outside strings removed (NULL on error). */
static char *serialize(waveHndl wave)
{
    igor_result r = {0, NULL};
    char *text, *out;
    size_t i, n = 0;
    int in_string = 0;

    if (CALL(&r, "zeromq_test_serializeWave", IGOR_WAVE(wave)) != 0) {
        return NULL;
    }
    text = sim_string(&r);
    out = (char *)malloc(strlen(text) + 1);
    for (i = 0; text[i] != '\0'; i++) {
        const char c = text[i];

        if (c == '"' && (i == 0 || text[i - 1] != '\\')) {
            in_string = !in_string;
        }
        if (in_string || !isspace((unsigned char)c)) {
            out[n++] = c;
        }
    }
    out[n] = '\0';
    free(text);
    return out;
}

#define EXPECT_JSON(json, part)                                                             \
    do {                                                                                    \
        if ((json) == NULL || strstr((json), (part)) == NULL) {                             \
            fprintf(stderr, "in: %s\n", (json) != NULL ? (json) : "(error)");               \
            sim_test_fail(__FILE__, __LINE__, "serialization has " part);                   \
        }                                                                                   \
    } while (0)
#define EXPECT_NO_JSON(json, part)                                                          \
    do {                                                                                    \
        if ((json) == NULL || strstr((json), (part)) != NULL) {                             \
            fprintf(stderr, "in: %s\n", (json) != NULL ? (json) : "(error)");               \
            sim_test_fail(__FILE__, __LINE__, "serialization lacks " part);                 \
        }                                                                                   \
    } while (0)

static void set_label(waveHndl w, int dim, IndexInt index, const char *text)
{
    char label[MAX_DIM_LABEL_BYTES + 1];

    snprintf(label, sizeof label, "%s", text);
    EXPECT(MDSetDimensionLabel(w, dim, index, label) == 0);
}

static void set_unit(waveHndl w, int dim, const char *text)
{
    char unit[MAX_UNIT_CHARS + 1];

    snprintf(unit, sizeof unit, "%s", text);
    EXPECT(MDSetWaveUnits(w, dim, unit) == 0);
}

static void test_serialize_properties(void)
{
    DataFolderHandle root = igor_folder("root:");
    waveHndl w;
    char *json;
    double a, b;

    json = serialize(NULL);
    EXPECT(json != NULL && strcmp(json, "null") == 0);
    free(json);

    /* A fresh Make/N=1 wave has none of the optional members. */
    w = igor_make_wave("fresh", root, NT_FP64, 1, 0, 0, 0);
    json = serialize(w);
    EXPECT_JSON(json, "\"type\":\"NT_FP64\"");
    EXPECT_JSON(json, "\"size\":[1]");
    EXPECT_JSON(json, "\"raw\":[0]");
    EXPECT_NO_JSON(json, "unit");
    EXPECT_NO_JSON(json, "label");
    EXPECT_NO_JSON(json, "fullScale");
    EXPECT_NO_JSON(json, "note");
    EXPECT_NO_JSON(json, "delta");
    free(json);

    /* The modification date is Igor's (local, since 1904) minus 1970-01-01. */
    igor_set_mod_date(w, (TickCountInt)(2082844800u + 1000u));
    json = serialize(w);
    EXPECT_JSON(json, "\"modification\":1000");
    free(json);

    /* Labels per dimension and per element (SPEC 5.8). */
    w = igor_make_wave("labels", root, NT_FP64, 2, 3, 0, 0);
    set_label(w, 0, 0, "myLabelRow0");
    set_label(w, 0, 1, "myLabelRow1");
    set_label(w, 1, 1, "myLabelCol1");
    set_label(w, 1, 2, "myLabelCol2");
    json = serialize(w);
    EXPECT_JSON(json, "\"each\":[\"myLabelRow0\",\"myLabelRow1\",\"\",\"myLabelCol1\",\"myLabelCol2\"]");
    EXPECT_NO_JSON(json, "\"full\"");
    free(json);
    set_label(w, 1, -1, "myLabel");
    json = serialize(w);
    EXPECT_JSON(json, "\"full\":[\"\",\"myLabel\"]");
    free(json);

    /* SetScale/P y 3, 4 on a 1x2 wave; units of the second dimension; data full scale. */
    w = igor_make_wave("scaled", root, NT_FP64, 1, 2, 0, 0);
    a = 4;
    b = 3;
    EXPECT(MDSetWaveScaling(w, 1, &a, &b) == 0);
    json = serialize(w);
    EXPECT_JSON(json, "\"delta\":[1,4]");
    EXPECT_JSON(json, "\"offset\":[0,3]");
    free(json);
    w = igor_make_wave("units", root, NT_FP64, 1, 2, 0, 0);
    set_unit(w, 1, "myUnit");
    a = 456;
    b = 123;
    EXPECT(MDSetWaveScaling(w, -1, &a, &b) == 0);
    set_unit(w, -1, "myUnit");
    json = serialize(w);
    EXPECT_JSON(json, "\"unit\":[\"\",\"myUnit\"]");
    EXPECT_JSON(json, "\"fullScale\":[123,456]");
    EXPECT_JSON(json, "\"unit\":\"myUnit\"");
    EXPECT_NO_JSON(json, "delta");
    free(json);

    /* A note keeps its UTF-8 and escapes quotes. */
    SetWaveNote(w, igor_new_string("äßü \"quoted\""));
    json = serialize(w);
    EXPECT_JSON(json, "\"note\":\"äßü \\\"quoted\\\"\"");
    free(json);

    /* Sizes: no points, four dimensions. */
    w = igor_make_wave("empty", root, NT_I32, 0, 0, 0, 0);
    json = serialize(w);
    EXPECT_JSON(json, "\"size\":[0]");
    EXPECT_JSON(json, "\"raw\":[]");
    free(json);
    w = igor_make_wave("fourD", root, NT_I8 | NT_UNSIGNED, 1, 2, 3, 4);
    json = serialize(w);
    EXPECT_JSON(json, "\"size\":[1,2,3,4]");
    EXPECT_JSON(json, "\"type\":\"NT_I8 | NT_UNSIGNED\"");
    free(json);
    w = igor_make_wave("cmplx", root, NT_I32 | NT_CMPLX | NT_UNSIGNED, 1, 0, 0, 0);
    json = serialize(w);
    EXPECT_JSON(json, "\"type\":\"NT_I32 | NT_CMPLX | NT_UNSIGNED\"");
    free(json);

    /* Text points are read as C strings: an embedded NUL ends the text. */
    w = igor_make_wave("text", root, TEXT_WAVE_TYPE, 2, 0, 0, 0);
    igor_set_text_point(w, 0, "ab\0cd", 5);
    igor_set_text_point(w, 1, "Grüße", strlen("Grüße"));
    json = serialize(w);
    EXPECT_JSON(json, "\"raw\":[\"ab\",\"Grüße\"]");
    free(json);

    /* Free waves have no date; reference waves nest. */
    w = igor_make_wave(NULL, NULL, WAVE_TYPE, 2, 0, 0, 0);
    {
        waveHndl inner = igor_make_wave(NULL, NULL, NT_FP32, 1, 0, 0, 0);
        ((float *)WaveData(inner))[0] = 0.1f;
        igor_set_ref_point(w, 1, inner);
        ReleaseWave(&inner);
    }
    json = serialize(w);
    EXPECT_JSON(json, "\"raw\":[null,{");
    EXPECT_JSON(json, "\"raw\":[0.1]");
    EXPECT_JSON(json, "\"modification\":0");
    free(json);
    ReleaseWave(&w);
    EXPECT(igor_sim_live_handles() == 0);
}

/* --- the multipart functions ------------------------------------------------------------------ */

static waveHndl text_wave(const char *text, CountInt points)
{
    waveHndl w = igor_make_wave(NULL, NULL, TEXT_WAVE_TYPE, points, 0, 0, 0);

    igor_set_text_point(w, 0, text, strlen(text));
    return w;
}

static waveHndl container(waveHndl row0, waveHndl row1, waveHndl row2)
{
    waveHndl c = igor_make_wave(NULL, NULL, WAVE_TYPE, row2 != NULL ? 3 : 2, 0, 0, 0);

    igor_set_ref_point(c, 0, row0);
    igor_set_ref_point(c, 1, row1);
    if (row2 != NULL) {
        igor_set_ref_point(c, 2, row2);
    }
    return c;
}

/* Publishes `sent` and receives into `into` (without busy-waiting) until the receive returns
   `rc` and, for 0, the container has `rows` rows (the subscription takes a moment to reach the
   publisher). Whether that happened within 500 rounds. */
static int round_trip(waveHndl sent, waveHndl into, int rc, CountInt rows)
{
    const struct timespec pause = {0, 10000000};
    int i;

    for (i = 0; i < 500; i++) {
        int got;

        EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(sent)), 0);
        nanosleep(&pause, NULL);
        got = CALL(NULL, "zeromq_sub_recv_multi", IGOR_WAVE(into));
        if (got == rc && (rc != 0 || WavePoints(into) == rows)) {
            return 1;
        }
    }
    return 0;
}

static void test_multi(void)
{
    waveHndl filter = text_wave("filter", 1), payload = text_wave("payload", 1);
    waveHndl numbers = igor_make_wave(NULL, NULL, NT_I16, 3, 0, 0, 0);
    waveHndl two_points = text_wave("x", 2);
    waveHndl good = container(filter, payload, numbers);
    waveHndl received = igor_make_wave(NULL, NULL, WAVE_TYPE, 0, 0, 0, 0);
    waveHndl bad;
    char endpoint[64];
    int got;

    ((int16_t *)WaveData(numbers))[0] = 1;
    ((int16_t *)WaveData(numbers))[1] = 2;
    ((int16_t *)WaveData(numbers))[2] = 3;

    EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(NULL)), NOWAV);
    EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(numbers)), ERR_INVALID_TYPE);
    bad = igor_make_wave(NULL, NULL, WAVE_TYPE, 1, 0, 0, 0);
    EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(bad)), ERR_INVALID_TYPE);
    ReleaseWave(&bad);
    bad = container(numbers, payload, NULL);
    EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(bad)), ERR_INVALID_TYPE);
    ReleaseWave(&bad);
    bad = container(two_points, payload, NULL);
    igor_history_clear();
    EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(bad)), ERR_INVALID_TYPE);
    EXPECT(igor_history_contains("Text waves need to be single point only"));
    ReleaseWave(&bad);
    bad = container(filter, NULL, NULL);
    EXPECT_RC(CALL(NULL, "zeromq_pub_send_multi", IGOR_WAVE(bad)), NOWAV);
    ReleaseWave(&bad);

    /* A round trip between the XOP's own publisher and subscriber. */
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", sim_free_port());
    EXPECT_RC(CALL(NULL, "zeromq_pub_bind", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_connect", IGOR_STR(endpoint)), 0);
    EXPECT_RC(CALL(NULL, "zeromq_sub_add_filter", IGOR_STR("filter")), 0);
    EXPECT_RC(CALL(NULL, "zeromq_set", IGOR_NUM(8)), 0); /* no busy-waiting */
    EXPECT_RC(CALL(NULL, "zeromq_sub_recv_multi", IGOR_WAVE(received)), 0);
    EXPECT(WavePoints(received) == 0); /* nothing pending: untouched */
    got = round_trip(good, received, 0, 3);
    EXPECT(got);
    if (got) {
        waveHndl *rows = (waveHndl *)WaveData(received);
        Handle text = WMNewHandle(0);
        IndexInt first[MAX_DIMENSIONS] = {0};

        EXPECT(WaveType(rows[0]) == TEXT_WAVE_TYPE && WaveType(rows[1]) == TEXT_WAVE_TYPE);
        EXPECT(MDGetTextWavePointValue(rows[1], first, text) == 0 &&
               WMGetHandleSize(text) == 7 && memcmp(*text, "payload", 7) == 0);
        /* Further frames arrive as free unsigned byte waves. */
        EXPECT(WaveType(rows[2]) == (NT_I8 | NT_UNSIGNED) && WavePoints(rows[2]) == 6);
        EXPECT(memcmp(WaveData(rows[2]), WaveData(numbers), 6) == 0);
        WMDisposeHandle(text);
    }
    /* Rows that hold waves keep them: text is redimensioned to one point, numeric waves to
       enough points for every byte (the partial last point zeroed); surplus rows go. */
    {
        waveHndl kept = igor_make_wave(NULL, NULL, WAVE_TYPE, 4, 0, 0, 0);
        waveHndl text3 = text_wave("old", 3), int32 = igor_make_wave(NULL, NULL, NT_I32, 1, 0, 0, 0);
        waveHndl surplus = igor_make_wave(NULL, NULL, NT_FP64, 1, 0, 0, 0);
        waveHndl *rows;

        igor_set_ref_point(kept, 0, text3);
        igor_set_ref_point(kept, 2, int32);
        igor_set_ref_point(kept, 3, surplus);
        ReleaseWave(&surplus); /* only the container holds it now */
        got = round_trip(good, kept, 0, 3);
        EXPECT(got);
        rows = (waveHndl *)WaveData(kept);
        EXPECT(rows[0] == text3 && WavePoints(text3) == 1);
        EXPECT(rows[1] != NULL && WaveType(rows[1]) == TEXT_WAVE_TYPE);
        EXPECT(rows[2] == int32 && WavePoints(int32) == 2);
        EXPECT(memcmp(WaveData(int32), WaveData(numbers), 6) == 0 &&
               ((int16_t *)WaveData(int32))[3] == 0);
        ReleaseWave(&kept);
        ReleaseWave(&text3);
        ReleaseWave(&int32);
    }
    /* A pending message and a container that is not a wave-reference wave, or a row that
       holds a reference wave: INVALID_TYPE once the message was taken. */
    EXPECT(round_trip(good, numbers, ERR_INVALID_TYPE, 0));
    bad = igor_make_wave(NULL, NULL, WAVE_TYPE, 3, 0, 0, 0);
    {
        waveHndl folders = igor_make_wave(NULL, NULL, DATAFOLDER_TYPE, 1, 0, 0, 0);
        igor_set_ref_point(bad, 2, folders);
        ReleaseWave(&folders);
    }
    EXPECT(round_trip(good, bad, ERR_INVALID_TYPE, 0));
    ReleaseWave(&bad);
    /* A pending message and no container: NOWAV once the message was taken. */
    EXPECT(round_trip(good, NULL, NOWAV, 0));
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    ReleaseWave(&received);
    ReleaseWave(&good);
    ReleaseWave(&filter);
    ReleaseWave(&payload);
    ReleaseWave(&numbers);
    ReleaseWave(&two_points);
    /* Every free wave was released: only the named waves of the first test are left. */
    igor_collect_free_waves();
    EXPECT(igor_live_waves() == 8);
}

int main(void)
{
    sim_test_start("igor_sim_waves");
    test_serialize_properties();
    test_multi();
    return sim_test_finish();
}
