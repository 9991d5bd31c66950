// error_name against ../shared/spec/caliptra-fw-error-codes.md (values copied from it).
#include <gtest/gtest.h>

#include "common/caliptra_errors.h"

namespace calemu {
namespace {

constexpr auto k1x = CaliptraGeneration::k1x;
constexpr auto k2x = CaliptraGeneration::k2x;

TEST(CaliptraErrors, NamesSharedCodesInBothGenerations) {
  EXPECT_EQ(error_name(k2x, 0x000B0001), "IMAGE_VERIFIER_ERR_MANIFEST_MARKER_MISMATCH");
  EXPECT_EQ(error_name(k1x, 0x000B0001), "IMAGE_VERIFIER_ERR_MANIFEST_MARKER_MISMATCH");
  EXPECT_EQ(error_name(k2x, 0x01020002), "FW_PROC_INVALID_IMAGE_SIZE");
  EXPECT_EQ(error_name(k2x, 0x01040020), "ROM_UNKNOWN_RESET_FLOW");
  EXPECT_EQ(error_name(k2x, 0x000E0005), "RUNTIME_INVALID_CHECKSUM");
  EXPECT_EQ(error_name(k2x, 0x90080001), "ROM_INTEGRITY_FAILURE");
  EXPECT_EQ(error_name(k2x, 0xA0060005), "UDS_FE_PROGRAMMING_ZEROIZATION_FAILED");
}

TEST(CaliptraErrors, CodesWhoseNameChangedBetweenGenerations) {
  EXPECT_EQ(error_name(k2x, 0x000B002C), "IMAGE_VERIFIER_ERR_FIRMWARE_SVN_GREATER_THAN_MAX_SUPPORTED");
  EXPECT_EQ(error_name(k1x, 0x000B002C), "IMAGE_VERIFIER_ERR_RUNTIME_SVN_GREATER_THAN_MAX_SUPPORTED");
  EXPECT_EQ(error_name(k2x, 0x000B001B), "IMAGE_VERIFIER_ERR_VENDOR_ECC_PUB_KEY_INVALID_ARG");
  EXPECT_EQ(error_name(k1x, 0x000B001B), "IMAGE_VERIFIER_ERR_VENDOR_PUB_KEY_DIGEST_INVALID_ARG");
  EXPECT_EQ(error_name(k1x, 0x000E0054), "RUNTIME_SIGN_WITH_EXPORTED_ECDSA_KEY_DERIVIATION_FAILED");
  EXPECT_EQ(error_name(k2x, 0x000E0057), "RUNTIME_SIGN_WITH_EXPORTED_ECDSA_KEY_DERIVIATION_FAILED");
}

TEST(CaliptraErrors, GenerationOnlyCodes) {
  EXPECT_EQ(error_name(k1x, 0x00B0003A), "IMAGE_VERIFIER_ERR_VENDOR_LMS_PUB_KEY_REVOKED");  // sic, 1.x
  EXPECT_EQ(error_name(k2x, 0x00B0003A), std::nullopt);
  EXPECT_EQ(error_name(k1x, 0x000B0025), "IMAGE_VERIFIER_ERR_FMC_SVN_GREATER_THAN_MAX_SUPPORTED");
  EXPECT_EQ(error_name(k2x, 0x000B0025), std::nullopt);
  EXPECT_EQ(error_name(k2x, 0x000B0049), "IMAGE_VERIFIER_ERR_PQC_KEY_TYPE_INVALID");
  EXPECT_EQ(error_name(k1x, 0x000B0049), std::nullopt);  // 1.2 has no PQC key types
}

TEST(CaliptraErrors, UnknownCodesAndFormatting) {
  EXPECT_EQ(error_name(k2x, 0x12345678), std::nullopt);
  EXPECT_EQ(error_name(k2x, 0), std::nullopt);
  EXPECT_EQ(describe_error(k2x, 0x000B0012), "0x000B0012 IMAGE_VERIFIER_ERR_TOC_DIGEST_MISMATCH");
  EXPECT_EQ(describe_error(k2x, 0x12345678), "0x12345678 (unknown error)");
  EXPECT_EQ(error_code(k2x, "ROM_GLOBAL_WDT_EXPIRED"), 0x0105000Cu);
  EXPECT_EQ(error_code(k1x, "IMAGE_VERIFIER_ERR_PQC_KEY_TYPE_INVALID"), std::nullopt);
}

}  // namespace
}  // namespace calemu
