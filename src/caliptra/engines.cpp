#include "caliptra/engines.h"

#include "caliptra/abr.h"
#include "caliptra/aes.h"
#include "caliptra/axi_dma.h"
#include "caliptra/csrng.h"
#include "caliptra/datavault.h"
#include "caliptra/doe.h"
#include "caliptra/ecc.h"
#include "caliptra/entropy_src.h"
#include "caliptra/hmac.h"
#include "caliptra/keyvault.h"
#include "caliptra/pcrvault.h"
#include "caliptra/sha256.h"
#include "caliptra/sha3.h"
#include "caliptra/sha512.h"

namespace calemu::caliptra {

// Base addresses: caliptra-rtl config_defines.svh CALIPTRA_SLAVE_BASE_ADDR, the same for
// these blocks in 1.x and 2.x; each block configures itself for ctx.hw.
std::vector<EngineBlock> make_engines(BlockContext& ctx) {
  std::vector<EngineBlock> out;
  auto kv = std::make_unique<KeyVault>(ctx);
  auto pv = std::make_unique<PcrVault>(ctx);
  ctx.kv = kv.get();
  ctx.pv = pv.get();
  auto sha512 = std::make_unique<Sha512>(ctx);
  Sha512* const sha512_pcr = sha512.get();
  auto ecc = std::make_unique<Ecc>(ctx);
  ecc->set_pcr_hash_source([sha = sha512_pcr] { return sha->pcr_signing_hash(); });
  auto entropy_src = std::make_unique<EntropySrc>(ctx);
  auto csrng = std::make_unique<Csrng>(ctx);
  csrng->set_entropy_source(entropy_src.get());

  out.push_back({"doe_reg", 0x1000'0000, std::make_unique<Doe>(ctx)});
  out.push_back({"ecc_reg", 0x1000'8000, std::move(ecc)});
  out.push_back({"hmac_reg", 0x1001'0000, std::make_unique<Hmac>(ctx)});
  out.push_back({"kv_reg", 0x1001'8000, std::move(kv)});
  out.push_back({"pv_reg", 0x1001'A000, std::move(pv)});
  out.push_back({"dv_reg", 0x1001'C000, std::make_unique<DataVault>(ctx)});
  out.push_back({"sha512_reg", 0x1002'0000, std::move(sha512)});
  out.push_back({"sha256_reg", 0x1002'8000, std::make_unique<Sha256>(ctx)});
  out.push_back({"csrng", 0x2000'2000, std::move(csrng)});
  out.push_back({"entropy_src", 0x2000'3000, std::move(entropy_src)});
  if (is_2x(ctx.hw)) {
    // The blocks 2.x adds (2.x config_defines.svh CALIPTRA_SLAVE_BASE_ADDR); the AXI DMA
    // sits in soc_ifc_top at 0x3002_2000, where the SoC reaches it too.
    auto aes = std::make_unique<Aes>(ctx);
    auto abr = std::make_unique<Abr>(ctx);
    abr->set_pcr_hash_source([sha = sha512_pcr] { return sha->pcr_signing_hash(); });
    auto dma = std::make_unique<AxiDma>(ctx);
    if (ctx.hw == HwGen::V2_1) dma->set_aes(aes.get());  // aes_clp_wrapper.sv: the DMA's AES mode
    out.push_back({"aes", 0x1001'1000, std::move(aes)});
    out.push_back({ctx.hw == HwGen::V2_1 ? "abr_reg" : "mldsa_reg", 0x1003'0000, std::move(abr)});
    out.push_back({"axi_dma_reg", AxiDma::kBase, std::move(dma)});
    if (ctx.hw == HwGen::V2_1) out.push_back({"kmac_reg", 0x1004'0000, std::make_unique<Sha3>(ctx)});
  }
  return out;
}

void debug_unlock_or_scan_switch(std::span<const std::unique_ptr<bus::RegBlock>> engines) {
  for (const auto& b : engines) {
    bus::RegBlock* p = b.get();
    if (auto* kv = dynamic_cast<KeyVault*>(p)) kv->flush_debug_values();
    else if (auto* doe = dynamic_cast<Doe*>(p)) doe->clear_obf_secrets();
    else if (auto* s512 = dynamic_cast<Sha512*>(p)) s512->zeroize();
    else if (auto* s256 = dynamic_cast<Sha256*>(p)) s256->zeroize();
    else if (auto* hmac = dynamic_cast<Hmac*>(p)) hmac->zeroize();
    else if (auto* ecc = dynamic_cast<Ecc*>(p)) ecc->zeroize();
    else if (auto* aes = dynamic_cast<Aes*>(p)) aes->zeroize();
    else if (auto* abr = dynamic_cast<Abr*>(p)) abr->zeroize();  // abr_ctrl.sv zeroize
    else if (auto* dma = dynamic_cast<AxiDma*>(p)) dma->debug_unlock_or_scan_switch();
    // sha3_ctrl.sv takes the signal but leaves it unconnected.
  }
}

}  // namespace calemu::caliptra
