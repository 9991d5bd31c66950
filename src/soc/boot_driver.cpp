#include "soc/boot_driver.h"

#include <algorithm>
#include <cstdio>

#include "common/caliptra_errors.h"

namespace calemu::soc {

namespace {
constexpr uint32_t kSocIfc = 0x3003'0000;
constexpr uint32_t kFlowStatus = kSocIfc + 0x3C, kBootStatus = kSocIfc + 0x38, kFwErrorFatal = kSocIfc + 0x08;
constexpr uint32_t kFuseWrDone = kSocIfc + 0xB0, kBootFsmGo = kSocIfc + 0xB8, kDbgManuf = kSocIfc + 0xBC;
constexpr uint32_t kWdtCfg = kSocIfc + 0x110;
constexpr uint32_t kValidUser = kSocIfc + 0x48, kUserLock = kSocIfc + 0x5C;
constexpr uint32_t kFlowReadyForFw = 1u << 28, kFlowReadyForRuntime = 1u << 29, kFlowIdevidCsrReady = 1u << 24;
std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}
}  // namespace

BootDriver::BootDriver(caliptra::Machine& m, BootOptions opts) : m_(m), opts_(std::move(opts)) {}

bool BootDriver::fail(std::string message) {
  error_.message = std::move(message);
  return false;
}

bool BootDriver::write(uint32_t addr, uint32_t value) {
  if (m_.soc_write(addr, value, opts_.soc_user) == bus::BusResult::Ok) return true;
  return fail("SoC write of " + hex(value) + " to " + hex(addr) + " was refused");
}

bool BootDriver::program_fuses() {
  if (!wait_until([&] { return m_.soc_ifc().ready_for_fuses(); }, 1'000'000, "ready_for_fuses")) return false;
  const Fuses& f = opts_.fuses;
  const bool v1 = m_.config().hw == caliptra::HwGen::V1;
  auto arr = [&](uint32_t off, std::span<const uint32_t> words) {
    for (size_t i = 0; i < words.size(); ++i)
      if (!write(kSocIfc + off + 4 * static_cast<uint32_t>(i), words[i])) return false;
    return true;
  };
  auto one = [&](uint32_t off, uint32_t v) { return write(kSocIfc + off, v); };
  if (v1) {
    // caliptra-rtl 1.x soc_ifc_fuse_reg.rdl offsets.
    return arr(0x200, std::span(f.uds_seed).first(12)) && arr(0x230, f.field_entropy) &&
           arr(0x250, f.vendor_pk_hash) && one(0x280, f.vendor_pk_hash_mask) && arr(0x284, f.owner_pk_hash) &&
           one(0x2B4, f.fmc_key_manifest_svn) && arr(0x2B8, f.runtime_svn) && one(0x2C8, f.anti_rollback_disable) &&
           arr(0x2CC, f.idevid_cert_attr) && arr(0x32C, f.idevid_manuf_hsm_id) && one(0x33C, f.life_cycle) &&
           one(0x340, f.lms_verify) && one(0x344, f.lms_revocation) && one(0x348, f.soc_stepping_id);
  }
  // caliptra-rtl 2.x soc_ifc_fuse_reg.rdl offsets; the owner key hash is no longer a fuse
  // but CPTRA_OWNER_PK_HASH (0x140), which the SoC may lock with CPTRA_OWNER_PK_HASH_LOCK.
  bool ok = arr(0x200, f.uds_seed) && arr(0x240, f.field_entropy) && arr(0x260, f.vendor_pk_hash) &&
            one(0x290, f.ecc_revocation) && arr(0x140, f.owner_pk_hash) && arr(0x2B8, f.runtime_svn) &&
            one(0x2C8, f.anti_rollback_disable) && arr(0x2CC, f.idevid_cert_attr) &&
            arr(0x32C, f.idevid_manuf_hsm_id) && one(0x340, f.lms_revocation) && one(0x344, f.mldsa_revocation) &&
            one(0x348, f.soc_stepping_id) && arr(0x34C, f.manuf_dbg_unlock_token) && one(0x38C, f.pqc_key_type) &&
            arr(0x390, f.soc_manifest_svn) && one(0x3A0, f.soc_manifest_max_svn);
  if (ok && m_.config().hw == caliptra::HwGen::V2_1) ok = arr(0x3C0, f.hek_seed);
  return ok;
}

bool BootDriver::start() {
  for (unsigned i = 0; i < 5; ++i) {
    if (!write(kValidUser + 4 * i, opts_.valid_axi_users[i]) || !write(kUserLock + 4 * i, 1)) return false;
  }
  return write(kWdtCfg, static_cast<uint32_t>(opts_.wdt_timeout_cycles)) &&
         write(kWdtCfg + 4, static_cast<uint32_t>(opts_.wdt_timeout_cycles >> 32)) &&
         write(kDbgManuf, opts_.dbg_manuf_service | (opts_.request_idevid_csr ? 1u : 0u)) &&
         write(kFuseWrDone, 1) && write(kBootFsmGo, 1);
}

bool BootDriver::fatal_reported() {
  uint32_t err = 0;
  m_.soc_read(kFwErrorFatal, err, opts_.soc_user);
  if (!err) return false;
  error_.fw_error = err;
  const auto gen = m_.config().hw == caliptra::HwGen::V1 ? CaliptraGeneration::k1x : CaliptraGeneration::k2x;
  error_.message = "Caliptra reported a fatal error: " + describe_error(gen, err);
  return true;
}

bool BootDriver::wait_until(const std::function<bool()>& cond, uint64_t max_cycles, const std::string& what,
                            uint64_t slice) {
  const uint64_t deadline = m_.cycles() + max_cycles;
  for (;;) {
    if (cond()) return true;
    if (fatal_reported()) return false;
    if (opts_.request_idevid_csr) service_idevid_csr();
    if (m_.cycles() >= deadline) return fail("timed out after " + std::to_string(max_cycles) + " cycles waiting for " + what);
    const caliptra::RunStop r = m_.run(std::min(deadline - m_.cycles(), slice), [&] {
      uint32_t err = 0;
      m_.soc_read(kFwErrorFatal, err, opts_.soc_user);
      return cond() || err != 0 || (opts_.request_idevid_csr && idevid_csr_.empty() &&
                                    (m_.soc_ifc().reg(caliptra::SocIfc::CPTRA_FLOW_STATUS) & kFlowIdevidCsrReady));
    });
    switch (r) {
      case caliptra::RunStop::Exit:
        if (cond()) return true;
        return fail(std::string("firmware requested exit (") + (m_.exit_success() ? "success" : "failure") +
                    ") before " + what);
      case caliptra::RunStop::Fatal: return fail("the core stopped: " + m_.fatal_message());
      case caliptra::RunStop::Idle:
        if (cond()) return true;
        if (fatal_reported()) return false;
        return fail("the core is asleep with nothing to wake it, waiting for " + what);
      case caliptra::RunStop::Held:
        return fail("the core is held in reset (fuses not done?) waiting for " + what);
      default: break;
    }
  }
}

bool BootDriver::wait_for_mailbox_poll(uint64_t quiet_cycles, uint64_t max_cycles) {
  constexpr uint64_t kPolls = 64;  // consecutive status reads that mean "waiting"
  uint64_t polls_at_activity = m_.mailbox().core_status_polls();
  uint64_t activity = m_.last_activity();
  return wait_until(
      [&] {
        if (m_.last_activity() != activity) {
          activity = m_.last_activity();
          polls_at_activity = m_.mailbox().core_status_polls();
        }
        return m_.cycles() - activity >= quiet_cycles &&
               m_.mailbox().core_status_polls() - polls_at_activity >= kPolls;
      },
      max_cycles, "the firmware to wait for a mailbox command", /*slice=*/quiet_cycles);
}

bool BootDriver::wait_ready_for_fw(uint64_t max_cycles) {
  return wait_until([&] { return m_.soc_ifc().ready_for_fw(); }, max_cycles, "READY_FOR_FW");
}

bool BootDriver::wait_ready_for_runtime(uint64_t max_cycles) {
  return wait_until([&] { return m_.soc_ifc().ready_for_runtime(); }, max_cycles, "READY_FOR_RUNTIME");
}

bool BootDriver::wait_boot_status(uint32_t status, uint64_t max_cycles) {
  return wait_until([&] { return m_.soc_ifc().reg(caliptra::SocIfc::CPTRA_BOOT_STATUS) == status; }, max_cycles,
                    "boot status " + hex(status));
}

bool BootDriver::load_firmware(std::span<const uint8_t> image, uint64_t max_cycles) {
  MailboxClient mbox(m_, opts_.soc_user);
  const MboxResult r = mbox.execute(kFirmwareLoad, image, max_cycles);
  if (r.ok()) return true;
  if (fatal_reported()) return false;
  return fail(std::string("FIRMWARE_LOAD failed: ") + to_string(r.status) + (r.message.empty() ? "" : ": " + r.message));
}

// With MFG_FLAG_GEN_IDEV_CSR the ROM signals idevid_csr_ready and waits for the SoC to
// read the CSR out of the mailbox (which the ROM filled and handed over).
void BootDriver::service_idevid_csr() {
  if (!idevid_csr_.empty()) return;
  if (!(m_.soc_ifc().reg(caliptra::SocIfc::CPTRA_FLOW_STATUS) & kFlowIdevidCsrReady)) return;
  if (!m_.soc_mbox_data_avail()) return;
  uint32_t dlen = 0;
  m_.soc_read(0x3002'000C, dlen, opts_.soc_user);
  for (uint32_t i = 0; i < dlen; i += 4) {
    uint32_t w = 0;
    m_.soc_read(0x3002'0014, w, opts_.soc_user);
    for (uint32_t k = 0; k < 4 && i + k < dlen; ++k) idevid_csr_.push_back(static_cast<uint8_t>(w >> (8 * k)));
  }
  // Clearing the request tells the ROM the CSR was consumed; it then releases the mailbox.
  m_.soc_write(kDbgManuf, opts_.dbg_manuf_service, opts_.soc_user);
}

}  // namespace calemu::soc
