/* Bad input to the generic socket functions: unknown types and options, wrong sizes, NULL
 * frames, stale ids, closing from another thread, polling a closed socket, and 10k sockets
 * opened and closed without leaking descriptors or threads. Each gets a code and a text. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#ifndef _WIN32
#include <pthread.h>
#endif
#ifdef __linux__
#include <dirent.h>
#endif

/* The last error's text is not empty (every failure explains itself). */
#define CHECK_TEXT()                                                                        \
  do {                                                                                      \
    char zx_err_[512];                                                                      \
    CHECK(strlen(zx_last_error(zx_err_, sizeof zx_err_)) > 10);                             \
  } while (0)

static int test_unknown_type(void) {
  int result = 1;
  uint64_t id = 77;
  static const int32_t bad[] = {-1, 12, 1000, (int32_t)0x80000000};
  size_t i;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_RC(zeromq_socket_new(bad[i], &id), ZEROMQ_ERR_INVALID_ARG);
    CHECK_TEXT();
    CHECK(id == 77);
  }
  CHECK_RC(zeromq_socket_new(ZEROMQ_PAIR, NULL), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  return result;
}

static int test_bad_options(void) {
  int result = 1;
  uint64_t id = 0;
  int32_t v = 1;
  int64_t v64 = 1;
  size_t len = 0;
  char buf[8];
  CHECK_OK(zeromq_socket_new(ZEROMQ_SUB, &id));
  CHECK_RC(zeromq_socket_set_option(id, 9999, &v, sizeof v), ZEROMQ_ERR_INVALID_ARG);
  CHECK_TEXT();
  CHECK_RC(zeromq_socket_set_option(id, -1, &v, sizeof v), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_get_option(id, 9999, &v, sizeof v, &len), ZEROMQ_ERR_INVALID_ARG);
  /* Wrong sizes for integer options. */
  CHECK_RC(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, &v64, sizeof v64),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_TEXT();
  CHECK_RC(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, &v, 2), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_set_option(id, ZEROMQ_OPT_MAXMSGSIZE, &v, sizeof v),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, NULL, 4), ZEROMQ_ERR_INVALID_ARG);
  /* Read-only and set-only options. */
  CHECK_RC(zeromq_socket_set_option(id, ZEROMQ_OPT_TYPE, &v, sizeof v), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_get_option(id, ZEROMQ_OPT_SUBSCRIBE, buf, sizeof buf, &len),
           ZEROMQ_ERR_INVALID_ARG);
  /* Output checks: NULL len, too small or NULL buffer. */
  CHECK_RC(zeromq_socket_get_option(id, ZEROMQ_OPT_LINGER, &v, sizeof v, NULL),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_get_option(id, ZEROMQ_OPT_LINGER, buf, 2, &len),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_get_option(id, ZEROMQ_OPT_LINGER, NULL, 4, &len),
           ZEROMQ_ERR_INVALID_ARG);
  /* A value libzmq refuses (a CURVE key of the wrong length). */
  CHECK_RC(zeromq_socket_set_option(id, ZEROMQ_OPT_CURVE_SERVERKEY, LIT("short")),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_TEXT();
  /* The socket is fine afterwards. */
  CHECK_OK(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, &v, sizeof v));
  result = 0;
cleanup:
  zeromq_socket_close(id);
  return result;
}

static int test_bad_frames_and_endpoints(void) {
  int result = 1;
  uint64_t id = 0;
  zeromq_frame f[2];
  zeromq_message *msg = NULL;
  CHECK_OK(zeromq_socket_new(ZEROMQ_PUSH, &id));
  CHECK_RC(zeromq_socket_send(id, NULL, 1, 0), ZEROMQ_ERR_INVALID_ARG);
  CHECK_TEXT();
  f[0].data = "x";
  f[0].len = 1;
  f[1].data = NULL;
  f[1].len = 5;
  CHECK_RC(zeromq_socket_send(id, f, 0, 0), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_send(id, f, 2, 0), ZEROMQ_ERR_INVALID_ARG);
  CHECK_TEXT();
  CHECK_RC(zeromq_socket_send(id, f, (size_t)-1, 0), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_recv(id, 0, NULL), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_recv(id, 0, &msg), ZEROMQ_ERR_INVALID_ARG); /* PUSH cannot receive */
  CHECK(msg == NULL);
  CHECK_RC(zeromq_socket_bind(id, NULL, 3), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_bind(id, LIT("")), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_bind(id, LIT("tcp://nonsense")), ZEROMQ_ERR_INVALID_ARG);
  CHECK_TEXT();
  CHECK_RC(zeromq_socket_connect(id, "tcp\0://x", 8), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_unbind(id, LIT("tcp://127.0.0.1:1")), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_socket_endpoints(id, NULL), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_poll(NULL, 1, 0, NULL), ZEROMQ_ERR_INVALID_ARG);
  {
    zeromq_poll_item item;
    memset(&item, 0, sizeof item);
    item.socket = id;
    item.events = 64;
    CHECK_RC(zeromq_poll(&item, 1, 0, NULL), ZEROMQ_ERR_INVALID_ARG);
    CHECK_RC(zeromq_poll(&item, 0, 0, NULL), ZEROMQ_ERR_INVALID_ARG);
  }
  CHECK_RC(zeromq_role_socket(7, &id), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_role_socket(ZEROMQ_ROLE_CLIENT, NULL), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_handler_fd(NULL), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  zeromq_socket_close(id);
  return result;
}

/* Every function refuses a closed id, 0 and an id never handed out, with CLOSED. */
static int test_stale_ids(void) {
  int result = 1;
  uint64_t closed = 0;
  uint64_t ids[3];
  size_t i;
  int32_t v = 0;
  size_t len = 0;
  zeromq_message *msg = NULL;
  zeromq_frame f;
  zeromq_poll_item item;
  CHECK_OK(zeromq_socket_new(ZEROMQ_PAIR, &closed));
  CHECK_OK(zeromq_socket_close(closed));
  ids[0] = closed;
  ids[1] = 0;
  ids[2] = UINT64_MAX;
  f.data = "x";
  f.len = 1;
  for (i = 0; i < 3; i++) {
    CHECK_RC(zeromq_socket_close(ids[i]), ZEROMQ_ERR_CLOSED);
    CHECK_TEXT();
    CHECK_RC(zeromq_socket_bind(ids[i], LIT("tcp://127.0.0.1:*")), ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_unbind(ids[i], LIT("tcp://127.0.0.1:1")), ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_connect(ids[i], LIT("tcp://127.0.0.1:1")), ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_disconnect(ids[i], LIT("tcp://127.0.0.1:1")), ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_send(ids[i], &f, 1, -1), ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_recv(ids[i], -1, &msg), ZEROMQ_ERR_CLOSED);
    CHECK(msg == NULL);
    CHECK_RC(zeromq_socket_set_option(ids[i], ZEROMQ_OPT_LINGER, &v, sizeof v),
             ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_get_option(ids[i], ZEROMQ_OPT_LINGER, &v, sizeof v, &len),
             ZEROMQ_ERR_CLOSED);
    CHECK_RC(zeromq_socket_endpoints(ids[i], &msg), ZEROMQ_ERR_CLOSED);
    memset(&item, 0, sizeof item);
    item.socket = ids[i];
    item.events = ZEROMQ_POLLIN;
    if (ids[i] != 0) {
      /* Polling a closed socket: CLOSED, the text names the item. */
      char err[512];
      CHECK_RC(zeromq_poll(&item, 1, -1, NULL), ZEROMQ_ERR_CLOSED);
      CHECK(strstr(zx_last_error(err, sizeof err), "item 0") != NULL);
    }
  }
  /* A new socket never gets an old id. */
  {
    uint64_t fresh = 0;
    CHECK_OK(zeromq_socket_new(ZEROMQ_PAIR, &fresh));
    CHECK(fresh > closed);
    CHECK_OK(zeromq_socket_close(fresh));
  }
  result = 0;
cleanup:
  return result;
}

#ifndef _WIN32
struct blocked {
  uint64_t id;
  int send;
  int32_t rc;
  int64_t returned_at;
};

static void *block_on(void *arg) {
  struct blocked *b = (struct blocked *)arg;
  if (b->send) {
    zeromq_frame f;
    f.data = "x";
    f.len = 1;
    b->rc = zeromq_socket_send(b->id, &f, 1, -1);
  } else {
    zeromq_message *msg = NULL;
    b->rc = zeromq_socket_recv(b->id, -1, &msg);
    zeromq_message_free(msg);
  }
  b->returned_at = zx_now_ms();
  return NULL;
}

/* A thread blocked in a receive or a send returns promptly with CLOSED when another thread
 * closes its socket. */
static int test_close_from_another_thread(void) {
  int result = 1;
  struct blocked b[2];
  pthread_t t[2];
  int started = 0;
  int i;
  int64_t closed_at;
  memset(b, 0, sizeof b);
  CHECK_OK(zeromq_socket_new(ZEROMQ_PULL, &b[0].id));
  CHECK_OK(zeromq_socket_bind(b[0].id, LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_socket_new(ZEROMQ_PUSH, &b[1].id)); /* no peer: a send blocks */
  b[1].send = 1;
  for (i = 0; i < 2; i++) {
    CHECK(pthread_create(&t[i], NULL, block_on, &b[i]) == 0);
    started++;
  }
  zx_sleep_ms(150);
  closed_at = zx_now_ms();
  CHECK_OK(zeromq_socket_close(b[0].id));
  CHECK_OK(zeromq_socket_close(b[1].id));
  for (i = 0; i < 2; i++) {
    pthread_join(t[i], NULL);
  }
  started = 0;
  for (i = 0; i < 2; i++) {
    CHECK(b[i].rc == ZEROMQ_ERR_CLOSED);
    CHECK(b[i].returned_at - closed_at < 500);
  }
  result = 0;
cleanup:
  for (i = 0; i < started; i++) {
    zeromq_socket_close(b[i].id);
    pthread_join(t[i], NULL);
  }
  return result;
}
#endif

#ifdef __linux__
static int count_entries(const char *dir) {
  int n = 0;
  struct dirent *e;
  DIR *d = opendir(dir);
  if (d == NULL) {
    return -1;
  }
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] != '.') {
      n++;
    }
  }
  closedir(d);
  return n;
}

/* 10k sockets of every type opened, used and closed (up to 100 open at a time): afterwards as
 * many descriptors and threads as before. */
static int test_ten_thousand_sockets(void) {
  int result = 1;
  uint64_t open_ids[100];
  size_t n_open = 0;
  int fds_before, threads_before, fds_after = 0, threads_after = 0;
  int i;
  uint64_t warm = 0;
  /* Start the context's threads first, so only what the sockets add is counted. */
  CHECK_OK(zeromq_socket_new(ZEROMQ_PAIR, &warm));
  CHECK_OK(zeromq_socket_close(warm));
  zx_sleep_ms(100);
  fds_before = count_entries("/proc/self/fd");
  threads_before = count_entries("/proc/self/task");
  CHECK(fds_before > 0 && threads_before > 0);
  for (i = 0; i < 10000; i++) {
    uint64_t id = 0;
    int32_t type = i % 12;
    CHECK_OK(zeromq_socket_new(type, &id));
    if (i % 10 == 0) {
      zeromq_message *msg = NULL;
      int32_t zero = 0;
      CHECK_OK(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, &zero, sizeof zero));
      CHECK_OK(zeromq_socket_bind(id, LIT("tcp://127.0.0.1:*")));
      if (type != ZEROMQ_PUB && type != ZEROMQ_PUSH) {
        /* A timed receive creates the socket's wake-up descriptor. */
        int32_t rc = zeromq_socket_recv(id, 1, &msg);
        CHECK(rc == 0 || rc == ZEROMQ_ERR_INVALID_ARG);
        zeromq_message_free(msg);
      }
    }
    open_ids[n_open++] = id;
    if (n_open == 100) {
      while (n_open > 0) {
        CHECK_OK(zeromq_socket_close(open_ids[--n_open]));
      }
    }
  }
  /* libzmq closes sockets asynchronously: wait (bounded) for the descriptors to go. */
  {
    int64_t deadline = zx_now_ms() + 10000;
    do {
      zx_sleep_ms(50);
      fds_after = count_entries("/proc/self/fd");
      threads_after = count_entries("/proc/self/task");
    } while ((fds_after > fds_before || threads_after > threads_before) &&
             zx_now_ms() < deadline);
  }
  zx_note("descriptors %d -> %d, threads %d -> %d", fds_before, fds_after, threads_before,
          threads_after);
  CHECK(fds_after <= fds_before);
  CHECK(threads_after <= threads_before);
  result = 0;
cleanup:
  while (n_open > 0) {
    zeromq_socket_close(open_ids[--n_open]);
  }
  return result;
}
#endif

/* A closed socket whose output can never be delivered (a PUSH connected to a port nobody
 * listens on) must not make zeromq_shutdown wait forever: generic sockets linger 1000 ms unless
 * the host says otherwise. */
static int test_shutdown_with_undeliverable_output(void) {
  int result = 1;
  uint64_t push = 0;
  int32_t linger = 0;
  size_t len = 0;
  zeromq_frame f = {"stuck", 5};
  CHECK_OK(zeromq_socket_new(ZEROMQ_PUSH, &push));
  CHECK_OK(zeromq_socket_get_option(push, ZEROMQ_OPT_LINGER, &linger, sizeof linger, &len));
  CHECK(linger == 1000);
  CHECK_OK(zeromq_socket_connect(push, "tcp://127.0.0.1:9", 17));
  CHECK_OK(zeromq_socket_send(push, &f, 1, 1000));
  CHECK_OK(zeromq_socket_close(push));
  int64_t start = zx_now_ms();
  CHECK_OK(zeromq_shutdown());
  int64_t took = zx_now_ms() - start;
  zx_note("zeromq_shutdown with a lingering socket took %lld ms", (long long)took);
  CHECK(took < 5000);
  result = 0;
cleanup:
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"shutdown_with_undeliverable_output", test_shutdown_with_undeliverable_output},
      {"unknown_type", test_unknown_type},
      {"bad_options", test_bad_options},
      {"bad_frames_and_endpoints", test_bad_frames_and_endpoints},
      {"stale_ids", test_stale_ids},
#ifndef _WIN32
      {"close_from_another_thread", test_close_from_another_thread},
#endif
#ifdef __linux__
      {"ten_thousand_sockets", test_ten_thousand_sockets},
#endif
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
