#include "image/inspect.h"

#include <sstream>

#include "crypto/sha.h"
#include "image/bundle.h"
#include "image/manifest_fields.h"
#include "image/soc_manifest.h"

namespace calemu::image {

namespace {

using nlohmann::json;

std::string std_hex(ByteView hw) { return hex(hw_format(hw)); }  // hw-format field as plain hex

json ecc_key_json(ByteView hw96) { return {{"x", std_hex(hw96.first(48))}, {"y", std_hex(hw96.subspan(48, 48))}}; }
json ecc_sig_json(ByteView hw96) { return {{"r", std_hex(hw96.first(48))}, {"s", std_hex(hw96.subspan(48, 48))}}; }

bool all_zero(ByteView b) { return std::all_of(b.begin(), b.end(), [](uint8_t v) { return v == 0; }); }

uint32_t be32(ByteView b, size_t o) {
  return (uint32_t{b[o]} << 24) | (uint32_t{b[o + 1]} << 16) | (uint32_t{b[o + 2]} << 8) | b[o + 3];
}

json pqc_key_json(std::optional<PqcKeyType> t, ByteView field) {
  if (!t) return nullptr;
  const ByteView key = field.first(pqc_public_key_bytes(*t));
  json j{{"sha384", hex(crypto::sha384(key))}};
  if (*t == PqcKeyType::Lms) {
    j["key"] = hex(key);
    j["lms_type"] = be32(key, 0);
    j["lmots_type"] = be32(key, 4);
  }
  return j;
}

json pqc_sig_json(std::optional<PqcKeyType> t, ByteView field) {
  if (!t) return nullptr;
  const ByteView sig = field.first(pqc_signature_bytes(*t));
  if (all_zero(sig)) return json{{"present", false}};
  json j{{"present", true}, {"sha384", hex(crypto::sha384(sig))}};
  if (*t == PqcKeyType::Lms) j["lms_q"] = be32(sig, 0);
  return j;
}

json date_json(ByteView b) {
  if (all_zero(b)) return nullptr;
  std::string s;
  for (uint8_t c : b) s += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
  return s;
}

json toc_json(Generation gen, const ManifestBytes& m, const Field& base, ByteView bundle) {
  const uint32_t offset = m.u32(base.at(toc::offset)), size = m.u32(base.at(toc::size));
  const ByteView stored = m.view(base.at(toc::digest));
  json j{{"id", m.u32(base.at(toc::id))},
         {"type", m.u32(base.at(toc::type))},
         {"revision", hex(m.view(base.at(toc::revision)))},
         {"version", m.u32(base.at(toc::version))},
         {"load_addr", m.u32(base.at(toc::load_addr))},
         {"entry_point", m.u32(base.at(toc::entry_point))},
         {"offset", offset},
         {"size", size},
         {"digest", std_hex(stored)}};
  if (gen == Generation::k1x) j["svn"] = m.u32(base.at(toc::svn_v1));
  const bool inside = uint64_t{offset} + size <= bundle.size();
  j["digest_matches"] = inside && hw_format(crypto::sha384(bundle.subspan(offset, size))) == Bytes(stored.begin(), stored.end());
  return j;
}

json vendor_json_v2(const ManifestBytes& m, std::optional<PqcKeyType> pqc) {
  using namespace cmn2;
  auto hashes = [&](const Field& d, uint32_t slots) {
    json a = json::array();
    const uint32_t n = std::min<uint32_t>(m.u8(d.at(descriptor::count)), slots);
    for (uint32_t i = 0; i < n; ++i)
      a.push_back(std_hex(m.view(Field{"hash", d.offset + descriptor::hashes.offset + i * kDigestBytes, kDigestBytes})));
    return a;
  };
  return {{"ecc_key_descriptor", {{"version", m.u16(ecc_key_descriptor.at(descriptor::version))},
                                  {"key_hash_count", m.u8(ecc_key_descriptor.at(descriptor::count))},
                                  {"key_hashes", hashes(ecc_key_descriptor, kVendorEccKeys)}}},
          {"pqc_key_descriptor", {{"version", m.u16(pqc_key_descriptor.at(descriptor::version))},
                                  {"key_type", m.u8(pqc_key_descriptor.at(descriptor::type_or_reserved))},
                                  {"key_hash_count", m.u8(pqc_key_descriptor.at(descriptor::count))},
                                  {"key_hashes", hashes(pqc_key_descriptor, kVendorLmsKeys)}}},
          {"ecc_key_index", m.u32(vendor_ecc_key_idx)},
          {"pqc_key_index", m.u32(vendor_pqc_key_idx)},
          {"ecc_key", ecc_key_json(m.view(vendor_ecc_active_key))},
          {"pqc_key", pqc_key_json(pqc, m.view(vendor_pqc_active_key))},
          {"ecc_signature", ecc_sig_json(m.view(vendor_ecc_sig))},
          {"pqc_signature", pqc_sig_json(pqc, m.view(vendor_pqc_sig))}};
}

json vendor_json_v1(const ManifestBytes& m) {
  using namespace cman;
  json ecc = json::array(), lms = json::array();
  for (uint32_t i = 0; i < kVendorEccKeys; ++i)
    ecc.push_back(ecc_key_json(m.view(Field{"k", vendor_ecc_pub_keys.offset + i * kEccKeyBytes, kEccKeyBytes})));
  for (uint32_t i = 0; i < kVendorLmsKeys; ++i)
    lms.push_back(hex(m.view(Field{"k", vendor_lms_pub_keys.offset + i * kLmsPublicKeyBytes, kLmsPublicKeyBytes})));
  return {{"ecc_keys", ecc},
          {"lms_keys", lms},
          {"ecc_key_index", m.u32(vendor_ecc_key_idx)},
          {"pqc_key_index", m.u32(vendor_lms_key_idx)},
          {"ecc_signature", ecc_sig_json(m.view(vendor_ecc_sig))},
          {"pqc_signature", pqc_sig_json(PqcKeyType::Lms, m.view(vendor_lms_sig))}};
}

json header_json(Generation gen, const ManifestBytes& m) {
  const ManifestFields& f = manifest_fields(gen);
  json j{{"revision", {m.u32(Field{"r0", f.header.offset, 4}), m.u32(Field{"r1", f.header.offset + 4, 4})}},
         {"ecc_key_index", m.u32(f.header_ecc_key_idx)},
         {"pqc_key_index", m.u32(f.header_pqc_key_idx)},
         {"flags", m.u32(f.header_flags)},
         {"toc_len", m.u32(f.header_toc_len)},
         {"pl0_pauser", m.u32(f.header_pl0_pauser)},
         {"toc_digest", std_hex(m.view(f.header_toc_digest))},
         {"vendor_not_before", date_json(m.view(f.header_vendor_data.at(dates::not_before)))},
         {"vendor_not_after", date_json(m.view(f.header_vendor_data.at(dates::not_after)))},
         {"owner_not_before", date_json(m.view(f.header_owner_data.at(dates::not_before)))},
         {"owner_not_after", date_json(m.view(f.header_owner_data.at(dates::not_after)))}};
  if (gen == Generation::k2x) j["svn"] = m.u32(cmn2::header_svn);
  return j;
}

[[noreturn]] void fail(const std::string& msg) { throw ImageError(msg); }

std::string marker_text(uint32_t marker) {
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>(marker >> (8 * i));
    s += (c >= 0x20 && c < 0x7F) ? c : '.';
  }
  return s;
}

}  // namespace

std::optional<ImageKind> detect_image_kind(ByteView file) {
  if (file.size() < 4) return std::nullopt;
  const uint32_t marker = load_le32(file, 0);
  if (marker == cman::kMarker) return ImageKind::Bundle1x;
  if (marker == cmn2::kMarker) return ImageKind::Bundle2x;
  if (marker == atm2::kMarker) return ImageKind::SocManifest;
  return std::nullopt;
}

ImageKind classify_image(ByteView file, const std::string& what) {
  if (file.size() < 4) fail(what + ": " + std::to_string(file.size()) + " bytes, too short to hold a manifest marker");
  const auto kind = detect_image_kind(file);
  if (!kind)
    fail(what + ": unknown marker " + hex32(load_le32(file, 0)) + " (\"" + marker_text(load_le32(file, 0)) +
         "\"); expected \"CMAN\" (1.x bundle), \"CMN2\" (2.x bundle) or \"ATM2\" (SoC manifest)");
  return *kind;
}

void check_bundle_structure(Generation gen, ByteView b) {
  const ManifestFields& f = manifest_fields(gen);
  const std::string name = gen == Generation::k1x ? "CMAN" : "CMN2";
  if (b.size() < f.manifest_bytes)
    fail("truncated bundle: a " + name + " manifest is " + std::to_string(f.manifest_bytes) + " bytes, the file has " +
         std::to_string(b.size()));
  if (b.size() > f.max_bundle_bytes)
    fail("bundle is " + std::to_string(b.size()) + " bytes; Caliptra " + std::string(generation_name(gen)) +
         " accepts at most " + std::to_string(f.max_bundle_bytes));
  const ManifestBytes m(b, f.manifest_bytes);
  if (m.u32(cman::marker) != f.marker) fail("manifest marker " + hex32(m.u32(cman::marker)) + " is not " + name);
  if (m.u32(f.size) != f.manifest_bytes)
    fail("manifest size field is " + std::to_string(m.u32(f.size)) + "; " + name + " manifests are " +
         std::to_string(f.manifest_bytes) + " bytes");
  if (gen == Generation::k2x && !pqc_from_byte(m.u8(cmn2::pqc_key_type)))
    fail("pqc_key_type " + std::to_string(m.u8(cmn2::pqc_key_type)) + " is neither 1 (ML-DSA) nor 3 (LMS)");
  for (const auto& [base, what] : {std::pair{f.fmc_toc, "FMC"}, std::pair{f.runtime_toc, "runtime"}}) {
    const uint64_t offset = m.u32(base.at(toc::offset)), size = m.u32(base.at(toc::size));
    if (offset + size > b.size())
      fail(std::string(what) + " TOC entry: offset " + std::to_string(offset) + " + size " + std::to_string(size) +
           " lies beyond the file's " + std::to_string(b.size()) + " bytes");
  }
}

json describe_bundle(Generation gen, ByteView b) {
  const ManifestFields& f = manifest_fields(gen);
  const ManifestBytes m(b, f.manifest_bytes);
  const std::optional<PqcKeyType> pqc = manifest_pqc(gen, m);
  const PublicKeyHashes fuses = manifest_fuse_hashes(gen, m);
  json j{{"kind", "bundle"},
         {"format", std::string(generation_name(gen))},
         {"marker", marker_text(f.marker)},
         {"file_bytes", b.size()},
         {"manifest_bytes", f.manifest_bytes},
         {"pqc_key_type", pqc ? json(std::string(pqc_name(*pqc))) : json(nullptr)},
         {"vendor", gen == Generation::k2x ? vendor_json_v2(m, pqc) : vendor_json_v1(m)},
         {"owner", {{"ecc_key", ecc_key_json(m.view(f.owner_ecc_pub_key))},
                    {"pqc_key", pqc_key_json(pqc, m.view(f.owner_pqc_pub_key))},
                    {"ecc_signature", ecc_sig_json(m.view(f.owner_ecc_sig))},
                    {"pqc_signature", pqc_sig_json(pqc, m.view(f.owner_pqc_sig))}}},
         {"header", header_json(gen, m)},
         {"fmc", toc_json(gen, m, f.fmc_toc, b)},
         {"runtime", toc_json(gen, m, f.runtime_toc, b)},
         {"toc_digest_matches", hw_format(crypto::sha384(m.view(f.tocs))) == Bytes(m.view(f.header_toc_digest).begin(), m.view(f.header_toc_digest).end())},
         {"fuses", {{"vendor_pk_hash", words_hex(fuses.vendor)}, {"owner_pk_hash", words_hex(fuses.owner)}}}};
  if (gen == Generation::k2x) j["pqc_key_type_value"] = m.u8(cmn2::pqc_key_type);
  return j;
}

json describe_soc_manifest(ByteView bytes) {
  const SocManifestInfo info = parse_soc_manifest(bytes);
  json entries = json::array();
  for (const auto& e : info.entries)
    entries.push_back({{"fw_id", e.fw_id},
                       {"component_id", e.component_id},
                       {"classification", e.classification},
                       {"flags", e.flags},
                       {"load_addr", e.load_addr},
                       {"staging_addr", e.staging_addr},
                       {"digest", hex(e.digest)}});
  return {{"kind", "soc_manifest"},
          {"format", "2.x"},
          {"marker", "ATM2"},
          {"file_bytes", bytes.size()},
          {"version", info.version},
          {"svn", info.svn},
          {"flags", info.flags},
          {"vendor_signature_required", (info.flags & atm2::kFlagVendorSignatureRequired) != 0},
          {"vendor_ecc_key", ecc_key_json(bytes.subspan(atm2::vendor_pub_keys.offset, kEccKeyBytes))},
          {"owner_ecc_key", ecc_key_json(bytes.subspan(atm2::owner_pub_keys.offset, kEccKeyBytes))},
          {"entries", entries}};
}

// ---- text rendering ----

namespace {

std::string addr(const json& v) { return hex32(v.get<uint32_t>()); }
std::string opt(const json& v) { return v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump(); }

void render_key_block(std::ostringstream& o, const char* who, const json& k) {
  if (k.contains("ecc_key")) o << "  " << who << " ECC key      x " << k["ecc_key"]["x"].get<std::string>() << "\n"
                               << "                    y " << k["ecc_key"]["y"].get<std::string>() << "\n";
  if (k.contains("pqc_key") && !k["pqc_key"].is_null())
    o << "  " << who << " PQC key      sha384 " << k["pqc_key"]["sha384"].get<std::string>() << "\n";
  o << "  " << who << " ECC sig      r " << k["ecc_signature"]["r"].get<std::string>() << "\n";
  if (!k["pqc_signature"].is_null()) {
    const json& s = k["pqc_signature"];
    o << "  " << who << " PQC sig      " << (s["present"].get<bool>() ? "present" : "ABSENT");
    if (s.contains("lms_q")) o << " (LMS leaf q = " << s["lms_q"].get<uint32_t>() << ")";
    o << "\n";
  }
}

void render_toc(std::ostringstream& o, const char* name, const json& t) {
  o << name << ": load " << addr(t["load_addr"]) << ", entry " << addr(t["entry_point"]) << ", " << t["size"].get<uint32_t>()
    << " bytes at offset " << t["offset"].get<uint32_t>() << ", version " << hex32(t["version"].get<uint32_t>());
  if (t.contains("svn")) o << ", svn " << t["svn"].get<uint32_t>();
  o << "\n  digest " << t["digest"].get<std::string>() << (t["digest_matches"].get<bool>() ? "  (matches)" : "  (MISMATCH)") << "\n";
}

std::string render_bundle(const json& d) {
  std::ostringstream o;
  const json &v = d["vendor"], &h = d["header"];
  o << "Caliptra " << d["format"].get<std::string>() << " firmware bundle (\"" << d["marker"].get<std::string>() << "\"), "
    << d["file_bytes"].get<size_t>() << " bytes, manifest " << d["manifest_bytes"].get<uint32_t>() << " bytes\n";
  o << "PQC: " << opt(d["pqc_key_type"]) << "\n\nVendor\n";
  if (v.contains("ecc_key_descriptor"))
    o << "  key descriptors  " << v["ecc_key_descriptor"]["key_hash_count"].get<uint32_t>() << " ECC, "
      << v["pqc_key_descriptor"]["key_hash_count"].get<uint32_t>() << " PQC (type " << v["pqc_key_descriptor"]["key_type"].get<uint32_t>() << ")\n";
  else
    o << "  keys             4 ECC, 32 LMS slots\n";
  o << "  active keys      ECC " << v["ecc_key_index"].get<uint32_t>() << ", PQC " << v["pqc_key_index"].get<uint32_t>() << "\n";
  render_key_block(o, "vendor", v);
  o << "\nOwner\n";
  render_key_block(o, "owner ", d["owner"]);
  o << "\nHeader\n  key indices ECC " << h["ecc_key_index"].get<uint32_t>() << ", PQC " << h["pqc_key_index"].get<uint32_t>()
    << "; flags " << hex32(h["flags"].get<uint32_t>()) << "; pl0_pauser " << hex32(h["pl0_pauser"].get<uint32_t>())
    << "; toc_len " << h["toc_len"].get<uint32_t>();
  if (h.contains("svn")) o << "; svn " << h["svn"].get<uint32_t>();
  o << "\n  vendor validity " << opt(h["vendor_not_before"]) << " .. " << opt(h["vendor_not_after"])
    << "; owner validity " << opt(h["owner_not_before"]) << " .. " << opt(h["owner_not_after"]) << "\n";
  o << "  toc_digest " << h["toc_digest"].get<std::string>() << (d["toc_digest_matches"].get<bool>() ? "  (matches)" : "  (MISMATCH)") << "\n\n";
  render_toc(o, "FMC", d["fmc"]);
  render_toc(o, "Runtime", d["runtime"]);
  o << "\nFuse values for these keys (program these words):\n"
    << "  vendor public key hash  " << d["fuses"]["vendor_pk_hash"].get<std::string>() << "\n"
    << "  owner public key hash   " << d["fuses"]["owner_pk_hash"].get<std::string>() << "\n";
  return o.str();
}

std::string render_soc(const json& d) {
  std::ostringstream o;
  o << "Caliptra 2.x SoC manifest (\"ATM2\"), " << d["file_bytes"].get<size_t>() << " bytes: version " << d["version"].get<uint32_t>()
    << ", svn " << d["svn"].get<uint32_t>() << ", flags " << hex32(d["flags"].get<uint32_t>())
    << (d["vendor_signature_required"].get<bool>() ? " (vendor signature required)" : "") << "\n";
  o << d["entries"].size() << " image(s):\n";
  for (const auto& e : d["entries"])
    o << "  fw_id " << e["fw_id"].get<uint32_t>() << "  component " << hex32(e["component_id"].get<uint32_t>()) << "  flags "
      << hex32(e["flags"].get<uint32_t>()) << "  load 0x" << std::hex << e["load_addr"].get<uint64_t>() << "  staging 0x"
      << e["staging_addr"].get<uint64_t>() << std::dec << "\n    digest " << e["digest"].get<std::string>() << "\n";
  return o.str();
}

}  // namespace

std::string render_description(const json& d) {
  return d.value("kind", "") == "soc_manifest" ? render_soc(d) : render_bundle(d);
}

}  // namespace calemu::image
