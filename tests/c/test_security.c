/* Security through the C ABI: CURVE keys, certificate files, bad keys and addresses (codes and
 * texts), CURVE between the client and server roles (right key, wrong server key, client key
 * not on the list), and the allow list of remote calls. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <direct.h>
#define zx_mkdir(p) _mkdir(p)
#else
#include <sys/stat.h>
#define zx_mkdir(p) mkdir((p), 0700)
#endif

static const int32_t on = 1;

static int test_keys(void) {
  int result = 1;
  char pub[41], sec[41], again[41], err[512];
  size_t len = 0;
  CHECK(zeromq_has(LIT("curve")) == 1); /* libsodium is built in */
  CHECK_OK(zeromq_curve_keypair(pub, sec));
  CHECK(strlen(pub) == 40 && strlen(sec) == 40);
  CHECK(strcmp(pub, sec) != 0);
  CHECK_OK(zeromq_curve_public(sec, 40, again));
  CHECK(strcmp(again, pub) == 0);
  CHECK_OK(zeromq_curve_public(sec, 41, again)); /* with its NUL, as libzmq takes keys */
  CHECK(strcmp(again, pub) == 0);

  CHECK_RC(zeromq_curve_public(LIT("short"), again), ZEROMQ_ERR_INVALID_ARG);
  CHECK(strstr(zx_last_error(err, sizeof err), "5 characters") != NULL);
  CHECK_RC(zeromq_curve_public(LIT("~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"), again),
           ZEROMQ_ERR_INVALID_KEY);
  CHECK(strstr(zx_last_error(err, sizeof err), "Z85") != NULL);
  CHECK_OK(zeromq_error_text(ZEROMQ_ERR_INVALID_KEY, err, sizeof err, &len));
  CHECK(strstr(err, "CURVE key") != NULL);
  CHECK_RC(zeromq_curve_keypair(NULL, sec), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_curve_public(NULL, 40, again), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_curve_public(sec, 40, NULL), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_auth_allow_key(LIT("not a key")), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_role_set_option(ZEROMQ_ROLE_CLIENT, ZEROMQ_OPT_CURVE_SERVERKEY, "xyz", 3),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_role_set_option(ZEROMQ_ROLE_CLIENT, 9999, &on, sizeof on),
           ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_role_set_option(7, ZEROMQ_OPT_LINGER, &on, sizeof on), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_role_set_option(ZEROMQ_ROLE_CLIENT, ZEROMQ_OPT_LINGER, &on, 2),
           ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  return result;
}

static int test_addresses(void) {
  int result = 1;
  char err[512];
  size_t len = 0;
  CHECK_RC(zeromq_auth_allow(LIT("10.0.0.0/33")), ZEROMQ_ERR_INVALID_ADDRESS);
  CHECK(strstr(zx_last_error(err, sizeof err), "prefix length") != NULL);
  CHECK_RC(zeromq_auth_deny(LIT("example.org")), ZEROMQ_ERR_INVALID_ADDRESS);
  CHECK_RC(zeromq_auth_allow(LIT("")), ZEROMQ_ERR_INVALID_ADDRESS);
  CHECK_RC(zeromq_auth_allow(NULL, 3), ZEROMQ_ERR_INVALID_ARG);
  CHECK_OK(zeromq_error_text(ZEROMQ_ERR_INVALID_ADDRESS, err, sizeof err, &len));
  CHECK(strstr(err, "CIDR") != NULL);
  CHECK_OK(zeromq_auth_allow(LIT("::1")));
  CHECK_OK(zeromq_auth_deny(LIT("192.0.2.0/24")));
  CHECK_OK(zeromq_auth_reset());
  result = 0;
cleanup:
  return result;
}

static int test_certificates(void) {
  int result = 1;
  char dir[512], path[600], pub[41], sec[41], read_pub[41], read_sec[41], other[41];
  int32_t has_secret = -1;
  size_t count = 0;
  CHECK(zx_temp_path(dir, sizeof dir, "zx-certs", "dir") == 0);
  zx_mkdir(dir);
  CHECK_OK(zeromq_curve_cert_create(dir, strlen(dir), LIT("alice"), pub, sec));
  snprintf(path, sizeof path, "%s/alice.key", dir);
  CHECK_OK(zeromq_curve_cert_read(path, strlen(path), read_pub, read_sec, &has_secret));
  CHECK(strcmp(read_pub, pub) == 0 && has_secret == 0 && read_sec[0] == '\0');
  snprintf(path, sizeof path, "%s/alice.key_secret", dir);
  CHECK_OK(zeromq_curve_cert_read(path, strlen(path), read_pub, read_sec, &has_secret));
  CHECK(strcmp(read_pub, pub) == 0 && has_secret == 1 && strcmp(read_sec, sec) == 0);

  /* Writing a certificate for existing keys; a secret key must match its public key. */
  snprintf(path, sizeof path, "%s/bob.key", dir);
  CHECK_OK(zeromq_curve_keypair(pub, sec));
  CHECK_OK(zeromq_curve_cert_write(path, strlen(path), pub, 40, NULL, 0));
  CHECK_OK(zeromq_curve_cert_read(path, strlen(path), read_pub, NULL, NULL));
  CHECK(strcmp(read_pub, pub) == 0);
  CHECK_OK(zeromq_curve_keypair(other, read_sec));
  snprintf(path, sizeof path, "%s/mixed.key_secret", dir);
  CHECK_RC(zeromq_curve_cert_write(path, strlen(path), pub, 40, read_sec, 40),
           ZEROMQ_ERR_INVALID_KEY);
  CHECK_OK(zeromq_auth_allow_keys_from(dir, strlen(dir), &count));
  CHECK(count == 2);
  CHECK_OK(zeromq_auth_reset());

  snprintf(path, sizeof path, "%s/missing.key", dir);
  CHECK_RC(zeromq_curve_cert_read(path, strlen(path), read_pub, NULL, NULL),
           ZEROMQ_ERR_INVALID_CERTIFICATE);
  CHECK_RC(zeromq_curve_cert_read(path, strlen(path), NULL, NULL, NULL), ZEROMQ_ERR_INVALID_ARG);
  result = 0;
cleanup:
  return result;
}

/* Connects the client role to the server role and sends one message; 1 if the server got it
 * within wait_ms. */
static int delivered(const char *endpoint, int32_t wait_ms) {
  zeromq_message *msg = NULL;
  int got = 0;
  if (zeromq_client_connect(endpoint, strlen(endpoint)) != 0) {
    return 0;
  }
  /* A DEALER queues the message until its connection (and handshake) is up. */
  if (zeromq_client_send(LIT("secret message")) == 0 && zeromq_server_recv(wait_ms, &msg) == 0 &&
      msg != NULL) {
    got = zx_frame_is(msg, 1, LIT("secret message"));
  }
  zeromq_message_free(msg);
  return got;
}

static int set_client_keys(const char *server_pub, const char *pub, const char *sec) {
  return zeromq_role_set_option(ZEROMQ_ROLE_CLIENT, ZEROMQ_OPT_CURVE_SERVERKEY, server_pub, 40) ||
         zeromq_role_set_option(ZEROMQ_ROLE_CLIENT, ZEROMQ_OPT_CURVE_PUBLICKEY, pub, 40) ||
         zeromq_role_set_option(ZEROMQ_ROLE_CLIENT, ZEROMQ_OPT_CURVE_SECRETKEY, sec, 40);
}

/* Binds the CURVE server (its options are kept across zeromq_stop) to a fresh port. */
static int32_t bind_server(char *endpoint, size_t cap) {
  int32_t rc = zeromq_server_bind(LIT("tcp://127.0.0.1:*"));
  return rc != 0 ? rc : zx_endpoint(ZEROMQ_ROLE_SERVER, 0, endpoint, cap);
}

static int test_curve_roles(void) {
  int result = 1;
  char spub[41], ssec[41], cpub[41], csec[41], opub[41], osec[41], ep[256];
  CHECK_OK(zeromq_curve_keypair(spub, ssec));
  CHECK_OK(zeromq_curve_keypair(cpub, csec));
  CHECK_OK(zeromq_curve_keypair(opub, osec));
  CHECK_OK(zeromq_role_set_option(ZEROMQ_ROLE_SERVER, ZEROMQ_OPT_CURVE_SERVER, &on, sizeof on));
  CHECK_OK(zeromq_role_set_option(ZEROMQ_ROLE_SERVER, ZEROMQ_OPT_CURVE_SECRETKEY, ssec, 40));

  CHECK_OK(set_client_keys(spub, cpub, csec));
  CHECK_OK(bind_server(ep, sizeof ep));
  CHECK(delivered(ep, 5000));
  zeromq_stop();

  /* The wrong server key: the handshake fails, nothing arrives. */
  CHECK_OK(set_client_keys(opub, cpub, csec));
  CHECK_OK(bind_server(ep, sizeof ep));
  CHECK(!delivered(ep, 1000));
  zeromq_stop();

  /* Only listed client keys: this client is not listed, then it is. */
  CHECK_OK(zeromq_auth_allow_key(opub, 40));
  CHECK_OK(set_client_keys(spub, cpub, csec));
  CHECK_OK(bind_server(ep, sizeof ep));
  CHECK(!delivered(ep, 1000));
  zeromq_stop();
  CHECK_OK(zeromq_auth_allow_key(cpub, 41));
  CHECK_OK(bind_server(ep, sizeof ep));
  CHECK(delivered(ep, 5000));
  result = 0;
cleanup:
  zeromq_stop();
  zeromq_auth_reset();
  return result;
}

static void dispatch(void *user, const zeromq_call *call, zeromq_reply *reply) {
  (void)user;
  (void)call;
  zeromq_reply_string(reply, LIT("ran"));
}

/* The errorCode value of a reply (its first "value" key), or -1. */
static long error_code_of(const zeromq_message *r) {
  const uint8_t *data = NULL;
  size_t len = 0;
  char text[512];
  const char *v;
  if (r == NULL || zeromq_message_frame(r, 0, &data, &len) != 0 || len >= sizeof text) {
    return -1;
  }
  memcpy(text, data, len);
  text[len] = '\0';
  v = strstr(text, "\"value\": ");
  return v == NULL ? -1 : strtol(v + 9, NULL, 10);
}

static int test_handler_allow(void) {
  int result = 1;
  zeromq_message *r = NULL;
  const char *add = "{\"version\":1,\"CallFunction\":{\"name\":\"add\",\"params\":[]}}";
  const char *sys = "{\"version\":1,\"CallFunction\":{\"name\":\"system\",\"params\":[\"rm\"]}}";
  CHECK_OK(zeromq_set_dispatcher(dispatch, NULL));
  CHECK_OK(zeromq_handler_allow(LIT("add")));
  CHECK_RC(zeromq_handler_allow(NULL, 0), ZEROMQ_ERR_INVALID_ARG);
  CHECK_OK(zeromq_test_callfunction(add, strlen(add), &r));
  CHECK(error_code_of(r) == 0);
  zeromq_message_free(r);
  r = NULL;
  CHECK_OK(zeromq_test_callfunction(sys, strlen(sys), &r));
  CHECK(error_code_of(r) == ZEROMQ_REQ_NON_EXISTING_FUNCTION);
  zeromq_message_free(r);
  r = NULL;
  CHECK_OK(zeromq_handler_allow_reset());
  CHECK_OK(zeromq_test_callfunction(sys, strlen(sys), &r));
  CHECK(error_code_of(r) == 0);
  result = 0;
cleanup:
  zeromq_message_free(r);
  zeromq_handler_allow_reset();
  zeromq_set_dispatcher(NULL, NULL);
  return result;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"keys", test_keys},
      {"addresses", test_addresses},
      {"certificates", test_certificates},
      {"curve_roles", test_curve_roles},
      {"handler_allow", test_handler_allow},
  };
  int rc = zx_run(cases, sizeof cases / sizeof cases[0]);
  zeromq_shutdown();
  return rc;
}
