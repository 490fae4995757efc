/* Waves into host functions through the C ABI: a C dispatcher reads wave parameters with
 * zeromq_call_param_wave and the zeromq_wave_* getters (type, sizes, data, text points,
 * scaling, units, labels, full scale, note, modification, nested waves, data folders), binary
 * replies through zeromq_test_callfunction, and every getter's answer to bad input. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

/* What the dispatcher saw, checked by the test after the call. */
typedef struct seen {
  int32_t rc_wave, type;
  uint64_t dims[4];
  size_t ndims;
  double data[6];
  size_t bytes;
  double delta, offset, fs_min, fs_max;
  char unit[16], label[16], row_label[16], data_unit[16], note[32], text[16], dfref[32];
  int64_t modification;
  int32_t child_type;
  int child_null;
} seen;

static seen got;

static void copy_text(char *dst, size_t cap, const char *s, size_t len) {
  if (s == NULL || len >= cap) {
    dst[0] = '\0';
    return;
  }
  memcpy(dst, s, len);
  dst[len] = '\0';
}

/* inspect(numeric wave, text wave, wave reference wave, dfref wave): records everything;
 * echo(wave): returns a copy of the parameter's numbers as a new NT_FP64 wave. */
static void dispatch(void *user, const zeromq_call *call, zeromq_reply *reply) {
  const char *name = NULL, *s = NULL;
  size_t len = 0;
  const zeromq_wave *w = NULL, *t = NULL, *r = NULL, *d = NULL, *child = NULL;
  const void *data = NULL;
  (void)user;
  if (zeromq_call_name(call, &name, &len) != 0) {
    return;
  }
  got.rc_wave = zeromq_call_param_wave(call, 0, &w);
  if (got.rc_wave != 0) {
    zeromq_reply_error(reply, ZEROMQ_REQ_INVALID_PARAM_FORMAT, NULL, 0);
    return;
  }
  zeromq_wave_type(w, &got.type);
  zeromq_wave_dims(w, got.dims, &got.ndims);
  if (zeromq_wave_data(w, &data, &got.bytes) == 0 && got.bytes <= sizeof got.data) {
    memcpy(got.data, data, got.bytes);
  }
  if (strcmp(name, "echo") == 0) {
    zeromq_wave *out = NULL;
    if (zeromq_wave_new(ZEROMQ_NT_FP64, got.dims, got.ndims, &out) == 0) {
      zeromq_wave_set_data(out, data, got.bytes);
      zeromq_reply_wave(reply, out);
    }
    return;
  }
  zeromq_wave_scaling(w, 1, &got.delta, &got.offset);
  zeromq_wave_full_scale(w, &got.fs_min, &got.fs_max);
  zeromq_wave_modification(w, &got.modification);
  if (zeromq_wave_dim_unit(w, 1, &s, &len) == 0) copy_text(got.unit, sizeof got.unit, s, len);
  if (zeromq_wave_dim_label(w, 1, -1, &s, &len) == 0) {
    copy_text(got.label, sizeof got.label, s, len);
  }
  if (zeromq_wave_dim_label(w, 0, 1, &s, &len) == 0) {
    copy_text(got.row_label, sizeof got.row_label, s, len);
  }
  if (zeromq_wave_data_unit(w, &s, &len) == 0) {
    copy_text(got.data_unit, sizeof got.data_unit, s, len);
  }
  if (zeromq_wave_note(w, &s, &len) == 0) copy_text(got.note, sizeof got.note, s, len);
  if (zeromq_call_param_wave(call, 1, &t) == 0 && zeromq_wave_text(t, 1, &s, &len) == 0) {
    copy_text(got.text, sizeof got.text, s, len);
  }
  if (zeromq_call_param_wave(call, 2, &r) == 0) {
    if (zeromq_wave_wave(r, 0, &child) == 0) got.child_null = child == NULL;
    if (zeromq_wave_wave(r, 1, &child) == 0 && child != NULL) {
      zeromq_wave_type(child, &got.child_type);
    }
  }
  if (zeromq_call_param_wave(call, 3, &d) == 0 && zeromq_wave_dfref(d, 0, &s, &len) == 0) {
    copy_text(got.dfref, sizeof got.dfref, s, len);
  }
  zeromq_reply_variable(reply, 1);
}

static const char inspect_request[] =
    "{\"version\":1,\"CallFunction\":{\"name\":\"inspect\",\"params\":["
    "{\"type\":\"NT_FP64\",\"data\":{\"raw\":[1,2,3,4,5,\"-inf\"],\"unit\":\"V\","
    "\"fullScale\":[-1,1]},\"dimension\":{\"size\":[2,3],\"delta\":[1,0.5],"
    "\"offset\":[0,-2],\"unit\":[\"\",\"s\"],\"label\":{\"full\":[\"\",\"time\"],"
    "\"each\":[\"\",\"row1\",\"\",\"\",\"\"]}},\"note\":\"noted\","
    "\"date\":{\"modification\":1685115358}},"
    "{\"type\":\"TEXT_WAVE_TYPE\",\"data\":{\"raw\":[\"a\",\"b\\u00fc\"]}},"
    "{\"type\":\"WAVE_TYPE\",\"data\":{\"raw\":[null,{\"type\":\"NT_I8 | NT_UNSIGNED\","
    "\"data\":{\"raw\":[255]}}]}},"
    "{\"type\":\"DATAFOLDER_TYPE\",\"data\":{\"raw\":[\"root:Packages:\"]}}]}}";

static int test_getters(void) {
  int ok = 0;
  zeromq_message *msg = NULL;
  memset(&got, 0, sizeof got);
  CHECK_OK(zeromq_set_dispatcher(dispatch, NULL));
  CHECK_OK(zeromq_test_callfunction(inspect_request, strlen(inspect_request), &msg));
  CHECK(zx_frame_starts_with(msg, 0, LIT("{\n    \"errorCode\": {\n        \"value\": 0")));
  CHECK(got.rc_wave == 0);
  CHECK(got.type == ZEROMQ_NT_FP64);
  CHECK(got.ndims == 2 && got.dims[0] == 2 && got.dims[1] == 3 && got.dims[2] == 0);
  CHECK(got.bytes == 48 && got.data[0] == 1 && got.data[4] == 5 && isinf(got.data[5]));
  CHECK(got.delta == 0.5 && got.offset == -2);
  CHECK(got.fs_min == -1 && got.fs_max == 1);
  CHECK(got.modification == 1685115358);
  CHECK(strcmp(got.unit, "s") == 0 && strcmp(got.label, "time") == 0);
  CHECK(strcmp(got.row_label, "row1") == 0 && strcmp(got.data_unit, "V") == 0);
  CHECK(strcmp(got.note, "noted") == 0);
  CHECK(strcmp(got.text, "b\xc3\xbc") == 0);
  CHECK(got.child_null == 1 && got.child_type == (ZEROMQ_NT_I8 | ZEROMQ_NT_UNSIGNED));
  CHECK(strcmp(got.dfref, "root:Packages:") == 0);
  ok = 1;
cleanup:
  zeromq_message_free(msg);
  zeromq_set_dispatcher(NULL, NULL);
  return ok ? 0 : 1;
}

static int test_binary_reply(void) {
  int ok = 0;
  zeromq_message *msg = NULL;
  static const char request[] =
      "{\"version\":1,\"binary\":true,\"CallFunction\":{\"name\":\"echo\",\"params\":["
      "{\"type\":\"NT_FP64\",\"data\":{\"raw\":[1.7976931348623157e308,5e-324,-0.0]}}]}}";
  double expected[3];
  expected[0] = 1.7976931348623157e308;
  expected[1] = 5e-324;
  expected[2] = -0.0;
  CHECK_OK(zeromq_set_dispatcher(dispatch, NULL));
  CHECK_OK(zeromq_test_callfunction(request, strlen(request), &msg));
  CHECK(zeromq_message_frame_count(msg) == 2);
  /* Every double bit for bit, realmax and the smallest denormal included. */
  CHECK(zx_frame_is(msg, 1, expected, sizeof expected));
  ok = 1;
cleanup:
  zeromq_message_free(msg);
  zeromq_set_dispatcher(NULL, NULL);
  return ok ? 0 : 1;
}

/* The dispatcher for bad input: every getter with NULL, a wrong index or the wrong kind. */
static int bad_input_failures;

#define EXPECT(call, expected)                                                              \
  do {                                                                                      \
    int32_t rc_ = (call);                                                                   \
    if (rc_ != (expected)) {                                                                \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d\n", __FILE__, __LINE__, #call,   \
              (int)rc_, (int)(expected));                                                   \
      bad_input_failures++;                                                                 \
    }                                                                                       \
  } while (0)

static void bad_dispatch(void *user, const zeromq_call *call, zeromq_reply *reply) {
  const zeromq_wave *w = NULL, *t = NULL, *child = NULL;
  const char *s = NULL;
  const void *data = NULL;
  size_t len = 0, n = 0;
  uint64_t dims[4];
  int32_t type = 0;
  double a = 0, b = 0;
  int64_t m = 0;
  (void)user;
  EXPECT(zeromq_call_param_wave(NULL, 0, &w), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_call_param_wave(call, 0, NULL), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_call_param_wave(call, 3, &w), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_call_param_wave(call, 2, &w), ZEROMQ_ERR_INVALID_TYPE); /* a number */
  EXPECT(zeromq_call_param_double(call, 0, &a), ZEROMQ_REQ_INVALID_PARAM_FORMAT);
  EXPECT(zeromq_call_param_wave(call, 0, &w), 0);
  EXPECT(zeromq_call_param_wave(call, 1, &t), 0);
  EXPECT(zeromq_wave_type(NULL, &type), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_type(w, NULL), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_dims(w, NULL, &n), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_dims(w, dims, NULL), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_data(NULL, &data, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_data(t, &data, &len), ZEROMQ_ERR_INVALID_TYPE);
  EXPECT(zeromq_wave_text(w, 0, &s, &len), ZEROMQ_ERR_INVALID_TYPE);
  EXPECT(zeromq_wave_text(t, 2, &s, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_text(t, 0, NULL, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_wave(w, 0, &child), ZEROMQ_ERR_INVALID_TYPE);
  EXPECT(zeromq_wave_dfref(w, 0, &s, &len), ZEROMQ_ERR_INVALID_TYPE);
  EXPECT(zeromq_wave_scaling(w, 1, &a, &b), ZEROMQ_ERR_INVALID_ARG); /* 1-D */
  EXPECT(zeromq_wave_scaling(w, 0, NULL, &b), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_dim_unit(w, 4, &s, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_dim_label(w, 0, 2, &s, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_dim_label(w, 0, -2, &s, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_data_unit(w, NULL, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_full_scale(w, &a, NULL), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_note(NULL, &s, &len), ZEROMQ_ERR_INVALID_ARG);
  EXPECT(zeromq_wave_modification(w, NULL), ZEROMQ_ERR_INVALID_ARG);
  /* And the good answers on the same waves. */
  EXPECT(zeromq_wave_note(w, &s, &len), 0);
  if (s != NULL || len != 0) bad_input_failures++; /* no note */
  EXPECT(zeromq_wave_modification(w, &m), 0);
  EXPECT(zeromq_wave_dims(w, dims, &n), 0);
  if (n != 1 || dims[0] != 2) bad_input_failures++;
  zeromq_reply_variable(reply, 0);
}

static int test_bad_input(void) {
  int ok = 0;
  zeromq_message *msg = NULL;
  zeromq_wave *own = NULL;
  const void *data = NULL;
  size_t bytes = 0;
  uint64_t three = 3;
  static const char request[] =
      "{\"version\":1,\"CallFunction\":{\"name\":\"bad\",\"params\":["
      "{\"type\":\"NT_I32\",\"data\":{\"raw\":[1,2]}},"
      "{\"type\":\"TEXT_WAVE_TYPE\",\"data\":{\"raw\":[\"x\",\"y\"]}},4711]}}";
  bad_input_failures = 0;
  CHECK_OK(zeromq_set_dispatcher(bad_dispatch, NULL));
  CHECK_OK(zeromq_test_callfunction(request, strlen(request), &msg));
  CHECK(bad_input_failures == 0);
  /* A wave the host built and never filled reads as zeros, and can be filled in place. */
  CHECK_OK(zeromq_wave_new(ZEROMQ_NT_I16, &three, 1, &own));
  CHECK_OK(zeromq_wave_data(own, &data, &bytes));
  CHECK(bytes == 6 && data != NULL);
  CHECK(((const int16_t *)data)[0] == 0 && ((const int16_t *)data)[2] == 0);
  {
    void *place = NULL;
    int16_t values[3] = {7, -8, 9};
    zeromq_message *json = NULL;
    CHECK_OK(zeromq_wave_data_mut(own, &place, &bytes));
    CHECK(bytes == 6 && place != NULL);
    memcpy(place, values, sizeof values);
    CHECK_OK(zeromq_wave_data(own, &data, &bytes));
    CHECK(memcmp(data, values, sizeof values) == 0);
    CHECK_RC(zeromq_wave_data_mut(NULL, &place, &bytes), ZEROMQ_ERR_INVALID_ARG);
    CHECK_RC(zeromq_wave_data_mut(own, NULL, &bytes), ZEROMQ_ERR_INVALID_ARG);
    CHECK_OK(zeromq_wave_serialize(own, &json));
    CHECK(zx_frame_starts_with(json, 0, LIT("{\n    \"data\": {\n        \"raw\": [\n            7,")));
    zeromq_message_free(json);
  }
  ok = 1;
cleanup:
  zeromq_wave_free(own);
  zeromq_message_free(msg);
  zeromq_set_dispatcher(NULL, NULL);
  return ok ? 0 : 1;
}

int main(void) {
  static const zx_test_case cases[] = {
      {"wave parameter getters", test_getters},
      {"binary reply", test_binary_reply},
      {"bad input", test_bad_input},
  };
  return zx_run(cases, sizeof cases / sizeof cases[0]);
}
