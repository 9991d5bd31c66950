#include "image/bundle.h"

#include <algorithm>
#include <cctype>

#include "crypto/sha.h"
#include "image/lms_sign.h"
#include "image/manifest_fields.h"
#include "image/signatures.h"

namespace calemu::image {

namespace {

constexpr uint32_t kPl0PauserFlag = 1u << 0;  // header.flags bit 0 (spec §1.2)
constexpr uint32_t kImageAlignment = 256;     // 2.x bundles are padded to this (spec §1.1)
constexpr uint32_t kMaxFmcSvn1x = 32, kMaxRuntimeSvn1x = 128;

[[noreturn]] void fail(const std::string& msg) { throw ImageError(msg); }

void write_digest_hw(ManifestBytes& m, uint32_t offset, const char* name, ByteView data) {
  m.set(Field{name, offset, kDigestBytes}, hw_format(crypto::sha384(data)));
}

void write_vendor_keys_v2(ManifestBytes& m, PqcKeyType pqc, const KeySet& keys, uint32_t ecc_idx, uint32_t pqc_idx) {
  using namespace cmn2;
  const Field ecc = ecc_key_descriptor, pq = pqc_key_descriptor;
  const uint32_t ecc_count = static_cast<uint32_t>(keys.vendor_ecc.size());
  m.set_u16(ecc.at(descriptor::version), kKeyDescriptorVersion);
  m.set_u8(ecc.at(descriptor::count), static_cast<uint8_t>(ecc_count));
  for (uint32_t i = 0; i < ecc_count; ++i)
    write_digest_hw(m, ecc.offset + descriptor::hashes.offset + i * kDigestBytes, "ecc_key_hash", keys.vendor_ecc[i].manifest_bytes());

  const uint32_t pqc_count = pqc == PqcKeyType::Lms ? kVendorLmsKeys : static_cast<uint32_t>(keys.vendor_mldsa.size());
  m.set_u16(pq.at(descriptor::version), kKeyDescriptorVersion);
  m.set_u8(pq.at(descriptor::type_or_reserved), static_cast<uint8_t>(pqc));
  m.set_u8(pq.at(descriptor::count), static_cast<uint8_t>(pqc_count));
  for (uint32_t i = 0; i < pqc_count; ++i) {
    const Bytes pub = pqc == PqcKeyType::Lms ? vendor_lms_slot(keys, i).pub : keys.vendor_mldsa[i].pub;
    write_digest_hw(m, pq.offset + descriptor::hashes.offset + i * kDigestBytes, "pqc_key_hash", pub);
  }

  m.set_u32(vendor_ecc_key_idx, ecc_idx);
  if (ecc_idx < ecc_count) m.set(vendor_ecc_active_key, keys.vendor_ecc[ecc_idx].manifest_bytes());
  m.set_u32(vendor_pqc_key_idx, pqc_idx);
  if (pqc_idx < pqc_count)
    m.set(vendor_pqc_active_key, pqc == PqcKeyType::Lms ? vendor_lms_slot(keys, pqc_idx).pub : keys.vendor_mldsa[pqc_idx].pub);
}

void write_vendor_keys_v1(ManifestBytes& m, const KeySet& keys, uint32_t ecc_idx, uint32_t lms_idx) {
  using namespace cman;
  for (uint32_t i = 0; i < keys.vendor_ecc.size() && i < kVendorEccKeys; ++i)
    m.set(Field{"vendor_ecc_pub_key", vendor_ecc_pub_keys.offset + i * kEccKeyBytes, kEccKeyBytes}, keys.vendor_ecc[i].manifest_bytes());
  if (!keys.vendor_lms.empty())
    for (uint32_t i = 0; i < kVendorLmsKeys; ++i)
      m.set(Field{"vendor_lms_pub_key", vendor_lms_pub_keys.offset + i * kLmsPublicKeyBytes, kLmsPublicKeyBytes},
            vendor_lms_slot(keys, i).pub);
  m.set_u32(vendor_ecc_key_idx, ecc_idx);
  m.set_u32(vendor_lms_key_idx, lms_idx);
}

void write_owner_keys(ManifestBytes& m, Generation gen, PqcKeyType pqc, const KeySet& keys) {
  const ManifestFields& f = manifest_fields(gen);
  if (keys.owner_ecc) m.set(f.owner_ecc_pub_key, keys.owner_ecc->manifest_bytes());
  if (pqc == PqcKeyType::Lms && keys.owner_lms) m.set(f.owner_pqc_pub_key, keys.owner_lms->pub);
  if (pqc == PqcKeyType::MlDsa && keys.owner_mldsa) m.set(f.owner_pqc_pub_key, keys.owner_mldsa->pub);
}

Bytes date_field(const std::string& date, const std::string& what) {
  if (date.empty()) return Bytes(15, 0);
  const bool ok = date.size() == 14 && std::all_of(date.begin(), date.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!ok) fail(what + " '" + date + "' is not YYYYMMDDHHMMSS (14 digits)");
  Bytes b(date.begin(), date.end());
  b.push_back('Z');
  return b;
}

void write_dates(ManifestBytes& m, Field block, const std::string& not_before, const std::string& not_after, const std::string& who) {
  m.set(block.at(dates::not_before), date_field(not_before, who + " not-before date"));
  m.set(block.at(dates::not_after), date_field(not_after, who + " not-after date"));
}

void write_toc(ManifestBytes& m, Generation gen, Field base, uint32_t id, const FirmwareImage& img, uint32_t offset) {
  m.set_u32(base.at(toc::id), id);
  m.set_u32(base.at(toc::type), toc::kTypeExecutable);
  m.set(base.at(toc::revision), img.revision);
  m.set_u32(base.at(toc::version), img.version);
  if (gen == Generation::k1x) m.set_u32(base.at(toc::svn_v1), img.svn);
  m.set_u32(base.at(toc::load_addr), img.exe.load_addr);
  m.set_u32(base.at(toc::entry_point), img.exe.entry_point);
  m.set_u32(base.at(toc::offset), offset);
  m.set_u32(base.at(toc::size), static_cast<uint32_t>(img.exe.content.size()));
  m.set(base.at(toc::digest), hw_format(crypto::sha384(img.exe.content)));
}

// ---- validation of a spec against what every ROM requires ----

void check_executable(const FirmwareImage& img, const char* what, Generation gen) {
  const Executable& e = img.exe;
  const MemoryRange iccm = iccm_range(gen);
  const std::string range = hex32(iccm.base) + ".." + hex32(iccm.base + iccm.size - 1);
  if (e.content.empty()) fail(std::string(what) + " is empty");
  if (e.load_addr % 4) fail(std::string(what) + " load address " + hex32(e.load_addr) + " is not 4-byte aligned");
  if (!iccm.contains(e.load_addr) || e.content.size() > iccm.base + iccm.size - e.load_addr)
    fail(std::string(what) + " loads at " + hex32(e.load_addr) + ".." + hex32(e.load_addr + static_cast<uint32_t>(e.content.size()) - 1) +
         ", outside ICCM " + range + "; link it into ICCM");
  if (!iccm.contains(e.entry_point) || e.entry_point % 4)
    fail(std::string(what) + " entry point " + hex32(e.entry_point) + " is not a 4-byte aligned ICCM address (" + range + ")");
}

void check_keys(const BundleSpec& s, const KeySet& keys) {
  const bool v1 = s.generation == Generation::k1x;
  const size_t ecc_count = keys.vendor_ecc.size();
  if (s.vendor_ecc_key_idx >= ecc_count)
    fail("vendor ECC key " + std::to_string(s.vendor_ecc_key_idx) + " does not exist: " + keys.dir + " has " +
         std::to_string(ecc_count) + " (0.." + std::to_string(ecc_count - 1) + ")");
  if (s.pqc == PqcKeyType::Lms || v1) {
    if (keys.vendor_lms.empty()) fail(keys.dir + ": no vendor LMS keys (vendor_lms_0_pub.pem, ...)");
    if (s.vendor_pqc_key_idx >= cmn2::kVendorLmsKeys)
      fail("vendor LMS key " + std::to_string(s.vendor_pqc_key_idx) + " is out of range 0..31");
  } else if (s.vendor_pqc_key_idx >= keys.vendor_mldsa.size()) {
    fail("vendor ML-DSA key " + std::to_string(s.vendor_pqc_key_idx) + " does not exist: " + keys.dir + " has " +
         std::to_string(keys.vendor_mldsa.size()));
  }
  if (!s.owner) return;
  const bool pqc_owner = (s.pqc == PqcKeyType::Lms || v1) ? keys.owner_lms.has_value() : keys.owner_mldsa.has_value();
  if (!keys.owner_ecc || !pqc_owner)
    fail(keys.dir + ": owner keys missing (owner_ecc_*.pem and owner_" + std::string(s.pqc == PqcKeyType::Lms || v1 ? "lms" : "mldsa") +
         "_*.pem); every Caliptra ROM requires owner signatures");
}

void check_spec(const BundleSpec& s, const KeySet& keys) {
  const bool v1 = s.generation == Generation::k1x;
  check_executable(s.fmc, "FMC", s.generation);
  check_executable(s.runtime, "runtime", s.generation);
  const Executable &f = s.fmc.exe, &r = s.runtime.exe;
  if (f.load_addr < r.load_addr + r.content.size() && r.load_addr < f.load_addr + f.content.size())
    fail("FMC (" + hex32(f.load_addr) + ", " + std::to_string(f.content.size()) + " bytes) and runtime (" + hex32(r.load_addr) +
         ", " + std::to_string(r.content.size()) + " bytes) load ranges overlap");
  const uint64_t total = uint64_t{manifest_bytes(s.generation)} + f.content.size() + r.content.size();
  if (total > max_bundle_bytes(s.generation))
    fail("bundle would be " + std::to_string(total) + " bytes; Caliptra " + std::string(generation_name(s.generation)) +
         " accepts at most " + std::to_string(max_bundle_bytes(s.generation)));
  if (v1 && s.fmc.svn > kMaxFmcSvn1x) fail("FMC SVN " + std::to_string(s.fmc.svn) + " exceeds the 1.x maximum of 32");
  if (v1 && s.runtime.svn > kMaxRuntimeSvn1x) fail("runtime SVN " + std::to_string(s.runtime.svn) + " exceeds the 1.x maximum of 128");
  if (!v1 && s.svn > cmn2::kMaxFirmwareSvn) fail("SVN " + std::to_string(s.svn) + " exceeds the 2.x maximum of 128");
  check_keys(s, keys);
}

// Spec §1.4 / §1.7 test values: the fuse hashes of Caliptra's published test keys.
struct KnownHash {
  Generation gen;
  PqcKeyType pqc;
  const char* vendor;
  const char* owner;
};
constexpr KnownHash kTestKeyHashes[] = {
    {Generation::k2x, PqcKeyType::MlDsa,
     "30399676a17e3e973677b3ff862f4bf2d1932d884778453c376fe00dc93fb8aa0770f3ebf3411a0853e9c57ece8a2980",
     "48afdb073c5e0d4ee46490468ef81f2cf57249b6e76a28f5fca4de696a7d3e2ed3efc4e6774318543e95307a54988bd7"},
    {Generation::k2x, PqcKeyType::Lms,
     "b17ca877666657ccd100e6926c7206b60c995cb68992c6c9baefce728af05441dee1ff415adfc187e1e4edb4d3b2d909",
     "1b179390e4e6c44422ed553e256c7d675cd93190cb49d88d485aa4ef3906cd492ab3ee3d3ba5f2c990ad13390fed4de5"},
    {Generation::k1x, PqcKeyType::Lms,
     "53845724676e5e2f649d2c018e25c4fb80c2c28fcb6d6e93fb7cf908930a9953a9c69c3383aea9fd5573cb3db1ae0c3b",
     "421275a87a71acf434b4f1076acdd68377d0a315f9e2a29b26b398913e89ff33006c10dcc4f1bd7467f1e2c41b0a893a"},
};

}  // namespace

Executable executable_from_elf(const ElfImage& elf, const std::string& what, uint32_t max_bytes) {
  uint32_t lo = UINT32_MAX;
  uint64_t hi = 0;
  for (const auto& s : elf.segments) {
    if (s.data.empty()) continue;  // .bss-like segments carry no bytes
    lo = std::min(lo, s.paddr);
    hi = std::max(hi, uint64_t{s.paddr} + s.data.size());
  }
  if (hi == 0) fail(what + ": no loadable bytes");
  if (hi - lo > max_bytes)
    fail(what + ": loadable segments span " + hex32(lo) + ".." + hex32(static_cast<uint32_t>(hi - 1)) + " (" +
         std::to_string(hi - lo) + " bytes), more than a bundle can hold; link initialized data with AT> into ICCM");
  Executable e;
  e.load_addr = lo;
  e.entry_point = elf.entry;
  e.content.assign(static_cast<size_t>(hi - lo), 0);
  for (const auto& s : elf.segments)
    std::copy(s.data.begin(), s.data.end(), e.content.begin() + (s.paddr - lo));
  return e;
}

uint32_t manifest_bytes(Generation gen) { return manifest_fields(gen).manifest_bytes; }
uint32_t max_bundle_bytes(Generation gen) { return manifest_fields(gen).max_bundle_bytes; }
uint32_t manifest_marker(Generation gen) { return manifest_fields(gen).marker; }

MemoryRange iccm_range(Generation gen) {
  return {0x4000'0000u, gen == Generation::k1x ? 128u * 1024 : 256u * 1024};
}

ManifestBytes unsigned_manifest(const BundleSpec& s, const KeySet& keys) {
  const Generation gen = s.generation;
  const ManifestFields& f = manifest_fields(gen);
  const PqcKeyType pqc = gen == Generation::k1x ? PqcKeyType::Lms : s.pqc;
  ManifestBytes m(f.manifest_bytes);
  m.set_u32(cman::marker, f.marker);
  m.set_u32(f.size, f.manifest_bytes);
  if (gen == Generation::k2x) {
    m.set_u8(cmn2::pqc_key_type, static_cast<uint8_t>(pqc));
    write_vendor_keys_v2(m, pqc, keys, s.vendor_ecc_key_idx, s.vendor_pqc_key_idx);
  } else {
    write_vendor_keys_v1(m, keys, s.vendor_ecc_key_idx, s.vendor_pqc_key_idx);
  }
  if (s.owner) write_owner_keys(m, gen, pqc, keys);

  const Field header_revision{"header.revision", f.header.offset, 8};
  m.set_u32(Field{"revision0", header_revision.offset, 4}, s.header_revision[0]);
  m.set_u32(Field{"revision1", header_revision.offset + 4, 4}, s.header_revision[1]);
  m.set_u32(f.header_ecc_key_idx, s.vendor_ecc_key_idx);
  m.set_u32(f.header_pqc_key_idx, s.vendor_pqc_key_idx);
  m.set_u32(f.header_flags, s.pl0_pauser ? kPl0PauserFlag : 0);
  m.set_u32(f.header_toc_len, 2);
  m.set_u32(f.header_pl0_pauser, s.pl0_pauser.value_or(0));
  if (gen == Generation::k2x) m.set_u32(cmn2::header_svn, s.svn);
  write_dates(m, f.header_vendor_data, s.vendor_not_before, s.vendor_not_after, "vendor");
  write_dates(m, f.header_owner_data, s.owner_not_before, s.owner_not_after, "owner");

  const uint32_t fmc_offset = f.manifest_bytes;
  write_toc(m, gen, f.fmc_toc, toc::kIdFmc, s.fmc, fmc_offset);
  write_toc(m, gen, f.runtime_toc, toc::kIdRuntime, s.runtime, fmc_offset + static_cast<uint32_t>(s.fmc.exe.content.size()));
  update_toc_digest(m, gen);
  return m;
}

void update_toc_digest(ManifestBytes& m, Generation gen) {
  const ManifestFields& f = manifest_fields(gen);
  m.set(f.header_toc_digest, hw_format(crypto::sha384(m.view(f.tocs))));
}

void sign_manifest(ManifestBytes& m, Generation gen, const KeySet& keys, bool owner, std::optional<uint32_t> lms_leaf) {
  const ManifestFields& f = manifest_fields(gen);
  const std::optional<PqcKeyType> pqc = manifest_pqc(gen, m);
  if (!pqc) fail("manifest has an invalid pqc_key_type; cannot sign it");
  const Bytes header(m.view(f.header).begin(), m.view(f.header).end());
  const ByteView vendor_part = ByteView(header).first(f.vendor_signed_header_bytes);
  const Bytes vendor_digest = crypto::sha384(vendor_part), owner_digest = crypto::sha384(header);

  const uint32_t ecc_idx = m.u32(f.vendor_ecc_key_idx), pqc_idx = m.u32(f.vendor_pqc_key_idx);
  if (ecc_idx >= keys.vendor_ecc.size()) fail("no vendor ECC key " + std::to_string(ecc_idx) + " to sign with");
  m.set(f.vendor_ecc_sig, ecc_sign(keys.vendor_ecc[ecc_idx], vendor_digest));
  if (*pqc == PqcKeyType::Lms) {
    m.set(f.vendor_pqc_sig, lms_sign_image(vendor_lms_slot(keys, pqc_idx), vendor_digest, lms_leaf));
  } else {
    if (pqc_idx >= keys.vendor_mldsa.size()) fail("no vendor ML-DSA key " + std::to_string(pqc_idx) + " to sign with");
    m.set(f.vendor_pqc_sig, mldsa_sign(keys.vendor_mldsa[pqc_idx], vendor_part));
  }
  if (!owner) return;
  if (!keys.owner_ecc) fail(keys.dir + ": no owner ECC key to sign with");
  m.set(f.owner_ecc_sig, ecc_sign(*keys.owner_ecc, owner_digest));
  if (*pqc == PqcKeyType::Lms) {
    if (!keys.owner_lms) fail(keys.dir + ": no owner LMS key to sign with");
    m.set(f.owner_pqc_sig, lms_sign_image(*keys.owner_lms, owner_digest, lms_leaf));
  } else {
    if (!keys.owner_mldsa) fail(keys.dir + ": no owner ML-DSA key to sign with");
    m.set(f.owner_pqc_sig, mldsa_sign(*keys.owner_mldsa, header));
  }
}

Bytes assemble_bundle(const ManifestBytes& m, ByteView fmc, ByteView runtime, Generation gen) {
  Bytes out = m.bytes();
  out.insert(out.end(), fmc.begin(), fmc.end());
  out.insert(out.end(), runtime.begin(), runtime.end());
  if (gen == Generation::k2x) out.resize((out.size() + kImageAlignment - 1) / kImageAlignment * kImageAlignment, 0);
  return out;
}

Bytes build_bundle(const BundleSpec& spec, const KeySet& keys) {
  // Images are zero-padded to whole words: the ROM reads them from mailbox SRAM with word
  // loads at their TOC offsets, and a runtime at an unaligned offset faults (ROM 1.1.1 raises
  // ROM_GLOBAL_EXCEPTION on the misaligned load).
  BundleSpec s = spec;
  for (FirmwareImage* img : {&s.fmc, &s.runtime}) img->exe.content.resize((img->exe.content.size() + 3) / 4 * 4, 0);
  check_spec(s, keys);
  ManifestBytes m = unsigned_manifest(s, keys);
  sign_manifest(m, s.generation, keys, s.owner, s.lms_leaf);
  return assemble_bundle(m, s.fmc.exe.content, s.runtime.exe.content, s.generation);
}

PublicKeyHashes manifest_fuse_hashes(Generation gen, const ManifestBytes& m) {
  const ManifestFields& f = manifest_fields(gen);
  PublicKeyHashes h;
  h.vendor = digest_words(crypto::sha384(m.view(f.vendor_pk_hash_input)));
  h.owner = digest_words(crypto::sha384(m.view(f.owner_pk_hash_input)));
  h.has_owner = true;
  return h;
}

PublicKeyHashes key_fuse_hashes(Generation gen, PqcKeyType pqc, const KeySet& keys) {
  const ManifestFields& f = manifest_fields(gen);
  if (gen == Generation::k1x) pqc = PqcKeyType::Lms;
  if (pqc == PqcKeyType::Lms && keys.vendor_lms.empty()) fail(keys.dir + ": no vendor LMS keys");
  if (pqc == PqcKeyType::MlDsa && keys.vendor_mldsa.empty()) fail(keys.dir + ": no vendor ML-DSA keys");
  ManifestBytes m(f.manifest_bytes);
  if (gen == Generation::k2x) write_vendor_keys_v2(m, pqc, keys, 0, 0);
  else write_vendor_keys_v1(m, keys, 0, 0);
  write_owner_keys(m, gen, pqc, keys);
  PublicKeyHashes h = manifest_fuse_hashes(gen, m);
  h.has_owner = keys.owner_ecc && (pqc == PqcKeyType::Lms ? keys.owner_lms.has_value() : keys.owner_mldsa.has_value());
  if (!h.has_owner) h.owner = {};
  return h;
}

bool uses_caliptra_test_keys(const KeySet& keys) {
  for (const KnownHash& k : kTestKeyHashes) {
    if (k.pqc == PqcKeyType::Lms ? keys.vendor_lms.empty() : keys.vendor_mldsa.empty()) continue;
    const PublicKeyHashes h = key_fuse_hashes(k.gen, k.pqc, keys);
    if (words_hex(h.vendor) == words_hex(*parse_digest_words(k.vendor))) return true;
    if (h.has_owner && words_hex(h.owner) == words_hex(*parse_digest_words(k.owner))) return true;
  }
  return false;
}

}  // namespace calemu::image
