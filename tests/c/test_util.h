/* Helpers shared by the C test programs: checks that jump to the function's cleanup label,
 * clocks, temporary paths and small wrappers around the public API. Only zeromq_xop.h and the C
 * standard library are used here (plus the platform's clock and sleep). */
#ifndef ZX_TEST_UTIL_H
#define ZX_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "zeromq_xop.h"

#ifndef ZX_TEST_NAME
#define ZX_TEST_NAME "c-test"
#endif

/* Seconds after which a test program is killed, whatever it is waiting for (POSIX). */
#define ZX_WATCHDOG_S 100

/* A string literal as a (pointer, length) pair. */
#define LIT(s) (s), (sizeof(s) - 1)

/* Fails the current test (prints where and why) and jumps to `cleanup`. */
#define CHECK(cond)                                                                         \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      zx_fail(__FILE__, __LINE__, "CHECK(" #cond ")");                                      \
      goto cleanup;                                                                         \
    }                                                                                       \
  } while (0)

/* Checks that a call returns the expected status; prints both and the last error if not. */
#define CHECK_RC(call, expected)                                                            \
  do {                                                                                      \
    int32_t zx_rc_ = (call);                                                                \
    if (zx_rc_ != (int32_t)(expected)) {                                                    \
      zx_fail_rc(__FILE__, __LINE__, #call, zx_rc_, (int32_t)(expected));                   \
      goto cleanup;                                                                         \
    }                                                                                       \
  } while (0)

#define CHECK_OK(call) CHECK_RC((call), 0)

/* Checks that a call returns one of two accepted statuses. */
#define CHECK_RC2(call, expected_a, expected_b)                                             \
  do {                                                                                      \
    int32_t zx_rc_ = (call);                                                                \
    if (zx_rc_ != (int32_t)(expected_a) && zx_rc_ != (int32_t)(expected_b)) {               \
      zx_fail_rc(__FILE__, __LINE__, #call, zx_rc_, (int32_t)(expected_a));                 \
      goto cleanup;                                                                         \
    }                                                                                       \
  } while (0)

/* One test case: returns 0 on success, 1 on failure. */
typedef int (*zx_test_fn)(void);
typedef struct zx_test_case {
  const char *name;
  zx_test_fn fn;
} zx_test_case;

/* Runs the cases in order, each followed by zeromq_stop() (a case need not stop the library
 * itself), prints a summary, returns the process exit status. */
int zx_run(const zx_test_case *cases, size_t count);

void zx_fail(const char *file, int line, const char *what);
void zx_fail_rc(const char *file, int line, const char *call, int32_t got, int32_t expected);
/* Prints a progress or skip note (stdout, prefixed with the test program's name). */
void zx_note(const char *fmt, ...);

/* Milliseconds of a monotonic clock. */
int64_t zx_now_ms(void);
void zx_sleep_ms(int32_t ms);
/* The process id (for unique temporary names). */
long zx_pid(void);
/* Writes "<temp dir>/<prefix>-<pid>-<suffix>" into buf; returns 0 or -1 if it does not fit. */
int zx_temp_path(char *buf, size_t cap, const char *prefix, const char *suffix);

/* An ipc endpoint of this test program: its socket file "<temp dir>/<prefix>-<pid>-sock.ipc"
 * (a stale one removed) into path, "ipc://<path>" into endpoint; 0, or -1 if either does not
 * fit. */
int zx_ipc_endpoint(char *path, size_t path_cap, char *endpoint, size_t endpoint_cap,
                    const char *prefix);
/* Stops the library (closing every ipc socket), then removes the socket file at path (nothing
 * when path is empty). */
void zx_stop_and_remove(const char *path);

/* The calling thread's last error text (NUL-terminated, possibly truncated to cap). */
const char *zx_last_error(char *buf, size_t cap);

/* Copies frame `frame` of the role's endpoint list NUL-terminated into buf. */
int32_t zx_endpoint(int32_t role, size_t frame, char *buf, size_t cap);
/* The number of endpoints of a role (0 when the library reports none). */
int32_t zx_endpoint_count(int32_t role, size_t *count);
/* The port of a "tcp://host:port" endpoint, or -1. */
long zx_endpoint_port(const char *endpoint);

/* 1 if frame `index` of msg has exactly the given bytes, else 0 (prints the difference). */
int zx_frame_is(const zeromq_message *msg, size_t index, const void *data, size_t len);
/* 1 if frame `index` of msg starts with the given bytes. */
int zx_frame_starts_with(const zeromq_message *msg, size_t index, const void *data, size_t len);

/* Subscriber: receives (zeromq_sub_recv_multi) until a message arrives whose first frame is not
 * "heartbeat" and does not start with "sync"; stores it in *out (NULL if none arrived before the
 * deadline). Returns the library status of the first failing receive. */
int32_t zx_sub_next(int32_t timeout_ms, zeromq_message **out);
/* Publisher + subscriber: publishes [topic, "sync"] every 50 ms until the subscriber receives a
 * message on `topic` (the subscriber must have a filter matching it). Returns 0, or -1 if none
 * arrived within timeout_ms, or a library status. */
int32_t zx_sub_sync(const char *topic, int32_t timeout_ms);

/* Client + server round trip: client sends payload, server receives it within timeout_ms and
 * checks it; the identity is copied into id (cap bytes) with its length in *id_len. */
int32_t zx_client_to_server(const void *payload, size_t len, char *id, size_t cap, size_t *id_len);

/* Generic sockets: a socket of bind_type bound to a loopback port and one of connect_type
 * connected to it. */
int32_t zx_socket_pair(int32_t bind_type, int32_t connect_type, uint64_t *bound,
                       uint64_t *connected);
/* Copies endpoint `frame` of a generic socket NUL-terminated into buf. */
int32_t zx_socket_endpoint(uint64_t id, size_t frame, char *buf, size_t cap);
/* Sends `count` NUL-terminated strings as one message. */
int32_t zx_send_strs(uint64_t id, const char *const *frames, size_t count, int32_t timeout_ms);
/* 1 when the next message (within timeout_ms) has exactly these frames, else 0 (prints why). */
int zx_recv_is(uint64_t id, int32_t timeout_ms, const char *const *frames, size_t count);

#endif
