// calemu image: create, inspect and verify Caliptra firmware bundles; print fuse values.
// A thin layer over src/image: argument parsing, key-directory lookup, messages, exit codes.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/caliptra_errors.h"
#include "common/elf.h"
#include "crypto/sha.h"
#include "image/bundle.h"
#include "image/inspect.h"
#include "image/keys.h"
#include "image/manifest_fields.h"
#include "image/soc_manifest.h"
#include "image/verify.h"

namespace calemu::cli {

namespace {

namespace img = calemu::image;
namespace fs = std::filesystem;
constexpr int kRejected = 1;  // verify: the ROM would reject the bundle

[[noreturn]] void bad(const std::string& msg) { throw img::ImageError(msg); }

uint64_t parse_number(const std::string& text, const std::string& option, uint64_t max) {
  size_t used = 0;
  uint64_t v = 0;
  try {
    v = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) bad(option + ": '" + text + "' is not a number");
  if (v > max) bad(option + ": " + text + " is out of range (maximum " + std::to_string(max) + ")");
  return v;
}

uint32_t parse_u32(const std::string& text, const std::string& option) {
  return static_cast<uint32_t>(parse_number(text, option, UINT32_MAX));
}

std::optional<uint32_t> parse_opt_u32(const std::string& text, const std::string& option) {
  if (text.empty()) return std::nullopt;
  return parse_u32(text, option);
}

img::Generation parse_format(const std::string& s) {
  if (s == "1.x" || s == "1" || s == "cman") return img::Generation::k1x;
  if (s == "2.x" || s == "2" || s == "cmn2") return img::Generation::k2x;
  bad("--format: '" + s + "' is not 1.x or 2.x");
}

img::PqcKeyType parse_pqc(const std::string& s) {
  if (s == "lms") return img::PqcKeyType::Lms;
  if (s == "mldsa" || s == "ml-dsa") return img::PqcKeyType::MlDsa;
  bad("--pqc: '" + s + "' is not lms or mldsa");
}

std::array<uint8_t, img::kRevisionBytes> parse_revision(const std::string& text, const std::string& option) {
  std::array<uint8_t, img::kRevisionBytes> rev{};
  if (text.empty()) return rev;
  crypto::Bytes b;
  try {
    b = crypto::from_hex(text);
  } catch (const std::exception&) {
    bad(option + ": '" + text + "' is not hex (a git commit id)");
  }
  std::copy_n(b.begin(), std::min(b.size(), rev.size()), rev.begin());
  return rev;
}

crypto::Bytes read_input(const std::string& path) {
  try {
    return read_file(path);
  } catch (const std::exception& e) {
    bad(e.what());
  }
}

void write_output(const std::string& path, const crypto::Bytes& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size())))
    bad(path + ": cannot write");
}

// --key-dir, else ../shared/keys/caliptra-fake from the current directory, else
// $CALEMU_SHARED_DIR/keys/caliptra-fake.
std::string resolve_key_dir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  const fs::path beside = fs::path("..") / "shared" / "keys" / "caliptra-fake";
  if (fs::is_directory(beside)) return beside.string();
  if (const char* shared = std::getenv("CALEMU_SHARED_DIR")) {
    const fs::path p = fs::path(shared) / "keys" / "caliptra-fake";
    if (fs::is_directory(p)) return p.string();
  }
  bad("no key directory: ../shared/keys/caliptra-fake does not exist here and $CALEMU_SHARED_DIR is not set; pass --key-dir");
}

img::KeySet load_keys(const std::string& explicit_dir) {
  img::KeySet keys = img::load_key_dir(resolve_key_dir(explicit_dir));
  if (img::uses_caliptra_test_keys(keys))
    std::fprintf(stderr,
                 "*** WARNING: TEST KEYS *** %s holds Caliptra's published test keys. Anyone can sign images\n"
                 "*** that fuses programmed for these keys accept: never use them in a product.\n",
                 keys.dir.c_str());
  return keys;
}

bool is_elf(const crypto::Bytes& b) { return b.size() >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F'; }

// An ELF (load address and entry from the file) or a raw binary with explicit addresses.
img::Executable load_executable(const std::string& path, const std::string& load, const std::string& entry,
                                img::Generation gen, const std::string& what) {
  const crypto::Bytes bytes = read_input(path);
  if (is_elf(bytes)) {
    if (!load.empty() || !entry.empty()) bad(what + ": " + path + " is an ELF; its load address and entry come from the file");
    return img::executable_from_elf(parse_elf(bytes, path), path, img::max_bundle_bytes(gen));
  }
  if (load.empty())
    bad(what + ": " + path + " is not an ELF; give its load address (--" + what + "-load ADDR, entry defaults to it)");
  img::Executable e;
  e.load_addr = parse_u32(load, "--" + what + "-load");
  e.entry_point = entry.empty() ? e.load_addr : parse_u32(entry, "--" + what + "-entry");
  e.content = bytes;
  return e;
}

template <class F>
int guarded(const char* cmd, F&& body) {
  try {
    return body();
  } catch (const img::ImageError& e) {
    std::fprintf(stderr, "calemu image %s: %s\n", cmd, e.what());
  } catch (const ElfError& e) {
    std::fprintf(stderr, "calemu image %s: %s\n", cmd, e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu image %s: %s\n", cmd, e.what());
  }
  return kUsage;
}

img::Generation generation_of(img::ImageKind k) {
  return k == img::ImageKind::Bundle1x ? img::Generation::k1x : img::Generation::k2x;
}

// ---- create ----

struct CreateOptions {
  std::string format = "2.x", pqc = "lms", fmc, runtime, out, key_dir, owner_key_dir;
  std::string fmc_load, fmc_entry, runtime_load, runtime_entry;
  std::string vendor_key, vendor_ecc_key, vendor_pqc_key, svn = "0", fmc_svn = "0", runtime_svn = "0";
  std::string fmc_version = "0", runtime_version = "0", fmc_rev, runtime_rev, pl0_pauser, lms_leaf;
  std::string vendor_not_before, vendor_not_after, owner_not_before, owner_not_after;
  bool no_owner = false, quiet = false;
};

int run_create(const CreateOptions& o) {
  img::BundleSpec s;
  s.generation = parse_format(o.format);
  s.pqc = parse_pqc(o.pqc);
  if (s.generation == img::Generation::k1x && o.pqc == "mldsa") bad("--pqc mldsa: 1.x bundles carry LMS signatures only");
  s.fmc.exe = load_executable(o.fmc, o.fmc_load, o.fmc_entry, s.generation, "fmc");
  s.runtime.exe = load_executable(o.runtime, o.runtime_load, o.runtime_entry, s.generation, "runtime");
  s.fmc.version = parse_u32(o.fmc_version, "--fmc-version");
  s.runtime.version = parse_u32(o.runtime_version, "--runtime-version");
  s.fmc.revision = parse_revision(o.fmc_rev, "--fmc-rev");
  s.runtime.revision = parse_revision(o.runtime_rev, "--runtime-rev");
  s.fmc.svn = parse_u32(o.fmc_svn, "--fmc-svn");
  s.runtime.svn = parse_u32(o.runtime_svn, "--runtime-svn");
  s.svn = parse_u32(o.svn, "--svn");
  const uint32_t both = o.vendor_key.empty() ? 0 : parse_u32(o.vendor_key, "--vendor-key");
  s.vendor_ecc_key_idx = o.vendor_ecc_key.empty() ? both : parse_u32(o.vendor_ecc_key, "--vendor-ecc-key");
  s.vendor_pqc_key_idx = o.vendor_pqc_key.empty() ? both : parse_u32(o.vendor_pqc_key, "--vendor-pqc-key");
  s.owner = !o.no_owner;
  s.pl0_pauser = parse_opt_u32(o.pl0_pauser, "--pl0-pauser");
  s.lms_leaf = parse_opt_u32(o.lms_leaf, "--lms-leaf");
  s.vendor_not_before = o.vendor_not_before;
  s.vendor_not_after = o.vendor_not_after;
  s.owner_not_before = o.owner_not_before;
  s.owner_not_after = o.owner_not_after;

  img::KeySet keys = load_keys(o.key_dir);
  if (!o.owner_key_dir.empty()) img::load_owner_keys(o.owner_key_dir, keys);
  const crypto::Bytes bundle = img::build_bundle(s, keys);
  write_output(o.out, bundle);
  if (!o.quiet) {
    std::printf("%s: Caliptra %s bundle, %s, %zu bytes (FMC %zu bytes at 0x%08x, runtime %zu bytes at 0x%08x)\n", o.out.c_str(),
                std::string(img::generation_name(s.generation)).c_str(),
                s.generation == img::Generation::k1x ? "ECC + LMS" : (s.pqc == img::PqcKeyType::Lms ? "ECC + LMS" : "ECC + ML-DSA-87"),
                bundle.size(), s.fmc.exe.content.size(), s.fmc.exe.load_addr, s.runtime.exe.content.size(), s.runtime.exe.load_addr);
  }
  if (!s.owner)
    std::fprintf(stderr, "note: no owner signatures; every Caliptra ROM rejects such a bundle "
                         "(0x000B0019 IMAGE_VERIFIER_ERR_OWNER_ECC_PUB_KEY_INVALID_ARG)\n");
  return kOk;
}

// ---- inspect ----

struct InspectOptions {
  std::string file;
  bool json = false;
};

int run_inspect(const InspectOptions& o) {
  const crypto::Bytes bytes = read_input(o.file);
  const img::ImageKind kind = img::classify_image(bytes, o.file);
  nlohmann::json d;
  if (kind == img::ImageKind::SocManifest) {
    d = img::describe_soc_manifest(bytes);
  } else {
    img::check_bundle_structure(generation_of(kind), bytes);
    d = img::describe_bundle(generation_of(kind), bytes);
  }
  if (o.json) std::printf("%s\n", d.dump(2).c_str());
  else std::printf("%s", img::render_description(d).c_str());
  return kOk;
}

// ---- verify ----

struct VerifyOptions {
  std::string file, format, lifecycle = "production", vendor_pk_hash, owner_pk_hash, pqc_fuse;
  std::string ecc_revocation = "0", lms_revocation = "0", mldsa_revocation = "0", fw_svn_fuse = "0", fmc_svn_fuse = "0";
  std::string update_reset_from, fw_bundle, soc_svn_fuse = "0", soc_max_svn = "128";
  bool anti_rollback_disable = false, no_lms_verify = false, json = false, verbose = false;
};

std::array<uint32_t, 4> svn_fuse_words(uint32_t svn) {  // a fuse SVN of n = the lowest n bits set
  std::array<uint32_t, 4> w{};
  for (uint32_t i = 0; i < svn && i < 128; ++i) w[i / 32] |= 1u << (i % 32);
  return w;
}

img::DigestWords hash_option(const std::string& text, const std::string& option, const img::DigestWords& from_bundle) {
  if (text.empty() || text == "bundle") return from_bundle;
  if (text == "0" || text == "none") return {};
  const auto w = img::parse_digest_words(text);
  if (!w) bad(option + ": expected 96 hex digits (12 words), 'bundle' or 'none'");
  return *w;
}

img::FuseState fuses_from(const VerifyOptions& o, img::Generation gen, const crypto::Bytes& bundle) {
  img::FuseState f;
  const auto lc = img::lifecycle_from_name(o.lifecycle);
  if (!lc) bad("--lifecycle: '" + o.lifecycle + "' is not unprovisioned, manufacturing or production");
  f.lifecycle = *lc;
  const img::ManifestBytes m(bundle, img::manifest_bytes(gen));
  const img::PublicKeyHashes own = img::manifest_fuse_hashes(gen, m);
  f.vendor_pk_hash = hash_option(o.vendor_pk_hash, "--vendor-pk-hash", own.vendor);
  f.owner_pk_hash = hash_option(o.owner_pk_hash, "--owner-pk-hash", own.owner);
  const auto bundle_pqc = img::manifest_pqc(gen, m);
  f.pqc_key_type = o.pqc_fuse.empty() ? (bundle_pqc ? static_cast<uint32_t>(*bundle_pqc) : 0)
                                      : static_cast<uint32_t>(parse_pqc(o.pqc_fuse));
  f.ecc_revocation = parse_u32(o.ecc_revocation, "--ecc-revocation");
  f.lms_revocation = parse_u32(o.lms_revocation, "--lms-revocation");
  f.mldsa_revocation = parse_u32(o.mldsa_revocation, "--mldsa-revocation");
  f.firmware_svn = svn_fuse_words(static_cast<uint32_t>(parse_number(o.fw_svn_fuse, "--fw-svn-fuse", 128)));
  f.fmc_svn = svn_fuse_words(static_cast<uint32_t>(parse_number(o.fmc_svn_fuse, "--fmc-svn-fuse", 32)))[0];
  f.anti_rollback_disable = o.anti_rollback_disable;
  f.lms_verify = !o.no_lms_verify;
  return f;
}

img::ColdBootRecord cold_boot_record(const std::string& path, img::Generation gen) {
  const crypto::Bytes old = read_input(path);
  const img::ManifestFields& f = img::manifest_fields(gen);
  const img::ManifestBytes m(old, f.manifest_bytes);
  img::ColdBootRecord r;
  r.vendor_ecc_key_idx = m.u32(f.vendor_ecc_key_idx);
  r.vendor_pqc_key_idx = m.u32(f.vendor_pqc_key_idx);
  r.owner_pk_hash = img::manifest_fuse_hashes(gen, m).owner;
  const img::ByteView fmc_digest = m.view(f.fmc_toc.at(img::toc::digest));
  for (size_t i = 0; i < 12; ++i) r.fmc_digest[i] = img::load_le32(fmc_digest, 4 * i);
  return r;
}

int report(const img::VerifyResult& r, img::Generation gen, const char* what, const VerifyOptions& o, const nlohmann::json& fuses) {
  const std::string name = r.ok() ? "" : describe_error(gen, r.error);
  if (o.json) {
    nlohmann::json j{{"accepted", r.ok()}, {"error", r.error}, {"error_name", r.ok() ? "" : std::string(error_name(gen, r.error).value_or(""))},
                     {"rule", r.rule}, {"passed", r.passed}, {"fuses", fuses}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    if (o.verbose)
      for (const auto& p : r.passed) std::printf("  ok  %s\n", p.c_str());
    if (r.ok()) std::printf("ACCEPTED: the Caliptra %s %s would accept this %s\n", std::string(img::generation_name(gen)).c_str(),
                            std::string(what) == "SoC manifest" ? "runtime" : "ROM", what);
    else std::printf("REJECTED: %s\n  rule: %s\n", name.c_str(), r.rule.c_str());
  }
  return r.ok() ? kOk : kRejected;
}

int run_verify(const VerifyOptions& o) {
  const crypto::Bytes bytes = read_input(o.file);
  const auto kind = img::detect_image_kind(bytes);
  // Without --format the marker decides; an unknown one is reported by name.
  const img::Generation gen = o.format.empty() ? generation_of(img::classify_image(bytes, o.file)) : parse_format(o.format);

  if (kind == img::ImageKind::SocManifest) {
    if (o.fw_bundle.empty()) bad("verifying a SoC manifest needs the firmware bundle it goes with (--fw-bundle BUNDLE)");
    const crypto::Bytes fw = read_input(o.fw_bundle);
    if (img::detect_image_kind(fw) != img::ImageKind::Bundle2x) bad(o.fw_bundle + ": not a 2.x (\"CMN2\") bundle");
    const img::FuseState f = fuses_from(o, img::Generation::k2x, fw);
    img::SocManifestFuses sf;
    sf.soc_manifest_svn = svn_fuse_words(static_cast<uint32_t>(parse_number(o.soc_svn_fuse, "--soc-svn-fuse", 128)));
    sf.soc_manifest_max_svn = parse_u32(o.soc_max_svn, "--soc-max-svn");
    return report(img::verify_soc_manifest(bytes, fw, f, sf), img::Generation::k2x, "SoC manifest", o,
                  {{"lifecycle", std::string(img::lifecycle_name(f.lifecycle))}});
  }

  img::VerifyContext ctx;
  ctx.fuses = fuses_from(o, gen, bytes);
  if (!o.update_reset_from.empty()) ctx.update_reset = cold_boot_record(o.update_reset_from, gen);
  const nlohmann::json fuses{{"lifecycle", std::string(img::lifecycle_name(ctx.fuses.lifecycle))},
                             {"vendor_pk_hash", img::words_hex(ctx.fuses.vendor_pk_hash)},
                             {"owner_pk_hash", img::words_hex(ctx.fuses.owner_pk_hash)},
                             {"pqc_key_type", ctx.fuses.pqc_key_type}};
  if (!o.json && (o.vendor_pk_hash.empty() || o.owner_pk_hash.empty()) && ctx.fuses.lifecycle != img::Lifecycle::Unprovisioned)
    std::printf("note: fuses as programmed for this bundle's own keys; pass --vendor-pk-hash/--owner-pk-hash to check real fuses\n");
  return report(img::verify_bundle(gen, bytes, ctx), gen, "bundle", o, fuses);
}

// ---- fuses ----

struct FusesOptions {
  std::string format = "2.x", pqc = "lms", key_dir, bundle;
  bool json = false, fuse_file = false;
};

std::string fuse_file_words(const img::DigestWords& w) {
  std::string s;
  for (uint32_t v : w) s += " " + img::hex32(v);
  return s;
}

void print_words(const char* reg, uint32_t base, const img::DigestWords& w) {
  std::printf("%s (soc_ifc 0x%03x..0x%03x):\n", reg, base, base + 44);
  for (size_t i = 0; i < w.size(); ++i) std::printf("  [%2zu] 0x%03zx = 0x%08x\n", i, base + 4 * i, w[i]);
}

int run_fuses(const FusesOptions& o) {
  img::Generation gen = parse_format(o.format);
  img::PqcKeyType pqc = parse_pqc(o.pqc);
  img::PublicKeyHashes h;
  if (!o.bundle.empty()) {
    const crypto::Bytes b = read_input(o.bundle);
    const img::ImageKind kind = img::classify_image(b, o.bundle);
    if (kind == img::ImageKind::SocManifest) bad(o.bundle + ": a SoC manifest has no fuse values of its own; give the firmware bundle");
    gen = generation_of(kind);
    img::check_bundle_structure(gen, b);
    const img::ManifestBytes m(b, img::manifest_bytes(gen));
    pqc = img::manifest_pqc(gen, m).value_or(pqc);
    h = img::manifest_fuse_hashes(gen, m);
  } else {
    h = img::key_fuse_hashes(gen, pqc, load_keys(o.key_dir));
  }
  const bool v1 = gen == img::Generation::k1x;
  if (o.fuse_file) {  // the format of `calemu boot --fuses`
    std::printf("# Caliptra %s key hash fuses (calemu image fuses)\nvendor_pk_hash =%s\n", std::string(img::generation_name(gen)).c_str(),
                fuse_file_words(h.vendor).c_str());
    if (h.has_owner) std::printf("owner_pk_hash =%s\n", fuse_file_words(h.owner).c_str());
    if (v1) std::printf("lms_verify = 1\n");
    else std::printf("pqc_key_type = %u\n", static_cast<unsigned>(pqc));
    return kOk;
  }
  if (o.json) {
    nlohmann::json j{{"format", std::string(img::generation_name(gen))},
                     {"vendor_pk_hash", img::words_hex(h.vendor)},
                     {"owner_pk_hash", h.has_owner ? nlohmann::json(img::words_hex(h.owner)) : nlohmann::json(nullptr)}};
    if (!v1) j["pqc_key_type"] = static_cast<uint32_t>(pqc);
    std::printf("%s\n", j.dump(2).c_str());
    return kOk;
  }
  std::printf("Caliptra %s fuse values for %s:\n", std::string(img::generation_name(gen)).c_str(),
              o.bundle.empty() ? "these keys" : o.bundle.c_str());
  print_words(v1 ? "FUSE_KEY_MANIFEST_PK_HASH" : "FUSE_VENDOR_PK_HASH", v1 ? 0x250 : 0x260, h.vendor);
  if (h.has_owner) print_words(v1 ? "FUSE_OWNER_PK_HASH" : "CPTRA_OWNER_PK_HASH (register, lock at 0x170)", v1 ? 0x284 : 0x140, h.owner);
  else std::printf("owner public key hash: no owner keys\n");
  if (v1) std::printf("FUSE_LMS_VERIFY (soc_ifc 0x340) = 1 to have the ROM check LMS signatures too\n");
  else std::printf("FUSE_PQC_KEY_TYPE (soc_ifc 0x38c) = %u (%s)\n", static_cast<unsigned>(pqc), std::string(img::pqc_name(pqc)).c_str());
  return kOk;
}

// ---- soc-manifest ----

struct SocManifestOptions {
  std::string pqc = "lms", key_dir, vendor_key = "0", svn = "0", out, lms_leaf;
  std::vector<std::string> images;
  bool no_vendor_signature = false;
};

img::ImageMetadataEntry parse_image_option(const std::string& text) {
  // FW_ID:FILE[:LOAD_ADDR]
  const size_t c1 = text.find(':');
  if (c1 == std::string::npos) bad("--image: expected FW_ID:FILE[:LOAD_ADDR], got '" + text + "'");
  const size_t c2 = text.find(':', c1 + 1);
  img::ImageMetadataEntry e;
  e.fw_id = parse_u32(text.substr(0, c1), "--image fw_id");
  const std::string file = text.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
  if (c2 != std::string::npos) e.load_addr = parse_number(text.substr(c2 + 1), "--image load address", UINT64_MAX);
  e.digest = crypto::sha384(read_input(file));
  return e;
}

int run_soc_manifest(const SocManifestOptions& o) {
  img::SocManifestSpec s;
  s.pqc = parse_pqc(o.pqc);
  s.svn = parse_u32(o.svn, "--svn");
  s.vendor_ecc_key_idx = s.vendor_pqc_key_idx = parse_u32(o.vendor_key, "--vendor-key");
  s.vendor_signature_required = !o.no_vendor_signature;
  s.lms_leaf = parse_opt_u32(o.lms_leaf, "--lms-leaf");
  for (const auto& i : o.images) s.entries.push_back(parse_image_option(i));
  const crypto::Bytes m = img::build_soc_manifest(s, load_keys(o.key_dir));
  write_output(o.out, m);
  std::printf("%s: Caliptra 2.x SoC manifest, %zu image(s), %zu bytes\n", o.out.c_str(), s.entries.size(), m.size());
  return kOk;
}

}  // namespace

void add_image(CLI::App& app, int& exit_code) {
  auto* image = app.add_subcommand("image", "Create, inspect and verify Caliptra firmware bundles (1.x, 2.x) and SoC manifests");
  image->require_subcommand(1);
  image->footer(
      "Bundles are what the SoC sends with FIRMWARE_LOAD: manifest, FMC, runtime. 1.x (\"CMAN\") bundles\n"
      "are signed with ECC P-384 + LMS, 2.x (\"CMN2\") with ECC P-384 + LMS or ML-DSA-87.\n\n"
      "Keys come from --key-dir, else ../shared/keys/caliptra-fake, else $CALEMU_SHARED_DIR/keys/caliptra-fake\n"
      "(Caliptra's public TEST keys: a warning is printed whenever they are used).\n\n"
      "Examples:\n"
      "  calemu image create --format 2.x --pqc mldsa --fmc fmc.elf --runtime rt.elf -o bundle.bin\n"
      "  calemu image inspect bundle.bin\n"
      "  calemu image verify bundle.bin --lifecycle production\n"
      "  calemu image fuses --format 2.x --pqc lms\n\n"
      "Exit codes: 0 success / accepted, 1 the ROM would reject the bundle (verify), 2 bad arguments or input.");

  auto c = std::make_shared<CreateOptions>();
  auto* create = image->add_subcommand("create", "Build and sign a firmware bundle from an FMC and a runtime");
  create->add_option("--format", c->format, "Bundle format: 1.x (ROM 1.0-1.2) or 2.x (ROM 2.0-2.1)")->capture_default_str();
  create->add_option("--pqc", c->pqc, "2.x post-quantum signature: lms or mldsa (1.x is always LMS)")->capture_default_str();
  create->add_option("--fmc", c->fmc, "FMC: an RV32 ELF, or a raw binary with --fmc-load")->required();
  create->add_option("--runtime", c->runtime, "Runtime: an RV32 ELF, or a raw binary with --runtime-load")->required();
  create->add_option("-o,--output", c->out, "Bundle file to write")->required();
  create->add_option("--fmc-load", c->fmc_load, "Load address of a raw FMC binary (ICCM, 0x40000000...)");
  create->add_option("--fmc-entry", c->fmc_entry, "Entry point of a raw FMC binary (default: its load address)");
  create->add_option("--runtime-load", c->runtime_load, "Load address of a raw runtime binary");
  create->add_option("--runtime-entry", c->runtime_entry, "Entry point of a raw runtime binary (default: its load address)");
  create->add_option("--key-dir", c->key_dir, "Directory of signing keys (vendor_ecc_0_key.pem, ...)");
  create->add_option("--vendor-key", c->vendor_key, "Vendor key index for both ECC and PQC (default 0)");
  create->add_option("--vendor-ecc-key", c->vendor_ecc_key, "Vendor ECC key index (overrides --vendor-key)");
  create->add_option("--vendor-pqc-key", c->vendor_pqc_key, "Vendor LMS / ML-DSA key index (overrides --vendor-key)");
  create->add_option("--owner-key-dir", c->owner_key_dir, "Take the owner keys (owner_*.pem) from this directory instead");
  create->add_flag("--no-owner", c->no_owner, "Leave the owner keys and signatures empty (ROMs reject such bundles)");
  create->add_option("--svn", c->svn, "2.x firmware SVN (0..128)")->capture_default_str();
  create->add_option("--fmc-svn", c->fmc_svn, "1.x FMC SVN (0..32)")->capture_default_str();
  create->add_option("--runtime-svn", c->runtime_svn, "1.x runtime SVN (0..128)")->capture_default_str();
  create->add_option("--fmc-version", c->fmc_version, "FMC version number (TOC; low 16 bits reach CPTRA_FW_REV_ID[0])");
  create->add_option("--runtime-version", c->runtime_version, "Runtime version number (TOC; CPTRA_FW_REV_ID[1])");
  create->add_option("--fmc-rev", c->fmc_rev, "FMC revision: git commit id in hex (first 20 bytes used)");
  create->add_option("--runtime-rev", c->runtime_rev, "Runtime revision: git commit id in hex");
  create->add_option("--pl0-pauser", c->pl0_pauser, "The mailbox AXI user with PL0 privilege (sets header flag bit 0)");
  create->add_option("--vendor-not-before", c->vendor_not_before, "Vendor validity start, YYYYMMDDHHMMSS");
  create->add_option("--vendor-not-after", c->vendor_not_after, "Vendor validity end, YYYYMMDDHHMMSS");
  create->add_option("--owner-not-before", c->owner_not_before, "Owner validity start, YYYYMMDDHHMMSS");
  create->add_option("--owner-not-after", c->owner_not_after, "Owner validity end, YYYYMMDDHHMMSS");
  create->add_option("--lms-leaf", c->lms_leaf, "Leaf q for LMS keys that are not Caliptra's test trees (never reuse one)");
  create->add_flag("-q,--quiet", c->quiet, "Print nothing on success");
  create->footer(
      "An ELF gives the load address (lowest PT_LOAD address) and entry point; FMC and runtime must load into\n"
      "ICCM (1.x: 0x40000000-0x4001ffff, 2.x: 0x40000000-0x4003ffff) without overlapping.\n\n"
      "Examples:\n"
      "  calemu image create --format 2.x --pqc lms --fmc fmc-2x.elf --runtime runtime-2x.elf -o fw-2x-lms.bin\n"
      "  calemu image create --format 2.x --pqc mldsa --vendor-key 1 --svn 3 --fmc fmc-2x.elf --runtime runtime-2x.elf -o fw.bin\n"
      "  calemu image create --format 1.x --fmc fmc.bin --fmc-load 0x40000000 --runtime rt.bin --runtime-load 0x40006000 -o fw-1x.bin");
  create->callback([c, &exit_code] { exit_code = guarded("create", [&] { return run_create(*c); }); });

  auto i = std::make_shared<InspectOptions>();
  auto* inspect = image->add_subcommand("inspect", "Show the contents of a bundle or SoC manifest");
  inspect->add_option("file", i->file, "Bundle (CMAN / CMN2) or SoC manifest (ATM2)")->required();
  inspect->add_flag("--json", i->json, "Machine-readable output");
  inspect->footer("Prints keys, signatures, header, TOC (with digest checks) and the fuse values the keys need.\n\n"
                  "Examples:\n  calemu image inspect fw.bin\n  calemu image inspect fw.bin --json | jq .fmc");
  inspect->callback([i, &exit_code] { exit_code = guarded("inspect", [&] { return run_inspect(*i); }); });

  auto v = std::make_shared<VerifyOptions>();
  auto* verify = image->add_subcommand("verify", "Check a bundle as the ROM would, given fuses and lifecycle");
  verify->add_option("file", v->file, "Bundle, or SoC manifest (with --fw-bundle)")->required();
  verify->add_option("--format", v->format, "1.x or 2.x (default: from the marker)");
  verify->add_option("--lifecycle", v->lifecycle, "unprovisioned, manufacturing or production")->capture_default_str();
  verify->add_option("--vendor-pk-hash", v->vendor_pk_hash, "Vendor key hash fuse: 96 hex digits, or 'bundle' (default: the bundle's own)");
  verify->add_option("--owner-pk-hash", v->owner_pk_hash, "Owner key hash: 96 hex digits, 'none' (not fused) or 'bundle' (default)");
  verify->add_option("--pqc-fuse", v->pqc_fuse, "2.x FUSE_PQC_KEY_TYPE: lms or mldsa (default: the bundle's type)");
  verify->add_option("--ecc-revocation", v->ecc_revocation, "Vendor ECC key revocation bits (4)");
  verify->add_option("--lms-revocation", v->lms_revocation, "Vendor LMS key revocation bits (32)");
  verify->add_option("--mldsa-revocation", v->mldsa_revocation, "Vendor ML-DSA key revocation bits (4)");
  verify->add_option("--fw-svn-fuse", v->fw_svn_fuse, "Firmware (1.x: runtime) SVN the fuses hold, 0..128");
  verify->add_option("--fmc-svn-fuse", v->fmc_svn_fuse, "1.x FMC SVN the fuses hold, 0..32");
  verify->add_flag("--anti-rollback-disable", v->anti_rollback_disable, "FUSE_ANTI_ROLLBACK_DISABLE set: no SVN checks");
  verify->add_flag("--no-lms-verify", v->no_lms_verify, "1.x: FUSE_LMS_VERIFY = 0, ECC signatures only");
  verify->add_option("--update-reset-from", v->update_reset_from, "Verify as an update reset after a cold boot with this bundle");
  verify->add_option("--fw-bundle", v->fw_bundle, "SoC manifest only: the 2.x bundle the runtime booted with");
  verify->add_option("--soc-svn-fuse", v->soc_svn_fuse, "SoC manifest only: FUSE_SOC_MANIFEST_SVN as an SVN, 0..128");
  verify->add_option("--soc-max-svn", v->soc_max_svn, "SoC manifest only: FUSE_SOC_MANIFEST_MAX_SVN");
  verify->add_flag("--json", v->json, "Machine-readable result");
  verify->add_flag("-v,--verbose", v->verbose, "List every rule that passed");
  verify->footer(
      "Applies the ROM's rules in the ROM's order (marker, size, PQC type, vendor key hashes, owner key hash,\n"
      "key indices and revocation, signatures, TOC, FMC, runtime, SVN) and reports the CaliptraError the ROM\n"
      "would raise. Unless given, the key hash fuses are those of the bundle's own keys.\n"
      "Exit status: 0 accepted, 1 rejected, 2 bad input.\n\n"
      "Examples:\n"
      "  calemu image verify fw.bin\n"
      "  calemu image verify fw.bin --lifecycle production --vendor-pk-hash b17ca877666657cc... --fw-svn-fuse 2\n"
      "  calemu image verify new.bin --update-reset-from old.bin\n"
      "  calemu image verify soc.bin --fw-bundle fw.bin");
  verify->callback([v, &exit_code] { exit_code = guarded("verify", [&] { return run_verify(*v); }); });

  auto f = std::make_shared<FusesOptions>();
  auto* fuses = image->add_subcommand("fuses", "Print the vendor and owner public-key hash fuse words to program");
  fuses->add_option("--format", f->format, "1.x or 2.x")->capture_default_str();
  fuses->add_option("--pqc", f->pqc, "2.x: lms or mldsa")->capture_default_str();
  fuses->add_option("--key-dir", f->key_dir, "Directory of keys (default: Caliptra's test keys)");
  fuses->add_option("--bundle", f->bundle, "Take the keys from this bundle instead");
  fuses->add_flag("--json", f->json, "Machine-readable output");
  fuses->add_flag("--fuse-file", f->fuse_file, "Output as a fuse file for `calemu boot --fuses`");
  fuses->footer("Word i is SHA-384 bytes 4i..4i+3 read big-endian (spec §0.2).\n\n"
                "Examples:\n  calemu image fuses --format 2.x --pqc mldsa\n  calemu image fuses --format 1.x\n"
                "  calemu image fuses --bundle fw.bin --json\n"
                "  calemu image fuses --format 1.x --fuse-file > fuses.txt && calemu boot --fuses fuses.txt ...");
  fuses->callback([f, &exit_code] { exit_code = guarded("fuses", [&] { return run_fuses(*f); }); });

  auto s = std::make_shared<SocManifestOptions>();
  auto* soc = image->add_subcommand("soc-manifest", "Build a 2.x SoC manifest (ATM2) listing SoC image digests");
  soc->add_option("--image", s->images, "FW_ID:FILE[:LOAD_ADDR], one per image (1..80)")->required();
  soc->add_option("--pqc", s->pqc, "lms or mldsa: the firmware bundle's type")->capture_default_str();
  soc->add_option("--key-dir", s->key_dir, "Directory of signing keys");
  soc->add_option("--vendor-key", s->vendor_key, "The bundle's vendor key index (ECC and PQC)")->capture_default_str();
  soc->add_option("--svn", s->svn, "Manifest SVN (0..128)")->capture_default_str();
  soc->add_flag("--no-vendor-signature", s->no_vendor_signature, "Clear flag bit 0: only the owner signs the image list");
  soc->add_option("--lms-leaf", s->lms_leaf, "Leaf q for LMS keys that are not Caliptra's test trees");
  soc->add_option("-o,--output", s->out, "Manifest file to write")->required();
  soc->footer("The manifest's keys are signed by the firmware bundle's vendor and owner keys, and its image list\n"
              "by the manifest's keys (here the same keys).\n\n"
              "Example:\n  calemu image soc-manifest --pqc lms --image 2:mcu-rt.bin:0xa8000000 -o soc.bin");
  soc->callback([s, &exit_code] { exit_code = guarded("soc-manifest", [&] { return run_soc_manifest(*s); }); });
}

}  // namespace calemu::cli
