#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "test_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
#include <process.h>
#include <windows.h>
#else
#include <time.h>
#include <unistd.h>
#endif

void zx_fail(const char *file, int line, const char *what) {
  char err[512];
  fprintf(stderr, "%s: FAIL %s:%d: %s\n", ZX_TEST_NAME, file, line, what);
  fprintf(stderr, "%s:   zeromq_last_error: \"%s\"\n", ZX_TEST_NAME,
          zx_last_error(err, sizeof err));
  fflush(stderr);
}

void zx_fail_rc(const char *file, int line, const char *call, int32_t got, int32_t expected) {
  char err[512];
  fprintf(stderr, "%s: FAIL %s:%d: %s returned %ld, expected %ld\n", ZX_TEST_NAME, file, line,
          call, (long)got, (long)expected);
  fprintf(stderr, "%s:   zeromq_last_error: \"%s\"\n", ZX_TEST_NAME,
          zx_last_error(err, sizeof err));
  fflush(stderr);
}

void zx_note(const char *fmt, ...) {
  va_list ap;
  printf("%s: ", ZX_TEST_NAME);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
}

int zx_run(const zx_test_case *cases, size_t count) {
  size_t failed = 0;
  size_t i;
#ifndef _WIN32
  /* Whatever blocks, the program ends: SIGALRM terminates it. */
  alarm(ZX_WATCHDOG_S);
#endif
  for (i = 0; i < count; i++) {
    int64_t start = zx_now_ms();
    int rc;
    printf("%s: RUN  %s\n", ZX_TEST_NAME, cases[i].name);
    fflush(stdout);
    rc = cases[i].fn();
    /* Whatever a case left open (it may have failed half-way), the next starts from nothing. */
    zeromq_stop();
    printf("%s: %s %s (%lld ms)\n", ZX_TEST_NAME, rc == 0 ? "OK  " : "FAIL", cases[i].name,
           (long long)(zx_now_ms() - start));
    fflush(stdout);
    if (rc != 0) {
      failed++;
    }
  }
  printf("%s: %lu of %lu cases failed\n", ZX_TEST_NAME, (unsigned long)failed,
         (unsigned long)count);
  fflush(stdout);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int64_t zx_now_ms(void) {
#ifdef _WIN32
  return (int64_t)GetTickCount64();
#else
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
    return 0;
  }
  return (int64_t)ts.tv_sec * 1000 + (int64_t)(ts.tv_nsec / 1000000);
#endif
}

void zx_sleep_ms(int32_t ms) {
#ifdef _WIN32
  Sleep((DWORD)ms);
#else
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
#endif
}

long zx_pid(void) {
#ifdef _WIN32
  return (long)_getpid();
#else
  return (long)getpid();
#endif
}

int zx_temp_path(char *buf, size_t cap, const char *prefix, const char *suffix) {
  const char *dir = "/tmp";
  int n;
#ifdef _WIN32
  dir = getenv("TEMP");
  if (dir == NULL) {
    dir = ".";
  }
#endif
  n = snprintf(buf, cap, "%s/%s-%ld-%s", dir, prefix, zx_pid(), suffix);
  return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

int zx_ipc_endpoint(char *path, size_t path_cap, char *endpoint, size_t endpoint_cap,
                    const char *prefix) {
  int n;
  if (zx_temp_path(path, path_cap, prefix, "sock.ipc") != 0) {
    return -1;
  }
  remove(path);
  n = snprintf(endpoint, endpoint_cap, "ipc://%s", path);
  return (n < 0 || (size_t)n >= endpoint_cap) ? -1 : 0;
}

void zx_stop_and_remove(const char *path) {
  zeromq_stop();
  if (path[0] != '\0') {
    remove(path);
  }
}

const char *zx_last_error(char *buf, size_t cap) {
  size_t len = 0;
  if (cap == 0) {
    return "";
  }
  buf[0] = '\0';
  if (zeromq_last_error(buf, cap, &len) != 0) {
    snprintf(buf, cap, "(zeromq_last_error failed)");
  }
  return buf;
}

/* Copies frame `frame` of msg NUL-terminated into buf: 0, or -1 when msg is NULL, has no such
 * frame or the frame does not fit. */
static int32_t copy_frame_text(const zeromq_message *msg, size_t frame, char *buf, size_t cap) {
  const uint8_t *data = NULL;
  size_t len = 0;
  if (msg == NULL || zeromq_message_frame(msg, frame, &data, &len) != 0 || len >= cap) {
    return -1;
  }
  if (len > 0) {
    memcpy(buf, data, len);
  }
  buf[len] = '\0';
  return 0;
}

int32_t zx_endpoint(int32_t role, size_t frame, char *buf, size_t cap) {
  zeromq_message *msg = NULL;
  int32_t rc = zeromq_endpoints(role, &msg);
  if (rc == 0) {
    rc = copy_frame_text(msg, frame, buf, cap);
  }
  zeromq_message_free(msg);
  return rc;
}

int32_t zx_endpoint_count(int32_t role, size_t *count) {
  zeromq_message *msg = NULL;
  int32_t rc = zeromq_endpoints(role, &msg);
  if (rc != 0) {
    return rc;
  }
  *count = msg == NULL ? 0 : zeromq_message_frame_count(msg);
  zeromq_message_free(msg);
  return 0;
}

long zx_endpoint_port(const char *endpoint) {
  const char *colon = strrchr(endpoint, ':');
  char *end = NULL;
  long port;
  if (colon == NULL || colon[1] == '\0') {
    return -1;
  }
  port = strtol(colon + 1, &end, 10);
  if (end == NULL || *end != '\0' || port <= 0 || port > 65535) {
    return -1;
  }
  return port;
}

static void print_bytes(const char *label, const void *data, size_t len) {
  const unsigned char *p = (const unsigned char *)data;
  size_t i;
  fprintf(stderr, "%s:   %s (%lu bytes):", ZX_TEST_NAME, label, (unsigned long)len);
  for (i = 0; i < len && i < 48; i++) {
    if (p[i] >= 0x20 && p[i] < 0x7f) {
      fprintf(stderr, " %c", p[i]);
    } else {
      fprintf(stderr, " \\x%02x", p[i]);
    }
  }
  fprintf(stderr, "%s\n", len > 48 ? " ..." : "");
}

int zx_frame_is(const zeromq_message *msg, size_t index, const void *data, size_t len) {
  const uint8_t *got = NULL;
  size_t got_len = 0;
  if (msg == NULL) {
    fprintf(stderr, "%s:   frame %lu: no message\n", ZX_TEST_NAME, (unsigned long)index);
    return 0;
  }
  if (zeromq_message_frame(msg, index, &got, &got_len) != 0) {
    fprintf(stderr, "%s:   frame %lu: zeromq_message_frame failed (%lu frames)\n", ZX_TEST_NAME,
            (unsigned long)index, (unsigned long)zeromq_message_frame_count(msg));
    return 0;
  }
  if (got_len == len && (len == 0 || (got != NULL && memcmp(got, data, len) == 0))) {
    return 1;
  }
  fprintf(stderr, "%s:   frame %lu differs\n", ZX_TEST_NAME, (unsigned long)index);
  print_bytes("expected", data, len);
  print_bytes("got     ", got, got_len);
  return 0;
}

int zx_frame_starts_with(const zeromq_message *msg, size_t index, const void *data, size_t len) {
  const uint8_t *got = NULL;
  size_t got_len = 0;
  if (msg == NULL || zeromq_message_frame(msg, index, &got, &got_len) != 0) {
    return 0;
  }
  if (got_len >= len && (len == 0 || memcmp(got, data, len) == 0)) {
    return 1;
  }
  fprintf(stderr, "%s:   frame %lu does not start with the expected bytes\n", ZX_TEST_NAME,
          (unsigned long)index);
  print_bytes("expected prefix", data, len);
  print_bytes("got            ", got, got_len);
  return 0;
}

static int is_ignored_topic(const zeromq_message *msg) {
  const uint8_t *topic = NULL;
  size_t len = 0;
  if (zeromq_message_frame(msg, 0, &topic, &len) != 0) {
    return 0;
  }
  if (len == 9 && memcmp(topic, "heartbeat", 9) == 0) {
    return 1;
  }
  return len >= 4 && memcmp(topic, "sync", 4) == 0;
}

int32_t zx_sub_next(int32_t timeout_ms, zeromq_message **out) {
  int64_t deadline = zx_now_ms() + timeout_ms;
  int32_t rc = 0;
  *out = NULL;
  for (;;) {
    zeromq_message *msg = NULL;
    int64_t left = deadline - zx_now_ms();
    if (left <= 0) {
      return 0;
    }
    rc = zeromq_sub_recv_multi((int32_t)left, &msg);
    if (rc != 0) {
      return rc;
    }
    if (msg == NULL) {
      continue;
    }
    if (is_ignored_topic(msg)) {
      zeromq_message_free(msg);
      continue;
    }
    *out = msg;
    return 0;
  }
}

int32_t zx_sub_sync(const char *topic, int32_t timeout_ms) {
  int64_t deadline = zx_now_ms() + timeout_ms;
  size_t topic_len = strlen(topic);
  while (zx_now_ms() < deadline) {
    zeromq_message *msg = NULL;
    int64_t until = zx_now_ms() + 50;
    int32_t rc = zeromq_pub_send(topic, topic_len, LIT("sync"));
    if (rc != 0) {
      return rc;
    }
    while (zx_now_ms() < until) {
      const uint8_t *got = NULL;
      size_t got_len = 0;
      int found;
      rc = zeromq_sub_recv(10, &msg);
      if (rc != 0) {
        return rc;
      }
      if (msg == NULL) {
        continue;
      }
      found = zeromq_message_frame(msg, 0, &got, &got_len) == 0 && got_len == topic_len &&
              memcmp(got, topic, topic_len) == 0;
      zeromq_message_free(msg);
      msg = NULL;
      if (found) {
        return 0;
      }
    }
  }
  return -1;
}

int32_t zx_client_to_server(const void *payload, size_t len, char *id, size_t cap, size_t *id_len) {
  zeromq_message *msg = NULL;
  const uint8_t *data = NULL;
  size_t data_len = 0;
  int32_t rc = zeromq_client_send((const char *)payload, len);
  if (rc != 0) {
    return rc;
  }
  rc = zeromq_server_recv(5000, &msg);
  if (rc != 0) {
    return rc;
  }
  rc = -1;
  if (msg == NULL) {
    fprintf(stderr, "%s:   the server received nothing within 5 s\n", ZX_TEST_NAME);
    goto cleanup;
  }
  if (zeromq_message_frame_count(msg) != 2 || !zx_frame_is(msg, 1, payload, len)) {
    goto cleanup;
  }
  if (zeromq_message_frame(msg, 0, &data, &data_len) != 0 || data_len > cap) {
    goto cleanup;
  }
  if (data_len > 0) {
    memcpy(id, data, data_len);
  }
  *id_len = data_len;
  rc = 0;
cleanup:
  zeromq_message_free(msg);
  return rc;
}

int32_t zx_socket_endpoint(uint64_t id, size_t frame, char *buf, size_t cap) {
  zeromq_message *msg = NULL;
  int32_t rc = zeromq_socket_endpoints(id, &msg);
  if (rc == 0 && copy_frame_text(msg, frame, buf, cap) != 0) {
    rc = ZEROMQ_ERR_INVALID_ARG;
  }
  zeromq_message_free(msg);
  return rc;
}

int32_t zx_socket_pair(int32_t bind_type, int32_t connect_type, uint64_t *bound,
                       uint64_t *connected) {
  char ep[256];
  int32_t rc = zeromq_socket_new(bind_type, bound);
  if (rc == 0) {
    rc = zeromq_socket_bind(*bound, LIT("tcp://127.0.0.1:*"));
  }
  if (rc == 0) {
    rc = zx_socket_endpoint(*bound, 0, ep, sizeof ep);
  }
  if (rc == 0) {
    rc = zeromq_socket_new(connect_type, connected);
  }
  if (rc == 0) {
    rc = zeromq_socket_connect(*connected, ep, strlen(ep));
  }
  return rc;
}

int32_t zx_send_strs(uint64_t id, const char *const *frames, size_t count, int32_t timeout_ms) {
  zeromq_frame parts[16];
  size_t i;
  if (count > 16) {
    return ZEROMQ_ERR_INVALID_ARG;
  }
  for (i = 0; i < count; i++) {
    parts[i].data = frames[i];
    parts[i].len = strlen(frames[i]);
  }
  return zeromq_socket_send(id, parts, count, timeout_ms);
}

int zx_recv_is(uint64_t id, int32_t timeout_ms, const char *const *frames, size_t count) {
  zeromq_message *msg = NULL;
  int ok = 0;
  size_t i;
  char err[512];
  int32_t rc = zeromq_socket_recv(id, timeout_ms, &msg);
  if (rc != 0) {
    fprintf(stderr, "%s: zeromq_socket_recv failed: %d %s\n", ZX_TEST_NAME, rc,
            zx_last_error(err, sizeof err));
    return 0;
  }
  if (msg == NULL) {
    fprintf(stderr, "%s: nothing received within %d ms\n", ZX_TEST_NAME, timeout_ms);
    return 0;
  }
  if (zeromq_message_frame_count(msg) != count) {
    fprintf(stderr, "%s: %lu frames received, %lu expected\n", ZX_TEST_NAME,
            (unsigned long)zeromq_message_frame_count(msg), (unsigned long)count);
  } else {
    ok = 1;
    for (i = 0; i < count && ok; i++) {
      ok = zx_frame_is(msg, i, frames[i], strlen(frames[i]));
    }
  }
  zeromq_message_free(msg);
  return ok;
}
