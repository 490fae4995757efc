/* zeromq_stop and re-binding, endpoint lists, IPC and IPv6 endpoints. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "test_util.h"

#include <stdio.h>
#include <string.h>

#ifndef _WIN32
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

static int all_roles_empty(void) {
  int result = 1;
  int32_t role;
  for (role = ZEROMQ_ROLE_CLIENT; role <= ZEROMQ_ROLE_SUBSCRIBER; role++) {
    size_t n = 99;
    CHECK_OK(zx_endpoint_count(role, &n));
    if (n != 0) {
      fprintf(stderr, "%s: role %ld still has %lu endpoints\n", ZX_TEST_NAME, (long)role,
              (unsigned long)n);
      CHECK(0);
    }
  }
  result = 0;
cleanup:
  return result;
}

/* Client -> server -> client over the current connection. */
static int round_trip(const char *text) {
  int result = 1;
  char id[256];
  size_t id_len = 0;
  zeromq_message *msg = NULL;
  CHECK_OK(zx_client_to_server(text, strlen(text), id, sizeof id, &id_len));
  CHECK_OK(zeromq_server_send(id, id_len, text, strlen(text)));
  CHECK_OK(zeromq_client_recv(5000, &msg));
  CHECK(msg != NULL);
  CHECK(zx_frame_is(msg, 0, text, strlen(text)));
  result = 0;
cleanup:
  zeromq_message_free(msg);
  return result;
}

/* zeromq_stop with nothing open leaves every role empty. */
static int test_stop_with_nothing_open(void) {
  int result = 1;
  CHECK(all_roles_empty() == 0);
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_stop());
  CHECK(all_roles_empty() == 0);
  result = 0;
cleanup:
  return result;
}

/* Stop and bind the same ports again, cycle after cycle. */
static int test_stop_and_rebind_cycles(void) {
  int result = 1;
  char server_ep[256];
  char pub_ep[256];
  char got[256];
  size_t n = 0;
  int cycle;

  /* Ports chosen by the system once, then bound again after every stop. */
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, server_ep, sizeof server_ep));
  CHECK_OK(zeromq_pub_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, pub_ep, sizeof pub_ep));
  CHECK_OK(zeromq_stop());
  CHECK(all_roles_empty() == 0);

  for (cycle = 0; cycle < 5; cycle++) {
    CHECK_OK(zeromq_server_bind(server_ep, strlen(server_ep)));
    CHECK_OK(zeromq_pub_bind(pub_ep, strlen(pub_ep)));
    CHECK_OK(zeromq_client_connect(server_ep, strlen(server_ep)));
    CHECK_OK(zeromq_sub_connect(pub_ep, strlen(pub_ep)));
    CHECK_OK(zeromq_sub_add_filter(LIT("sync")));

    CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_SERVER, &n));
    CHECK(n == 1);
    CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, got, sizeof got));
    CHECK(strcmp(got, server_ep) == 0);
    CHECK_OK(zx_endpoint(ZEROMQ_ROLE_PUBLISHER, 0, got, sizeof got));
    CHECK(strcmp(got, pub_ep) == 0);
    CHECK_OK(zx_endpoint(ZEROMQ_ROLE_CLIENT, 0, got, sizeof got));
    CHECK(strcmp(got, server_ep) == 0);
    CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SUBSCRIBER, 0, got, sizeof got));
    CHECK(strcmp(got, pub_ep) == 0);

    CHECK(round_trip("cycle") == 0);
    CHECK_OK(zx_sub_sync("sync", 5000));

    CHECK_OK(zeromq_stop());
    CHECK(all_roles_empty() == 0);
  }
  result = 0;
cleanup:
  return result;
}

/* Several endpoints on one role, listed in bind order. */
static int test_several_endpoints(void) {
  int result = 1;
  char first[256];
  char second[256];
  char got[256];
  size_t n = 0;

  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_SERVER, &n));
  CHECK(n == 2);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, first, sizeof first));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 1, second, sizeof second));
  CHECK(strcmp(first, second) != 0);

  /* Connects are recorded as given, in order, without de-duplication. */
  CHECK_OK(zeromq_client_connect(first, strlen(first)));
  CHECK_OK(zeromq_client_connect(second, strlen(second)));
  CHECK_OK(zeromq_client_connect(second, strlen(second)));
  CHECK_OK(zx_endpoint_count(ZEROMQ_ROLE_CLIENT, &n));
  CHECK(n == 3);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_CLIENT, 0, got, sizeof got));
  CHECK(strcmp(got, first) == 0);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_CLIENT, 1, got, sizeof got));
  CHECK(strcmp(got, second) == 0);
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_CLIENT, 2, got, sizeof got));
  CHECK(strcmp(got, second) == 0);

  /* Connecting before the peer binds works too. */
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_client_connect(first, strlen(first)));
  CHECK_OK(zeromq_client_send(LIT("early")));
  CHECK_OK(zeromq_server_bind(first, strlen(first)));
  {
    zeromq_message *msg = NULL;
    CHECK_OK(zeromq_server_recv(5000, &msg));
    CHECK(msg != NULL);
    if (!zx_frame_is(msg, 1, LIT("early"))) {
      zeromq_message_free(msg);
      CHECK(0);
    }
    zeromq_message_free(msg);
  }
  CHECK(round_trip("after early") == 0);
  result = 0;
cleanup:
  return result;
}

/* A server on an ipc endpoint. */
static int test_ipc(void) {
  int result = 1;
  char path[256];
  char ipc[300];
  char got[300];

  path[0] = '\0';
  CHECK(zeromq_has(LIT("ipc")) == 1);
  CHECK(zx_ipc_endpoint(path, sizeof path, ipc, sizeof ipc, "zeromq-xop-lifecycle") == 0);

  CHECK_OK(zeromq_server_bind(ipc, strlen(ipc)));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, got, sizeof got));
  CHECK(strcmp(got, ipc) == 0);
  CHECK_OK(zeromq_client_connect(ipc, strlen(ipc)));
  CHECK(round_trip("over ipc") == 0);

  /* Stop releases the ipc endpoint, so it can be bound again. */
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_server_bind(ipc, strlen(ipc)));
  CHECK_OK(zeromq_client_connect(ipc, strlen(ipc)));
  CHECK(round_trip("over ipc again") == 0);
  result = 0;
cleanup:
  zx_stop_and_remove(path);
  return result;
}

/* 1 if this machine can listen on ::1. */
static int have_ipv6_loopback(void) {
#ifdef _WIN32
  return 1;
#else
  struct sockaddr_in6 addr;
  int ok;
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) {
    return 0;
  }
  memset(&addr, 0, sizeof addr);
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  addr.sin6_port = 0;
  ok = bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
  close(fd);
  return ok;
#endif
}

/* IPv6 endpoints need the IPV6 flag, which applies to the sockets already open. */
static int test_ipv6(void) {
  int result = 1;
  char got[256];

  if (!have_ipv6_loopback()) {
    zx_note("SKIP: no IPv6 loopback (::1) on this machine");
    return 0;
  }

  /* Without the IPV6 flag an IPv6 literal cannot be bound. */
  CHECK((zeromq_flags() & ZEROMQ_SET_FLAGS_IPV6) == 0);
  CHECK_RC(zeromq_server_bind(LIT("tcp://[::1]:*")), ZEROMQ_ERR_INVALID_ARG);

  /* With it (applied to the sockets already open), it can. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_IPV6));
  CHECK((zeromq_flags() & ZEROMQ_SET_FLAGS_IPV6) != 0);
  CHECK_OK(zeromq_server_bind(LIT("tcp://[::1]:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, got, sizeof got));
  zx_note("IPv6 bind resolved to %s", got);
  CHECK(strncmp(got, "tcp://[::1]:", 12) == 0);
  CHECK(zx_endpoint_port(got) > 0);
  CHECK_OK(zeromq_client_connect(got, strlen(got)));
  CHECK(round_trip("over ipv6") == 0);

  /* The setting survives zeromq_stop and applies to the new sockets. */
  CHECK_OK(zeromq_stop());
  CHECK((zeromq_flags() & ZEROMQ_SET_FLAGS_IPV6) != 0);
  CHECK_OK(zeromq_pub_bind(LIT("tcp://[::1]:*")));
  CHECK_OK(zeromq_server_bind(LIT("tcp://[::1]:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, got, sizeof got));
  CHECK_OK(zeromq_client_connect(got, strlen(got)));
  CHECK(round_trip("over ipv6 after stop") == 0);

  /* DEFAULT switches IPv6 off, also on the open sockets. */
  CHECK_OK(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
  CHECK((zeromq_flags() & ZEROMQ_SET_FLAGS_IPV6) == 0);
  CHECK_RC(zeromq_server_bind(LIT("tcp://[::1]:*")), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"stop_with_nothing_open", test_stop_with_nothing_open},
      {"stop_and_rebind_cycles", test_stop_and_rebind_cycles},
      {"several_endpoints", test_several_endpoints},
      {"ipc", test_ipc},
      {"ipv6", test_ipv6},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
