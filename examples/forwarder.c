/* A PULL -> PUB forwarder under a poller, with its producer and subscriber: the "full
 * example" of the QuickJS zmq module written against zeromq_xop.h.
 *
 *   zeromq_forwarder server [pull-endpoint] [pub-endpoint]   forwards until killed
 *   zeromq_forwarder subscriber [endpoint]                    prints what is published
 *   zeromq_forwarder producer [endpoint] word...              sends each word
 *   zeromq_forwarder demo                                     all three in one process on
 *                                                             loopback ports; exit status 0
 *                                                             once "hello" and "world" went
 *                                                             all the way through
 *
 * Defaults: the server binds port 5555 (producers) and port 5556 (subscribers) on every
 * interface, the others connect to localhost on those ports. */
#include "zeromq_xop.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Prints the library's error text for a failed call and returns its status. */
static int32_t report(const char *what, int32_t rc) {
  if (rc != 0) {
    char text[512];
    size_t len = 0;
    zeromq_last_error(text, sizeof text, &len);
    fprintf(stderr, "%s failed (%d): %s\n", what, rc, text);
  }
  return rc;
}

#define TRY(call)                                                                            \
  do {                                                                                       \
    int32_t rc_ = report(#call, (call));                                                     \
    if (rc_ != 0) {                                                                          \
      return rc_;                                                                            \
    }                                                                                        \
  } while (0)

static int32_t new_socket(int32_t type, const char *endpoint, int bind, uint64_t *id) {
  TRY(zeromq_socket_new(type, id));
  if (bind) {
    TRY(zeromq_socket_bind(*id, endpoint, strlen(endpoint)));
  } else {
    TRY(zeromq_socket_connect(*id, endpoint, strlen(endpoint)));
  }
  return 0;
}

/* Copies the first endpoint of a socket (a wildcard bind resolved) into buf. */
static int32_t endpoint_of(uint64_t id, char *buf, size_t cap) {
  zeromq_message *eps = NULL;
  const uint8_t *data = NULL;
  size_t len = 0;
  TRY(zeromq_socket_endpoints(id, &eps));
  if (zeromq_message_frame(eps, 0, &data, &len) != 0 || len >= cap) {
    zeromq_message_free(eps);
    return ZEROMQ_ERR_INVALID_ARG;
  }
  memcpy(buf, data, len);
  buf[len] = '\0';
  zeromq_message_free(eps);
  return 0;
}

/* One round of the server loop: wait up to timeout_ms for the producers' socket, forward each
 * message that is there to the subscribers. *forwarded counts them. */
static int32_t forward(uint64_t producers, uint64_t subscribers, int32_t timeout_ms,
                       int *forwarded) {
  zeromq_poll_item item;
  size_t ready = 0;
  memset(&item, 0, sizeof item);
  item.socket = producers;
  item.events = ZEROMQ_POLLIN;
  TRY(zeromq_poll(&item, 1, timeout_ms, &ready));
  while (ready > 0) {
    zeromq_message *msg = NULL;
    zeromq_frame frame;
    const uint8_t *data = NULL;
    TRY(zeromq_socket_recv(producers, 0, &msg));
    if (msg == NULL) {
      break;
    }
    zeromq_message_frame(msg, 0, &data, &frame.len);
    frame.data = data;
    /* A PUB never blocks: with no subscriber the message is dropped, as in libzmq. */
    TRY(zeromq_socket_send(subscribers, &frame, 1, 0));
    printf("Forwarded \"%.*s\"\n", (int)frame.len, (const char *)data);
    fflush(stdout);
    zeromq_message_free(msg);
    (*forwarded)++;
  }
  return 0;
}

static int32_t server(const char *pull_ep, const char *pub_ep) {
  uint64_t producers = 0, subscribers = 0;
  int forwarded = 0;
  TRY(new_socket(ZEROMQ_PULL, pull_ep, 1, &producers));
  TRY(new_socket(ZEROMQ_PUB, pub_ep, 1, &subscribers));
  for (;;) {
    TRY(forward(producers, subscribers, -1, &forwarded));
  }
}

/* Receives one single-frame message (up to timeout_ms) into text; empty when none came. */
static int32_t receive_text(uint64_t id, int32_t timeout_ms, char *text, size_t cap) {
  zeromq_message *msg = NULL;
  const uint8_t *data = NULL;
  size_t len = 0;
  text[0] = '\0';
  TRY(zeromq_socket_recv(id, timeout_ms, &msg));
  if (msg != NULL && zeromq_message_frame(msg, 0, &data, &len) == 0) {
    if (len >= cap) {
      len = cap - 1;
    }
    memcpy(text, data, len);
    text[len] = '\0';
  }
  zeromq_message_free(msg);
  return 0;
}

static int32_t subscriber(const char *ep) {
  uint64_t id = 0;
  char text[4096];
  TRY(new_socket(ZEROMQ_SUB, ep, 0, &id));
  TRY(zeromq_socket_set_option(id, ZEROMQ_OPT_SUBSCRIBE, "", 0));
  for (;;) {
    TRY(receive_text(id, -1, text, sizeof text));
    printf("Received \"%s\"\n", text);
    fflush(stdout);
  }
}

static int32_t send_word(uint64_t id, const char *word) {
  zeromq_frame frame;
  frame.data = word;
  frame.len = strlen(word);
  TRY(zeromq_socket_send(id, &frame, 1, 5000));
  return 0;
}

static int32_t producer(const char *ep, int argc, char **argv) {
  uint64_t id = 0;
  int i;
  int32_t linger = 5000; /* deliver what is queued before exiting */
  TRY(new_socket(ZEROMQ_PUSH, ep, 0, &id));
  TRY(zeromq_socket_set_option(id, ZEROMQ_OPT_LINGER, &linger, sizeof linger));
  for (i = 0; i < argc; i++) {
    TRY(send_word(id, argv[i]));
    printf("Sent \"%s\"\n", argv[i]);
  }
  TRY(zeromq_socket_close(id));
  return 0;
}

/* All three in one thread: the producer sends "hello" and "world" each round, the server loop
 * forwards them, the subscriber reports what it got. A subscription takes a moment to reach
 * the publisher, so the first rounds may be dropped; the demo ends when both words arrived in
 * one round (or fails after 10 s). */
static int32_t demo(void) {
  uint64_t producers = 0, subscribers = 0, sub = 0, push = 0;
  char pull_ep[256], pub_ep[256];
  int forwarded = 0;
  time_t give_up = time(NULL) + 10;
  TRY(new_socket(ZEROMQ_PULL, "tcp://127.0.0.1:*", 1, &producers));
  TRY(new_socket(ZEROMQ_PUB, "tcp://127.0.0.1:*", 1, &subscribers));
  TRY(endpoint_of(producers, pull_ep, sizeof pull_ep));
  TRY(endpoint_of(subscribers, pub_ep, sizeof pub_ep));
  TRY(new_socket(ZEROMQ_SUB, pub_ep, 0, &sub));
  TRY(zeromq_socket_set_option(sub, ZEROMQ_OPT_SUBSCRIBE, "", 0));
  TRY(new_socket(ZEROMQ_PUSH, pull_ep, 0, &push));
  while (time(NULL) < give_up) {
    char first[64], second[64];
    int before = forwarded;
    TRY(send_word(push, "hello"));
    TRY(send_word(push, "world"));
    while (forwarded < before + 2 && time(NULL) < give_up) {
      TRY(forward(producers, subscribers, 100, &forwarded));
    }
    TRY(receive_text(sub, 200, first, sizeof first));
    if (strcmp(first, "hello") != 0) {
      continue;
    }
    TRY(receive_text(sub, 1000, second, sizeof second));
    printf("Received \"%s\"\nReceived \"%s\"\n", first, second);
    if (strcmp(second, "world") == 0) {
      zeromq_shutdown();
      return 0;
    }
  }
  fprintf(stderr, "demo: \"hello\" and \"world\" did not arrive within 10 s\n");
  return 1;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "server") == 0) {
    return server(argc > 2 ? argv[2] : "tcp://*:5555", argc > 3 ? argv[3] : "tcp://*:5556") != 0;
  }
  if (strcmp(mode, "subscriber") == 0) {
    return subscriber(argc > 2 ? argv[2] : "tcp://localhost:5556") != 0;
  }
  if (strcmp(mode, "producer") == 0 && argc > 2) {
    return producer(argv[2], argc - 3, argv + 3) != 0;
  }
  if (strcmp(mode, "demo") == 0) {
    return demo() != 0;
  }
  fprintf(stderr,
          "usage: %s server [pull-endpoint] [pub-endpoint]\n"
          "       %s subscriber [endpoint]\n"
          "       %s producer endpoint word...\n"
          "       %s demo\n",
          argv[0], argv[0], argv[0], argv[0]);
  return 2;
}
