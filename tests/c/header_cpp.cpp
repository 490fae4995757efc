// The public header from C++: included twice (include guard), compiled with all warnings as
// errors, linked against the static library and called.
#include "zeromq_xop.h"
#include "zeromq_xop.h"

#include <cstdio>
#include <cstring>

namespace {

int failures = 0;

void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "header_cpp: FAIL %s\n", what);
    failures++;
  }
}

}  // namespace

int main() {
  int32_t major = 0;
  int32_t minor = 0;
  int32_t patch = 0;
  zeromq_libzmq_version(&major, &minor, &patch);
  check(major == 4, "libzmq major version 4");

  const char *version = zeromq_library_version();
  check(version != nullptr && std::strlen(version) > 0, "library version");

  zeromq_message_free(nullptr);
  check(zeromq_message_frame_count(nullptr) == 0, "frame count of NULL");

  const zeromq_frame frames[2] = {{"topic", 5}, {"payload", 7}};
  check(zeromq_pub_send_multi(frames, 2) == 0, "zeromq_pub_send_multi without bind");
  check(zeromq_set(32) == ZEROMQ_ERR_UNKNOWN_SET_FLAG, "zeromq_set(32)");
  check(zeromq_stop() == 0, "zeromq_stop");

  std::printf("header_cpp: %s (library %s, libzmq %d.%d.%d)\n", failures == 0 ? "OK" : "FAILED",
              version != nullptr ? version : "?", static_cast<int>(major),
              static_cast<int>(minor), static_cast<int>(patch));
  return failures == 0 ? 0 : 1;
}
