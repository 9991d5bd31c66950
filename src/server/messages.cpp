#include "server/messages.h"

namespace calemu::server {

namespace {

bool need_exact(std::span<const uint8_t> p, size_t n, const char* what, std::string& why) {
  if (p.size() == n) return true;
  why = std::string(what) + " payload must be " + std::to_string(n) + " bytes, got " + std::to_string(p.size());
  return false;
}

bool need_at_least(std::span<const uint8_t> p, size_t n, const char* what, std::string& why) {
  if (p.size() >= n) return true;
  why = std::string(what) + " payload must be at least " + std::to_string(n) + " bytes, got " +
        std::to_string(p.size());
  return false;
}

void append_state(std::vector<uint8_t>& out, const StateInfo& s) {
  append_le32(out, static_cast<uint32_t>(s.boot_state));
  append_le32(out, s.boot_status);
  append_le32(out, s.flow_status);
  append_le32(out, s.fw_error_fatal);
  append_le32(out, s.fw_error_non_fatal);
  append_le64(out, s.cycle);
}

StateInfo load_state(const uint8_t* p) {
  StateInfo s;
  s.boot_state = static_cast<BootState>(load_le32(p));
  s.boot_status = load_le32(p + 4);
  s.flow_status = load_le32(p + 8);
  s.fw_error_fatal = load_le32(p + 12);
  s.fw_error_non_fatal = load_le32(p + 16);
  s.cycle = uint64_t{load_le32(p + 20)} | uint64_t{load_le32(p + 24)} << 32;
  return s;
}

}  // namespace

// ---- CPTR ------------------------------------------------------------------------------

bool decode_apb_read(std::span<const uint8_t> p, ApbRead& out, std::string& why) {
  if (!need_exact(p, 4, "APB_READ", why)) return false;
  out.addr = load_le32(p.data());
  return true;
}

bool decode_apb_write(std::span<const uint8_t> p, ApbWrite& out, std::string& why) {
  if (!need_exact(p, 8, "APB_WRITE", why)) return false;
  out.addr = load_le32(p.data());
  out.data = load_le32(p.data() + 4);
  return true;
}

std::vector<uint8_t> encode_apb_read(const ApbRead& r) { return encode_u32(r.addr); }

std::vector<uint8_t> encode_apb_write(const ApbWrite& w) {
  std::vector<uint8_t> out;
  append_le32(out, w.addr);
  append_le32(out, w.data);
  return out;
}

std::vector<uint8_t> encode_apb_rdata(uint32_t data) { return encode_u32(data); }

// ---- MBOX ------------------------------------------------------------------------------

const char* mbox_status_name(uint32_t status) {
  switch (status) {
    case kMboxBusy: return "BUSY";
    case kMboxDataReady: return "DATA_READY";
    case kMboxComplete: return "COMPLETE";
    case kMboxCmdFailure: return "CMD_FAILURE";
    default: return "UNKNOWN";
  }
}

bool decode_mbox_execute(std::span<const uint8_t> p, MboxExecute& out, std::string& why) {
  if (!need_at_least(p, 8, "MBOX_EXECUTE", why)) return false;
  out.cmd = load_le32(p.data());
  out.dlen = load_le32(p.data() + 4);
  const size_t have = p.size() - 8;
  if (have < out.dlen || have > padded_len(out.dlen) || out.dlen > kMboxSramMax) {
    why = "MBOX_EXECUTE with dlen " + std::to_string(out.dlen) + " carries " + std::to_string(have) +
          " data bytes (expected dlen, or dlen rounded up to a word)";
    return false;
  }
  out.data.assign(p.begin() + 8, p.begin() + 8 + out.dlen);
  return true;
}

std::vector<uint8_t> encode_mbox_execute(uint32_t cmd, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  out.reserve(8 + padded_len(static_cast<uint32_t>(data.size())));
  append_le32(out, cmd);
  append_le32(out, static_cast<uint32_t>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
  out.resize(8 + padded_len(static_cast<uint32_t>(data.size())), 0);
  return out;
}

bool decode_mbox_response(std::span<const uint8_t> p, MboxResponse& out, std::string& why) {
  if (!need_at_least(p, 8, "MBOX_RESPONSE", why)) return false;
  out.status = load_le32(p.data());
  out.dlen = load_le32(p.data() + 4);
  // QEMU's peer accepts any payload that holds the padded data (extra bytes ignored).
  if (out.dlen > kMboxSramMax || p.size() - 8 < padded_len(out.dlen)) {
    why = "MBOX_RESPONSE with dlen " + std::to_string(out.dlen) + " carries only " + std::to_string(p.size() - 8) +
          " data bytes";
    return false;
  }
  out.data.assign(p.begin() + 8, p.begin() + 8 + out.dlen);
  return true;
}

std::vector<uint8_t> encode_mbox_response(uint32_t status, std::span<const uint8_t> data) {
  std::vector<uint8_t> out;
  const uint32_t dlen = static_cast<uint32_t>(data.size());
  out.reserve(8 + padded_len(dlen));
  append_le32(out, status);
  append_le32(out, dlen);
  out.insert(out.end(), data.begin(), data.end());
  out.resize(8 + padded_len(dlen), 0);
  return out;
}

// ---- extensions ------------------------------------------------------------------------

const char* to_string(BootState s) {
  switch (s) {
    case BootState::ReadyForFuses: return "READY_FOR_FUSES";
    case BootState::Booting: return "BOOTING";
    case BootState::ReadyForFw: return "READY_FOR_FW";
    case BootState::FirmwareBooting: return "FIRMWARE_BOOTING";
    case BootState::ReadyForRuntime: return "READY_FOR_RUNTIME";
    case BootState::Fatal: return "FATAL";
    case BootState::Exited: return "EXITED";
  }
  return "UNKNOWN";
}

std::string event_name(uint32_t event) {
  if (event == kEventNonFatalError) return "NON_FATAL_ERROR";
  if (event == kEventReset) return "RESET";
  const std::string s = to_string(static_cast<BootState>(event));
  return s == "UNKNOWN" ? "event " + std::to_string(event) : s;
}

std::vector<uint8_t> encode_u32(uint32_t v) {
  std::vector<uint8_t> out;
  append_le32(out, v);
  return out;
}

bool decode_u32(std::span<const uint8_t> p, uint32_t& out, std::string& why) {
  if (!need_exact(p, 4, "this", why)) return false;
  out = load_le32(p.data());
  return true;
}

std::vector<uint8_t> encode_hello(const Hello& h) {
  std::vector<uint8_t> out;
  append_le32(out, h.revision);
  append_le32(out, h.features | (h.axi_user ? kFeatureAxiUser : 0));
  if (h.axi_user) append_le32(out, *h.axi_user);
  return out;
}

bool decode_hello(std::span<const uint8_t> p, Hello& out, std::string& why) {
  if (!need_at_least(p, 8, "HELLO", why)) return false;
  out.revision = load_le32(p.data());
  out.features = load_le32(p.data() + 4);
  out.axi_user.reset();
  if (out.features & kFeatureAxiUser) {
    if (!need_at_least(p, 12, "HELLO with the AXI_USER feature", why)) return false;
    out.axi_user = load_le32(p.data() + 8);
  }
  return true;
}

std::vector<uint8_t> encode_hello_ack(const HelloAck& a) {
  std::vector<uint8_t> out;
  append_le32(out, a.revision);
  append_le32(out, a.features);
  append_le32(out, a.hw_generation);
  append_le32(out, a.axi_user);
  append_state(out, a.state);
  out.insert(out.end(), a.server.begin(), a.server.end());
  return out;
}

bool decode_hello_ack(std::span<const uint8_t> p, HelloAck& out, std::string& why) {
  if (!need_at_least(p, 16 + kStateSize, "HELLO_ACK", why)) return false;
  out.revision = load_le32(p.data());
  out.features = load_le32(p.data() + 4);
  out.hw_generation = load_le32(p.data() + 8);
  out.axi_user = load_le32(p.data() + 12);
  out.state = load_state(p.data() + 16);
  out.server.assign(p.begin() + 16 + kStateSize, p.end());
  return true;
}

std::vector<uint8_t> encode_state(const StateInfo& s) {
  std::vector<uint8_t> out;
  append_state(out, s);
  return out;
}

bool decode_state(std::span<const uint8_t> p, StateInfo& out, std::string& why) {
  if (!need_at_least(p, kStateSize, "STATE", why)) return false;
  out = load_state(p.data());
  return true;
}

std::vector<uint8_t> encode_event(const Event& e) {
  std::vector<uint8_t> out;
  append_le32(out, e.event);
  append_le32(out, e.code);
  append_state(out, e.state);
  return out;
}

bool decode_event(std::span<const uint8_t> p, Event& out, std::string& why) {
  if (!need_at_least(p, 8 + kStateSize, "EVENT", why)) return false;
  out.event = load_le32(p.data());
  out.code = load_le32(p.data() + 4);
  out.state = load_state(p.data() + 8);
  return true;
}

std::vector<uint8_t> encode_fuses(const FusesRequest& f) {
  std::vector<uint8_t> out;
  append_le32(out, f.flags);
  out.insert(out.end(), f.text.begin(), f.text.end());
  return out;
}

bool decode_fuses(std::span<const uint8_t> p, FusesRequest& out, std::string& why) {
  if (!need_at_least(p, 4, "FUSES", why)) return false;
  out.flags = load_le32(p.data());
  out.text.assign(p.begin() + 4, p.end());
  return true;
}

std::vector<uint8_t> encode_error(const ErrorReply& e) {
  std::vector<uint8_t> out;
  append_le16(out, e.command);
  append_le16(out, 0);
  append_le32(out, static_cast<uint32_t>(e.code));
  out.insert(out.end(), e.message.begin(), e.message.end());
  return out;
}

bool decode_error(std::span<const uint8_t> p, ErrorReply& out, std::string& why) {
  if (!need_at_least(p, 8, "ERROR", why)) return false;
  out.command = load_le16(p.data());
  out.code = static_cast<ErrorCode>(load_le32(p.data() + 4));
  out.message.assign(p.begin() + 8, p.end());
  return true;
}

}  // namespace calemu::server
