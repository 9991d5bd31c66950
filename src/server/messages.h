// Payload layouts of the CPTR, MBOX and calemu-extension frames (docs/protocol.md). Pure
// encode/decode functions; a decoder returns false and says why when the bytes do not fit.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "server/frame.h"

namespace calemu::server {

// ---- CPTR (QEMU RFC v2) --------------------------------------------------------------
struct ApbRead { uint32_t addr = 0; };
struct ApbWrite { uint32_t addr = 0, data = 0; };
bool decode_apb_read(std::span<const uint8_t> payload, ApbRead& out, std::string& why);
bool decode_apb_write(std::span<const uint8_t> payload, ApbWrite& out, std::string& why);
std::vector<uint8_t> encode_apb_read(const ApbRead& r);
std::vector<uint8_t> encode_apb_write(const ApbWrite& w);
std::vector<uint8_t> encode_apb_rdata(uint32_t data);
// What QEMU's RFC v2 device (and caliptra-server) return for a failed read.
inline constexpr uint32_t kApbErrorData = 0xDEAD'BEEF;

// ---- MBOX (QEMU AST1040 cptra-mbox-peer-extern) --------------------------------------
// Status values of CMD_STATUS / MBOX_STATUS[3:0].
enum MboxStatus : uint32_t { kMboxBusy = 0, kMboxDataReady = 1, kMboxComplete = 2, kMboxCmdFailure = 3 };
const char* mbox_status_name(uint32_t status);

struct MboxExecute {
  uint32_t cmd = 0;
  uint32_t dlen = 0;
  std::vector<uint8_t> data;  // exactly dlen bytes (padding dropped)
};
struct MboxResponse {
  uint32_t status = kMboxCmdFailure;
  uint32_t dlen = 0;
  std::vector<uint8_t> data;  // exactly dlen bytes
};
inline uint32_t padded_len(uint32_t dlen) { return (dlen + 3u) & ~3u; }
// The request's data may come padded to a word (QEMU) or exact. Whether dlen fits the
// target mailbox is the server's business.
bool decode_mbox_execute(std::span<const uint8_t> payload, MboxExecute& out, std::string& why);
std::vector<uint8_t> encode_mbox_execute(uint32_t cmd, std::span<const uint8_t> data);
bool decode_mbox_response(std::span<const uint8_t> payload, MboxResponse& out, std::string& why);
std::vector<uint8_t> encode_mbox_response(uint32_t status, std::span<const uint8_t> data);

// ---- calemu extensions ----------------------------------------------------------------
inline constexpr uint32_t kExtensionRevision = 1;
// HELLO feature bits. Requests (GET_STATE, RESET, FUSES) need only the HELLO itself.
inline constexpr uint32_t kFeatureEvents = 1u << 0;   // unsolicited EVENT frames
inline constexpr uint32_t kFeatureErrors = 1u << 1;   // ERROR replies instead of legacy fallbacks
inline constexpr uint32_t kFeatureAxiUser = 1u << 2;  // HELLO names this connection's AXI user
inline constexpr uint32_t kAllFeatures = kFeatureEvents | kFeatureErrors | kFeatureAxiUser;

// Where Caliptra is in its boot, as the SoC sees it.
enum class BootState : uint32_t {
  ReadyForFuses = 1,    // powered, waiting for fuses and FUSE_WR_DONE
  Booting = 2,          // ROM running
  ReadyForFw = 3,       // ROM waits for FIRMWARE_LOAD (CPTRA_FLOW_STATUS.ready_for_fw)
  FirmwareBooting = 4,  // the core runs from the ICCM (FMC, then runtime)
  ReadyForRuntime = 5,  // runtime accepts mailbox commands (CPTRA_FLOW_STATUS.ready_for_runtime)
  Fatal = 6,            // a fatal error was reported (code in fw_error_fatal) or the core stopped
  Exited = 7,           // test firmware asked to end the run
};
const char* to_string(BootState s);

struct StateInfo {
  BootState boot_state = BootState::ReadyForFuses;
  uint32_t boot_status = 0;         // CPTRA_BOOT_STATUS
  uint32_t flow_status = 0;         // CPTRA_FLOW_STATUS
  uint32_t fw_error_fatal = 0;      // CPTRA_FW_ERROR_FATAL
  uint32_t fw_error_non_fatal = 0;  // CPTRA_FW_ERROR_NON_FATAL
  uint64_t cycle = 0;               // emulated core cycles since power-on
  bool operator==(const StateInfo&) const = default;
};
inline constexpr size_t kStateSize = 28;

// EVENT kinds: a boot-state change carries the new BootState's value.
inline constexpr uint32_t kEventNonFatalError = 0x80;  // code = CPTRA_FW_ERROR_NON_FATAL
inline constexpr uint32_t kEventReset = 0x81;          // code = reset kind
std::string event_name(uint32_t event);

enum class ResetKind : uint32_t { Cold = 1, Warm = 2 };

struct Hello {
  uint32_t revision = kExtensionRevision;
  uint32_t features = 0;
  std::optional<uint32_t> axi_user;  // sent with kFeatureAxiUser
};
// hw_generation: 0x10 Caliptra 1.x, 0x20 2.0, 0x21 2.1.
struct HelloAck {
  uint32_t revision = kExtensionRevision;
  uint32_t features = 0;
  uint32_t hw_generation = 0;
  uint32_t axi_user = 0;
  StateInfo state;
  std::string server;
};
struct Event {
  uint32_t event = 0;
  uint32_t code = 0;
  StateInfo state;
};
struct FusesRequest {
  uint32_t flags = 0;  // kFusesStart: then do the rest of the SoC's boot start (docs/protocol.md)
  std::string text;    // `name = value` lines, as `calemu boot --fuses`
};
inline constexpr uint32_t kFusesStart = 1u << 0;
struct ErrorReply {
  uint16_t command = 0;  // the request that failed (0 for a framing error)
  ErrorCode code = ErrorCode::Internal;
  std::string message;
};

std::vector<uint8_t> encode_hello(const Hello& h);
bool decode_hello(std::span<const uint8_t> payload, Hello& out, std::string& why);
std::vector<uint8_t> encode_hello_ack(const HelloAck& a);
bool decode_hello_ack(std::span<const uint8_t> payload, HelloAck& out, std::string& why);
std::vector<uint8_t> encode_state(const StateInfo& s);
bool decode_state(std::span<const uint8_t> payload, StateInfo& out, std::string& why);
std::vector<uint8_t> encode_event(const Event& e);
bool decode_event(std::span<const uint8_t> payload, Event& out, std::string& why);
std::vector<uint8_t> encode_u32(uint32_t v);
bool decode_u32(std::span<const uint8_t> payload, uint32_t& out, std::string& why);
std::vector<uint8_t> encode_fuses(const FusesRequest& f);
bool decode_fuses(std::span<const uint8_t> payload, FusesRequest& out, std::string& why);
std::vector<uint8_t> encode_error(const ErrorReply& e);
bool decode_error(std::span<const uint8_t> payload, ErrorReply& out, std::string& why);

}  // namespace calemu::server
