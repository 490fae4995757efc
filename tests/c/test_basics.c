/* Conventions, messages, settings, output and library facts of the C ABI. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "test_util.h"

#include <stdio.h>
#include <string.h>

#ifndef _WIN32
#include <pthread.h>
#endif

#define ALL_SETTING_BITS                                                                  \
  (ZEROMQ_SET_FLAGS_DEBUG | ZEROMQ_SET_FLAGS_IPV6 | ZEROMQ_SET_FLAGS_NOBUSYWAITRECV |       \
   ZEROMQ_SET_FLAGS_LOGGING)

static int test_library_facts(void) {
  int result = 1;
  int32_t major = -1;
  int32_t minor = -1;
  int32_t patch = -1;
  const char *version = NULL;

  zeromq_libzmq_version(&major, &minor, &patch);
  zx_note("libzmq %ld.%ld.%ld", (long)major, (long)minor, (long)patch);
  CHECK(major == 4);
  CHECK(minor >= 0 && patch >= 0);

  version = zeromq_library_version();
  CHECK(version != NULL);
  CHECK(version[0] != '\0');
  zx_note("library version \"%s\", Cargo.toml says \"%s\"", version, ZX_EXPECTED_VERSION);
  CHECK(strcmp(version, ZX_EXPECTED_VERSION) == 0);
  /* A static string: the same pointer every time. */
  CHECK(zeromq_library_version() == version);

  CHECK(zeromq_has(LIT("ipc")) == 1);
  CHECK(zeromq_has(LIT("no such capability")) == 0);
  /* The length is honoured: "ipc" cut to two bytes is "ip", which is no capability. */
  CHECK(zeromq_has("ipc", 2) == 0);
  CHECK(zeromq_has(NULL, 0) == 0);
  CHECK(zeromq_has(NULL, 3) == 0);
  result = 0;
cleanup:
  return result;
}

static int contains(const char *haystack, const char *needle) {
  return strstr(haystack, needle) != NULL;
}

static int test_last_error(void) {
  int result = 1;
  char full[1024];
  char small[5];
  char one[1];
  size_t full_len = 0;
  size_t len = 0;

  /* A failure leaves a non-empty text; *len is its full length. */
  CHECK_RC(zeromq_set(-1), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  memset(full, 'x', sizeof full);
  CHECK_OK(zeromq_last_error(full, sizeof full, &full_len));
  CHECK(full_len > 0);
  CHECK(full_len < sizeof full);
  CHECK(strlen(full) == full_len);
  zx_note("last error after zeromq_set(-1): \"%s\"", full);
  CHECK(contains(full, "-1"));

  CHECK_RC(zeromq_set(32), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK_OK(zeromq_last_error(full, sizeof full, &full_len));
  zx_note("last error after zeromq_set(32): \"%s\"", full);
  CHECK(full_len > 0 && strlen(full) == full_len);
  CHECK(contains(full, "32"));
  CHECK(full_len > 4);

  /* Truncated to cap (NUL included), *len still the full length. */
  memset(small, 'x', sizeof small);
  len = 0;
  CHECK_OK(zeromq_last_error(small, sizeof small, &len));
  CHECK(len == full_len);
  CHECK(small[sizeof small - 1] == '\0');
  CHECK(strlen(small) == sizeof small - 1);
  CHECK(memcmp(small, full, sizeof small - 1) == 0);

  one[0] = 'x';
  len = 0;
  CHECK_OK(zeromq_last_error(one, sizeof one, &len));
  CHECK(one[0] == '\0');
  CHECK(len == full_len);

  /* No buffer at all: only the length. A NULL buffer with a capacity is an invalid argument. */
  len = 0;
  CHECK_OK(zeromq_last_error(NULL, 0, &len));
  CHECK(len == full_len);
  CHECK_RC(zeromq_last_error(NULL, 16, &len), ZEROMQ_ERR_INVALID_ARG);

  /* The text of a failing bind names the endpoint. */
  CHECK_RC(zeromq_server_bind(LIT("abcd:1234")), ZEROMQ_ERR_INVALID_ARG);
  CHECK_OK(zeromq_last_error(full, sizeof full, &full_len));
  zx_note("last error after zeromq_server_bind(\"abcd:1234\"): \"%s\"", full);
  CHECK(full_len > 0);
  CHECK(contains(full, "abcd:1234"));
  result = 0;
cleanup:
  zeromq_stop();
  return result;
}

/* zeromq_error_text: the library's own texts for status and REQ codes, truncation, bad numbers. */
static int test_error_text(void) {
  int result = 1;
  char buf[128];
  size_t len = 0;
  CHECK_OK(zeromq_error_text(ZEROMQ_ERR_INVALID_ARG, buf, sizeof buf, &len));
  CHECK(strcmp(buf, "Invalid argument!") == 0);
  CHECK(len == strlen("Invalid argument!"));
  CHECK_OK(zeromq_error_text(ZEROMQ_REQ_NON_EXISTING_FUNCTION, buf, sizeof buf, &len));
  CHECK(strcmp(buf, "CallFunction: Unknown function.") == 0);
  CHECK_OK(zeromq_error_text(ZEROMQ_ERR_CLOSED, buf, sizeof buf, NULL));
  CHECK(strlen(buf) > 0);
  CHECK_OK(zeromq_error_text(ZEROMQ_ERR_TIMEOUT, NULL, 0, &len));
  CHECK(len > 0);
  char small[5] = {0};
  CHECK_OK(zeromq_error_text(ZEROMQ_ERR_INVALID_ARG, small, sizeof small, &len));
  CHECK(strcmp(small, "Inva") == 0);
  CHECK(len == strlen("Invalid argument!"));
  buf[0] = 'x';
  CHECK_RC(zeromq_error_text(12345, buf, sizeof buf, &len), ZEROMQ_ERR_INVALID_ARG);
  CHECK(buf[0] == 'x');
  CHECK_RC(zeromq_error_text(ZEROMQ_ERR_INVALID_ARG, NULL, 4, &len), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  return result;
}

#ifndef _WIN32
typedef struct thread_result {
  int32_t rc;
  char text[512];
} thread_result;

static void *failing_thread(void *arg) {
  thread_result *r = (thread_result *)arg;
  size_t len = 0;
  r->rc = zeromq_pub_bind(LIT("abcd:1234"));
  r->text[0] = '\0';
  if (zeromq_last_error(r->text, sizeof r->text, &len) != 0) {
    r->text[0] = '\0';
  }
  return NULL;
}
#endif

static int test_last_error_is_per_thread(void) {
#ifdef _WIN32
  zx_note("SKIP: per-thread last error (POSIX threads only)");
  return 0;
#else
  int result = 1;
  pthread_t thread;
  thread_result r;
  char text[512];
  size_t len = 0;

  memset(&r, 0, sizeof r);
  CHECK_RC(zeromq_set(32), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK(pthread_create(&thread, NULL, failing_thread, &r) == 0);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK_RC(r.rc, ZEROMQ_ERR_INVALID_ARG);
  zx_note("other thread's last error: \"%s\"", r.text);
  CHECK(contains(r.text, "abcd:1234"));
  CHECK_OK(zeromq_last_error(text, sizeof text, &len));
  zx_note("this thread's last error: \"%s\"", text);
  CHECK(contains(text, "32"));
  CHECK(!contains(text, "abcd:1234"));
  result = 0;
cleanup:
  zeromq_stop();
  return result;
#endif
}

static int test_set_and_flags(void) {
  int result = 1;
  char log_path[512];
  zeromq_message *msg = NULL;
  int32_t before;
  int64_t start;
  int64_t elapsed;

  log_path[0] = '\0';
  /* Logging gets switched on below; keep any log lines out of the user's files. */
  CHECK(zx_temp_path(log_path, sizeof log_path, "zeromq-xop-basics", "log.jsonl") == 0);
  CHECK_OK(zeromq_set_log_path(log_path, strlen(log_path)));

  /* Initial settings: debug off, busy-waiting receive, no logging, no IPv6. */
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == 0);

  /* Not positive or no known bit: 10003, settings untouched. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  before = zeromq_flags();
  CHECK_RC(zeromq_set(0), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK_RC(zeromq_set(-1), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK_RC(zeromq_set(INT32_MIN), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK_RC(zeromq_set(32), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK_RC(zeromq_set(64), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK_RC(zeromq_set(32 | 64 | 1024), ZEROMQ_ERR_UNKNOWN_SET_FLAG);
  CHECK(zeromq_flags() == before);

  /* Each flag switches its aspect on; DEFAULT switches them all off. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == 0);
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == ZEROMQ_SET_FLAGS_DEBUG);
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_NOBUSYWAITRECV));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) ==
        (ZEROMQ_SET_FLAGS_DEBUG | ZEROMQ_SET_FLAGS_NOBUSYWAITRECV));
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_LOGGING));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) ==
        (ZEROMQ_SET_FLAGS_DEBUG | ZEROMQ_SET_FLAGS_NOBUSYWAITRECV | ZEROMQ_SET_FLAGS_LOGGING));
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_IPV6));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == ALL_SETTING_BITS);
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == 0);

  /* DEFAULT is applied first, the other bits after it. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT | ZEROMQ_SET_FLAGS_DEBUG));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == ZEROMQ_SET_FLAGS_DEBUG);
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT | ZEROMQ_SET_FLAGS_LOGGING));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == ZEROMQ_SET_FLAGS_LOGGING);
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_IPV6 | ZEROMQ_SET_FLAGS_DEBUG));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) ==
        (ZEROMQ_SET_FLAGS_LOGGING | ZEROMQ_SET_FLAGS_IPV6 | ZEROMQ_SET_FLAGS_DEBUG));

  /* Unknown bits next to a known one are ignored: 33 = 32 | DEFAULT. */
  CHECK_OK(zeromq_set(33));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == 0);
  CHECK((zeromq_flags() & 32) == 0);

  /* NOBUSYWAITRECV: receives return at once when nothing is pending, whatever the timeout. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_NOBUSYWAITRECV));
  CHECK((zeromq_flags() & ZEROMQ_SET_FLAGS_NOBUSYWAITRECV) != 0);
  CHECK_OK(zeromq_client_recv(0, &msg));
  CHECK(msg == NULL);
  start = zx_now_ms();
  CHECK_OK(zeromq_client_recv(500, &msg));
  CHECK(msg == NULL);
  CHECK_OK(zeromq_server_recv(500, &msg));
  CHECK(msg == NULL);
  CHECK_OK(zeromq_sub_recv(500, &msg));
  CHECK(msg == NULL);
  CHECK_OK(zeromq_sub_recv_multi(500, &msg));
  CHECK(msg == NULL);
  CHECK_OK(zeromq_client_recv(-1, &msg));
  CHECK(msg == NULL);
  elapsed = zx_now_ms() - start;
  zx_note("five receives with NOBUSYWAITRECV took %lld ms", (long long)elapsed);
  CHECK(elapsed < 400);

  /* Settings survive zeromq_stop. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  CHECK_OK(zeromq_stop());
  CHECK((zeromq_flags() & ALL_SETTING_BITS) ==
        (ZEROMQ_SET_FLAGS_DEBUG | ZEROMQ_SET_FLAGS_NOBUSYWAITRECV));
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
  CHECK((zeromq_flags() & ALL_SETTING_BITS) == 0);
  result = 0;
cleanup:
  zeromq_message_free(msg);
  zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
  zeromq_stop();
  remove(log_path);
  return result;
}

static int test_messages(void) {
  int result = 1;
  zeromq_message *msg = NULL;
  const uint8_t *data = NULL;
  size_t len = 0;
  char endpoint[256];

  /* NULL is never a crash. */
  zeromq_message_free(NULL);
  CHECK(zeromq_message_frame_count(NULL) == 0);
  CHECK_RC(zeromq_message_frame(NULL, 0, &data, &len), ZEROMQ_ERR_INVALID_ARG);

  /* A real message: the endpoint list of a bound server (one frame). */
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_endpoints(ZEROMQ_ROLE_SERVER, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 1);
  CHECK_OK(zeromq_message_frame(msg, 0, &data, &len));
  CHECK(data != NULL);
  CHECK(len > 0 && len < sizeof endpoint);
  memcpy(endpoint, data, len);
  endpoint[len] = '\0';
  zx_note("server bound to %s", endpoint);

  /* Out of range and missing out pointers. */
  CHECK_RC(zeromq_message_frame(msg, 1, &data, &len), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_message_frame(msg, 12345, &data, &len), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_message_frame(msg, SIZE_MAX, &data, &len), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_message_frame(msg, 0, NULL, &len), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_message_frame(msg, 0, &data, NULL), ZEROMQ_ERR_INVALID_ARG);

  /* Frames stay valid (and unchanged) until the message is freed. */
  CHECK_OK(zeromq_message_frame(msg, 0, &data, &len));
  CHECK(len == strlen(endpoint) && memcmp(data, endpoint, len) == 0);
  zeromq_message_free(msg);
  msg = NULL;

  /* Unknown roles. */
  CHECK_RC(zeromq_endpoints(4, &msg), ZEROMQ_ERR_INVALID_ARG);
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_RC(zeromq_endpoints(-1, &msg), ZEROMQ_ERR_INVALID_ARG);
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_RC(zeromq_endpoints(INT32_MAX, &msg), ZEROMQ_ERR_INVALID_ARG);
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_RC(zeromq_endpoints(ZEROMQ_ROLE_SERVER, NULL), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  zeromq_message_free(msg);
  zeromq_stop();
  return result;
}

static int test_null_with_length(void) {
  int result = 1;
  char endpoint[256];
  zeromq_frame frames[2];
  zeromq_message *msg = NULL;
  const int32_t bad = ZEROMQ_ERR_INVALID_ARG;

  /* Connected sockets, so that the same calls with valid data would succeed. */
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, endpoint, sizeof endpoint));
  CHECK_OK(zeromq_client_connect(endpoint, strlen(endpoint)));
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));

  CHECK_RC(zeromq_server_bind(NULL, 3), bad);
  CHECK_RC(zeromq_client_connect(NULL, 3), bad);
  CHECK_RC(zeromq_pub_bind(NULL, 3), bad);
  CHECK_RC(zeromq_sub_connect(NULL, 3), bad);
  CHECK_RC(zeromq_sub_add_filter(NULL, 3), bad);
  CHECK_RC(zeromq_sub_remove_filter(NULL, 3), bad);
  CHECK_RC(zeromq_client_send(NULL, 3), bad);
  CHECK_RC(zeromq_server_send(NULL, 3, LIT("x")), bad);
  CHECK_RC(zeromq_server_send(LIT("x"), NULL, 3), bad);
  CHECK_RC(zeromq_pub_send(NULL, 3, LIT("x")), bad);
  CHECK_RC(zeromq_pub_send(LIT("x"), NULL, 3), bad);
  CHECK_RC(zeromq_set_logging_template(NULL, 3), bad);
  CHECK_RC(zeromq_set_log_path(NULL, 3), bad);
  CHECK_RC(zeromq_set_log_path(NULL, 0), bad);
  CHECK_RC(zeromq_set_log_path(LIT("")), bad);

  CHECK_RC(zeromq_pub_send_multi(NULL, 2), bad);
  frames[0].data = "topic";
  frames[0].len = 5;
  frames[1].data = NULL;
  frames[1].len = 3;
  CHECK_RC(zeromq_pub_send_multi(frames, 2), bad);
  frames[0].data = NULL;
  frames[0].len = 5;
  frames[1].data = "x";
  frames[1].len = 1;
  CHECK_RC(zeromq_pub_send_multi(frames, 2), bad);

  CHECK_RC(zeromq_client_recv(0, NULL), bad);
  CHECK_RC(zeromq_server_recv(0, NULL), bad);
  CHECK_RC(zeromq_sub_recv(0, NULL), bad);
  CHECK_RC(zeromq_sub_recv_multi(0, NULL), bad);
  CHECK_RC(zeromq_endpoints(ZEROMQ_ROLE_CLIENT, NULL), bad);

  /* (NULL, 0) is the empty byte string. */
  CHECK_OK(zeromq_sub_add_filter(NULL, 0));
  CHECK_RC(zeromq_sub_add_filter(LIT("")), ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED);
  CHECK_OK(zeromq_sub_remove_filter(NULL, 0));
  CHECK_OK(zeromq_pub_send(NULL, 0, NULL, 0));
  CHECK_RC(zeromq_server_bind(NULL, 0), bad);
  CHECK_RC(zeromq_client_connect(NULL, 0), bad);

  /* The valid forms of the same calls succeed on these sockets. */
  CHECK_OK(zeromq_client_send(LIT("abc")));
  CHECK_OK(zeromq_pub_send(LIT("x"), LIT("abc")));
  result = 0;
cleanup:
  zeromq_message_free(msg);
  zeromq_stop();
  return result;
}

static int test_max_message_size_arguments(void) {
  int result = 1;
  CHECK_OK(zeromq_set_max_message_size(-1));
  CHECK_OK(zeromq_set_max_message_size(1 << 20));
  CHECK_OK(zeromq_set_max_message_size(1024));
  CHECK_RC(zeromq_set_max_message_size(-2), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_set_max_message_size(INT64_MIN), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  return result;
}

typedef struct output_log {
  int calls;
  size_t bytes;
  int bad_text;
  char first[256];
} output_log;

static void collect_output(void *user_data, const char *text, size_t len) {
  output_log *log = (output_log *)user_data;
  if (text == NULL && len > 0) {
    log->bad_text = 1;
    return;
  }
  if (log->calls == 0) {
    size_t n = len < sizeof log->first - 1 ? len : sizeof log->first - 1;
    if (n > 0) {
      memcpy(log->first, text, n);
    }
    log->first[n] = '\0';
  }
  log->calls++;
  log->bytes += len;
}

static int test_output_callback(void) {
  int result = 1;
  output_log log;
  uint32_t processed = 12345;
  int calls_before;

  memset(&log, 0, sizeof log);
  CHECK_OK(zeromq_set_output(collect_output, &log));

  /* With debug on, zeromq_set reports the libzmq version as debug output. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  CHECK_OK(zeromq_handler_process(&processed));
  CHECK(processed == 0);
  CHECK_OK(zeromq_handler_process(NULL));
  zx_note("output callback: %d calls, %lu bytes, first \"%s\"", log.calls,
          (unsigned long)log.bytes, log.first);
  CHECK(log.bad_text == 0);
  CHECK(log.calls > 0);
  CHECK(log.bytes > 0);

  /* No callback: nothing is delivered any more. */
  CHECK_OK(zeromq_set_output(NULL, NULL));
  calls_before = log.calls;
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  CHECK_OK(zeromq_handler_process(NULL));
  CHECK(log.calls == calls_before);
  result = 0;
cleanup:
  zeromq_set_output(NULL, NULL);
  zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
  return result;
}

#ifndef _WIN32
typedef struct thread_output {
  pthread_t host;
  int calls;
  int calls_off_host;
} thread_output;

static void count_output(void *user_data, const char *text, size_t len) {
  thread_output *t = (thread_output *)user_data;
  (void)text;
  (void)len;
  t->calls++;
  if (!pthread_equal(pthread_self(), t->host)) {
    t->calls_off_host++;
  }
}

static void *debug_output_thread(void *arg) {
  int32_t *rc = (int32_t *)arg;
  /* With debug on, each zeromq_set produces a debug line on this thread. */
  rc[0] = zeromq_set(ZEROMQ_SET_FLAGS_DEBUG);
  rc[1] = zeromq_set(ZEROMQ_SET_FLAGS_DEBUG);
  return NULL;
}
#endif

static int test_output_from_other_thread(void) {
#ifdef _WIN32
  zx_note("SKIP: output from another thread (POSIX threads only)");
  return 0;
#else
  int result = 1;
  thread_output t;
  pthread_t thread;
  int32_t rc[2] = {-1, -1};
  int queued_calls;

  memset(&t, 0, sizeof t);
  t.host = pthread_self();
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
  CHECK_OK(zeromq_set_output(count_output, &t));
  CHECK_OK(zeromq_handler_process(NULL));
  t.calls = 0;

  /* Output of another thread waits for zeromq_handler_process on the host thread. */
  CHECK(pthread_create(&thread, NULL, debug_output_thread, rc) == 0);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK_OK(rc[0]);
  CHECK_OK(rc[1]);
  queued_calls = t.calls;
  CHECK_OK(zeromq_handler_process(NULL));
  zx_note("output of another thread: %d calls before zeromq_handler_process, %d after",
          queued_calls, t.calls);
  CHECK(queued_calls == 0);
  CHECK(t.calls > 0);
  CHECK(t.calls_off_host == 0);
  result = 0;
cleanup:
  zeromq_set_output(NULL, NULL);
  zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
  return result;
#endif
}

int main(void) {
  static const zx_test_case cases[] = {
      {"library_facts", test_library_facts},
      {"last_error", test_last_error},
      {"error_text", test_error_text},
      {"last_error_is_per_thread", test_last_error_is_per_thread},
      {"set_and_flags", test_set_and_flags},
      {"messages", test_messages},
      {"null_with_length", test_null_with_length},
      {"max_message_size_arguments", test_max_message_size_arguments},
      {"output_callback", test_output_callback},
      {"output_from_other_thread", test_output_from_other_thread},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
