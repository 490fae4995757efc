/* Client (DEALER) <-> server (ROUTER): binds, connects, round trips, errors, receive timeouts
 * and the server's inbound message size limit. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <pthread.h>
#endif

#define DEALER_PREFIX "zeromq xop: dealer"

/* A pointer value that is not NULL, to see that "nothing arrived" really writes NULL. */
static int sentinel_target;
#define SENTINEL ((zeromq_message *)(void *)&sentinel_target)

/* Binds the server to a fresh loopback port and connects the client to it. */
static int32_t connect_pair(char *endpoint, size_t cap) {
  int32_t rc = zeromq_server_bind(LIT("tcp://127.0.0.1:*"));
  if (rc != 0) {
    return rc;
  }
  rc = zx_endpoint(ZEROMQ_ROLE_SERVER, 0, endpoint, cap);
  if (rc != 0) {
    return rc;
  }
  return zeromq_client_connect(endpoint, strlen(endpoint));
}

/* Sending and receiving before any bind or connect: refused sends, empty receives. */
static int test_errors_before_connect(void) {
  int result = 1;
  zeromq_message *msg = SENTINEL;

  /* A DEALER without any connection cannot queue a message. */
  CHECK_RC(zeromq_client_send(LIT("nobody listens")), ZEROMQ_ERR_INVALID_ARG);

  /* Receiving on sockets without endpoints just finds nothing. */
  CHECK_OK(zeromq_server_recv(0, &msg));
  CHECK(msg == NULL);
  msg = SENTINEL;
  CHECK_OK(zeromq_client_recv(0, &msg));
  CHECK(msg == NULL);
  msg = NULL;
  result = 0;
cleanup:
  if (msg != SENTINEL) {
    zeromq_message_free(msg);
  }
  return result;
}

static int expect_invalid_endpoint(int32_t rc, const char *what) {
  char err[512];
  if (rc != ZEROMQ_ERR_INVALID_ARG) {
    fprintf(stderr, "%s: %s returned %ld, expected %d\n", ZX_TEST_NAME, what, (long)rc,
            ZEROMQ_ERR_INVALID_ARG);
    return 0;
  }
  zx_last_error(err, sizeof err);
  if (err[0] == '\0') {
    fprintf(stderr, "%s: %s failed without a zeromq_last_error text\n", ZX_TEST_NAME, what);
    return 0;
  }
  return 1;
}

/* Endpoints that are not endpoints are refused by every bind and connect. */
static int test_invalid_endpoints(void) {
  int result = 1;
  CHECK(expect_invalid_endpoint(zeromq_server_bind(LIT("")), "server_bind(\"\")"));
  CHECK(expect_invalid_endpoint(zeromq_server_bind(LIT("abcd:1234")), "server_bind(abcd:1234)"));
  CHECK(expect_invalid_endpoint(zeromq_server_bind(LIT("tcp://localhost:5555")),
                                "server_bind(tcp://localhost:5555)"));
  CHECK(expect_invalid_endpoint(zeromq_pub_bind(LIT("")), "pub_bind(\"\")"));
  CHECK(expect_invalid_endpoint(zeromq_pub_bind(LIT("abcd:1234")), "pub_bind(abcd:1234)"));
  CHECK(expect_invalid_endpoint(zeromq_pub_bind(LIT("tcp://localhost:5555")),
                                "pub_bind(tcp://localhost:5555)"));
  CHECK(expect_invalid_endpoint(zeromq_client_connect(LIT("")), "client_connect(\"\")"));
  CHECK(expect_invalid_endpoint(zeromq_client_connect(LIT("abcd:1234")),
                                "client_connect(abcd:1234)"));
  CHECK(expect_invalid_endpoint(zeromq_sub_connect(LIT("")), "sub_connect(\"\")"));
  CHECK(expect_invalid_endpoint(zeromq_sub_connect(LIT("abcd:1234")), "sub_connect(abcd:1234)"));

  /* Failed binds and connects are not recorded. */
  {
    size_t n = 99;
    CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_SERVER, &n));
    CHECK(n == 0);
    CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_PUBLISHER, &n));
    CHECK(n == 0);
    CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_CLIENT, &n));
    CHECK(n == 0);
    CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_SUBSCRIBER, &n));
    CHECK(n == 0);
  }
  result = 0;
cleanup:
  return result;
}

/* Wildcard ports, the same port twice, two ports at once, connects by host name. */
static int test_wildcard_and_duplicate_binds(void) {
  int result = 1;
  char endpoint[256];
  char second[256];
  char by_name[300];
  char id[256];
  size_t id_len = 0;
  size_t n = 0;
  long port;

  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, endpoint, sizeof endpoint));
  zx_note("wildcard bind resolved to %s", endpoint);
  CHECK(strncmp(endpoint, "tcp://127.0.0.1:", 16) == 0);
  port = zx_endpoint_port(endpoint);
  CHECK(port > 0);

  /* The same port again, from the server and from the publisher: address in use. */
  CHECK_RC(zeromq_server_bind(endpoint, strlen(endpoint)), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_pub_bind(endpoint, strlen(endpoint)), ZEROMQ_ERR_INVALID_ARG);

  /* A second, different port is fine; both are listed in bind order. */
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_SERVER, &n));
  CHECK(n == 2);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, second, sizeof second));
  CHECK(strcmp(second, endpoint) == 0);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 1, second, sizeof second));
  CHECK(zx_endpoint_port(second) > 0);
  CHECK(zx_endpoint_port(second) != port);

  /* Connects accept host names. */
  snprintf(by_name, sizeof by_name, "tcp://localhost:%ld", port);
  CHECK_OK(zeromq_client_connect(by_name, strlen(by_name)));
  CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_CLIENT, &n));
  CHECK(n == 1);
  CHECK_OK(zx_client_to_server(LIT("via localhost"), id, sizeof id, &id_len));
  result = 0;
cleanup:
  return result;
}

/* Client to server and back: text, binary bytes, routing ids, an unknown peer. */
static int test_round_trips(void) {
  int result = 1;
  char endpoint[256];
  char id[256];
  size_t id_len = 0;
  zeromq_message *msg = NULL;
  static const char binary[] = {'a', '\0', 'b', '\0', '\0', (char)0xff, (char)0xfe, 'z'};
  static const char unknown_id[] = {'n', 'o', ' ', 's', 'u', 'c', 'h', '\0', 'p', 'e', 'e', 'r'};

  CHECK_OK(connect_pair(endpoint, sizeof endpoint));

  /* Text request; the server sees the client's routing id and the payload. */
  CHECK_OK(zx_client_to_server(LIT("hello"), id, sizeof id, &id_len));
  CHECK(id_len > strlen(DEALER_PREFIX));
  CHECK(memcmp(id, DEALER_PREFIX, strlen(DEALER_PREFIX)) == 0);

  CHECK_OK(zeromq_server_send(id, id_len, LIT("world")));
  CHECK_OK(zeromq_client_recv(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 1);
  CHECK(zx_frame_is(msg, 0, LIT("world")));
  zeromq_message_free(msg);
  msg = NULL;

  /* Binary payloads with NUL and non-UTF-8 bytes, both ways. */
  CHECK_OK(zx_client_to_server(binary, sizeof binary, id, sizeof id, &id_len));
  CHECK_OK(zeromq_server_send(id, id_len, binary, sizeof binary));
  CHECK_OK(zeromq_client_recv(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 1);
  CHECK(zx_frame_is(msg, 0, binary, sizeof binary));
  zeromq_message_free(msg);
  msg = NULL;

  /* Empty payloads are valid messages. */
  CHECK_OK(zx_client_to_server(NULL, 0, id, sizeof id, &id_len));
  CHECK_OK(zx_client_to_server(LIT(""), id, sizeof id, &id_len));
  CHECK_OK(zeromq_server_send(id, id_len, NULL, 0));
  CHECK_OK(zeromq_client_recv(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 1);
  CHECK(zx_frame_is(msg, 0, "", 0));
  zeromq_message_free(msg);
  msg = NULL;

  /* Several messages keep their order. */
  CHECK_OK(zeromq_client_send(LIT("one")));
  CHECK_OK(zeromq_client_send(LIT("two")));
  CHECK_OK(zeromq_client_send(LIT("three")));
  CHECK_OK(zeromq_server_recv(5000, &msg));
  CHECK(zx_frame_is(msg, 1, LIT("one")));
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_OK(zeromq_server_recv(5000, &msg));
  CHECK(zx_frame_is(msg, 1, LIT("two")));
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_OK(zeromq_server_recv(5000, &msg));
  CHECK(zx_frame_is(msg, 1, LIT("three")));
  CHECK(zx_frame_is(msg, 0, id, id_len));
  zeromq_message_free(msg);
  msg = NULL;

  /* Unknown and empty identities cannot be routed. */
  CHECK_RC(zeromq_server_send(unknown_id, sizeof unknown_id, LIT("x")), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_server_send(NULL, 0, LIT("x")), ZEROMQ_ERR_INVALID_ARG);

  /* Nothing else is pending. */
  CHECK_OK(zeromq_server_recv(0, &msg));
  CHECK(msg == NULL);
  CHECK_OK(zeromq_client_recv(0, &msg));
  CHECK(msg == NULL);
  result = 0;
cleanup:
  zeromq_message_free(msg);
  return result;
}

/* Checks that a receive with timeout_ms waited roughly that long and found nothing. */
static int check_bounded_wait(int32_t (*recv)(int32_t, zeromq_message **), const char *name,
                              int32_t timeout_ms) {
  int result = 1;
  zeromq_message *msg = SENTINEL;
  int64_t start = zx_now_ms();
  int64_t elapsed;
  CHECK_OK(recv(timeout_ms, &msg));
  elapsed = zx_now_ms() - start;
  zx_note("%s(%ld) waited %lld ms", name, (long)timeout_ms, (long long)elapsed);
  CHECK(msg == NULL);
  msg = NULL;
  CHECK(elapsed >= timeout_ms / 2);
  CHECK(elapsed <= timeout_ms + 1500);
  result = 0;
cleanup:
  if (msg != SENTINEL) {
    zeromq_message_free(msg);
  }
  return result;
}

#ifndef _WIN32
typedef struct delayed_send {
  char id[256];
  size_t id_len;
  int32_t rc;
} delayed_send;

static void *send_later(void *arg) {
  delayed_send *d = (delayed_send *)arg;
  zx_sleep_ms(400);
  d->rc = zeromq_server_send(d->id, d->id_len, LIT("late reply"));
  return NULL;
}
#endif

/* Receive timeouts: 0 polls, a positive timeout waits about that long, -1 waits for good. */
static int test_receive_timeouts(void) {
  int result = 1;
  char endpoint[256];
  char id[256];
  size_t id_len = 0;
  zeromq_message *msg = SENTINEL;
  int64_t start;
  int i;

  CHECK_OK(connect_pair(endpoint, sizeof endpoint));
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, endpoint, sizeof endpoint));
  CHECK_OK(zeromq_sub_connect(endpoint, strlen(endpoint)));

  /* 0 polls: back at once with nothing. */
  start = zx_now_ms();
  for (i = 0; i < 10; i++) {
    CHECK_OK(zeromq_client_recv(0, &msg));
    CHECK(msg == NULL);
    msg = SENTINEL;
    CHECK_OK(zeromq_server_recv(0, &msg));
    CHECK(msg == NULL);
    msg = SENTINEL;
    CHECK_OK(zeromq_sub_recv(0, &msg));
    CHECK(msg == NULL);
    msg = SENTINEL;
    CHECK_OK(zeromq_sub_recv_multi(0, &msg));
    CHECK(msg == NULL);
    msg = SENTINEL;
  }
  CHECK(zx_now_ms() - start < 1000);

  /* > 0 waits at most that long. */
  CHECK(check_bounded_wait(zeromq_client_recv, "zeromq_client_recv", 300) == 0);
  CHECK(check_bounded_wait(zeromq_server_recv, "zeromq_server_recv", 300) == 0);
  CHECK(check_bounded_wait(zeromq_sub_recv, "zeromq_sub_recv", 300) == 0);
  CHECK(check_bounded_wait(zeromq_sub_recv_multi, "zeromq_sub_recv_multi", 300) == 0);

  /* -1 returns as soon as a message is there. */
  CHECK_OK(zx_client_to_server(LIT("ping"), id, sizeof id, &id_len));
  CHECK_OK(zeromq_server_send(id, id_len, LIT("pong")));
  msg = NULL;
  CHECK_OK(zeromq_client_recv(-1, &msg));
  CHECK(zx_frame_is(msg, 0, LIT("pong")));
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_OK(zeromq_client_send(LIT("ping again")));
  CHECK_OK(zeromq_server_recv(-1, &msg));
  CHECK(zx_frame_is(msg, 1, LIT("ping again")));
  zeromq_message_free(msg);
  msg = NULL;

#ifndef _WIN32
  /* -1 really waits: another thread answers 400 ms later. */
  {
    pthread_t thread;
    delayed_send d;
    int64_t elapsed;
    memset(&d, 0, sizeof d);
    memcpy(d.id, id, id_len);
    d.id_len = id_len;
    d.rc = -1;
    CHECK(pthread_create(&thread, NULL, send_later, &d) == 0);
    start = zx_now_ms();
    CHECK_OK(zeromq_client_recv(-1, &msg));
    elapsed = zx_now_ms() - start;
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK_OK(d.rc);
    zx_note("zeromq_client_recv(-1) returned after %lld ms", (long long)elapsed);
    CHECK(zx_frame_is(msg, 0, LIT("late reply")));
    CHECK(elapsed >= 300);
    zeromq_message_free(msg);
    msg = NULL;
  }
#endif
  result = 0;
cleanup:
  if (msg != SENTINEL) {
    zeromq_message_free(msg);
  }
  return result;
}

/* The server's message size limit: at the limit arrives, above it never reaches the host. */
static int test_max_message_size(void) {
  int result = 1;
  char endpoint[256];
  char id[256];
  size_t id_len = 0;
  zeromq_message *msg = NULL;
  char *big = NULL;
  const size_t big_len = 1000000;
  size_t i;
  int64_t deadline;

  big = (char *)malloc(big_len);
  CHECK(big != NULL);
  for (i = 0; i < big_len; i++) {
    big[i] = (char)(i * 7 + i / 251);
  }

  /* Default limit 1024 bytes: 1024 arrives, 1025 and more never reach the host (their client
   * gets an error reply instead, see tests/hardening.rs). */
  CHECK_OK(connect_pair(endpoint, sizeof endpoint));
  CHECK_OK(zx_client_to_server(big, 1024, id, sizeof id, &id_len));
  CHECK_OK(zeromq_client_send(big, 1025));
  CHECK_OK(zeromq_client_send(big, big_len));
  deadline = zx_now_ms() + 1000;
  while (zx_now_ms() < deadline) {
    CHECK_OK(zeromq_server_recv(50, &msg));
    CHECK(msg == NULL);
  }
  for (i = 0; i < 100; i++) {
    CHECK_OK(zeromq_server_recv(0, &msg));
    CHECK(msg == NULL);
  }
  CHECK_OK(zeromq_stop());

  /* No limit: a megabyte arrives intact (and goes back as well). */
  CHECK_OK(zeromq_set_max_message_size(-1));
  CHECK_OK(connect_pair(endpoint, sizeof endpoint));
  CHECK_OK(zx_client_to_server(big, big_len, id, sizeof id, &id_len));
  CHECK_OK(zeromq_server_send(id, id_len, big, big_len));
  CHECK_OK(zeromq_client_recv(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zx_frame_is(msg, 0, big, big_len));
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_OK(zeromq_stop());

  /* A limit set again applies to the next server socket. */
  CHECK_OK(zeromq_set_max_message_size(1024));
  CHECK_OK(connect_pair(endpoint, sizeof endpoint));
  CHECK_OK(zx_client_to_server(LIT("small"), id, sizeof id, &id_len));
  CHECK_OK(zeromq_client_send(big, 2048));
  deadline = zx_now_ms() + 500;
  while (zx_now_ms() < deadline) {
    CHECK_OK(zeromq_server_recv(50, &msg));
    CHECK(msg == NULL);
  }
  result = 0;
cleanup:
  zeromq_message_free(msg);
  free(big);
  zeromq_set_max_message_size(1024);
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"errors_before_connect", test_errors_before_connect},
      {"invalid_endpoints", test_invalid_endpoints},
      {"wildcard_and_duplicate_binds", test_wildcard_and_duplicate_binds},
      {"round_trips", test_round_trips},
      {"receive_timeouts", test_receive_timeouts},
      {"max_message_size", test_max_message_size},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
