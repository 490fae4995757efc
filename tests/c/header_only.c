/* The public header compiles on its own as strict C11 (nothing else included before it). */
#include "zeromq_xop.h"

/* Uses a few of the header's types so that the translation unit is not empty. */
int zx_header_only_frame_len(const zeromq_frame *frame);

int zx_header_only_frame_len(const zeromq_frame *frame) {
  zeromq_message *none = 0;
  zeromq_message_free(none);
  return frame == 0 ? 0 : (int)frame->len;
}
