#include "soc/fuses.h"

#include <sstream>
#include <stdexcept>
#include <vector>

namespace calemu::soc {

Fuses Fuses::defaults() {
  Fuses f;
  f.uds_seed = {0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f, 0x10111213, 0x14151617, 0x18191a1b, 0x1c1d1e1f,
                0x20212223, 0x24252627, 0x28292a2b, 0x2c2d2e2f, 0x30313233, 0x34353637, 0x38393a3b, 0x3c3d3e3f};
  f.field_entropy = {0x80818283, 0x84858687, 0x88898a8b, 0x8c8d8e8f, 0x90919293, 0x94959697, 0x98999a9b, 0x9c9d9e9f};
  return f;
}

namespace {

template <size_t N>
void set_array(std::array<uint32_t, N>& a, const std::vector<uint32_t>& v, const std::string& name, int line) {
  if (v.size() > N)
    throw std::invalid_argument("fuse file line " + std::to_string(line) + ": " + name + " takes at most " +
                                std::to_string(N) + " words, got " + std::to_string(v.size()));
  a.fill(0);
  for (size_t i = 0; i < v.size(); ++i) a[i] = v[i];
}

void set_word(uint32_t& w, const std::vector<uint32_t>& v, const std::string& name, int line) {
  if (v.size() != 1)
    throw std::invalid_argument("fuse file line " + std::to_string(line) + ": " + name + " takes one value");
  w = v[0];
}

}  // namespace

std::string fuse_file_help() {
  return "Fuse file: one 'name = value(s)' per line, '#' starts a comment. Words are 32-bit,\n"
         "hex (0x...) or decimal, separated by spaces or commas. Names:\n"
         "  uds_seed[16] field_entropy[8] vendor_pk_hash[12] vendor_pk_hash_mask owner_pk_hash[12]\n"
         "  fmc_key_manifest_svn runtime_svn[4] anti_rollback_disable idevid_cert_attr[24]\n"
         "  idevid_manuf_hsm_id[4] life_cycle lms_verify lms_revocation soc_stepping_id\n"
         "  ecc_revocation mldsa_revocation pqc_key_type soc_manifest_svn[4] soc_manifest_max_svn\n"
         "  hek_seed[8] manuf_dbg_unlock_token[16]\n"
         "Unlisted fuses keep the defaults (caliptra-sw test UDS and field entropy, the rest zero).";
}

Fuses parse_fuse_file(const std::string& text, Fuses f) {
  std::istringstream in(text);
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    if (auto hash = raw.find('#'); hash != std::string::npos) raw.resize(hash);
    const auto eq = raw.find('=');
    if (raw.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (eq == std::string::npos)
      throw std::invalid_argument("fuse file line " + std::to_string(line) + ": expected 'name = value'");
    std::string name = raw.substr(0, eq);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t\r") + 1);
    std::string values = raw.substr(eq + 1);
    for (char& c : values)
      if (c == ',') c = ' ';
    std::istringstream vs(values);
    std::vector<uint32_t> v;
    for (std::string tok; vs >> tok;) {
      size_t used = 0;
      unsigned long long x = 0;
      try {
        x = std::stoull(tok, &used, 0);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != tok.size() || x > 0xFFFF'FFFFull)
        throw std::invalid_argument("fuse file line " + std::to_string(line) + ": '" + tok + "' is not a 32-bit number");
      v.push_back(static_cast<uint32_t>(x));
    }
    if (name == "uds_seed") set_array(f.uds_seed, v, name, line);
    else if (name == "field_entropy") set_array(f.field_entropy, v, name, line);
    else if (name == "vendor_pk_hash" || name == "key_manifest_pk_hash") set_array(f.vendor_pk_hash, v, name, line);
    else if (name == "vendor_pk_hash_mask" || name == "key_manifest_pk_hash_mask") set_word(f.vendor_pk_hash_mask, v, name, line);
    else if (name == "owner_pk_hash") set_array(f.owner_pk_hash, v, name, line);
    else if (name == "fmc_key_manifest_svn") set_word(f.fmc_key_manifest_svn, v, name, line);
    else if (name == "runtime_svn") set_array(f.runtime_svn, v, name, line);
    else if (name == "anti_rollback_disable") set_word(f.anti_rollback_disable, v, name, line);
    else if (name == "idevid_cert_attr") set_array(f.idevid_cert_attr, v, name, line);
    else if (name == "idevid_manuf_hsm_id") set_array(f.idevid_manuf_hsm_id, v, name, line);
    else if (name == "life_cycle") set_word(f.life_cycle, v, name, line);
    else if (name == "lms_verify") set_word(f.lms_verify, v, name, line);
    else if (name == "lms_revocation") set_word(f.lms_revocation, v, name, line);
    else if (name == "soc_stepping_id") set_word(f.soc_stepping_id, v, name, line);
    else if (name == "ecc_revocation") set_word(f.ecc_revocation, v, name, line);
    else if (name == "mldsa_revocation") set_word(f.mldsa_revocation, v, name, line);
    else if (name == "pqc_key_type") set_word(f.pqc_key_type, v, name, line);
    else if (name == "soc_manifest_svn") set_array(f.soc_manifest_svn, v, name, line);
    else if (name == "soc_manifest_max_svn") set_word(f.soc_manifest_max_svn, v, name, line);
    else if (name == "hek_seed") set_array(f.hek_seed, v, name, line);
    else if (name == "manuf_dbg_unlock_token") set_array(f.manuf_dbg_unlock_token, v, name, line);
    else throw std::invalid_argument("fuse file line " + std::to_string(line) + ": unknown fuse '" + name + "'");
  }
  return f;
}

}  // namespace calemu::soc
