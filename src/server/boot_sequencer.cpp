#include "server/boot_sequencer.h"

#include "common/caliptra_errors.h"

namespace calemu::server {

BootSequencer::BootSequencer(Host& host, MailboxQueue& mbox, soc::BootOptions opts, std::vector<uint8_t> firmware,
                             BootTarget target)
    : host_(host), mbox_(mbox), opts_(std::move(opts)), fw_(std::move(firmware)), target_(target) {}

void BootSequencer::restart() {
  ++generation_;
  phase_ = Phase::WaitFuses;
  error_.clear();
}

void BootSequencer::fail(std::string why) {
  phase_ = Phase::Failed;
  error_ = std::move(why);
  if (log) log("boot failed: " + error_);
}

void BootSequencer::service() {
  caliptra::Machine& m = host_.machine();
  const StateInfo s = host_.state();
  if (!finished() && s.boot_state == BootState::Fatal) {
    const auto gen = m.config().hw == caliptra::HwGen::V1 ? CaliptraGeneration::k1x : CaliptraGeneration::k2x;
    return fail(m.fatal_message().empty() ? "Caliptra reported a fatal error: " + describe_error(gen, s.fw_error_fatal)
                                          : "the core stopped: " + m.fatal_message());
  }
  switch (phase_) {
    case Phase::WaitFuses: {
      if (!m.soc_ifc().ready_for_fuses()) return;
      soc::BootDriver d(m, opts_);
      if (!d.program_fuses() || !d.start()) return fail(d.error().message);
      if (log) log("fuses programmed, FUSE_WR_DONE and BOOTFSM_GO written");
      phase_ = Phase::WaitReadyForFw;
      host_.poke();
      return;
    }
    case Phase::WaitReadyForFw: {
      // A warm reset resumes the runtime without a new FIRMWARE_LOAD.
      if (s.boot_state == BootState::ReadyForRuntime) {
        phase_ = Phase::Done;
        return;
      }
      if (s.boot_state != BootState::ReadyForFw) return;
      phase_ = Phase::Loading;
      MboxJob job;
      job.cmd = soc::BootDriver::kFirmwareLoad;
      job.data = fw_;
      job.axi_user = opts_.soc_user;
      job.requester = "boot sequencer";
      const uint64_t gen = generation_;
      job.done = [this, gen](MboxOutcome&& out) {
        if (gen != generation_) return;
        if (!out.ok) return fail("FIRMWARE_LOAD: " + out.message);
        host_.poke();
        if (out.status == 3) {
          // The ROM reports why in CPTRA_FW_ERROR_*; the fatal check above names it.
          if (host_.state().boot_state != BootState::Fatal) fail("FIRMWARE_LOAD answered CMD_FAILURE");
          return;
        }
        if (log) log("firmware loaded (" + std::to_string(fw_.size()) + " bytes)");
        phase_ = target_ == BootTarget::FirmwareLoaded ? Phase::Done : Phase::WaitRuntime;
      };
      if (log) log("READY_FOR_FW: loading firmware (" + std::to_string(fw_.size()) + " bytes)");
      mbox_.submit(std::move(job));
      return;
    }
    case Phase::WaitRuntime:
      if (s.boot_state == BootState::ReadyForRuntime ||
          (target_ == BootTarget::Fmc && s.boot_state == BootState::FirmwareBooting))
        phase_ = Phase::Done;
      else if (s.boot_state == BootState::Exited) fail("the firmware exited before READY_FOR_RUNTIME");
      return;
    case Phase::Loading:
    case Phase::Done:
    case Phase::Failed: return;
  }
}

}  // namespace calemu::server
