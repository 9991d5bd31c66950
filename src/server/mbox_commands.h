// Caliptra runtime/ROM mailbox commands by name, as data: each command's request and
// response fields after the checksum header, for the firmware generations the SoC may talk
// to (1.x = caliptra-sw rt-1.2.x layouts, 2.x = main; ../shared/spec/caliptra-fw-mailbox-
// layouts.md). `calemu mbox` builds requests from `name=value` arguments (checksum filled
// in) and decodes responses to JSON or text (checksum and FIPS status checked).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace calemu::server::mbox {

enum class Gen : uint8_t { V1, V2 };  // Caliptra 1.x firmware (rt-1.2 layouts) or 2.x
const char* to_string(Gen g);

enum class Kind : uint8_t {
  U32,      // little-endian word
  Bytes,    // fixed-size byte string (keys, digests, nonces: printed as hex)
  Words,    // fixed-size u32 array in "hw format" (printed as hex words)
  Text,     // fixed-size ASCII, NUL padded
  Digests,  // an array of 48-byte values (PCRs)
  Size,     // u32 byte count of the Var field named in `ref`
  Var,      // up to `size` bytes, sent/returned truncated to its Size field
  Rest,     // everything up to the end of the payload
};

struct Field {
  std::string name;
  Kind kind = Kind::U32;
  uint32_t size = 4;  // bytes (maximum for Var)
  std::string ref;    // Size: the Var field it counts
};

struct Command {
  std::string name;
  uint32_t code = 0;
  Gen gen = Gen::V1;
  std::vector<Field> request;   // after MailboxReqHeader {chksum}
  std::vector<Field> response;  // after MailboxRespHeader {chksum, fips_status}
  bool checksum = true;         // false: a raw payload without headers (FIRMWARE_LOAD)
  std::vector<std::string> aliases;
  std::string summary;
};

const std::vector<Command>& catalog();
// By name or alias (case-insensitive) for a generation.
const Command* find(std::string_view name, Gen gen);
// By command code, e.g. to decode a response to a raw request.
const Command* find(uint32_t code, Gen gen);

// chksum = 0 - (sum of the command id's bytes and of the data bytes) (§3.3).
uint32_t checksum(uint32_t cmd, std::span<const uint8_t> data);
// Puts the checksum of payload[4..] in payload[0..3] (a too-short payload grows to 4 bytes).
void fill_checksum(uint32_t cmd, std::vector<uint8_t>& payload);

// `name=value` arguments to the mailbox payload; unnamed fields are zero. Byte fields take
// hex or @FILE; U32 fields decimal or 0x-hex; Text fields a string. Throws
// std::invalid_argument with a message for people.
std::vector<uint8_t> build_request(const Command& c, const std::vector<std::string>& args);
// A field description for --help: "name (48 bytes)".
std::string describe_fields(const std::vector<Field>& fields);

struct Value {
  std::string name;
  Kind kind = Kind::U32;
  uint32_t number = 0;              // U32, Size
  std::vector<uint8_t> bytes;       // Bytes, Var, Rest, Digests (concatenated)
  std::vector<uint32_t> words;      // Words
  std::string text;                 // Text
};

struct Decoded {
  bool has_header = false;
  uint32_t chksum = 0;
  bool checksum_ok = false;
  uint32_t fips_status = 0;
  std::vector<Value> fields;
  std::vector<std::string> problems;  // short response, bad checksum, ...
};

// Never throws: whatever the bytes, the result says what could be read and what was wrong.
// `c` may be null (unknown command): the payload is shown as raw bytes, header and all.
Decoded decode_response(const Command* c, std::span<const uint8_t> payload);
nlohmann::json to_json(const Decoded& d);
std::string to_text(const Decoded& d);
const char* fips_status_name(uint32_t v);

std::string hex_string(std::span<const uint8_t> bytes);
// Hex digits (spaces, ':' and a 0x prefix allowed) to bytes; nullopt when malformed.
std::optional<std::vector<uint8_t>> parse_hex(std::string_view text);

}  // namespace calemu::server::mbox
