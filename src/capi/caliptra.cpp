// The public C++ facade (include/calemu/caliptra.h) over caliptra::Machine and the boot driver.
#include "calemu/caliptra.h"

#include <stdexcept>

#include "caliptra/machine.h"
#include "soc/boot_driver.h"
#include "soc/mailbox_client.h"

namespace calemu {

struct Caliptra::Impl {
  std::unique_ptr<caliptra::Machine> m;
  uint32_t user = 1;
  std::string error;
};

namespace {
caliptra::HwGen to_gen(Hw hw) {
  switch (hw) {
    case Hw::V1: return caliptra::HwGen::V1;
    case Hw::V2_0: return caliptra::HwGen::V2_0;
    case Hw::V2_1: return caliptra::HwGen::V2_1;
  }
  return caliptra::HwGen::V1;
}
}  // namespace

Caliptra::Caliptra(const CaliptraOptions& o) : impl_(std::make_unique<Impl>()) {
  caliptra::MachineConfig mc;
  mc.hw = to_gen(o.hw);
  mc.rom = o.rom;
  mc.obf_key = o.obf_key;
  using SS = caliptra::SecurityState;
  const SS::Lifecycle lc = o.lifecycle == Lifecycle::Production      ? SS::Production
                           : o.lifecycle == Lifecycle::Manufacturing ? SS::Manufacturing
                                                                     : SS::Unprovisioned;
  mc.security = SS{lc, o.debug_locked, false};
  mc.seed = o.seed;
  mc.itrng = o.itrng;
  mc.console = o.console;
  impl_->m = std::make_unique<caliptra::Machine>(mc);
  impl_->user = o.soc_user;
}

Caliptra::~Caliptra() = default;
Caliptra::Caliptra(Caliptra&&) noexcept = default;
Caliptra& Caliptra::operator=(Caliptra&&) noexcept = default;

Status Caliptra::soc_read(uint32_t addr, uint32_t& value, uint32_t axi_user) {
  return impl_->m->soc_read(addr, value, axi_user) == bus::BusResult::Ok ? Status::Ok : Status::BusError;
}
Status Caliptra::soc_write(uint32_t addr, uint32_t value, uint32_t axi_user) {
  return impl_->m->soc_write(addr, value, axi_user) == bus::BusResult::Ok ? Status::Ok : Status::BusError;
}
uint32_t Caliptra::user() const { return impl_->user; }
void Caliptra::set_user(uint32_t axi_user) { impl_->user = axi_user; }
void Caliptra::run(uint64_t cycles) { impl_->m->run(cycles); }
uint64_t Caliptra::cycles() const { return impl_->m->cycles(); }
const std::string& Caliptra::last_error() const { return impl_->error; }
bool Caliptra::ready_for_fuses() const { return impl_->m->soc_ifc().ready_for_fuses(); }
bool Caliptra::ready_for_fw() const { return impl_->m->soc_ifc().ready_for_fw(); }
bool Caliptra::ready_for_runtime() const { return impl_->m->soc_ifc().ready_for_runtime(); }
uint32_t Caliptra::boot_status() const { return impl_->m->soc_ifc().reg(caliptra::SocIfc::CPTRA_BOOT_STATUS); }
bool Caliptra::exit_requested() const { return impl_->m->exit_requested(); }
const std::string& Caliptra::output() const { return impl_->m->output(); }

Status Caliptra::boot(std::span<const uint8_t> fw, uint32_t boot_status_target, uint64_t max_cycles) {
  soc::BootOptions bo;
  bo.soc_user = impl_->user;
  soc::BootDriver d(*impl_->m, bo);
  auto failed = [&] {
    impl_->error = d.error().message;
    if (d.error().fw_error) return Status::FatalError;
    return impl_->error.rfind("timed out", 0) == 0 ? Status::Timeout : Status::BootFailed;
  };
  if (!d.program_fuses() || !d.start() || !d.wait_ready_for_fw(max_cycles)) return failed();
  if (fw.empty()) return Status::Ok;
  if (!d.load_firmware(fw, max_cycles)) return failed();
  const bool ok = boot_status_target ? d.wait_boot_status(boot_status_target, max_cycles)
                                     : d.wait_ready_for_runtime(max_cycles);
  return ok ? Status::Ok : failed();
}

Status Caliptra::mailbox(uint32_t cmd, std::span<const uint8_t> request, std::vector<uint8_t>& response,
                         uint64_t max_cycles) {
  soc::MailboxClient c(*impl_->m, impl_->user);
  const soc::MboxResult r = c.execute(cmd, request, max_cycles);
  response = r.data;
  if (r.ok()) return Status::Ok;
  impl_->error = r.message.empty() ? soc::to_string(r.status) : r.message;
  return r.status == soc::MboxResult::Timeout ? Status::Timeout
         : r.status == soc::MboxResult::BusError ? Status::BusError
                                                 : Status::BootFailed;
}

}  // namespace calemu
