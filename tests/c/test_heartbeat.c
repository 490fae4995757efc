/* The publisher's heartbeat: topic "heartbeat", empty payload, the first one right after the
 * first bind and then every 5 s, so one arrives within about 7 s of a bind. */
#include "test_util.h"

#include <string.h>

static int test_heartbeat_after_bind(void) {
  int result = 1;
  zeromq_message *msg = NULL;
  char endpoint[256];
  int64_t bound_at;
  int64_t deadline;
  int64_t elapsed;
  int heartbeats = 0;

  /* The subscriber's filter is a prefix of the topic. */
  CHECK_OK(zeromq_sub_add_filter(LIT("heart")));
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  bound_at = zx_now_ms();
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, endpoint, sizeof endpoint));
  CHECK_OK(zeromq_sub_connect(endpoint, strlen(endpoint)));

  deadline = bound_at + 7000;
  while (heartbeats == 0 && zx_now_ms() < deadline) {
    CHECK_OK(zeromq_sub_recv(100, &msg));
    if (msg == NULL) {
      continue;
    }
    CHECK(zeromq_message_frame_count(msg) == 2);
    CHECK(zx_frame_is(msg, 0, LIT("heartbeat")));
    CHECK(zx_frame_is(msg, 1, "", 0));
    zeromq_message_free(msg);
    msg = NULL;
    heartbeats++;
  }
  elapsed = zx_now_ms() - bound_at;
  zx_note("first heartbeat %s after %lld ms", heartbeats > 0 ? "received" : "NOT received",
          (long long)elapsed);
  CHECK(heartbeats == 1);
  result = 0;
cleanup:
  zeromq_message_free(msg);
  zeromq_stop();
  return result;
}

static int test_heartbeat_after_stop_and_rebind(void) {
  int result = 1;
  /* Heartbeats belong to the publisher's binds, which zeromq_stop closes; a new bind brings
   * them back. */
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_stop());
  CHECK(test_heartbeat_after_bind() == 0);
  result = 0;
cleanup:
  zeromq_stop();
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"heartbeat_after_bind", test_heartbeat_after_bind},
      {"heartbeat_after_stop_and_rebind", test_heartbeat_after_stop_and_rebind},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
