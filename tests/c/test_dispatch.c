/* Remote calls through the C ABI: a C dispatcher, the handler thread, zeromq_handler_wait /
 * zeromq_handler_process on this thread, a client of this same process, and
 * zeromq_test_callfunction for every reply shape. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

static int dispatched;

static void text_of(const zeromq_call *call, size_t i, char *buf, size_t cap) {
  const char *t = NULL;
  size_t len = 0;
  int32_t kind = -1;
  buf[0] = '\0';
  if (zeromq_call_param(call, i, &kind, &t, &len) == 0 && len < cap) {
    memcpy(buf, t, len + 1); /* the text is NUL-terminated */
  }
}

/* add(a, b), greet(s), kinds(...), multi(), wave(), byref(s), nothing(), fail(s) */
static void dispatch(void *user, const zeromq_call *call, zeromq_reply *reply) {
  const char *name = NULL;
  size_t name_len = 0;
  char a[256], b[256];
  double x = 0, y = 0;
  int *counter = (int *)user;
  (*counter)++;
  if (zeromq_call_name(call, &name, &name_len) != 0) {
    return;
  }
  if (strcmp(name, "add") == 0) {
    if (zeromq_call_param_count(call) != 2) {
      zeromq_reply_error(reply, ZEROMQ_REQ_TOO_FEW_FUNCTION_PARAMS, NULL, 0);
    } else if (zeromq_call_param_double(call, 0, &x) != 0 ||
               zeromq_call_param_double(call, 1, &y) != 0) {
      zeromq_reply_error(reply, ZEROMQ_REQ_INVALID_PARAM_FORMAT, NULL, 0);
    } else {
      zeromq_reply_variable(reply, x + y);
    }
  } else if (strcmp(name, "greet") == 0) {
    char out[300];
    text_of(call, 0, a, sizeof a);
    snprintf(out, sizeof out, "hi %s", a);
    zeromq_reply_string(reply, out, strlen(out));
  } else if (strcmp(name, "kinds") == 0) {
    /* Report "kind:text" of every parameter as one string. */
    char out[512] = "";
    size_t i, n = zeromq_call_param_count(call);
    for (i = 0; i < n; i++) {
      const char *t;
      size_t len;
      int32_t kind;
      char part[64];
      if (zeromq_call_param(call, i, &kind, &t, &len) != 0) {
        return;
      }
      snprintf(part, sizeof part, "%s%d:%.*s", i ? "," : "", kind, (int)len, t);
      strncat(out, part, sizeof out - strlen(out) - 1);
    }
    zeromq_reply_string(reply, out, strlen(out));
  } else if (strcmp(name, "multi") == 0) {
    zeromq_reply_multiple(reply);
    zeromq_reply_variable(reply, NAN);
    zeromq_reply_string(reply, LIT("two"));
    zeromq_reply_dfref(reply, LIT("root:Packages:"));
    zeromq_reply_wave(reply, NULL);
  } else if (strcmp(name, "wave") == 0) {
    uint64_t dims[2] = {2, 2};
    int16_t data[4] = {1, -2, 3, -4};
    zeromq_wave *w = NULL;
    if (zeromq_wave_new(ZEROMQ_NT_I16, dims, 2, &w) == 0 &&
        zeromq_wave_set_data(w, data, sizeof data) == 0) {
      zeromq_reply_wave(reply, w);
    } else {
      zeromq_wave_free(w);
      zeromq_reply_error(reply, ZEROMQ_ERR_INTERNAL, NULL, 0);
    }
  } else if (strcmp(name, "byref") == 0) {
    text_of(call, 0, a, sizeof a);
    snprintf(b, sizeof b, "%s!", a);
    zeromq_reply_variable(reply, 1);
    zeromq_reply_by_ref_string(reply, b, strlen(b));
    zeromq_reply_by_ref_variable(reply, INFINITY);
    zeromq_reply_by_ref_dfref(reply, LIT("free"));
  } else if (strcmp(name, "detail") == 0) {
    zeromq_reply_error_message(reply, ZEROMQ_ERR_INTERNAL, LIT("Igor error 42 in CallFunction"));
  } else if (strcmp(name, "nothing") == 0) {
    /* answers neither: the library reports an internal error */
  } else if (strcmp(name, "fail") == 0) {
    text_of(call, 0, a, sizeof a);
    zeromq_reply_error(reply, ZEROMQ_REQ_FUNCTION_ABORTED, a, strlen(a));
  } else {
    zeromq_reply_error(reply, ZEROMQ_REQ_NON_EXISTING_FUNCTION, NULL, 0);
  }
}

/* zeromq_test_callfunction(json) must give exactly `expected`. */
static int reply_is(const char *json, const char *expected) {
  zeromq_message *r = NULL;
  int ok = 0;
  CHECK_OK(zeromq_test_callfunction(json, strlen(json), &r));
  CHECK(r != NULL);
  CHECK(zeromq_message_frame_count(r) == 1);
  ok = zx_frame_is(r, 0, expected, strlen(expected));
cleanup:
  zeromq_message_free(r);
  return ok;
}

static int test_reply_shapes(void) {
  int rc = 1;
  CHECK_OK(zeromq_set_dispatcher(dispatch, &dispatched));
  CHECK(reply_is("{\"version\":1,\"messageID\":\"m\",\"CallFunction\":{\"name\":\"add\",\"params\":[1,2.5]}}",
                 "{\n    \"errorCode\": {\n        \"value\": 0\n    },\n    \"messageID\": \"m\",\n"
                 "    \"result\": {\n        \"type\": \"variable\",\n        \"value\": 3.5\n    }\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"kinds\",\"params\":[\"s\",2,0.1,1e20,true,false]}}",
                 "{\n    \"errorCode\": {\n        \"value\": 0\n    },\n"
                 "    \"result\": {\n        \"type\": \"string\",\n        \"value\": \"0:s,1:2,1:0.1,1:1e+20,2:1,2:0\"\n    }\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"multi\"}}",
                 "{\n    \"errorCode\": {\n        \"value\": 0\n    },\n    \"result\": [\n"
                 "        {\n            \"type\": \"variable\",\n            \"value\": \"nan\"\n        },\n"
                 "        {\n            \"type\": \"string\",\n            \"value\": \"two\"\n        },\n"
                 "        {\n            \"type\": \"dfref\",\n            \"value\": \"root:Packages:\"\n        },\n"
                 "        {\n            \"type\": \"wave\",\n            \"value\": null\n        }\n    ]\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"byref\",\"params\":[\"x\"]}}",
                 "{\n    \"errorCode\": {\n        \"value\": 0\n    },\n    \"passByReference\": [\n"
                 "        {\n            \"type\": \"string\",\n            \"value\": \"x!\"\n        },\n"
                 "        {\n            \"type\": \"variable\",\n            \"value\": \"inf\"\n        },\n"
                 "        {\n            \"type\": \"dfref\",\n            \"value\": \"free\"\n        }\n    ],\n"
                 "    \"result\": {\n        \"type\": \"variable\",\n        \"value\": 1\n    }\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"fail\",\"params\":[\"\\r\\nbad\\rthing \"]}}",
                 "{\n    \"errorCode\": {\n        \"msg\": \"CallFunction: The function was partially executed but aborted at some point.\",\n"
                 "        \"value\": 107\n    },\n    \"history\": \"bad\\nthing\"\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"add\",\"params\":[\"1.a\",1]}}",
                 "{\n    \"errorCode\": {\n        \"msg\": \"CallFunction: Parameter is not an array or otherwise invalid.\",\n"
                 "        \"value\": 106\n    }\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"nothing\"}}",
                 "{\n    \"errorCode\": {\n        \"msg\": \"Internal error, this should not happen! The host answered the call with neither a result nor an error.\",\n"
                 "        \"value\": 10004\n    }\n}"));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"detail\"}}",
                 "{\n    \"errorCode\": {\n        \"msg\": \"Igor error 42 in CallFunction\",\n"
                 "        \"value\": 10004\n    }\n}"));
  CHECK(reply_is("garbage",
                 "{\n    \"errorCode\": {\n        \"msg\": \"The string is not a valid json object.\",\n        \"value\": 3\n    }\n}"));
  /* No dispatcher: every function is unknown. */
  CHECK_OK(zeromq_set_dispatcher(NULL, NULL));
  CHECK(reply_is("{\"version\":1,\"CallFunction\":{\"name\":\"add\",\"params\":[1,2]}}",
                 "{\n    \"errorCode\": {\n        \"msg\": \"CallFunction: Unknown function.\",\n        \"value\": 101\n    }\n}"));
  rc = 0;
cleanup:
  zeromq_set_dispatcher(NULL, NULL);
  return rc;
}

static void bad_arguments(void *user, const zeromq_call *call, zeromq_reply *reply) {
  int *failures = (int *)user;
  const char *t = NULL;
  size_t len = 0;
  double v = 0;
  if (zeromq_call_param(call, 5, NULL, &t, &len) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_call_param(call, 0, NULL, NULL, &len) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_call_param_double(call, 0, &v) != ZEROMQ_REQ_INVALID_PARAM_FORMAT) (*failures)++;
  if (zeromq_call_param_double(call, 1, &v) != 0 || v != -INFINITY) (*failures)++;
  if (zeromq_call_param_double(call, 2, &v) != 0 || v != 0.0) (*failures)++; /* "" is 0 */
  if (zeromq_call_name(NULL, &t, &len) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_call_param_count(NULL) != 0) (*failures)++;
  if (zeromq_reply_error(reply, 42, NULL, 0) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_reply_error(reply, 0, NULL, 0) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_reply_string(reply, NULL, 3) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_reply_variable(NULL, 1) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_reply_error_message(reply, 7, NULL, 1) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  if (zeromq_reply_error_message(reply, 99, LIT("x")) != ZEROMQ_ERR_INVALID_ARG) (*failures)++;
  zeromq_reply_variable(reply, 7);
}

static int test_accessor_errors(void) {
  int rc = 1, failures = 0;
  const char *req = "{\"version\":1,\"CallFunction\":{\"name\":\"x\",\"params\":[\"1.a\",\"-inf\",\"\"]}}";
  zeromq_message *r = NULL;
  CHECK_OK(zeromq_set_dispatcher(bad_arguments, &failures));
  CHECK_OK(zeromq_test_callfunction(req, strlen(req), &r));
  CHECK(failures == 0);
  CHECK(zx_frame_starts_with(r, 0, LIT("{\n    \"errorCode\": {\n        \"value\": 0\n    },")));
  CHECK_RC(zeromq_test_callfunction(req, strlen(req), NULL), ZEROMQ_ERR_INVALID_ARG);
  CHECK_RC(zeromq_test_callfunction(NULL, 4, &r), ZEROMQ_ERR_INVALID_ARG);
  rc = 0;
cleanup:
  zeromq_message_free(r);
  zeromq_set_dispatcher(NULL, NULL);
  return rc;
}

/* The whole path: client -> handler thread -> queue -> dispatcher on this thread -> reply. */
static int test_over_the_network(void) {
  int rc = 1, i;
  char ep[256];
  zeromq_message *m = NULL;
  uint32_t processed = 0, total = 0;
  int64_t deadline;
  const char *call = "{\"version\":1,\"messageID\":\"net\",\"CallFunction\":{\"name\":\"wave\"}}";
  dispatched = 0;
  CHECK_OK(zeromq_stop());
  CHECK_OK(zeromq_set_dispatcher(dispatch, &dispatched));
  CHECK_RC(zeromq_handler_start(), ZEROMQ_ERR_HANDLER_NO_CONNECTION);
  CHECK_OK(zeromq_server_bind(LIT("tcp://127.0.0.1:*")));
  CHECK_OK(zx_endpoint(ZEROMQ_ROLE_SERVER, 0, ep, sizeof ep));
  CHECK_OK(zeromq_handler_start());
  CHECK_RC(zeromq_handler_start(), ZEROMQ_ERR_HANDLER_ALREADY_RUNNING);
  CHECK_OK(zeromq_client_connect(ep, strlen(ep)));
  for (i = 0; i < 3; i++) {
    CHECK_OK(zeromq_client_send(call, strlen(call)));
  }
  /* A Phase-A error comes back without any processing on this thread. */
  CHECK_OK(zeromq_client_send(LIT("{\"version\":2,\"messageID\":\"v\"}")));
  deadline = zx_now_ms() + 10000;
  while (total < 3 && zx_now_ms() < deadline) {
    CHECK_OK(zeromq_handler_wait(200));
    CHECK_OK(zeromq_handler_process(&processed));
    total += processed;
  }
  CHECK(total == 3);
  CHECK(dispatched == 3);
  for (i = 0; i < 4; i++) {
    CHECK_OK(zeromq_client_recv(5000, &m));
    CHECK(m != NULL);
    if (zx_frame_starts_with(m, 0, LIT("{\n    \"errorCode\": {\n        \"msg\": \"Request interface"))) {
      CHECK(zx_frame_is(m, 0,
                        LIT("{\n    \"errorCode\": {\n        \"msg\": \"Request interface version is missing or invalid.\",\n"
                            "        \"value\": 4\n    },\n    \"messageID\": \"v\"\n}")));
    } else {
      CHECK(zx_frame_is(m, 0,
                        LIT("{\n    \"errorCode\": {\n        \"value\": 0\n    },\n    \"messageID\": \"net\",\n"
                            "    \"result\": {\n        \"type\": \"wave\",\n        \"value\": {\n"
                            "            \"data\": {\n                \"raw\": [\n                    1,\n"
                            "                    -2,\n                    3,\n                    -4\n                ]\n"
                            "            },\n            \"date\": {\n                \"modification\": 0\n            },\n"
                            "            \"dimension\": {\n                \"size\": [\n                    2,\n"
                            "                    2\n                ]\n            },\n"
                            "            \"type\": \"NT_I16\"\n        }\n    }\n}")));
    }
    zeromq_message_free(m);
    m = NULL;
  }
  /* Nothing queued: wait returns after its timeout, process runs nothing. */
  CHECK_OK(zeromq_handler_wait(50));
  CHECK_OK(zeromq_handler_process(NULL));
  CHECK_OK(zeromq_handler_stop());
  CHECK_OK(zeromq_handler_stop());
  rc = 0;
cleanup:
  zeromq_message_free(m);
  zeromq_stop();
  zeromq_set_dispatcher(NULL, NULL);
  return rc;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"reply shapes", test_reply_shapes},
      {"accessor errors", test_accessor_errors},
      {"over the network", test_over_the_network},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
