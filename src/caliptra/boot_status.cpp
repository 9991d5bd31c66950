#include "caliptra/boot_status.h"

namespace calemu::caliptra {

std::string boot_status_name(HwGen gen, uint32_t s) {
  static const char* const idev[] = {"IdevIdDecryptUds", "IdevIdDecryptFe", "IdevIdClearDoeSecrets",
                                     "IdevIdCdiDerivation", "IdevIdKeyPairDerivation", "IdevIdSubjIdSnGeneration",
                                     "IdevIdSubjKeyIdGeneration", "IdevIdMakeCsrEnvelope", "IdevIdSendCsrEnvelope",
                                     "IdevIdDerivationComplete", "IdevIdDecryptHekSeed", "IdevIdStableOwnerRootKey"};
  static const char* const ldev[] = {"LDevIdCdiDerivation", "LDevIdKeyPairDerivation", "LDevIdSubjIdSnGeneration",
                                     "LDevIdSubjKeyIdGeneration", "LDevIdCertSigGeneration",
                                     "LDevIdDerivationComplete"};
  static const char* const fw2[] = {"FwProcessorDownloadImageComplete", "FwProcessorManifestLoadComplete",
                                    "FwProcessorImageVerificationComplete", "FwProcessorPopulateDataVaultComplete",
                                    "FwProcessorExtendPcrComplete", "FwProcessorLoadImageComplete",
                                    "FwProcessorFirmwareDownloadTxComplete", "FwProcessorCalculateKeyLadderComplete",
                                    "FwProcessorComplete"};
  static const char* const fmc_alias[] = {"FmcAliasDeriveCdiComplete", "FmcAliasKeyPairDerivationComplete",
                                          "FmcAliasSubjIdSnGenerationComplete", "FmcAliasSubjKeyIdGenerationComplete",
                                          "FmcAliasCertSigGenerationComplete", "FmcAliasDerivationComplete"};
  static const char* const update2[] = {"UpdateResetStarted", "UpdateResetLoadManifestComplete",
                                        "UpdateResetImageVerificationComplete", "UpdateResetPopulateDataVaultComplete",
                                        "UpdateResetExtendKeyLadderComplete", "UpdateResetExtendPcrComplete",
                                        "UpdateResetLoadImageComplete", "UpdateResetOverwriteManifestComplete",
                                        "UpdateResetComplete"};
  static const char* const fmc[] = {"FmcRtMeasurement", "RtAliasDeriveCdiComplete", "RtAliasKeyPairDerivationComplete",
                                    "RtAliasSubjIdSnGenerationComplete", "RtAliasSubjKeyIdGenerationComplete",
                                    "RtAliasCertSigGenerationComplete", "RtAliasDerivationComplete"};
  const bool v1 = gen == HwGen::V1;
  if (s >= 1 && s <= (v1 ? 10u : 12u)) return idev[s - 1];
  if (s >= 65 && s <= 70) return ldev[s - 65];
  if (s >= 129 && s <= 137) {
    if (v1) {  // 1.2 has no key-ladder step: 136 is Complete
      if (s == 136) return "FwProcessorComplete";
      if (s == 137) return "";
    }
    return fw2[s - 129];
  }
  if (s >= 193 && s <= 198) return fmc_alias[s - 193];
  if (s == 257) return "ColdResetStarted";
  if (s == 320) return "ColdResetComplete";
  if (s >= 321 && s <= 329) {
    if (!v1) return update2[s - 321];
    static const char* const update1[] = {"UpdateResetStarted", "UpdateResetLoadManifestComplete",
                                          "UpdateResetImageVerificationComplete",
                                          "UpdateResetPopulateDataVaultComplete", "UpdateResetExtendPcrComplete",
                                          "UpdateResetLoadImageComplete", "UpdateResetOverwriteManifestComplete",
                                          "UpdateResetComplete"};
    return s <= 328 ? update1[s - 321] : "";
  }
  if (s == 385) return "CfiInitialized";
  if (s == 386) return "KatStarted";
  if (s == 387) return "KatComplete";
  if (s >= 0x400 && s <= 0x406) return fmc[s - 0x400];
  if (s == 0x600) return "RtReadyForCommands";
  if (s == 0x601) return "RtFipsSelfTestStarted";
  if (s == 0x602) return "RtFipsSelfTestComplete";
  return "";
}

}  // namespace calemu::caliptra
