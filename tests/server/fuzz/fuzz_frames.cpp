// libFuzzer target: the frame reassembly and every payload decoder of the CPTR, MBOX and
// extension frames (src/server/frame.cpp, messages.cpp) on arbitrary byte streams arriving
// in arbitrary pieces. Byte 0 picks the protocol (bit 0) and the piece size (bits 1-7).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "server/frame.h"
#include "server/messages.h"

using namespace calemu::server;

namespace {

void decode_all(const Frame& f) {
  std::string why;
  ApbRead r;
  ApbWrite w;
  MboxExecute x;
  MboxResponse resp;
  Hello h;
  HelloAck a;
  StateInfo s;
  Event e;
  FusesRequest fu;
  ErrorReply er;
  uint32_t u = 0;
  (void)decode_apb_read(f.payload, r, why);
  (void)decode_apb_write(f.payload, w, why);
  (void)decode_mbox_response(f.payload, resp, why);
  (void)decode_hello(f.payload, h, why);
  (void)decode_hello_ack(f.payload, a, why);
  (void)decode_state(f.payload, s, why);
  (void)decode_event(f.payload, e, why);
  (void)decode_fuses(f.payload, fu, why);
  (void)decode_error(f.payload, er, why);
  (void)decode_u32(f.payload, u, why);
  (void)command_name(Protocol::Cptr, f.command);
  (void)event_name(u);
  if (decode_mbox_execute(f.payload, x, why)) {
    // What the server decodes, the client library encodes back to the same command.
    MboxExecute again;
    if (!decode_mbox_execute(encode_mbox_execute(x.cmd, x.data), again, why) || again.cmd != x.cmd ||
        again.dlen != x.dlen || again.data != x.data)
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Protocol p = (data[0] & 1) ? Protocol::Mbox : Protocol::Cptr;
  const size_t piece = (data[0] >> 1) + 1u;
  FrameReader reader(p, max_request_payload(p));
  for (size_t off = 1; off < size; off += piece) {
    reader.feed(std::span<const uint8_t>(data + off, std::min(piece, size - off)));
    Frame f;
    for (;;) {
      const FrameReader::Result r = reader.next(f);
      if (r == FrameReader::Result::NeedMore) break;
      if (r == FrameReader::Result::Error) {
        if (!is_framing_error(reader.error()) || reader.error_message().empty()) std::abort();
        return 0;
      }
      if (f.payload.size() > max_request_payload(p)) std::abort();
      decode_all(f);
    }
  }
  return 0;
}
