#include "server/frame.h"

#include <cstdio>

namespace calemu::server {

const char* to_string(Protocol p) { return p == Protocol::Cptr ? "CPTR" : "MBOX"; }

uint32_t magic_of(Protocol p) { return p == Protocol::Cptr ? kCptrMagic : kMboxMagic; }

uint32_t max_request_payload(Protocol p) { return p == Protocol::Cptr ? kCptrMaxPayload : kMboxMaxPayload; }

std::string command_name(Protocol p, uint16_t command) {
  switch (command) {
    case cmd::kHello: return "HELLO";
    case cmd::kHelloAck: return "HELLO_ACK";
    case cmd::kGetState: return "GET_STATE";
    case cmd::kState: return "STATE";
    case cmd::kReset: return "RESET";
    case cmd::kResetAck: return "RESET_ACK";
    case cmd::kFuses: return "FUSES";
    case cmd::kFusesAck: return "FUSES_ACK";
    case cmd::kEvent: return "EVENT";
    case cmd::kError: return "ERROR";
    default: break;
  }
  if (p == Protocol::Cptr) {
    switch (command) {
      case cmd::kApbRead: return "APB_READ";
      case cmd::kApbRdata: return "APB_RDATA";
      case cmd::kApbWrite: return "APB_WRITE";
      case cmd::kApbWack: return "APB_WACK";
      default: break;
    }
  } else {
    switch (command) {
      case cmd::kMboxExecute: return "MBOX_EXECUTE";
      case cmd::kMboxResponse: return "MBOX_RESPONSE";
      default: break;
    }
  }
  return "command " + std::to_string(command);
}

const char* to_string(ErrorCode e) {
  switch (e) {
    case ErrorCode::BadMagic: return "BAD_MAGIC";
    case ErrorCode::BadVersion: return "BAD_VERSION";
    case ErrorCode::Oversize: return "OVERSIZE";
    case ErrorCode::BadLength: return "BAD_LENGTH";
    case ErrorCode::UnknownCommand: return "UNKNOWN_COMMAND";
    case ErrorCode::NotNegotiated: return "NOT_NEGOTIATED";
    case ErrorCode::BusError: return "BUS_ERROR";
    case ErrorCode::Unaligned: return "UNALIGNED";
    case ErrorCode::Unmapped: return "UNMAPPED";
    case ErrorCode::NotReady: return "NOT_READY";
    case ErrorCode::MailboxBusy: return "MAILBOX_BUSY";
    case ErrorCode::Timeout: return "TIMEOUT";
    case ErrorCode::CaliptraFatal: return "CALIPTRA_FATAL";
    case ErrorCode::BadArgument: return "BAD_ARGUMENT";
    case ErrorCode::TooLarge: return "TOO_LARGE";
    case ErrorCode::Reset: return "RESET";
    case ErrorCode::Internal: return "INTERNAL";
  }
  return "UNKNOWN_ERROR";
}

bool is_framing_error(ErrorCode e) {
  return e == ErrorCode::BadMagic || e == ErrorCode::BadVersion || e == ErrorCode::Oversize;
}

Header decode_header(std::span<const uint8_t, kHeaderSize> b) {
  return Header{load_le32(&b[0]), load_le16(&b[4]), load_le16(&b[6]), load_le32(&b[8])};
}

void append_header(std::vector<uint8_t>& out, const Header& h) {
  append_le32(out, h.magic);
  append_le16(out, h.version);
  append_le16(out, h.command);
  append_le32(out, h.payload_len);
}

std::vector<uint8_t> encode_frame(Protocol p, uint16_t command, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + payload.size());
  append_header(out, Header{magic_of(p), kWireVersion, command, static_cast<uint32_t>(payload.size())});
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

FrameReader::FrameReader(Protocol p, uint32_t max_payload) : protocol_(p), max_payload_(max_payload) {}

void FrameReader::feed(std::span<const uint8_t> bytes) {
  if (failed_) return;
  compact();
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void FrameReader::compact() {
  if (start_ == 0) return;
  // Keep the front of the buffer cheap to consume: move the tail down once it is the
  // smaller part (or everything was consumed).
  if (start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
}

FrameReader::Result FrameReader::fail(ErrorCode e, std::string msg) {
  failed_ = true;
  error_ = e;
  error_message_ = std::move(msg);
  return Result::Error;
}

FrameReader::Result FrameReader::next(Frame& out) {
  if (failed_) return Result::Error;
  if (buffered() < kHeaderSize) return Result::NeedMore;
  const Header h = decode_header(std::span<const uint8_t, kHeaderSize>(buf_.data() + start_, kHeaderSize));
  char msg[160];
  if (h.magic != magic_of(protocol_)) {
    std::snprintf(msg, sizeof msg, "bad magic 0x%08x: this is a %s endpoint (magic 0x%08x)", h.magic,
                  to_string(protocol_), magic_of(protocol_));
    return fail(ErrorCode::BadMagic, msg);
  }
  if (h.version != kWireVersion) {
    std::snprintf(msg, sizeof msg, "unsupported version %u (this server speaks version %u)", h.version, kWireVersion);
    return fail(ErrorCode::BadVersion, msg);
  }
  if (h.payload_len > max_payload_) {
    std::snprintf(msg, sizeof msg, "%s payload of %u bytes is larger than the limit of %u bytes",
                  command_name(protocol_, h.command).c_str(), h.payload_len, max_payload_);
    return fail(ErrorCode::Oversize, msg);
  }
  if (buffered() - kHeaderSize < h.payload_len) return Result::NeedMore;
  const uint8_t* p = buf_.data() + start_ + kHeaderSize;
  out.command = h.command;
  out.payload.assign(p, p + h.payload_len);
  start_ += kHeaderSize + h.payload_len;
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  }
  return Result::Frame;
}

}  // namespace calemu::server
