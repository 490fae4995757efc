/* The simulated toolkit itself, without the XOP: the behaviour the glue relies on and that the
 * other programs take for granted (history paragraphs, text wave layouts, point access, data
 * folder paths, reference counts). */

#include "sim_test.h"

static void test_history(void)
{
    TULoc start = {0, 0}, end = {0, 0};
    Handle text = NULL;

    igor_history_clear();
    EXPECT(HistoryLines() == 1); /* one empty paragraph */
    igor_print("first");
    igor_print("second");
    EXPECT(HistoryLines() == 3); /* the empty paragraph after the last CR counts */
    start.paragraph = 1;
    end.paragraph = 2;
    EXPECT(HistoryFetchText(&start, &end, &text) == 0);
    EXPECT(text != NULL && WMGetHandleSize(text) == 7 && memcmp(*text, "second\r", 7) == 0);
    WMDisposeHandle(text);
    end.paragraph = 5;
    EXPECT(HistoryFetchText(&start, &end, &text) != 0 && text == NULL);
}

static void test_text_waves(void)
{
    waveHndl w = igor_make_wave(NULL, NULL, TEXT_WAVE_TYPE, 2, 0, 0, 0);
    waveHndl copy = igor_make_wave(NULL, NULL, TEXT_WAVE_TYPE, 2, 0, 0, 0);
    IndexInt second[MAX_DIMENSIONS] = {1};
    Handle all = NULL, point = WMNewHandle(0);
    const PSInt *offsets;

    igor_set_text_point(w, 0, "ab", 2);
    igor_set_text_point(w, 1, "c\0d", 3);
    EXPECT(GetTextWaveData(w, 2, &all) == 0);
    offsets = (const PSInt *)(const void *)*all;
    EXPECT(offsets[0] == 3 * (PSInt)sizeof(PSInt) && offsets[1] - offsets[0] == 2 &&
           offsets[2] - offsets[1] == 3);
    EXPECT(SetTextWaveData(copy, 2, all) == 0);
    EXPECT(MDGetTextWavePointValue(copy, second, point) == 0 && WMGetHandleSize(point) == 3 &&
           memcmp(*point, "c\0d", 3) == 0);
    WMDisposeHandle(all);
    EXPECT(GetTextWaveData(w, 1, &all) == 0);
    offsets = (const PSInt *)(const void *)*all;
    EXPECT(offsets[1] - offsets[0] == 3); /* with the terminator */
    WMDisposeHandle(all);
    WMDisposeHandle(point);
    ReleaseWave(&w);
    ReleaseWave(&copy);
}

static void test_numeric_access(void)
{
    static const int types[] = {NT_FP32, NT_FP64, NT_I8, NT_I16, NT_I32, NT_I64,
                                NT_I8 | NT_UNSIGNED, NT_I32 | NT_UNSIGNED, NT_FP64 | NT_CMPLX,
                                NT_I16 | NT_CMPLX};
    size_t t;

    for (t = 0; t < sizeof types / sizeof types[0]; t++) {
        waveHndl w = igor_make_wave(NULL, NULL, types[t], 2, 2, 0, 0);
        IndexInt at[MAX_DIMENSIONS] = {1, 1};
        const double in[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        double value[2] = {7, 3};
        BCInt offset = -1;

        EXPECT(MDSetNumericWavePointValue(w, at, value) == 0);
        value[0] = value[1] = 0;
        EXPECT(MDGetNumericWavePointValue(w, at, value) == 0 && value[0] == 7);
        EXPECT(value[1] == ((types[t] & NT_CMPLX) ? 3 : 0));
        EXPECT(MDAccessNumericWaveData(w, kMDWaveAccessMode0, &offset) == 0 && offset == 0 &&
               (char *)*w + offset == (char *)WaveData(w));
        EXPECT(MDStoreDPDataInNumericWave(w, in) == 0);
        at[0] = 1;
        at[1] = 0;
        EXPECT(MDGetNumericWavePointValue(w, at, value) == 0);
        /* point (1, 0) is the second point: its value, or its real part */
        EXPECT(value[0] == ((types[t] & NT_CMPLX) ? 3 : 2));
        at[1] = 2; /* out of range */
        EXPECT(MDGetNumericWavePointValue(w, at, value) == kParameterOutOfRange);
        ReleaseWave(&w);
    }
}

/* GetNamedDataFolder with its path in a buffer of the declared size. */
static int named(const char *path, DataFolderHandle *found)
{
    char buf[MAXCMDLEN + 1];

    snprintf(buf, sizeof buf, "%s", path);
    return GetNamedDataFolder(NULL, buf, found);
}

static void test_folders_and_strings(void)
{
    DataFolderHandle a = igor_folder("root:A:B"), found = NULL, parent = NULL;
    char text[8];
    Handle h = WMNewHandle(0);

    EXPECT(named("root:A:B:", &found) == 0 && found == a);
    EXPECT(named("root:A:B", &found) == 0 && found == a);
    EXPECT(SetCurrentDataFolder(igor_folder("root:A")) == 0);
    EXPECT(named(":B", &found) == 0 && found == a);
    EXPECT(named("B", &found) == 0 && found == a);
    EXPECT(named("root", &found) == 0 && found == NULL); /* a name */
    EXPECT(named("::", &found) == 0 && found == igor_folder("root:")); /* one level up */
    EXPECT(GetParentDataFolder(a, &parent) == 0 && parent == igor_folder("root:A"));
    EXPECT(SetCurrentDataFolder(igor_folder("root:")) == 0);
    (void)igor_make_wave("named", NULL, NT_FP64, 1, 0, 0, 0);
    EXPECT(FetchWave("NAMED") != NULL && FetchWave("other") == NULL);

    EXPECT(PutCStringInHandle("abc", h) == 0 && WMGetHandleSize(h) == 3);
    EXPECT(GetCStringFromHandle(h, text, 3) == 0 && strcmp(text, "abc") == 0);
    EXPECT(GetCStringFromHandle(h, text, 2) != 0);
    WMDisposeHandle(h);
}

int main(void)
{
    igor_sim_start(NULL);
    test_history();
    test_text_waves();
    test_numeric_access();
    test_folders_and_strings();
    EXPECT(igor_sim_live_handles() == 0);
    printf("igor_sim_toolkit: %s\n", sim_test_failures == 0 ? "all checks passed" : "FAILED");
    printf("%d passed, %d failed\n", sim_test_failures == 0 ? 1 : 0, sim_test_failures == 0 ? 0 : 1);
    return sim_test_failures == 0 ? 0 : 1;
}
