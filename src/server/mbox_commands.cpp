#include "server/mbox_commands.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace calemu::server::mbox {

namespace {

Field u32(const char* n) { return {n, Kind::U32, 4, ""}; }
Field bytes(const char* n, uint32_t size) { return {n, Kind::Bytes, size, ""}; }
Field words(const char* n, uint32_t size) { return {n, Kind::Words, size, ""}; }
Field text(const char* n, uint32_t size) { return {n, Kind::Text, size, ""}; }
Field digests(const char* n, uint32_t count) { return {n, Kind::Digests, count * 48, ""}; }
Field size_of(const char* n, const char* ref) { return {n, Kind::Size, 4, ref}; }
Field var(const char* n, uint32_t max) { return {n, Kind::Var, max, ""}; }
Field rest(const char* n) { return {n, Kind::Rest, 0, ""}; }

std::vector<Field> var_data(uint32_t max) { return {size_of("data_size", "data"), var("data", max)}; }
std::vector<Field> ecc_sig() { return {bytes("signature_r", 48), bytes("signature_s", 48)}; }
std::vector<Field> concat(std::vector<Field> a, const std::vector<Field>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<Field> lms_verify_fields() {
  return {u32("pub_key_tree_type"), u32("pub_key_ots_type"), bytes("pub_key_id", 16), bytes("pub_key_digest", 24),
          u32("signature_q"), bytes("signature_ots", 1252), u32("signature_tree_type"),
          bytes("signature_tree_path", 360)};
}

std::vector<Field> stash_fields() {
  return {bytes("metadata", 4), bytes("measurement", 48), bytes("context", 48), u32("svn")};
}

std::vector<Field> fw_info_1x() {
  return {u32("pl0_pauser"), u32("runtime_svn"), u32("min_runtime_svn"), u32("fmc_manifest_svn"),
          u32("attestation_disabled"), bytes("rom_revision", 20), bytes("fmc_revision", 20),
          bytes("runtime_revision", 20), words("rom_sha256_digest", 32), words("fmc_sha384_digest", 48),
          words("runtime_sha384_digest", 48), words("owner_pub_key_hash", 48), words("authman_sha384_digest", 48)};
}

std::vector<Field> fw_info_2x() {
  return {u32("pl0_pauser"), u32("fw_svn"), u32("min_fw_svn"), u32("cold_boot_fw_svn"), u32("attestation_disabled"),
          bytes("rom_revision", 20), bytes("fmc_revision", 20), bytes("runtime_revision", 20),
          words("rom_sha256_digest", 32), words("fmc_sha384_digest", 48), words("runtime_sha384_digest", 48),
          words("owner_pub_key_hash", 48), words("authman_sha384_digest", 48), u32("most_recent_fw_error"),
          words("vendor_pub_key_hash", 48), u32("image_manifest_pqc_type"), u32("vendor_ecc384_pub_key_index"),
          u32("vendor_pqc_pub_key_index"), u32("soc_manifest_current_svn"), u32("soc_manifest_min_svn"),
          u32("owner_auth_manifest_current_svn"), u32("owner_auth_manifest_min_svn")};
}

std::vector<Field> version_resp() { return {u32("mode"), words("fips_rev", 12), text("name", 12)}; }

// Commands that are the same in both generations (request, response, summary).
void add_both(std::vector<Command>& out, Command c) {
  c.gen = Gen::V1;
  out.push_back(c);
  c.gen = Gen::V2;
  out.push_back(std::move(c));
}

std::vector<Command> build_catalog() {
  std::vector<Command> v;
  // ---- both generations ----
  add_both(v, {"FIRMWARE_LOAD", 0x46574C44, Gen::V1, {rest("image")}, {}, false, {"FWLD"},
               "load a firmware bundle (image=@FILE); no checksum"});
  add_both(v, {"CAPABILITIES", 0x43415053, Gen::V1, {}, {bytes("capabilities", 16)}, true, {"CAPS"},
               "capability bits (u128, big-endian)"});
  add_both(v, {"VERSION", 0x46505652, Gen::V1, {}, version_resp(), true, {"FPVR", "FIPS_VERSION"},
               "FIPS mode, revision and name"});
  add_both(v, {"SELF_TEST_START", 0x46504C54, Gen::V1, {}, {}, true, {}, "start the FIPS self tests"});
  add_both(v, {"SELF_TEST_GET_RESULTS", 0x46504C67, Gen::V1, {}, {}, true, {}, "results of the FIPS self tests"});
  add_both(v, {"SHUTDOWN", 0x46505344, Gen::V1, {}, {}, true, {}, "zeroize and stop (FIPS shutdown)"});
  add_both(v, {"STASH_MEASUREMENT", 0x4D454153, Gen::V1, stash_fields(), {u32("dpe_result")}, true, {"MEAS"},
               "measure a SoC component into DPE and PCR31"});
  add_both(v, {"DISABLE_ATTESTATION", 0x4453424C, Gen::V1, {}, {}, true, {}, "zero the attestation CDI until reset"});
  add_both(v, {"EXTEND_PCR", 0x50435245, Gen::V1, {u32("pcr_idx"), bytes("data", 48)}, {}, true, {},
               "extend a PCR (4..31) with 48 bytes"});
  add_both(v, {"INCREMENT_PCR_RESET_COUNTER", 0x50435252, Gen::V1, {u32("index")}, {}, true, {}, ""});
  add_both(v, {"DPE_TAG_TCI", 0x54514754, Gen::V1, {bytes("handle", 16), u32("tag")}, {}, true, {}, ""});
  add_both(v, {"ADD_SUBJECT_ALT_NAME", 0x414C544E, Gen::V1,
               {size_of("dmtf_device_info_size", "dmtf_device_info"), var("dmtf_device_info", 128)}, {}, true, {}, ""});
  add_both(v, {"SIGN_WITH_EXPORTED_ECDSA", 0x53574545, Gen::V1, {bytes("exported_cdi_handle", 32), bytes("tbs", 48)},
               concat({bytes("derived_pubkey_x", 48), bytes("derived_pubkey_y", 48)}, ecc_sig()), true, {}, ""});
  add_both(v, {"REVOKE_EXPORTED_CDI_HANDLE", 0x52564348, Gen::V1, {bytes("exported_cdi_handle", 32)}, {}, true, {}, ""});
  add_both(v, {"REALLOCATE_DPE_CONTEXT_LIMITS", 0x52435458, Gen::V1, {u32("pl0_context_limit")},
               {u32("new_pl0_context_limit"), u32("new_pl1_context_limit")}, true, {}, ""});

  // ---- Caliptra 1.x (rt-1.2.x) ----
  auto v1 = [&](Command c) {
    c.gen = Gen::V1;
    v.push_back(std::move(c));
  };
  v1({"FW_INFO", 0x494E464F, Gen::V1, {}, fw_info_1x(), true, {"INFO"}, "firmware revisions, SVNs and digests"});
  v1({"GET_IDEV_CERT", 0x49444543, Gen::V1,
      concat({size_of("tbs_size", "tbs")}, concat(ecc_sig(), {var("tbs", 916)})),
      {size_of("cert_size", "cert"), var("cert", 1024)}, true, {"IDEC"},
      "assemble the IDevID certificate from a TBS and its signature"});
  v1({"GET_IDEV_INFO", 0x49444549, Gen::V1, {}, {bytes("idev_pub_x", 48), bytes("idev_pub_y", 48)}, true, {"IDEI"},
      "the IDevID public key"});
  v1({"POPULATE_IDEV_CERT", 0x49444550, Gen::V1, {size_of("cert_size", "cert"), var("cert", 1024)}, {}, true,
      {"IDEP"}, ""});
  v1({"GET_LDEV_CERT", 0x4C444556, Gen::V1, {}, var_data(1024), true, {"LDEV"}, "the LDevID certificate (DER)"});
  v1({"GET_FMC_ALIAS_CERT", 0x43455246, Gen::V1, {}, var_data(1024), true, {"CERF"}, "the FMC alias certificate"});
  v1({"GET_RT_ALIAS_CERT", 0x43455252, Gen::V1, {}, var_data(1024), true, {"CERR"}, "the runtime alias certificate"});
  v1({"GET_IDEV_CSR", 0x49444352, Gen::V1, {}, var_data(512), true, {"IDCR"}, "the IDevID CSR (DER)"});
  v1({"GET_FMC_ALIAS_CSR", 0x464D4352, Gen::V1, {}, var_data(768), true, {"FMCR"}, "the FMC alias CSR"});
  v1({"ECDSA384_VERIFY", 0x53494756, Gen::V1,
      concat({bytes("pub_key_x", 48), bytes("pub_key_y", 48)}, ecc_sig()), {}, true, {"SIGV"},
      "verify an ECDSA P-384 signature of the digest in the SHA-512 accelerator"});
  v1({"LMS_VERIFY", 0x4C4D5356, Gen::V1, lms_verify_fields(), {}, true, {"LMSV"}, ""});
  v1({"INVOKE_DPE", 0x44504543, Gen::V1, {size_of("data_size", "data"), var("data", 512)}, var_data(6556), true,
      {"DPEC"}, "a DPE command (data=HEX)"});
  v1({"DPE_GET_TAGGED_TCI", 0x47544744, Gen::V1, {u32("tag")},
      {bytes("tci_cumulative", 48), bytes("tci_current", 48)}, true, {}, ""});
  v1({"QUOTE_PCRS", 0x50435251, Gen::V1, {bytes("nonce", 32)},
      concat({digests("pcrs", 32), bytes("nonce", 32), bytes("digest", 48), words("reset_ctrs", 128)}, ecc_sig()),
      true, {"PCRQ"}, "PCRs signed with the runtime alias key"});
  v1({"CERTIFY_KEY_EXTENDED", 0x434B4558, Gen::V1, {u32("flags"), bytes("certify_key_req", 72)},
      {rest("certify_key_resp")}, true, {"CKEX"}, ""});
  v1({"SET_AUTH_MANIFEST", 0x41544D4E, Gen::V1, {size_of("manifest_size", "manifest"), var("manifest", 14336)}, {},
      true, {}, ""});
  v1({"AUTHORIZE_AND_STASH", 0x41545348, Gen::V1,
      {bytes("fw_id", 4), bytes("measurement", 48), bytes("context", 48), u32("svn"), u32("flags"), u32("source")},
      {u32("auth_req_result")}, true, {}, ""});
  v1({"GET_PCR_LOG", 0x504C4F47, Gen::V1, {}, var_data(952), true, {}, ""});

  // ---- Caliptra 2.x (main) ----
  auto v2 = [&](Command c) {
    c.gen = Gen::V2;
    v.push_back(std::move(c));
  };
  v2({"FIRMWARE_VERIFY", 0x46575652, Gen::V2, {rest("image")}, {u32("verify_result")}, false, {},
      "verify a firmware bundle without loading it (image=@FILE)"});
  v2({"FW_INFO", 0x494E464F, Gen::V2, {}, fw_info_2x(), true, {"INFO"}, "firmware revisions, SVNs and digests"});
  v2({"GET_IDEV_ECC384_CERT", 0x49444543, Gen::V2,
      concat({size_of("tbs_size", "tbs")}, concat(ecc_sig(), {var("tbs", 916)})), var_data(9216), true,
      {"GET_IDEV_CERT", "IDEC"}, "assemble the IDevID certificate from a TBS and its signature"});
  v2({"GET_IDEV_ECC384_INFO", 0x49444549, Gen::V2, {}, {bytes("idev_pub_x", 48), bytes("idev_pub_y", 48)}, true,
      {"GET_IDEV_INFO", "IDEI"}, "the IDevID ECC public key"});
  v2({"GET_IDEV_MLDSA87_INFO", 0x49444D49, Gen::V2, {}, {bytes("idev_pub_key", 2592)}, true, {"IDMI"}, ""});
  v2({"POPULATE_IDEV_ECC384_CERT", 0x49444550, Gen::V2, {size_of("cert_size", "cert"), var("cert", 1024)}, {}, true,
      {"POPULATE_IDEV_CERT", "IDEP"}, ""});
  v2({"GET_LDEV_ECC384_CERT", 0x4C444556, Gen::V2, {}, var_data(9216), true, {"GET_LDEV_CERT", "LDEV"}, ""});
  v2({"GET_LDEV_MLDSA87_CERT", 0x4C444D43, Gen::V2, {}, var_data(9216), true, {"LDMC"}, ""});
  v2({"GET_FMC_ALIAS_ECC384_CERT", 0x43455246, Gen::V2, {}, var_data(9216), true, {"GET_FMC_ALIAS_CERT", "CERF"}, ""});
  v2({"GET_FMC_ALIAS_MLDSA87_CERT", 0x434D4346, Gen::V2, {}, var_data(9216), true, {"CMCF"}, ""});
  v2({"GET_RT_ALIAS_ECC384_CERT", 0x43455252, Gen::V2, {}, var_data(9216), true, {"GET_RT_ALIAS_CERT", "CERR"}, ""});
  v2({"GET_RT_ALIAS_MLDSA87_CERT", 0x434D4352, Gen::V2, {}, var_data(9216), true, {"CMCR"}, ""});
  v2({"GET_IDEV_ECC384_CSR", 0x49444352, Gen::V2, {}, var_data(9216), true, {"GET_IDEV_CSR", "IDCR"}, ""});
  v2({"GET_IDEV_MLDSA87_CSR", 0x49444D52, Gen::V2, {}, var_data(9216), true, {"IDMR"}, ""});
  v2({"GET_FMC_ALIAS_ECC384_CSR", 0x464D4352, Gen::V2, {}, var_data(9216), true, {"GET_FMC_ALIAS_CSR", "FMCR"}, ""});
  v2({"GET_FMC_ALIAS_MLDSA87_CSR", 0x464D4452, Gen::V2, {}, var_data(9216), true, {"FMDR"}, ""});
  v2({"GET_ATTESTED_ECC384_CSR", 0x41454352, Gen::V2, {u32("key_id"), bytes("nonce", 32)}, var_data(12800), true,
      {"AECR"}, ""});
  v2({"GET_ATTESTED_MLDSA87_CSR", 0x414D4352, Gen::V2, {u32("key_id"), bytes("nonce", 32)}, var_data(12800), true,
      {"AMCR"}, ""});
  v2({"ECDSA384_SIGNATURE_VERIFY", 0x45435632, Gen::V2,
      concat(concat({bytes("pub_key_x", 48), bytes("pub_key_y", 48)}, ecc_sig()), {bytes("hash", 48)}), {}, true,
      {"ECDSA384_VERIFY", "ECV2"}, "verify an ECDSA P-384 signature of `hash`"});
  v2({"LMS_SIGNATURE_VERIFY", 0x4C4D5632, Gen::V2, concat(lms_verify_fields(), {bytes("hash", 48)}), {}, true,
      {"LMS_VERIFY", "LMV2"}, ""});
  v2({"MLDSA87_SIGNATURE_VERIFY", 0x4D4C5632, Gen::V2,
      {bytes("pub_key", 2592), bytes("signature", 4628), size_of("message_size", "message"), var("message", 4096)}, {},
      true, {"MLV2"}, ""});
  v2({"INVOKE_DPE_ECC384", 0x44504543, Gen::V2, {size_of("data_size", "data"), var("data", 512)}, var_data(25168),
      true, {"INVOKE_DPE", "DPEC"}, "a DPE command (data=HEX)"});
  v2({"DPE_GET_TAGGED_TCI", 0x47544744, Gen::V2, {u32("tag")},
      {bytes("tci_cumulative", 48), bytes("tci_current", 48), u32("svn")}, true, {}, ""});
  v2({"QUOTE_PCRS_ECC384", 0x50435251, Gen::V2, {bytes("nonce", 32)},
      concat({digests("pcrs", 32), bytes("nonce", 32), words("reset_ctrs", 128), bytes("digest", 48)}, ecc_sig()),
      true, {"QUOTE_PCRS", "PCRQ"}, "PCRs signed with the FMC alias key"});
  v2({"CERTIFY_KEY_EXTENDED_ECC384", 0x434B4558, Gen::V2, {u32("flags"), bytes("certify_key_req", 72)},
      {size_of("size", "certify_key_resp"), var("certify_key_resp", 25152)}, true, {"CERTIFY_KEY_EXTENDED", "CKEX"},
      ""});
  v2({"AUTHORIZE_AND_STASH", 0x41545348, Gen::V2,
      {bytes("fw_id", 4), bytes("measurement", 48), bytes("context", 48), u32("svn"), u32("flags"), u32("source"),
       u32("image_size")},
      {u32("auth_req_result")}, true, {}, ""});
  v2({"GET_IMAGE_INFO", 0x494D4530, Gen::V2, {bytes("fw_id", 4)},
      {u32("component_id"), u32("flags"), u32("image_load_address_high"), u32("image_load_address_low"),
       u32("image_staging_address_high"), u32("image_staging_address_low"), bytes("digest", 48)},
      true, {}, ""});
  v2({"GET_PCR_LOG", 0x504C4F47, Gen::V2, {}, var_data(9216), true, {}, ""});
  v2({"CM_RANDOM_GENERATE", 0x434D5247, Gen::V2, {u32("size")}, var_data(4096), true, {}, "random bytes"});
  v2({"CM_STATUS", 0x434D5354, Gen::V2, {}, {u32("used_usage_storage"), u32("total_usage_storage")}, true, {}, ""});
  v2({"GET_MCU_FW_SIZE", 0x474D4653, Gen::V2, {}, {u32("size"), bytes("sha384", 48)}, true, {}, ""});
  v2({"FE_PROG", 0x46455052, Gen::V2, {u32("partition")}, {}, true, {}, ""});
  return v;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::toupper(x) == std::toupper(y); });
}

uint32_t le32(std::span<const uint8_t> p, size_t off) {
  return uint32_t{p[off]} | uint32_t{p[off + 1]} << 8 | uint32_t{p[off + 2]} << 16 | uint32_t{p[off + 3]} << 24;
}

void put_le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

std::vector<uint8_t> read_bytes_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::invalid_argument("cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::vector<uint8_t> byte_value(const Field& f, const std::string& value) {
  if (!value.empty() && value[0] == '@') return read_bytes_file(value.substr(1));
  if (f.kind == Kind::Text) return std::vector<uint8_t>(value.begin(), value.end());
  auto b = parse_hex(value);
  if (!b) throw std::invalid_argument(f.name + ": '" + value + "' is not hex (or @FILE)");
  return *b;
}

uint32_t number_value(const Field& f, const std::string& value) {
  size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(value, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || v > 0xFFFF'FFFFull)
    throw std::invalid_argument(f.name + ": '" + value + "' is not a 32-bit number");
  return static_cast<uint32_t>(v);
}

std::string kind_text(const Field& f) {
  switch (f.kind) {
    case Kind::U32: return "u32";
    case Kind::Size: return "u32, filled in";
    case Kind::Bytes: return std::to_string(f.size) + " bytes";
    case Kind::Words: return std::to_string(f.size / 4) + " words";
    case Kind::Text: return "text, " + std::to_string(f.size) + " bytes";
    case Kind::Digests: return std::to_string(f.size / 48) + " x 48 bytes";
    case Kind::Var: return "up to " + std::to_string(f.size) + " bytes";
    case Kind::Rest: return "bytes";
  }
  return "";
}

}  // namespace

const char* to_string(Gen g) { return g == Gen::V1 ? "1.x" : "2.x"; }

const std::vector<Command>& catalog() {
  static const std::vector<Command> c = build_catalog();
  return c;
}

const Command* find(std::string_view name, Gen gen) {
  for (const auto& c : catalog()) {
    if (c.gen != gen) continue;
    if (same_name(c.name, name)) return &c;
    for (const auto& a : c.aliases)
      if (same_name(a, name)) return &c;
  }
  return nullptr;
}

const Command* find(uint32_t code, Gen gen) {
  for (const auto& c : catalog())
    if (c.gen == gen && c.code == code) return &c;
  return nullptr;
}

uint32_t checksum(uint32_t cmd, std::span<const uint8_t> data) {
  uint32_t sum = 0;
  for (int i = 0; i < 4; ++i) sum += (cmd >> (8 * i)) & 0xFF;
  for (uint8_t b : data) sum += b;
  return 0u - sum;
}

void fill_checksum(uint32_t cmd, std::vector<uint8_t>& payload) {
  if (payload.size() < 4) payload.resize(4, 0);
  const uint32_t sum = checksum(cmd, std::span<const uint8_t>(payload).subspan(4));
  for (int i = 0; i < 4; ++i) payload[i] = static_cast<uint8_t>(sum >> (8 * i));
}

std::string describe_fields(const std::vector<Field>& fields) {
  std::string s;
  for (const auto& f : fields) {
    if (f.kind == Kind::Size) continue;
    if (!s.empty()) s += ", ";
    s += f.name + " (" + kind_text(f) + ")";
  }
  return s.empty() ? "-" : s;
}

std::vector<uint8_t> build_request(const Command& c, const std::vector<std::string>& args) {
  std::map<std::string, std::string> given;
  for (const auto& a : args) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) throw std::invalid_argument("'" + a + "': expected name=value");
    const std::string name = a.substr(0, eq);
    const bool known = std::any_of(c.request.begin(), c.request.end(),
                                   [&](const Field& f) { return f.name == name && f.kind != Kind::Size; });
    if (!known)
      throw std::invalid_argument(c.name + " has no field '" + name + "' (fields: " + describe_fields(c.request) + ")");
    given[name] = a.substr(eq + 1);
  }
  std::vector<uint8_t> out;
  if (c.checksum) out.resize(4, 0);
  std::map<std::string, size_t> size_slots;  // Var name -> offset of its Size field
  for (const auto& f : c.request) {
    const auto it = given.find(f.name);
    const std::string value = it == given.end() ? std::string() : it->second;
    switch (f.kind) {
      case Kind::U32: put_le32(out, value.empty() ? 0 : number_value(f, value)); break;
      case Kind::Size:
        size_slots[f.ref] = out.size();
        put_le32(out, 0);
        break;
      case Kind::Bytes:
      case Kind::Words:
      case Kind::Digests:
      case Kind::Text: {
        std::vector<uint8_t> b = value.empty() ? std::vector<uint8_t>() : byte_value(f, value);
        if (f.kind != Kind::Text && !b.empty() && b.size() != f.size)
          throw std::invalid_argument(f.name + " takes " + std::to_string(f.size) + " bytes, got " +
                                      std::to_string(b.size()));
        if (b.size() > f.size)
          throw std::invalid_argument(f.name + " takes at most " + std::to_string(f.size) + " bytes");
        b.resize(f.size, 0);
        out.insert(out.end(), b.begin(), b.end());
        break;
      }
      case Kind::Var:
      case Kind::Rest: {
        const std::vector<uint8_t> b = value.empty() ? std::vector<uint8_t>() : byte_value(f, value);
        if (f.kind == Kind::Var && b.size() > f.size)
          throw std::invalid_argument(f.name + " takes at most " + std::to_string(f.size) + " bytes, got " +
                                      std::to_string(b.size()));
        if (auto slot = size_slots.find(f.name); slot != size_slots.end())
          for (int i = 0; i < 4; ++i) out[slot->second + i] = static_cast<uint8_t>(b.size() >> (8 * i));
        out.insert(out.end(), b.begin(), b.end());
        break;
      }
    }
  }
  if (c.checksum) fill_checksum(c.code, out);
  return out;
}

// ---- responses ------------------------------------------------------------------------

const char* fips_status_name(uint32_t v) {
  if (v == 0) return "approved";
  if (v == 0x5553'5244) return "not approved (caller-supplied digest)";
  return "unknown";
}

Decoded decode_response(const Command* c, std::span<const uint8_t> p) {
  Decoded d;
  if (!c) {
    // An unknown command: no layout to trust, not even the header.
    if (!p.empty()) d.fields.push_back(Value{"data", Kind::Rest, 0, {p.begin(), p.end()}, {}, {}});
    return d;
  }
  size_t off = 0;
  if (c->checksum) {
    if (p.size() < 8) {
      d.problems.push_back("response of " + std::to_string(p.size()) + " bytes is shorter than its 8-byte header");
      if (!p.empty()) d.fields.push_back(Value{"raw", Kind::Rest, 0, {p.begin(), p.end()}, {}, {}});
      return d;
    }
    d.has_header = true;
    d.chksum = le32(p, 0);
    d.fips_status = le32(p, 4);
    d.checksum_ok = d.chksum == checksum(0, p.subspan(4));
    if (!d.checksum_ok) {
      char msg[96];
      std::snprintf(msg, sizeof msg, "response checksum 0x%08x should be 0x%08x", d.chksum, checksum(0, p.subspan(4)));
      d.problems.push_back(msg);
    }
    off = 8;
  }
  std::map<std::string, uint32_t> sizes;
  for (const auto& f : c->response) {
    const size_t left = p.size() - off;
    Value v;
    v.name = f.name;
    v.kind = f.kind;
    size_t take = f.size;
    if (f.kind == Kind::Rest) take = left;
    if (f.kind == Kind::Var) {
      const auto s = sizes.find(f.name);
      take = s == sizes.end() ? left : s->second;
      if (take > f.size) {
        d.problems.push_back(f.name + " size " + std::to_string(take) + " exceeds its maximum of " +
                             std::to_string(f.size) + " bytes");
        take = std::min<size_t>(take, left);
      }
    }
    if (take > left) {
      d.problems.push_back("response ends after " + std::to_string(p.size()) + " bytes, inside " + f.name +
                           " (needs " + std::to_string(take) + " more from byte " + std::to_string(off) + ")");
      break;
    }
    const auto field = p.subspan(off, take);
    switch (f.kind) {
      case Kind::U32: v.number = le32(field, 0); break;
      case Kind::Size:
        v.number = le32(field, 0);
        sizes[f.ref] = v.number;
        break;
      case Kind::Words:
        for (size_t i = 0; i + 4 <= field.size(); i += 4) v.words.push_back(le32(field, i));
        break;
      case Kind::Text:
        for (uint8_t ch : field)
          if (ch) v.text += std::isprint(ch) ? static_cast<char>(ch) : '?';
        break;
      default: v.bytes.assign(field.begin(), field.end()); break;
    }
    d.fields.push_back(std::move(v));
    off += take;
  }
  if (off < p.size() && d.problems.empty())
    d.problems.push_back(std::to_string(p.size() - off) + " bytes after the last field");
  return d;
}

std::string hex_string(std::span<const uint8_t> b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (uint8_t x : b) {
    s += digits[x >> 4];
    s += digits[x & 15];
  }
  return s;
}

std::optional<std::vector<uint8_t>> parse_hex(std::string_view t) {
  if (t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t.remove_prefix(2);
  std::vector<uint8_t> out;
  int high = -1;
  for (char ch : t) {
    if (ch == ' ' || ch == ':' || ch == '_' || ch == '\n') continue;
    int nib = -1;
    if (ch >= '0' && ch <= '9') nib = ch - '0';
    else if (ch >= 'a' && ch <= 'f') nib = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') nib = ch - 'A' + 10;
    if (nib < 0) return std::nullopt;
    if (high < 0) high = nib;
    else {
      out.push_back(static_cast<uint8_t>(high << 4 | nib));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

namespace {
std::string word_hex(uint32_t w) {
  char b[12];
  std::snprintf(b, sizeof b, "0x%08x", w);
  return b;
}
}  // namespace

nlohmann::json to_json(const Decoded& d) {
  nlohmann::json j = nlohmann::json::object();
  if (d.has_header) {
    j["checksum_ok"] = d.checksum_ok;
    j["fips_status"] = word_hex(d.fips_status);
  }
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& v : d.fields) {
    switch (v.kind) {
      case Kind::U32:
      case Kind::Size: fields[v.name] = v.number; break;
      case Kind::Words: {
        nlohmann::json a = nlohmann::json::array();
        for (uint32_t w : v.words) a.push_back(word_hex(w));
        fields[v.name] = a;
        break;
      }
      case Kind::Text: fields[v.name] = v.text; break;
      case Kind::Digests: {
        nlohmann::json a = nlohmann::json::array();
        for (size_t i = 0; i + 48 <= v.bytes.size(); i += 48)
          a.push_back(hex_string(std::span<const uint8_t>(v.bytes).subspan(i, 48)));
        fields[v.name] = a;
        break;
      }
      default: fields[v.name] = hex_string(v.bytes); break;
    }
  }
  j["fields"] = fields;
  if (!d.problems.empty()) j["problems"] = d.problems;
  return j;
}

std::string to_text(const Decoded& d) {
  std::string s;
  auto line = [&](const std::string& name, const std::string& value) { s += "  " + name + ": " + value + "\n"; };
  auto wrapped = [&](const std::string& name, const std::string& hex) {
    if (hex.size() <= 96) return line(name, hex.empty() ? "-" : hex);
    s += "  " + name + " (" + std::to_string(hex.size() / 2) + " bytes):\n";
    for (size_t i = 0; i < hex.size(); i += 96) s += "    " + hex.substr(i, 96) + "\n";
  };
  if (d.has_header) {
    line("checksum", d.checksum_ok ? "ok" : "BAD");
    line("fips_status", word_hex(d.fips_status) + " (" + fips_status_name(d.fips_status) + ")");
  }
  for (const auto& v : d.fields) {
    switch (v.kind) {
      case Kind::U32:
      case Kind::Size: line(v.name, word_hex(v.number) + " (" + std::to_string(v.number) + ")"); break;
      case Kind::Words: {
        std::string w;
        for (uint32_t x : v.words) w += (w.empty() ? "" : " ") + word_hex(x);
        line(v.name, w);
        break;
      }
      case Kind::Text: line(v.name, "\"" + v.text + "\""); break;
      case Kind::Digests:
        for (size_t i = 0; i + 48 <= v.bytes.size(); i += 48)
          line(v.name + "[" + std::to_string(i / 48) + "]", hex_string(std::span<const uint8_t>(v.bytes).subspan(i, 48)));
        break;
      default: wrapped(v.name, hex_string(v.bytes)); break;
    }
  }
  for (const auto& p : d.problems) s += "  problem: " + p + "\n";
  return s;
}

}  // namespace calemu::server::mbox
