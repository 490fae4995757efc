/* Internal interface of the ZeroMQ XOP glue: the pieces shared by the function wrappers, the
 * dispatcher and the XOP entry points. Everything here uses the xop_ prefix so that it never
 * collides with the library's zeromq_ symbols. */

#ifndef XOP_GLUE_H
#define XOP_GLUE_H

#include "xop_functions.h"
#include "zeromq_xop.h"

#include <stddef.h>
#include <stdint.h>

/* Milliseconds one receive attempt waits before the busy-wait loop checks for a user abort
   and lets Igor run its idle processing. */
#define XOP_RECV_SLICE_MS 1

/* Levels of nested wave-reference waves that are serialized, counting the outermost (the
   library's limit; also stops reference cycles). */
#define XOP_MAX_WAVE_NESTING 32

/* --- history output (xop_util.c) ------------------------------------------------------------ */

/* Prints `len` bytes to Igor's history as one notice ending in CR (line feeds become CRs,
   trailing line ends are dropped, empty text prints nothing). With `mark_modified` the
   experiment counts as modified. Only from Igor's threads. */
void xop_print(const char *text, size_t len, int mark_modified);

/* Prints the calling thread's library failure text (zeromq_last_error) and returns `code`:
   the error path of every wrapper after a failed zeromq_* call. */
int xop_fail(int code);

/* Prints `text` and returns `code`: the error path for failures the glue detects itself. */
int xop_fail_text(int code, const char *text);

/* --- string handles (xop_util.c) ------------------------------------------------------------ */

/* The bytes of an Igor string handle (NULL handle: empty); valid until the handle changes. */
const char *xop_handle_bytes(Handle h, size_t *len);

/* Disposes an input string handle the XOP owns and clears the field; NULL is fine. */
void xop_dispose(Handle *h);

/* A new handle holding a copy of `len` bytes; 0 or NOMEM. */
int xop_new_handle(const void *data, size_t len, Handle *out);

/* Stores `len` bytes in the handle `*h`, reusing it when present (by-reference string
   parameters and results); 0 or NOMEM. */
int xop_store_handle(Handle *h, const void *data, size_t len);

/* Frame `index` of a message; NULL data with length 0 when the frame is missing. */
const uint8_t *xop_frame(const zeromq_message *msg, size_t index, size_t *len);

/* --- receiving (xop_util.c) ------------------------------------------------------------------ */

typedef int32_t (*xop_recv_fn)(int32_t timeout_ms, zeromq_message **out);

/* The reference's receive loop: tries `recv` in short slices; while nothing arrives and
   busy-waiting is on (not ZEROMQ_SET_FLAGS_NOBUSYWAITRECV), checks for a user abort and, on
   the main thread, lets Igor run idle processing (DoXOPIdle) so queued remote calls run
   meanwhile. Returns 0 with *out set to the message, or 0 with *out NULL when nothing arrived
   (no busy-waiting, or the user aborted), or an error code (already printed). */
int xop_receive(xop_recv_fn recv, zeromq_message **out);

/* --- waves and data folders (xop_wave.c) ----------------------------------------------------- */

/* Size in bytes of one point of a numeric wave type (complex: both parts), 0 for text,
   wave-reference, data-folder-reference and unknown types. */
size_t xop_element_size(int wave_type);

/* Writes the protocol's text for a data folder reference into `buf` (capacity MAXCMDLEN + 1):
   its full path with trailing colon, "free" or "null" (SPEC 5.6). Returns the length. */
size_t xop_dfref_text(DataFolderHandle df, char *buf);

/* Builds the library's description of an Igor wave with every property of SPEC 5 (type,
   dimensions, data, scaling, units, labels, full scale, note, modification date). A NULL
   wave gives *out = NULL (the null wave). Returns 0, or an error code (nothing printed) with
   a detail text in `detail` (capacity `detail_cap`, may be NULL). */
int xop_wave_build(waveHndl wave, zeromq_wave **out, char *detail, size_t detail_cap);

/* Whether a wave is free (not in any data folder). */
int xop_is_free_wave(waveHndl wave);

/* --- wave parameters (xop_wave_params.c) ------------------------------------------------------ */

/* A free wave built from wave parameter `index` of the call (type, dimensions, points,
   scaling, units, labels, full scale, note; nested waves and data folder references too),
   owned by the caller (ReleaseWave). Returns 0 or ZEROMQ_REQ_INVALID_PARAM_FORMAT. */
int xop_wave_param(const zeromq_call *call, size_t index, waveHndl *out);

/* --- remote calls (xop_dispatch.c) ----------------------------------------------------------- */

/* The dispatcher installed with zeromq_set_dispatcher: runs the named user function the way
   the reference XOP does (SPEC 4.4 to 4.6) and answers through `reply`. */
void xop_dispatch(void *user_data, const zeromq_call *call, zeromq_reply *reply);

#endif /* XOP_GLUE_H */
