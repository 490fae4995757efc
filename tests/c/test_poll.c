/* zeromq_poll over generic sockets, role sockets and OS descriptors; zeromq_handler_fd. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#ifndef _WIN32
#include <pthread.h>
#include <unistd.h>
#endif

static void close_ids(uint64_t *ids, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (ids[i] != 0) {
      zeromq_socket_close(ids[i]);
    }
  }
}

/* Three receiving sockets (PULL, REP, SUB) polled together; each becomes ready alone. */
static int test_poll_three_sockets(void) {
  int result = 1;
  uint64_t s[6] = {0, 0, 0, 0, 0, 0};
  zeromq_poll_item items[3];
  size_t ready = 99;
  int i;
  static const char *const m[] = {"ping"};
  CHECK_OK(zx_socket_pair(ZEROMQ_PULL, ZEROMQ_PUSH, &s[0], &s[3]));
  CHECK_OK(zx_socket_pair(ZEROMQ_REP, ZEROMQ_REQ, &s[1], &s[4]));
  CHECK_OK(zx_socket_pair(ZEROMQ_SUB, ZEROMQ_PUB, &s[2], &s[5]));
  CHECK_OK(zeromq_socket_set_option(s[2], ZEROMQ_OPT_SUBSCRIBE, NULL, 0));
  memset(items, 0, sizeof items);
  for (i = 0; i < 3; i++) {
    items[i].socket = s[i];
    items[i].events = ZEROMQ_POLLIN;
  }
  {
    int64_t start = zx_now_ms();
    CHECK_OK(zeromq_poll(items, 3, 100, &ready));
    CHECK(ready == 0);
    CHECK(zx_now_ms() - start >= 95);
  }
  for (i = 0; i < 3; i++) {
    int k;
    int64_t deadline = zx_now_ms() + 10000;
    /* The PUB drops until the subscription arrived: repeat it. */
    do {
      CHECK_OK(zx_send_strs(s[3 + i], m, 1, i == 2 ? 0 : 5000));
      CHECK_OK(zeromq_poll(items, 3, i == 2 ? 50 : 5000, &ready));
    } while (ready == 0 && zx_now_ms() < deadline);
    CHECK(ready == 1);
    for (k = 0; k < 3; k++) {
      CHECK(items[k].revents == (k == i ? ZEROMQ_POLLIN : 0));
    }
    CHECK(zx_recv_is(s[i], 0, m, 1));
    if (i == 2) {
      /* Drain repeated probes. */
      zeromq_message *msg = NULL;
      do {
        zeromq_message_free(msg);
        msg = NULL;
        CHECK_OK(zeromq_socket_recv(s[2], 100, &msg));
      } while (msg != NULL);
    }
  }
  /* POLLOUT: the REP may answer now. */
  items[1].events = ZEROMQ_POLLIN | ZEROMQ_POLLOUT;
  CHECK_OK(zeromq_poll(&items[1], 1, 0, &ready));
  CHECK(ready == 1 && items[1].revents == ZEROMQ_POLLOUT);
  result = 0;
cleanup:
  close_ids(s, 6);
  return result;
}

/* A role socket by id: none before it exists, POLLIN when a request waits, stale after stop. */
static int test_poll_role_socket(void) {
  int result = 1;
  uint64_t id = 99;
  uint64_t again = 0;
  zeromq_poll_item item;
  size_t ready = 0;
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_role_socket(ZEROMQ_ROLE_SERVER, &id));
  CHECK(id == 0);
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_role_socket(ZEROMQ_ROLE_SERVER, &id));
  CHECK(id != 0);
  CHECK_OK(zeromq_role_socket(ZEROMQ_ROLE_SERVER, &again));
  CHECK(again == id);
  {
    char ep[256];
    CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, ep, sizeof ep));
    CHECK_OK(zeromq_client_connect(ep, strlen(ep)));
  }
  CHECK_OK(zeromq_client_send(LIT("request")));
  memset(&item, 0, sizeof item);
  item.socket = id;
  item.events = ZEROMQ_POLLIN;
  CHECK_OK(zeromq_poll(&item, 1, 5000, &ready));
  CHECK(ready == 1 && item.revents == ZEROMQ_POLLIN);
  {
    zeromq_message *msg = NULL;
    CHECK_OK(zeromq_server_recv(0, &msg));
    CHECK(msg != NULL);
    zeromq_message_free(msg);
  }
  /* Role ids are for polling; the role functions send and receive. */
  CHECK_RC(zeromq_socket_close(id), ZEROMQ_ERR_INVALID_ARG);
  CHECK_OK(zeromq_stop());
  CHECK_RC(zeromq_poll(&item, 1, 0, &ready), ZEROMQ_ERR_CLOSED);
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_role_socket(ZEROMQ_ROLE_SERVER, &again));
  CHECK(again != 0 && again != id);
  CHECK_RC(zeromq_poll(&item, 1, 0, &ready), ZEROMQ_ERR_CLOSED);
  result = 0;
cleanup:
  zeromq_stop();
  return result;
}

#ifndef _WIN32
/* An OS descriptor (a pipe) beside a socket. */
static int test_poll_descriptor(void) {
  int result = 1;
  int fds[2] = {-1, -1};
  uint64_t s[2] = {0, 0};
  zeromq_poll_item items[2];
  size_t ready = 0;
  CHECK(pipe(fds) == 0);
  CHECK_OK(zx_socket_pair(ZEROMQ_PULL, ZEROMQ_PUSH, &s[0], &s[1]));
  memset(items, 0, sizeof items);
  items[0].socket = s[0];
  items[0].events = ZEROMQ_POLLIN;
  items[1].socket = 0;
  items[1].fd = fds[0];
  items[1].events = ZEROMQ_POLLIN;
  CHECK_OK(zeromq_poll(items, 2, 50, &ready));
  CHECK(ready == 0 && items[1].revents == 0);
  CHECK(write(fds[1], "x", 1) == 1);
  CHECK_OK(zeromq_poll(items, 2, 5000, &ready));
  CHECK(ready == 1 && items[0].revents == 0 && items[1].revents == ZEROMQ_POLLIN);
  /* A negative descriptor is refused. */
  items[1].fd = -5;
  CHECK_RC(zeromq_poll(items, 2, 0, &ready), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  if (fds[0] >= 0) {
    close(fds[0]);
    close(fds[1]);
  }
  close_ids(s, 2);
  return result;
}

static void answer(void *user_data, const zeromq_call *call, zeromq_reply *reply) {
  (void)user_data;
  (void)call;
  zeromq_reply_variable(reply, 42.0);
}

/* The handler's descriptor: readable while a call waits, not after zeromq_handler_process. */
static int test_handler_fd(void) {
  int result = 1;
  int64_t fd = -1;
  int64_t fd2 = -1;
  zeromq_poll_item item;
  size_t ready = 0;
  uint32_t processed = 0;
  zeromq_message *reply = NULL;
  static const char call[] =
      "{\"version\":1,\"CallFunction\":{\"name\":\"answer\",\"params\":[]}}";
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_set_dispatcher(answer, NULL));
  CHECK_OK(zeromq_handler_fd(&fd));
  CHECK(fd >= 0);
  CHECK_OK(zeromq_handler_fd(&fd2));
  CHECK(fd2 == fd);
  CHECK_OK(zeromq_handler_process(NULL));
  memset(&item, 0, sizeof item);
  item.fd = fd;
  item.events = ZEROMQ_POLLIN;
  CHECK_OK(zeromq_poll(&item, 1, 0, &ready));
  CHECK(ready == 0);
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_handler_start());
  {
    char ep[256];
    CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, ep, sizeof ep));
    CHECK_OK(zeromq_client_connect(ep, strlen(ep)));
  }
  CHECK_OK(zeromq_client_send(call, sizeof call - 1));
  CHECK_OK(zeromq_poll(&item, 1, 5000, &ready));
  CHECK(ready == 1 && item.revents == ZEROMQ_POLLIN);
  CHECK_OK(zeromq_handler_process(&processed));
  CHECK(processed == 1);
  CHECK_OK(zeromq_poll(&item, 1, 0, &ready));
  CHECK(ready == 0);
  CHECK_OK(zeromq_client_recv(5000, &reply));
  CHECK(reply != NULL);
  result = 0;
cleanup:
  zeromq_message_free(reply);
  zeromq_stop();
  zeromq_set_dispatcher(NULL, NULL);
  return result;
}

struct blocked {
  uint64_t id;
  int32_t rc;
  int64_t returned_at;
};

static void *poll_forever(void *arg) {
  struct blocked *b = (struct blocked *)arg;
  zeromq_poll_item item;
  memset(&item, 0, sizeof item);
  item.socket = b->id;
  item.events = ZEROMQ_POLLIN;
  b->rc = zeromq_poll(&item, 1, -1, NULL);
  b->returned_at = zx_now_ms();
  return NULL;
}

/* Closing a socket that another thread polls ends that poll at once with CLOSED. */
static int test_close_while_polled(void) {
  int result = 1;
  struct blocked b;
  pthread_t t;
  int started = 0;
  int64_t closed_at;
  memset(&b, 0, sizeof b);
  CHECK_OK(zeromq_socket_new(ZEROMQ_PULL, &b.id));
  CHECK(pthread_create(&t, NULL, poll_forever, &b) == 0);
  started = 1;
  zx_sleep_ms(100);
  closed_at = zx_now_ms();
  CHECK_OK(zeromq_socket_close(b.id));
  pthread_join(t, NULL);
  started = 0;
  CHECK(b.rc == ZEROMQ_ERR_CLOSED);
  CHECK(b.returned_at - closed_at < 500);
  result = 0;
cleanup:
  if (started) {
    zeromq_socket_close(b.id);
    pthread_join(t, NULL);
  }
  return result;
}
#endif

int main(void) {
  static const zx_test_case cases[] = {
      {"poll_three_sockets", test_poll_three_sockets},
      {"poll_role_socket", test_poll_role_socket},
#ifndef _WIN32
      {"poll_descriptor", test_poll_descriptor},
      {"handler_fd", test_handler_fd},
      {"close_while_polled", test_close_while_polled},
#endif
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
