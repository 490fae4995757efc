/* Publisher <-> subscriber: filters, single and multi-frame messages, frame-layout errors. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

static char pub_endpoint[256];

/* Publisher bound to a fresh loopback port, subscriber connected to it. */
static int32_t setup(void) {
  int32_t rc = zeromq_pub_bind(LIT("tcp://127.0.0.1:*"));
  if (rc != 0) {
    return rc;
  }
  rc = zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, pub_endpoint, sizeof pub_endpoint);
  if (rc != 0) {
    return rc;
  }
  return zeromq_sub_connect(pub_endpoint, strlen(pub_endpoint));
}

/* Waits up to 5 s for the next message (heartbeats and syncs aside) and checks that it is
 * topic/payload. With `republish` it publishes that message every 50 ms meanwhile: a filter
 * added after others reaches the publisher asynchronously, and a message on an older filter
 * ("sync") proves nothing about it. */
static int expect_message_of(const void *topic, size_t topic_len, const void *payload,
                             size_t payload_len, int republish) {
  int result = 1;
  zeromq_message *msg = NULL;
  int64_t deadline = zx_now_ms() + 5000;
  if (!republish) {
    CHECK_OK(zx_sub_next(5000, &msg));
  }
  while (msg == NULL && zx_now_ms() < deadline) {
    CHECK_OK(zeromq_pub_send(topic, topic_len, payload, payload_len));
    CHECK_OK(zx_sub_next(50, &msg));
  }
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 2);
  CHECK(zx_frame_is(msg, 0, topic, topic_len));
  CHECK(zx_frame_is(msg, 1, payload, payload_len));
  result = 0;
cleanup:
  zeromq_message_free(msg);
  return result;
}

static int expect_message(const void *topic, size_t topic_len, const void *payload,
                          size_t payload_len) {
  return expect_message_of(topic, topic_len, payload, payload_len, 0);
}

/* Publishes a marker on "syncmark" and checks that it is the next message (so nothing that was
 * published before it got through the filters). */
static int expect_only_marker(void) {
  int result = 1;
  CHECK_OK(zeromq_pub_send(LIT("syncmark"), LIT("end")));
  {
    zeromq_message *msg = NULL;
    int64_t deadline = zx_now_ms() + 5000;
    int found = 0;
    while (!found && zx_now_ms() < deadline) {
      const uint8_t *topic = NULL;
      size_t len = 0;
      CHECK_OK(zeromq_sub_recv(100, &msg));
      if (msg == NULL) {
        continue;
      }
      CHECK_OK(zeromq_message_frame(msg, 0, &topic, &len));
      if (len == 8 && memcmp(topic, "syncmark", 8) == 0) {
        found = 1;
      } else if (!(len == 9 && memcmp(topic, "heartbeat", 9) == 0) &&
                 !(len == 4 && memcmp(topic, "sync", 4) == 0)) {
        fprintf(stderr, "%s: unexpected message on topic \"%.*s\"\n", ZX_TEST_NAME, (int)len,
                (const char *)topic);
        zeromq_message_free(msg);
        msg = NULL;
        CHECK(0);
      }
      zeromq_message_free(msg);
      msg = NULL;
    }
    CHECK(found);
  }
  result = 0;
cleanup:
  return result;
}

/* Publishing without a bind drops the message; filters work without a connection. */
static int test_send_without_bind(void) {
  int result = 1;
  zeromq_message *msg = NULL;
  /* PUB semantics: without subscribers the message is dropped, no error. */
  CHECK_OK(zeromq_pub_send(LIT("topic"), LIT("nobody")));
  CHECK_OK(zeromq_pub_send(LIT(""), LIT("")));
  /* Filters work without any connection. */
  CHECK_OK(zeromq_sub_add_filter(LIT("abc")));
  CHECK_OK(zeromq_sub_recv(0, &msg));
  CHECK(msg == NULL);
  result = 0;
cleanup:
  zeromq_message_free(msg);
  return result;
}

/* A subscriber without a filter receives nothing. */
static int test_no_filter_by_default(void) {
  int result = 1;
  zeromq_message *msg = NULL;
  int64_t deadline;

  CHECK_OK(setup());
  zx_sleep_ms(200);
  deadline = zx_now_ms() + 800;
  while (zx_now_ms() < deadline) {
    CHECK_OK(zeromq_pub_send(LIT("abc"), LIT("not subscribed")));
    CHECK_OK(zeromq_pub_send(LIT(""), LIT("not subscribed")));
    CHECK_OK(zeromq_sub_recv(50, &msg));
    CHECK(msg == NULL);
    CHECK_OK(zeromq_sub_recv_multi(0, &msg));
    CHECK(msg == NULL);
  }
  result = 0;
cleanup:
  zeromq_message_free(msg);
  return result;
}

/* Filters: the empty one, prefixes, binary topics, removal, duplicates. */
static int test_filters(void) {
  int result = 1;
  static const char bin_filter[] = {'b', 'i', '\0', 'n'};
  static const char bin_topic[] = {'b', 'i', '\0', 'n', 'a', 'r', 'y'};
  static const char bin_payload[] = {'\0', '\x01', '\0', (char)0xff};

  CHECK_OK(setup());

  /* The empty filter subscribes to everything. */
  CHECK_OK(zeromq_sub_add_filter(LIT("")));
  CHECK_OK(zx_sub_sync("sync", 5000));
  CHECK_OK(zeromq_pub_send(LIT("xyz"), LIT("all")));
  CHECK(expect_message(LIT("xyz"), LIT("all")) == 0);
  CHECK_OK(zeromq_pub_send(LIT(""), LIT("")));
  CHECK(expect_message(LIT(""), LIT("")) == 0);

  /* Duplicates and missing filters. */
  CHECK_RC(zeromq_sub_add_filter(LIT("")), ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED);
  CHECK_RC(zeromq_sub_remove_filter(LIT("abc")), ZEROMQ_ERR_MESSAGE_FILTER_MISSING);
  CHECK_OK(zeromq_sub_add_filter(LIT("abc")));
  CHECK_RC(zeromq_sub_add_filter(LIT("abc")), ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED);
  CHECK_RC(zeromq_sub_add_filter(LIT("")), ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED);
  /* Byte-exact comparison: a prefix or an extension is another filter. */
  CHECK_RC(zeromq_sub_remove_filter(LIT("ab")), ZEROMQ_ERR_MESSAGE_FILTER_MISSING);
  CHECK_RC(zeromq_sub_remove_filter(LIT("abcd")), ZEROMQ_ERR_MESSAGE_FILTER_MISSING);

  /* Removing "" removes every filter, and is never an error. */
  CHECK_OK(zeromq_sub_remove_filter(LIT("")));
  CHECK_OK(zeromq_sub_remove_filter(LIT("")));
  CHECK_RC(zeromq_sub_remove_filter(LIT("abc")), ZEROMQ_ERR_MESSAGE_FILTER_MISSING);

  /* Prefix filters: "abc" gets "abc..." topics, nothing else. */
  /* "sync" last: filters reach the publisher in order, so a sync proves the others. */
  CHECK_OK(zeromq_sub_add_filter(LIT("abc")));
  CHECK_OK(zeromq_sub_add_filter(LIT("sync")));
  CHECK_OK(zx_sub_sync("sync", 5000));
  CHECK_OK(zeromq_pub_send(LIT("xyz"), LIT("filtered out")));
  CHECK_OK(zeromq_pub_send(LIT("ab"), LIT("filtered out")));
  CHECK_OK(zeromq_pub_send(LIT("abcdef"), LIT("wanted")));
  CHECK(expect_message(LIT("abcdef"), LIT("wanted")) == 0);
  CHECK_OK(zeromq_pub_send(LIT("abc"), LIT("exact")));
  CHECK(expect_message(LIT("abc"), LIT("exact")) == 0);

  /* After removing "abc" its messages no longer arrive. */
  CHECK_OK(zeromq_sub_remove_filter(LIT("abc")));
  CHECK_OK(zeromq_pub_send(LIT("abcdef"), LIT("removed")));
  CHECK(expect_only_marker() == 0);
  CHECK_RC(zeromq_sub_remove_filter(LIT("abc")), ZEROMQ_ERR_MESSAGE_FILTER_MISSING);

  /* Binary filters and topics with NUL bytes. */
  CHECK_OK(zeromq_sub_add_filter(bin_filter, sizeof bin_filter));
  CHECK_RC(zeromq_sub_add_filter(bin_filter, sizeof bin_filter),
           ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED);
  CHECK_OK(zeromq_pub_send(LIT("bi"), LIT("filtered out")));
  CHECK(expect_message_of(bin_topic, sizeof bin_topic, bin_payload, sizeof bin_payload, 1) == 0);
  CHECK_RC(zeromq_sub_remove_filter(LIT("bi")), ZEROMQ_ERR_MESSAGE_FILTER_MISSING);
  CHECK_OK(zeromq_sub_remove_filter(bin_filter, sizeof bin_filter));
  CHECK_RC(zeromq_sub_remove_filter(bin_filter, sizeof bin_filter),
           ZEROMQ_ERR_MESSAGE_FILTER_MISSING);
  CHECK_OK(zeromq_pub_send(bin_topic, sizeof bin_topic, bin_payload, sizeof bin_payload));
  CHECK(expect_only_marker() == 0);

  /* zeromq_stop drops all filters: the same filter can be added again. */
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_sub_add_filter(LIT("sync")));
  result = 0;
cleanup:
  return result;
}

/* Multi-frame messages out (zeromq_pub_send_multi) and in (zeromq_sub_recv_multi). */
static int test_multi_frame(void) {
  int result = 1;
  zeromq_message *msg = NULL;
  zeromq_frame frames[4];
  static const char payload[] = {'p', 'a', 'y', '\0', 'l', 'o', 'a', 'd'};
  static const unsigned char raw[] = {0x00, 0x01, 0x00, 0xff, 0x80, 0x00};
  int32_t rc;
  int64_t deadline;
  int errors = 0;

  CHECK_OK(setup());
  /* "sync" last: filters reach the publisher in order, so a sync proves the others. */
  CHECK_OK(zeromq_sub_add_filter(LIT("multi")));
  CHECK_OK(zeromq_sub_add_filter(LIT("sync")));
  CHECK_OK(zx_sub_sync("sync", 5000));

  /* Four frames: filter, payload with NUL, raw bytes, an empty frame. */
  frames[0].data = "multi";
  frames[0].len = 5;
  frames[1].data = payload;
  frames[1].len = sizeof payload;
  frames[2].data = raw;
  frames[2].len = sizeof raw;
  frames[3].data = NULL;
  frames[3].len = 0;
  CHECK_OK(zeromq_pub_send_multi(frames, 4));
  CHECK_OK(zx_sub_next(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 4);
  CHECK(zx_frame_is(msg, 0, LIT("multi")));
  CHECK(zx_frame_is(msg, 1, payload, sizeof payload));
  CHECK(zx_frame_is(msg, 2, raw, sizeof raw));
  CHECK(zx_frame_is(msg, 3, "", 0));
  zeromq_message_free(msg);
  msg = NULL;

  /* Two frames through the multi API, and a single-message send received as multi. */
  CHECK_OK(zeromq_pub_send_multi(frames, 2));
  CHECK_OK(zx_sub_next(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 2);
  CHECK(zx_frame_is(msg, 1, payload, sizeof payload));
  zeromq_message_free(msg);
  msg = NULL;
  CHECK_OK(zeromq_pub_send(LIT("multi-single"), LIT("x")));
  CHECK_OK(zx_sub_next(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 2);
  CHECK(zx_frame_is(msg, 0, LIT("multi-single")));
  CHECK(zx_frame_is(msg, 1, LIT("x")));
  zeromq_message_free(msg);
  msg = NULL;

  /* An empty payload frame given as (NULL, 0). */
  frames[1].data = NULL;
  frames[1].len = 0;
  CHECK_OK(zeromq_pub_send_multi(frames, 2));
  CHECK(expect_message(LIT("multi"), "", 0) == 0);
  frames[1].data = payload;
  frames[1].len = sizeof payload;

  /* Fewer than two frames cannot be sent. */
  CHECK_RC2(zeromq_pub_send_multi(frames, 1), ZEROMQ_ERR_INVALID_ARG, ZEROMQ_ERR_INVALID_TYPE);
  CHECK_RC2(zeromq_pub_send_multi(frames, 0), ZEROMQ_ERR_INVALID_ARG, ZEROMQ_ERR_INVALID_TYPE);

  /* zeromq_sub_recv takes exactly two frames: three are a format error. */
  CHECK_OK(zeromq_pub_send_multi(frames, 3));
  deadline = zx_now_ms() + 5000;
  rc = 0;
  while (rc == 0 && zx_now_ms() < deadline) {
    const uint8_t *topic = NULL;
    size_t len = 0;
    rc = zeromq_sub_recv(100, &msg);
    if (rc == 0 && msg != NULL) {
      CHECK_OK(zeromq_message_frame(msg, 0, &topic, &len));
      if (!(len == 4 && memcmp(topic, "sync", 4) == 0) &&
          !(len == 9 && memcmp(topic, "heartbeat", 9) == 0)) {
        fprintf(stderr, "%s: a 3-frame message was accepted by zeromq_sub_recv\n",
                ZX_TEST_NAME);
        CHECK(0);
      }
      zeromq_message_free(msg);
      msg = NULL;
    }
  }
  CHECK_RC(rc, ZEROMQ_ERR_INVALID_MESSAGE_FORMAT);

  /* The stream goes on: the next message is received normally. */
  CHECK_OK(zeromq_pub_send(LIT("multi"), LIT("after")));
  deadline = zx_now_ms() + 5000;
  while (msg == NULL && zx_now_ms() < deadline) {
    rc = zx_sub_next(500, &msg);
    if (rc == ZEROMQ_ERR_INVALID_MESSAGE_FORMAT && errors == 0) {
      errors++;
      continue;
    }
    CHECK_OK(rc);
  }
  CHECK(msg != NULL);
  CHECK(zeromq_message_frame_count(msg) == 2);
  CHECK(zx_frame_is(msg, 0, LIT("multi")));
  CHECK(zx_frame_is(msg, 1, LIT("after")));
  zeromq_message_free(msg);
  msg = NULL;
  result = 0;
cleanup:
  zeromq_message_free(msg);
  return result;
}

/* Subscribers connect by host name and over ipc. */
static int test_connect_by_name_and_ipc(void) {
  int result = 1;
  char endpoint[300];
  char path[256];
  char ipc[300];
  char got[300];
  long port;
  size_t n = 0;

  path[0] = '\0';
  CHECK(zeromq_has(LIT("ipc")) == 1);
  CHECK(zx_ipc_endpoint(path, sizeof path, ipc, sizeof ipc, "zeromq-xop-pubsub") == 0);

  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, got, sizeof got));
  port = zx_endpoint_port(got);
  CHECK(port > 0);
  CHECK_OK(zeromq_pub_bind(ipc, strlen(ipc)));
  CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_PUBLISHER, &n));
  CHECK(n == 2);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 1, got, sizeof got));
  CHECK(strcmp(got, ipc) == 0);

  /* Subscriber over ipc only. */
  CHECK_OK(zeromq_sub_connect(ipc, strlen(ipc)));
  /* "sync" last: filters reach the publisher in order, so a sync proves the others. */
  CHECK_OK(zeromq_sub_add_filter(LIT("ipc")));
  CHECK_OK(zeromq_sub_add_filter(LIT("sync")));
  CHECK_OK(zx_sub_sync("sync", 5000));
  CHECK_OK(zeromq_pub_send(LIT("ipc"), LIT("over ipc")));
  CHECK(expect_message(LIT("ipc"), LIT("over ipc")) == 0);
  CHECK_OK(zeromq_stop());

  /* Subscriber connecting by host name. */
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, got, sizeof got));
  port = zx_endpoint_port(got);
  CHECK(port > 0);
  snprintf(endpoint, sizeof endpoint, "tcp://localhost:%ld", port);
  CHECK_OK(zeromq_sub_connect(endpoint, strlen(endpoint)));
  CHECK_OK(zeromq_sub_add_filter(LIT("sync")));
  CHECK_OK(zx_sub_sync("sync", 5000));
  result = 0;
cleanup:
  zx_stop_and_remove(path);
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"send_without_bind", test_send_without_bind},
      {"no_filter_by_default", test_no_filter_by_default},
      {"filters", test_filters},
      {"multi_frame", test_multi_frame},
      {"connect_by_name_and_ipc", test_connect_by_name_and_ipc},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
