/* zeromq_pub_send_multi and zeromq_sub_recv_multi: multipart messages as wave-reference
 * waves (WAVEWAVE), one row per frame. Rows 0 and 1 (filter and first payload) are
 * single-point text waves; further rows are text or numeric waves whose raw bytes form the
 * frame (SPEC 2.11 and 2.16). */

#include "xop_glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether `type` is a numeric wave type this glue can read and write. */
static int is_numeric(int type)
{
    return type != TEXT_WAVE_TYPE && type != WAVE_TYPE && type != DATAFOLDER_TYPE &&
           xop_element_size(type) > 0;
}

/* Checks the container of a _multi function: 0, NOWAV or XOP_ERR_INVALID_TYPE. */
static int check_container(waveHndl container, const char *function)
{
    char detail[160];

    if (container == NULL) {
        return NOWAV;
    }
    if (WaveType(container) != WAVE_TYPE) {
        snprintf(detail, sizeof detail, "%s: the payload must be a wave reference wave (WAVE/WAVE).",
                 function);
        return xop_fail_text(XOP_ERR_INVALID_TYPE, detail);
    }
    return 0;
}

/* The wave in row `row` of a wave-reference wave. */
static waveHndl row_wave(waveHndl container, CountInt row)
{
    return ((waveHndl *)WaveData(container))[row];
}

/* Checks a row's wave type: 0 or XOP_ERR_INVALID_TYPE (with the detail printed). */
static int check_row_type(int type, CountInt row, const char *function)
{
    char detail[200];

    if (type == TEXT_WAVE_TYPE) {
        return 0;
    }
    if (row < 2) {
        snprintf(detail, sizeof detail, "%s: row %d must be a text wave (filter and payload).",
                 function, (int)row);
        return xop_fail_text(XOP_ERR_INVALID_TYPE, detail);
    }
    if (!is_numeric(type)) {
        snprintf(detail, sizeof detail,
                 "%s: row %d must be a text or numeric wave, not a wave or data folder "
                 "reference wave.",
                 function, (int)row);
        return xop_fail_text(XOP_ERR_INVALID_TYPE, detail);
    }
    return 0;
}

int xop_zeromq_pub_send_multi(struct xop_zeromq_pub_send_multi_params *p)
{
    static const char function[] = "zeromq_pub_send_multi";
    waveHndl container = p->payload;
    CountInt dims[MAX_DIMENSIONS + 1];
    IndexInt first_point[MAX_DIMENSIONS];
    int num_dims = 0, rc;
    CountInt rows, i;
    zeromq_frame *frames = NULL;
    Handle *texts = NULL;

    p->result = 0;
    rc = check_container(container, function);
    if (rc != 0) {
        return rc;
    }
    memset(dims, 0, sizeof dims);
    memset(first_point, 0, sizeof first_point);
    rc = MDGetWaveDimensions(container, &num_dims, dims);
    if (rc != 0) {
        return rc;
    }
    rows = dims[0];
    if (rows < 2 || dims[1] > 1) {
        return xop_fail_text(XOP_ERR_INVALID_TYPE,
                             "zeromq_pub_send_multi: the payload must be a 1D wave reference "
                             "wave with at least two rows.");
    }
    frames = (zeromq_frame *)calloc((size_t)rows, sizeof *frames);
    texts = (Handle *)calloc((size_t)rows, sizeof *texts);
    if (frames == NULL || texts == NULL) {
        rc = NOMEM;
        goto cleanup;
    }

    /* Check every row before anything is sent. */
    for (i = 0; i < rows; i++) {
        waveHndl wave = row_wave(container, i);
        int type;

        if (wave == NULL) {
            rc = NOWAV;
            goto cleanup;
        }
        type = WaveType(wave);
        rc = check_row_type(type, i, function);
        if (rc != 0) {
            goto cleanup;
        }
        if (type == TEXT_WAVE_TYPE) {
            CountInt text_dims[MAX_DIMENSIONS + 1];
            int text_num_dims = 0;

            memset(text_dims, 0, sizeof text_dims);
            rc = MDGetWaveDimensions(wave, &text_num_dims, text_dims);
            if (rc != 0) {
                goto cleanup;
            }
            if (text_dims[0] != 1 || text_dims[1] != 0 || text_dims[2] != 0 || text_dims[3] != 0) {
                rc = xop_fail_text(XOP_ERR_INVALID_TYPE, "Text waves need to be single point only");
                goto cleanup;
            }
            texts[i] = WMNewHandle(0);
            if (texts[i] == NULL) {
                rc = NOMEM;
                goto cleanup;
            }
            rc = MDGetTextWavePointValue(wave, first_point, texts[i]);
            if (rc != 0) {
                goto cleanup;
            }
            frames[i].data = *texts[i];
            frames[i].len = (size_t)WMGetHandleSize(texts[i]);
        } else {
            frames[i].data = WaveData(wave);
            frames[i].len = (size_t)WavePoints(wave) * xop_element_size(type);
        }
    }

    rc = zeromq_pub_send_multi(frames, (size_t)rows);
    if (rc != 0) {
        rc = xop_fail(rc);
    }

cleanup:
    if (texts != NULL) {
        for (i = 0; i < rows; i++) {
            xop_dispose(&texts[i]);
        }
    }
    free(texts);
    free(frames);
    return rc;
}

/* Stores one received frame in row `row` of the container (SPEC 2.16 step 3). */
static int store_frame(waveHndl container, CountInt row, const uint8_t *data, size_t len)
{
    static const char function[] = "zeromq_sub_recv_multi";
    waveHndl wave = row_wave(container, row);
    CountInt dims[MAX_DIMENSIONS + 1];
    IndexInt first_point[MAX_DIMENSIONS];
    int type, rc;

    memset(dims, 0, sizeof dims);
    memset(first_point, 0, sizeof first_point);

    if (wave == NULL) {
        /* A free wave: text for the filter and first payload, bytes for the rest. */
        type = row < 2 ? TEXT_WAVE_TYPE : (NT_I8 | NT_UNSIGNED);
        dims[0] = row < 2 ? 1 : (CountInt)len;
        rc = MDMakeWave(&wave, "free", (DataFolderHandle)(intptr_t)-1, dims, type, 1);
        if (rc != 0) {
            return rc;
        }
        rc = HoldWave(wave);
        if (rc != 0) {
            return rc;
        }
        ((waveHndl *)WaveData(container))[row] = wave;
    } else {
        size_t element;

        type = WaveType(wave);
        rc = check_row_type(type, row, function);
        if (rc != 0) {
            return rc;
        }
        /* Numeric waves get enough points for every byte; a partial last point is zeroed. */
        element = xop_element_size(type);
        dims[0] = type == TEXT_WAVE_TYPE ? 1 : (CountInt)((len + element - 1) / element);
        rc = MDChangeWave2(wave, -1, dims, 0);
        if (rc != 0) {
            return rc;
        }
    }

    if (type == TEXT_WAVE_TYPE) {
        Handle text = NULL;

        rc = xop_new_handle(data, len, &text);
        if (rc != 0) {
            return rc;
        }
        rc = MDSetTextWavePointValue(wave, first_point, text);
        xop_dispose(&text);
        return rc;
    }

    {
        const size_t total = (size_t)WavePoints(wave) * xop_element_size(type);
        char *dest = (char *)WaveData(wave);

        if (len > 0) {
            memcpy(dest, data, len);
        }
        if (total > len) {
            memset(dest + len, 0, total - len);
        }
        WaveHandleModified(wave);
    }
    return 0;
}

int xop_zeromq_sub_recv_multi(struct xop_zeromq_sub_recv_multi_params *p)
{
    waveHndl container = p->payload;
    zeromq_message *msg = NULL;
    CountInt dims[MAX_DIMENSIONS + 1];
    size_t count, i;
    int rc;

    p->result = 0;
    rc = xop_receive(zeromq_sub_recv_multi, &msg);
    if (rc != 0 || msg == NULL) {
        return rc; /* nothing arrived: the container is left alone */
    }

    /* As in the reference, the container is checked once a message was taken. */
    rc = check_container(container, "zeromq_sub_recv_multi");
    if (rc != 0) {
        goto cleanup;
    }
    count = zeromq_message_frame_count(msg);
    memset(dims, 0, sizeof dims);
    dims[0] = (CountInt)count;
    if (MDChangeWave2(container, -1, dims, 0) != 0) {
        rc = xop_fail_text(XOP_ERR_INTERNAL_ERROR,
                           "zeromq_sub_recv_multi: the payload wave could not be resized.");
        goto cleanup;
    }
    for (i = 0; i < count; i++) {
        size_t len;
        const uint8_t *data = xop_frame(msg, i, &len);

        rc = store_frame(container, (CountInt)i, data, len);
        if (rc != 0) {
            goto cleanup;
        }
    }
    WaveHandleModified(container);

cleanup:
    zeromq_message_free(msg);
    return rc;
}
