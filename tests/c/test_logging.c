/* The JSONL message log: log path, template validation, the "{}" session marker, the compact
 * lines written while ZEROMQ_SET_FLAGS_LOGGING is on. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_CAP 65536
#define MAX_LINES 64

typedef struct log_file {
  char text[LOG_CAP];
  size_t len;
  char *lines[MAX_LINES];
  size_t count;
} log_file;

static char log_path[512];

/* Reads the whole log file (missing file: empty) and splits it into lines. Every line must end
 * in "\n". Returns 0, or -1 when the file is too large or the last line is unterminated. */
static int read_log(log_file *log) {
  FILE *f = fopen(log_path, "rb");
  size_t i;
  char *start;
  log->len = 0;
  log->count = 0;
  log->text[0] = '\0';
  if (f == NULL) {
    return 0;
  }
  log->len = fread(log->text, 1, LOG_CAP - 1, f);
  if (!feof(f)) {
    fclose(f);
    return -1;
  }
  fclose(f);
  log->text[log->len] = '\0';
  if (log->len > 0 && log->text[log->len - 1] != '\n') {
    fprintf(stderr, "%s: the log does not end in a newline:\n%s\n", ZX_TEST_NAME, log->text);
    return -1;
  }
  start = log->text;
  for (i = 0; i < log->len; i++) {
    if (log->text[i] == '\n') {
      log->text[i] = '\0';
      if (log->count == MAX_LINES) {
        return -1;
      }
      log->lines[log->count++] = start;
      start = log->text + i + 1;
    }
  }
  return 0;
}

static void dump_log(const log_file *log) {
  size_t i;
  fprintf(stderr, "%s: log file %s has %lu lines:\n", ZX_TEST_NAME, log_path,
          (unsigned long)log->count);
  for (i = 0; i < log->count; i++) {
    fprintf(stderr, "%s:   [%lu] %s\n", ZX_TEST_NAME, (unsigned long)i, log->lines[i]);
  }
}

static int is_digits(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return 0;
    }
  }
  return 1;
}

/* "YYYY-MM-DDTHH:MM:SS.fffffffff+0000" with 1..9 fractional digits, followed by "\"}" and the end
 * of the line. */
static int is_timestamp_tail(const char *s) {
  size_t frac = 0;
  if (!(is_digits(s, 4) && s[4] == '-' && is_digits(s + 5, 2) && s[7] == '-' &&
        is_digits(s + 8, 2) && s[10] == 'T' && is_digits(s + 11, 2) && s[13] == ':' &&
        is_digits(s + 14, 2) && s[16] == ':' && is_digits(s + 17, 2) && s[19] == '.')) {
    return 0;
  }
  s += 20;
  while (s[frac] >= '0' && s[frac] <= '9') {
    frac++;
  }
  if (frac < 1 || frac > 9) {
    return 0;
  }
  return strcmp(s + frac, "+0000\"}") == 0;
}

/* A line "<head><ts>\"}" without identity. */
static int line_is(const char *line, const char *head) {
  size_t n = strlen(head);
  if (strncmp(line, head, n) != 0 || !is_timestamp_tail(line + n)) {
    fprintf(stderr, "%s: log line\n  %s\ndoes not match\n  %s<ts>\"}\n", ZX_TEST_NAME, line,
            head);
    return 0;
  }
  return 1;
}

/* A line "<head><identity><middle><ts>\"}" with some identity text in between. */
static int line_with_identity_is(const char *line, const char *head, const char *middle) {
  size_t n = strlen(head);
  const char *mid = NULL;
  if (strncmp(line, head, n) == 0) {
    mid = strstr(line + n, middle);
  }
  if (mid == NULL || !is_timestamp_tail(mid + strlen(middle))) {
    fprintf(stderr, "%s: log line\n  %s\ndoes not match\n  %s<identity>%s<ts>\"}\n", ZX_TEST_NAME,
            line, head, middle);
    return 0;
  }
  return 1;
}

static int test_template_and_marker(void) {
  int result = 1;
  static log_file log;
  static const char *const invalid[] = {
      "",
      "not json",
      "{\"blahh\":",
      "[1]",
      "4",
      "\"text\"",
      "null",
      "{\"direction\":1}",
      "{\"json\":{}}",
      "{\"str\":\"x\"}",
      "{\"ts\":0}",
      "{\"a\":1,\"ts\":2}",
  };
  size_t i;
  char err[512];

  CHECK_OK(zeromq_set_log_path(log_path, strlen(log_path)));
  remove(log_path);

  /* A valid template writes exactly one "{}" marker line, logging off or not. */
  CHECK((zeromq_flags() & ZEROMQ_SET_FLAGS_LOGGING) == 0);
  CHECK_OK(zeromq_set_logging_template(LIT("{\"blahh\":\"blubb\"}")));
  CHECK(read_log(&log) == 0);
  if (strcmp(log.text, "{}") != 0 || log.len != 3) {
    dump_log(&log);
    CHECK(0);
  }

  /* Invalid templates: 10010, a reason, nothing written. */
  for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    int32_t rc = zeromq_set_logging_template(invalid[i], strlen(invalid[i]));
    if (rc != ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE) {
      fprintf(stderr, "%s: template '%s' gave %ld\n", ZX_TEST_NAME, invalid[i], (long)rc);
      CHECK(0);
    }
    zx_last_error(err, sizeof err);
    CHECK(err[0] != '\0');
  }
  CHECK(read_log(&log) == 0);
  if (log.count != 1) {
    dump_log(&log);
    CHECK(0);
  }
  CHECK_RC(zeromq_set_logging_template(NULL, 5), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  return result;
}

static int test_log_lines(void) {
  int result = 1;
  static log_file log;
  char endpoint[256];
  char id[256];
  size_t id_len = 0;
  zeromq_message *msg = NULL;
  size_t i;

  CHECK_OK(zeromq_set_log_path(log_path, strlen(log_path)));
  remove(log_path);
  CHECK_OK(zeromq_set_logging_template(LIT("{\"blahh\":\"blubb\"}")));

  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, endpoint, sizeof endpoint));
  CHECK_OK(zeromq_client_connect(endpoint, strlen(endpoint)));

  /* Logging off: nothing is written. */
  CHECK_OK(zx_client_to_server(LIT("silent"), id, sizeof id, &id_len));

  /* Logging on: one compact line per message sent or received. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_LOGGING));
  CHECK_OK(zx_client_to_server(LIT("hello"), id, sizeof id, &id_len));
  CHECK_OK(zeromq_server_send(id, id_len, LIT("reply")));
  CHECK_OK(zeromq_client_recv(5000, &msg));
  CHECK(zx_frame_is(msg, 0, LIT("reply")));
  zeromq_message_free(msg);
  msg = NULL;
  /* The publisher logs "filter:payload"; its heartbeats are not logged. */
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_pub_send(LIT("topic"), LIT("msg")));
  zx_sleep_ms(300);

  /* DEFAULT switches logging off again. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
  CHECK_OK(zx_client_to_server(LIT("quiet"), id, sizeof id, &id_len));

  CHECK(read_log(&log) == 0);
  CHECK(log.count == 6);
  CHECK(strcmp(log.lines[0], "{}") == 0);
  CHECK(line_is(log.lines[1],
                "{\"blahh\":\"blubb\",\"direction\":\"Outgoing\",\"str\":\"hello\",\"ts\":\""));
  CHECK(line_with_identity_is(
      log.lines[2],
      "{\"blahh\":\"blubb\",\"direction\":\"Incoming\",\"remote identity\":\"zeromq xop: dealer",
      "\",\"str\":\"hello\",\"ts\":\""));
  CHECK(line_with_identity_is(
      log.lines[3],
      "{\"blahh\":\"blubb\",\"direction\":\"Outgoing\",\"remote identity\":\"zeromq xop: dealer",
      "\",\"str\":\"reply\",\"ts\":\""));
  CHECK(line_is(log.lines[4],
                "{\"blahh\":\"blubb\",\"direction\":\"Incoming\",\"str\":\"reply\",\"ts\":\""));
  CHECK(line_is(log.lines[5],
                "{\"blahh\":\"blubb\",\"direction\":\"Outgoing\",\"str\":\"topic:msg\",\"ts\":\""));
  for (i = 0; i < log.count; i++) {
    /* Compact: no blank outside strings (the only values with blanks are the identities). */
    CHECK(strstr(log.lines[i], "\": ") == NULL);
    CHECK(strstr(log.lines[i], ", \"") == NULL);
    CHECK(strstr(log.lines[i], "heartbeat") == NULL);
  }

  /* A new template writes another marker and is used from then on. */
  CHECK_OK(zeromq_set_logging_template(LIT("{\"k\":[1,2]}")));
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_LOGGING));
  CHECK_OK(zeromq_client_send(LIT("x")));
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
  CHECK(read_log(&log) == 0);
  if (log.count != 8) {
    dump_log(&log);
    CHECK(0);
  }
  CHECK(strcmp(log.lines[6], "{}") == 0);
  CHECK(line_is(log.lines[7], "{\"direction\":\"Outgoing\",\"k\":[1,2],\"str\":\"x\",\"ts\":\""));
  result = 0;
cleanup:
  if (result != 0) {
    dump_log(&log);
  }
  zeromq_message_free(msg);
  zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
  zeromq_stop();
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"template_and_marker", test_template_and_marker},
      {"log_lines", test_log_lines},
  };
  int status;
  if (zx_temp_path(log_path, sizeof log_path, "zeromq-xop-c-test", "log.jsonl") != 0) {
    return EXIT_FAILURE;
  }
  status = zx_run(cases, sizeof cases / sizeof cases[0]);
  if (status == EXIT_SUCCESS) {
    remove(log_path);
  }
  return status;
}
