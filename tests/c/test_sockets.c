/* Generic sockets: every libzmq socket type on loopback, whole multipart messages, options,
 * endpoints, unbind/disconnect, send back-pressure, context options and shutdown. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void close_all(uint64_t *ids, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (ids[i] != 0) {
      zeromq_socket_close(ids[i]);
    }
  }
}

static int test_pair_both_ways(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  static const char *const m1[] = {"a", "", "third frame"};
  static const char *const m2[] = {"back"};
  zeromq_frame bin[2];
  static const unsigned char raw[4] = {0, 1, 0, 255};
  zeromq_message *msg = NULL;
  CHECK_OK(zx_socket_pair(ZEROMQ_PAIR, ZEROMQ_PAIR, &s[0], &s[1]));
  CHECK_OK(zx_send_strs(s[1], m1, N(m1), 5000));
  CHECK(zx_recv_is(s[0], 5000, m1, N(m1)));
  CHECK_OK(zx_send_strs(s[0], m2, N(m2), 5000));
  CHECK(zx_recv_is(s[1], 5000, m2, N(m2)));
  /* Binary frames with NUL bytes, and an empty frame given as (NULL, 0). */
  bin[0].data = raw;
  bin[0].len = sizeof raw;
  bin[1].data = NULL;
  bin[1].len = 0;
  CHECK_OK(zeromq_socket_send(s[0], bin, 2, 5000));
  CHECK_OK(zeromq_socket_recv(s[1], 5000, &msg));
  CHECK(msg != NULL && zeromq_message_frame_count(msg) == 2);
  CHECK(zx_frame_is(msg, 0, raw, sizeof raw));
  CHECK(zx_frame_is(msg, 1, "", 0));
  /* Nothing more: 0 with NULL. */
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_OK(zeromq_socket_recv(s[1], 0, &msg));
  CHECK(msg == NULL);
  result = 0;
cleanup:
  zeromq_message_free(msg);
  close_all(s, 2);
  return result;
}

static int test_req_rep(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  static const char *const req[] = {"question"};
  static const char *const rep[] = {"answer", "in two frames"};
  CHECK_OK(zx_socket_pair(ZEROMQ_REP, ZEROMQ_REQ, &s[0], &s[1]));
  CHECK_OK(zx_send_strs(s[1], req, 1, 5000));
  /* REQ must wait for its reply: a second request is libzmq's state error. */
  CHECK_RC(zx_send_strs(s[1], req, 1, 0), ZEROMQ_ERR_INVALID_ARG);
  CHECK(zx_recv_is(s[0], 5000, req, 1));
  CHECK_OK(zx_send_strs(s[0], rep, 2, 5000));
  CHECK(zx_recv_is(s[1], 5000, rep, 2));
  result = 0;
cleanup:
  close_all(s, 2);
  return result;
}

static int test_dealer_router(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  static const char *const out[] = {"", "hello"};
  static const char *const in[] = {"dealer-1", "", "hello"};
  static const char *const reply[] = {"dealer-1", "", "world"};
  static const char *const back[] = {"", "world"};
  CHECK_OK(zeromq_socket_new(ZEROMQ_ROUTER, &s[0]));
  CHECK_OK(zeromq_socket_bind(s[0], LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_socket_new(ZEROMQ_DEALER, &s[1]));
  CHECK_OK(zeromq_socket_set_option(s[1], ZEROMQ_OPT_ROUTING_ID, LIT("dealer-1")));
  {
    char ep[256];
    CHECK_OK(zx_socket_endpoint(s[0], 0, ep, sizeof ep));
    CHECK_OK(zeromq_socket_connect(s[1], ep, strlen(ep)));
  }
  CHECK_OK(zx_send_strs(s[1], out, 2, 5000));
  CHECK(zx_recv_is(s[0], 5000, in, 3));
  CHECK_OK(zx_send_strs(s[0], reply, 3, 5000));
  CHECK(zx_recv_is(s[1], 5000, back, 2));
  result = 0;
cleanup:
  close_all(s, 2);
  return result;
}

static int test_push_pull_pipeline(void) {
  int result = 1;
  uint64_t s[3] = {0, 0, 0};
  char ep[256];
  int i;
  /* PUSH binds; two workers pull; each message reaches exactly one of them. */
  CHECK_OK(zeromq_socket_new(ZEROMQ_PUSH, &s[0]));
  CHECK_OK(zeromq_socket_bind(s[0], LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_socket_endpoint(s[0], 0, ep, sizeof ep));
  for (i = 1; i <= 2; i++) {
    CHECK_OK(zeromq_socket_new(ZEROMQ_PULL, &s[i]));
    CHECK_OK(zeromq_socket_connect(s[i], ep, strlen(ep)));
  }
  {
    int got = 0;
    int64_t deadline = zx_now_ms() + 10000;
    for (i = 0; i < 20; i++) {
      char text[16];
      const char *frames[1];
      snprintf(text, sizeof text, "job %d", i);
      frames[0] = text;
      CHECK_OK(zx_send_strs(s[0], frames, 1, 5000));
    }
    while (got < 20 && zx_now_ms() < deadline) {
      for (i = 1; i <= 2; i++) {
        zeromq_message *msg = NULL;
        CHECK_OK(zeromq_socket_recv(s[i], 10, &msg));
        if (msg != NULL) {
          CHECK(zx_frame_starts_with(msg, 0, "job ", 4));
          got++;
          zeromq_message_free(msg);
        }
      }
    }
    CHECK(got == 20);
  }
  result = 0;
cleanup:
  close_all(s, 3);
  return result;
}

/* Publishes single-frame `probe` messages until the subscriber gets one (slow joiner). */
static int sync_sub(uint64_t pub, uint64_t sub, const char *probe) {
  int result = 1;
  int64_t deadline = zx_now_ms() + 10000;
  const char *frames[1];
  frames[0] = probe;
  for (;;) {
    zeromq_message *msg = NULL;
    CHECK(zx_now_ms() < deadline);
    CHECK_OK(zx_send_strs(pub, frames, 1, 0));
    CHECK_OK(zeromq_socket_recv(sub, 50, &msg));
    if (msg != NULL) {
      zeromq_message_free(msg);
      break;
    }
  }
  /* Drain further probes. */
  for (;;) {
    zeromq_message *msg = NULL;
    CHECK_OK(zeromq_socket_recv(sub, 100, &msg));
    if (msg == NULL) {
      break;
    }
    zeromq_message_free(msg);
  }
  result = 0;
cleanup:
  return result;
}

static int test_pub_sub_single_frames(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  static const char *const one[] = {"news: one frame"};
  static const char *const other[] = {"weather"};
  static const char *const two[] = {"news", "two frames"};
  CHECK_OK(zx_socket_pair(ZEROMQ_PUB, ZEROMQ_SUB, &s[0], &s[1]));
  CHECK_OK(zeromq_socket_set_option(s[1], ZEROMQ_OPT_SUBSCRIBE, LIT("news")));
  CHECK(sync_sub(s[0], s[1], "news probe") == 0);
  CHECK_OK(zx_send_strs(s[0], other, 1, 0));
  CHECK_OK(zx_send_strs(s[0], one, 1, 0));
  CHECK_OK(zx_send_strs(s[0], two, 2, 0));
  CHECK(zx_recv_is(s[1], 5000, one, 1));
  CHECK(zx_recv_is(s[1], 5000, two, 2));
  /* Unsubscribed: nothing more arrives. */
  CHECK_OK(zeromq_socket_set_option(s[1], ZEROMQ_OPT_UNSUBSCRIBE, LIT("news")));
  {
    zeromq_message *msg = NULL;
    int64_t end = zx_now_ms() + 300;
    while (zx_now_ms() < end) {
      CHECK_OK(zx_send_strs(s[0], one, 1, 0));
      zx_sleep_ms(20);
    }
    CHECK_OK(zeromq_socket_recv(s[1], 100, &msg));
    CHECK(msg == NULL);
  }
  result = 0;
cleanup:
  close_all(s, 2);
  return result;
}

static int test_xpub_xsub(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  static const char sub_msg[] = "\001topic";
  static const char *const data[] = {"topic", "payload"};
  zeromq_message *msg = NULL;
  zeromq_frame f;
  CHECK_OK(zx_socket_pair(ZEROMQ_XPUB, ZEROMQ_XSUB, &s[0], &s[1]));
  /* An XSUB subscribes by sending [1, topic]; the XPUB sees it. */
  f.data = sub_msg;
  f.len = sizeof sub_msg - 1;
  CHECK_OK(zeromq_socket_send(s[1], &f, 1, 5000));
  CHECK_OK(zeromq_socket_recv(s[0], 5000, &msg));
  CHECK(msg != NULL);
  CHECK(zx_frame_is(msg, 0, sub_msg, sizeof sub_msg - 1));
  CHECK_OK(zx_send_strs(s[0], data, 2, 5000));
  CHECK(zx_recv_is(s[1], 5000, data, 2));
  result = 0;
cleanup:
  zeromq_message_free(msg);
  close_all(s, 2);
  return result;
}

static int test_stream(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  zeromq_message *msg = NULL;
  const uint8_t *id = NULL;
  size_t id_len = 0;
  unsigned char peer[256];
  size_t peer_len = 0;
  zeromq_frame f[2];
  /* Two STREAM sockets: each side first gets [peer id, ""] for the new connection. */
  CHECK_OK(zx_socket_pair(ZEROMQ_STREAM, ZEROMQ_STREAM, &s[0], &s[1]));
  CHECK_OK(zeromq_socket_recv(s[1], 5000, &msg));
  CHECK(msg != NULL && zeromq_message_frame_count(msg) == 2);
  CHECK_OK(zeromq_message_frame(msg, 0, &id, &id_len));
  CHECK(id_len > 0 && id_len < sizeof peer);
  memcpy(peer, id, id_len);
  peer_len = id_len;
  zeromq_message_free(msg);
  msg = NULL;
  f[0].data = peer;
  f[0].len = peer_len;
  f[1].data = "raw bytes";
  f[1].len = 9;
  CHECK_OK(zeromq_socket_send(s[1], f, 2, 5000));
  /* The server sees the connection, then the bytes (possibly in one read). */
  CHECK_OK(zeromq_socket_recv(s[0], 5000, &msg));
  CHECK(msg != NULL && zeromq_message_frame_count(msg) == 2);
  if (zx_frame_is(msg, 1, "", 0)) {
    zeromq_message_free(msg);
    msg = NULL;
    CHECK_OK(zeromq_socket_recv(s[0], 5000, &msg));
    CHECK(msg != NULL && zeromq_message_frame_count(msg) == 2);
  }
  CHECK(zx_frame_is(msg, 1, "raw bytes", 9));
  result = 0;
cleanup:
  zeromq_message_free(msg);
  close_all(s, 2);
  return result;
}

static int test_options(void) {
  int result = 1;
  uint64_t id = 0;
  int32_t v = 0;
  int64_t big = 0;
  size_t len = 0;
  char buf[256];
  int32_t linger = 250;
  int64_t maxmsg = 4096;
  CHECK_OK(zeromq_socket_new(ZEROMQ_ROUTER, &id));
  CHECK_OK(zeromq_socket_get_option(id, ZEROMQ_OPT_TYPE, &v, sizeof v, &len));
  CHECK(len == 4 && v == ZEROMQ_ROUTER);
  CHECK_OK(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, &linger, sizeof linger));
  CHECK_OK(zeromq_socket_get_option(id, ZEROMQ_OPT_LINGER, &v, sizeof v, &len));
  CHECK(v == 250);
  CHECK_OK(zeromq_socket_set_option(id, ZEROMQ_OPT_MAXMSGSIZE, &maxmsg, sizeof maxmsg));
  CHECK_OK(zeromq_socket_get_option(id, ZEROMQ_OPT_MAXMSGSIZE, &big, sizeof big, &len));
  CHECK(len == 8 && big == 4096);
  CHECK_OK(zeromq_socket_set_option(id, ZEROMQ_OPT_ROUTING_ID, LIT("me")));
  CHECK_OK(zeromq_socket_get_option(id, ZEROMQ_OPT_ROUTING_ID, buf, sizeof buf, &len));
  CHECK(len == 2 && memcmp(buf, "me", 2) == 0);
  CHECK_OK(zeromq_socket_bind(id, LIT("tcp://127.0.0.1:*")));
  /* A size query, then the value (string options include their NUL). */
  CHECK_OK(zeromq_socket_get_option(id, ZEROMQ_OPT_LAST_ENDPOINT, NULL, 0, &len));
  CHECK(len > 16 && len < sizeof buf);
  CHECK_OK(zeromq_socket_get_option(id, ZEROMQ_OPT_LAST_ENDPOINT, buf, sizeof buf, &len));
  CHECK(strncmp(buf, "tcp://127.0.0.1:", 16) == 0 && buf[len - 1] == '\0');
  CHECK_RC(zeromq_socket_get_option(id, ZEROMQ_OPT_LAST_ENDPOINT, buf, 4, &len),
           ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  zeromq_socket_close(id);
  return result;
}

static int test_unbind_disconnect_and_rebind(void) {
  int result = 1;
  uint64_t s[3] = {0, 0, 0};
  char ep[256];
  static const char *const m[] = {"x"};
  CHECK_OK(zx_socket_pair(ZEROMQ_PULL, ZEROMQ_PUSH, &s[0], &s[1]));
  CHECK_OK(zx_socket_endpoint(s[0], 0, ep, sizeof ep));
  CHECK_OK(zx_send_strs(s[1], m, 1, 5000));
  CHECK(zx_recv_is(s[0], 5000, m, 1));
  CHECK_OK(zeromq_socket_disconnect(s[1], ep, strlen(ep)));
  /* No peer left: the message cannot be queued. */
  CHECK_RC(zx_send_strs(s[1], m, 1, 100), ZEROMQ_ERR_TIMEOUT);
  /* Port search: unbind one socket, another binds the same port, nothing else is touched. */
  CHECK_OK(zeromq_socket_unbind(s[0], ep, strlen(ep)));
  CHECK_OK(zeromq_socket_new(ZEROMQ_PULL, &s[2]));
  {
    int64_t deadline = zx_now_ms() + 5000;
    int32_t rc;
    while ((rc = zeromq_socket_bind(s[2], ep, strlen(ep))) != 0 && zx_now_ms() < deadline) {
      zx_sleep_ms(10);
    }
    CHECK_OK(rc);
  }
  CHECK_OK(zeromq_socket_connect(s[1], ep, strlen(ep)));
  CHECK_OK(zx_send_strs(s[1], m, 1, 5000));
  CHECK(zx_recv_is(s[2], 5000, m, 1));
  {
    zeromq_message *eps = NULL;
    CHECK_OK(zeromq_socket_endpoints(s[0], &eps));
    CHECK(zeromq_message_frame_count(eps) == 0);
    zeromq_message_free(eps);
  }
  result = 0;
cleanup:
  close_all(s, 3);
  return result;
}

/* A PUB with XPUB_NODROP reports a full queue as a timeout instead of dropping silently. */
static int test_pub_back_pressure(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  int32_t one = 1;
  int32_t small = 4096;
  static unsigned char block[1000];
  zeromq_frame f;
  int i;
  int timed_out = 0;
  CHECK_OK(zeromq_socket_new(ZEROMQ_PUB, &s[0]));
  CHECK_OK(zeromq_socket_set_option(s[0], ZEROMQ_OPT_SNDHWM, &one, sizeof one));
  CHECK_OK(zeromq_socket_set_option(s[0], ZEROMQ_OPT_XPUB_NODROP, &one, sizeof one));
  /* Small kernel buffers, so they fill quickly too. */
  CHECK_OK(zeromq_socket_set_option(s[0], ZEROMQ_OPT_SNDBUF, &small, sizeof small));
  CHECK_OK(zeromq_socket_bind(s[0], LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_socket_new(ZEROMQ_SUB, &s[1]));
  CHECK_OK(zeromq_socket_set_option(s[1], ZEROMQ_OPT_RCVHWM, &one, sizeof one));
  CHECK_OK(zeromq_socket_set_option(s[1], ZEROMQ_OPT_RCVBUF, &small, sizeof small));
  CHECK_OK(zeromq_socket_set_option(s[1], ZEROMQ_OPT_SUBSCRIBE, NULL, 0));
  {
    char ep[256];
    CHECK_OK(zx_socket_endpoint(s[0], 0, ep, sizeof ep));
    CHECK_OK(zeromq_socket_connect(s[1], ep, strlen(ep)));
  }
  CHECK(sync_sub(s[0], s[1], "probe") == 0);
  f.data = block;
  f.len = sizeof block;
  for (i = 0; i < 100000 && !timed_out; i++) {
    int32_t rc = zeromq_socket_send(s[0], &f, 1, i == 0 ? -1 : 0);
    if (rc == ZEROMQ_ERR_TIMEOUT) {
      timed_out = 1;
    } else {
      CHECK_OK(rc);
    }
  }
  CHECK(timed_out);
  /* The I/O thread still moves queued messages into the kernel's buffers; once those are full
   * too, a send with a timeout waits that long and reports the same. */
  {
    int64_t start = 0;
    int32_t rc = 0;
    for (i = 0; i < 100000 && rc == 0; i++) {
      start = zx_now_ms();
      rc = zeromq_socket_send(s[0], &f, 1, 150);
    }
    CHECK_RC(rc, ZEROMQ_ERR_TIMEOUT);
    CHECK(zx_now_ms() - start >= 140);
  }
  result = 0;
cleanup:
  close_all(s, 2);
  return result;
}

static int test_context_options(void) {
  int result = 1;
  int32_t v = 0;
  uint64_t id = 0;
  char err[512];
  CHECK_OK(zeromq_context_get_option(ZEROMQ_CTX_IO_THREADS, &v));
  CHECK(v >= 1);
  CHECK_OK(zeromq_context_get_option(ZEROMQ_CTX_MAX_SOCKETS, &v));
  CHECK(v > 0);
  CHECK_OK(zeromq_socket_new(ZEROMQ_PAIR, &id));
  /* Too late once a socket exists: an error, not silently ignored. */
  CHECK_RC(zeromq_context_set_option(ZEROMQ_CTX_MAX_SOCKETS, 100), ZEROMQ_ERR_INVALID_ARG);
  CHECK(strstr(zx_last_error(err, sizeof err), "before the first socket") != NULL);
  CHECK_OK(zeromq_context_set_option(ZEROMQ_CTX_BLOCKY, 0));
  CHECK_OK(zeromq_context_get_option(ZEROMQ_CTX_BLOCKY, &v));
  CHECK(v == 0);
  CHECK_RC(zeromq_context_set_option(12345, 1), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_context_get_option(ZEROMQ_CTX_IO_THREADS, NULL), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  zeromq_socket_close(id);
  return result;
}

/* zeromq_stop leaves generic sockets open; zeromq_shutdown closes them. */
static int test_stop_and_shutdown(void) {
  int result = 1;
  uint64_t s[2] = {0, 0};
  static const char *const m[] = {"still here"};
  CHECK_OK(zx_socket_pair(ZEROMQ_PULL, ZEROMQ_PUSH, &s[0], &s[1]));
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_stop());
  CHECK_OK(zx_send_strs(s[1], m, 1, 5000));
  CHECK(zx_recv_is(s[0], 5000, m, 1));
  CHECK_OK(zeromq_shutdown());
  CHECK_RC(zx_send_strs(s[1], m, 1, 0), ZEROMQ_ERR_CLOSED);
  CHECK_RC(zeromq_socket_close(s[0]), ZEROMQ_ERR_CLOSED);
  s[0] = s[1] = 0;
  /* The library works on afterwards. */
  CHECK_OK(zx_socket_pair(ZEROMQ_PULL, ZEROMQ_PUSH, &s[0], &s[1]));
  CHECK_OK(zx_send_strs(s[1], m, 1, 5000));
  CHECK(zx_recv_is(s[0], 5000, m, 1));
  result = 0;
cleanup:
  close_all(s, 2);
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"pair_both_ways", test_pair_both_ways},
      {"req_rep", test_req_rep},
      {"dealer_router", test_dealer_router},
      {"push_pull_pipeline", test_push_pull_pipeline},
      {"pub_sub_single_frames", test_pub_sub_single_frames},
      {"xpub_xsub", test_xpub_xsub},
      {"stream", test_stream},
      {"options", test_options},
      {"unbind_disconnect_and_rebind", test_unbind_disconnect_and_rebind},
      {"pub_back_pressure", test_pub_back_pressure},
      {"context_options", test_context_options},
      {"stop_and_shutdown", test_stop_and_shutdown},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
