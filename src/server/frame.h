// Framing shared by the CPTR and MBOX socket protocols (docs/protocol.md): a 12-byte
// little-endian header {u32 magic, u16 version, u16 command, u32 payload_len} and a payload.
// Everything here is pure: bytes in, frames or a reason out. The server, the client library
// and the fuzzers use the same code.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace calemu::server {

enum class Protocol : uint8_t { Cptr, Mbox };
const char* to_string(Protocol p);

inline constexpr uint32_t kCptrMagic = 0x4350'5452;  // "CPTR" (QEMU RFC v2 aspeed-caliptra-emu)
inline constexpr uint32_t kMboxMagic = 0x4D42'4F58;  // "MBOX" (AST1040 cptra-mbox-peer-extern)
inline constexpr uint16_t kWireVersion = 1;
inline constexpr size_t kHeaderSize = 12;

uint32_t magic_of(Protocol p);

// Largest payload a peer may send. CPTR requests are a few words (fuse text at most);
// MBOX carries {cmd, dlen} and up to the 2 MiB mailbox SRAM of QEMU's frontend.
inline constexpr uint32_t kMboxSramMax = 2u * 1024 * 1024;
inline constexpr uint32_t kCptrMaxPayload = 64u * 1024;
inline constexpr uint32_t kMboxMaxPayload = 8 + kMboxSramMax;
// What QEMU's RFC v2 client accepts in a reply (CALIPTRA_SOCKET_MAX_PAYLOAD).
inline constexpr uint32_t kQemuCptrMaxReply = 4u * 1024 * 1024;
uint32_t max_request_payload(Protocol p);

namespace cmd {
// MBOX (QEMU AST1040 series): one round trip per mailbox EXECUTE.
inline constexpr uint16_t kMboxExecute = 1, kMboxResponse = 2;
// CPTR (QEMU RFC v2): one round trip per 32-bit APB access.
inline constexpr uint16_t kApbRead = 3, kApbRdata = 4, kApbWrite = 5, kApbWack = 6;
// calemu extensions, on both protocols, only after HELLO. A reply is its request + 1.
inline constexpr uint16_t kHello = 0x0100, kHelloAck = 0x0101;
inline constexpr uint16_t kGetState = 0x0102, kState = 0x0103;
inline constexpr uint16_t kReset = 0x0104, kResetAck = 0x0105;
inline constexpr uint16_t kFuses = 0x0106, kFusesAck = 0x0107;
inline constexpr uint16_t kEvent = 0x0180;  // unsolicited, only with the EVENTS feature
inline constexpr uint16_t kError = 0x01FF;  // the reply to a request that failed
}  // namespace cmd
std::string command_name(Protocol p, uint16_t command);

// The codes of ERROR frames (docs/protocol.md "Errors").
enum class ErrorCode : uint32_t {
  BadMagic = 1,        // framing lost: the connection is closed after the reply
  BadVersion = 2,      // framing lost
  Oversize = 3,        // payload_len above the protocol's limit: framing lost
  BadLength = 4,       // payload length does not fit the command
  UnknownCommand = 5,
  NotNegotiated = 6,   // an extension request before HELLO
  BusError = 7,        // the Caliptra SoC interface refused the access
  Unaligned = 8,       // APB address not 32-bit aligned
  Unmapped = 9,        // no Caliptra block at this APB address
  NotReady = 10,       // e.g. fuses while Caliptra does not accept fuses
  MailboxBusy = 11,    // the mailbox lock stayed taken
  Timeout = 12,        // Caliptra did not answer in time
  CaliptraFatal = 13,  // Caliptra reported a fatal error or its core stopped
  BadArgument = 14,    // a field value the command cannot take (e.g. unknown reset kind)
  TooLarge = 15,       // a mailbox DLEN larger than this Caliptra's mailbox
  Reset = 16,          // a reset cancelled the request
  Internal = 17,
};
const char* to_string(ErrorCode e);
// Framing errors leave the byte stream unusable; the server closes after replying.
bool is_framing_error(ErrorCode e);

struct Header {
  uint32_t magic = 0;
  uint16_t version = 0;
  uint16_t command = 0;
  uint32_t payload_len = 0;
};
Header decode_header(std::span<const uint8_t, kHeaderSize> bytes);
void append_header(std::vector<uint8_t>& out, const Header& h);

// One frame on the wire: header followed by payload.
std::vector<uint8_t> encode_frame(Protocol p, uint16_t command, std::span<const uint8_t> payload);

struct Frame {
  uint16_t command = 0;
  std::vector<uint8_t> payload;
};

// Reassembles frames from a byte stream that arrives in arbitrary pieces. A bad header is
// reported as soon as its 12 bytes are in, before any payload is buffered.
class FrameReader {
 public:
  FrameReader(Protocol p, uint32_t max_payload);

  void feed(std::span<const uint8_t> bytes);
  enum class Result { NeedMore, Frame, Error };
  // Frame: `out` holds the next frame. Error: error()/error_message() say why, and the
  // reader stays in error (the stream is unusable).
  Result next(Frame& out);

  ErrorCode error() const { return error_; }
  const std::string& error_message() const { return error_message_; }
  // Bytes fed but not yet returned as frames (a partial frame when next() said NeedMore).
  size_t buffered() const { return buf_.size() - start_; }

 private:
  Result fail(ErrorCode e, std::string msg);
  void compact();

  Protocol protocol_;
  uint32_t max_payload_;
  std::vector<uint8_t> buf_;
  size_t start_ = 0;
  bool failed_ = false;
  ErrorCode error_ = ErrorCode::Internal;
  std::string error_message_;
};

// Little-endian helpers for payload codecs.
inline uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint16_t load_le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
inline void append_le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline void append_le16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
inline void append_le64(std::vector<uint8_t>& out, uint64_t v) {
  append_le32(out, static_cast<uint32_t>(v));
  append_le32(out, static_cast<uint32_t>(v >> 32));
}

}  // namespace calemu::server
