// Field offsets of the image formats against the tables of ../shared/spec/caliptra-fw-protocol.md
// (§1.2 CMN2, §1.7 CMAN, §5.2 ATM2). The expected numbers are copied from the spec, not derived.
#include <gtest/gtest.h>

#include "image/layout.h"

namespace calemu::image {
namespace {

struct Expect {
  Field field;
  uint32_t offset, size;
};

void check(const std::vector<Expect>& table) {
  for (const auto& e : table) {
    EXPECT_EQ(e.field.offset, e.offset) << e.field.name;
    EXPECT_EQ(e.field.size, e.size) << e.field.name;
  }
}

TEST(Layout, Cmn2ManifestMatchesSpecSection1_2) {
  using namespace cmn2;
  check({
      {marker, 0x0000, 4}, {size, 0x0004, 4}, {pqc_key_type, 0x0008, 1}, {reserved, 0x0009, 3},
      {ecc_key_descriptor, 0x000C, 196}, {pqc_key_descriptor, 0x00D0, 1540},
      {vendor_ecc_key_idx, 0x06D4, 4}, {vendor_ecc_active_key, 0x06D8, 96},
      {vendor_pqc_key_idx, 0x0738, 4}, {vendor_pqc_active_key, 0x073C, 2592},
      {vendor_ecc_sig, 0x115C, 96}, {vendor_pqc_sig, 0x11BC, 4628},
      {owner_ecc_pub_key, 0x23D0, 96}, {owner_pqc_pub_key, 0x2430, 2592},
      {owner_ecc_sig, 0x2E50, 96}, {owner_pqc_sig, 0x2EB0, 4628}, {preamble_reserved, 0x40C4, 8},
      {header, 0x40CC, 160}, {header_revision, 0x40CC, 8}, {header_ecc_key_idx, 0x40D4, 4},
      {header_pqc_key_idx, 0x40D8, 4}, {header_flags, 0x40DC, 4}, {header_toc_len, 0x40E0, 4},
      {header_pl0_pauser, 0x40E4, 4}, {header_toc_digest, 0x40E8, 48}, {header_svn, 0x4118, 4},
      {header_vendor_data, 0x411C, 40}, {header_owner_data, 0x4144, 40},
      {fmc_toc, 0x416C, 104}, {runtime_toc, 0x41D4, 104},
  });
  EXPECT_EQ(kManifestBytes, 16956u);
  EXPECT_EQ(kManifestBytes, 0x423Cu);
  EXPECT_EQ(kMarker, 0x324E4D43u);
  // Key descriptor internals: version u16, key_type / reserved u8, count u8, hashes.
  EXPECT_EQ(ecc_key_descriptor.at(descriptor::version).offset, 0x000Cu);
  EXPECT_EQ(pqc_key_descriptor.at(descriptor::type_or_reserved).offset, 0x00D2u);
  EXPECT_EQ(pqc_key_descriptor.at(descriptor::count).offset, 0x00D3u);
  EXPECT_EQ(pqc_key_descriptor.at(descriptor::hashes).offset, 0x00D4u);
}

TEST(Layout, Cmn2SignedAndHashedRangesMatchSpec) {
  using namespace cmn2;
  EXPECT_EQ(kVendorSignedHeaderBytes, 120u);  // §0.4: vendor signs header [0, 120)
  EXPECT_EQ(header.size, 160u);               // owner signs all 160 bytes
  EXPECT_EQ(vendor_key_descriptors.offset, 0x000Cu);  // §1.4: FUSE_VENDOR_PK_HASH over 0x000C..0x06D4
  EXPECT_EQ(vendor_key_descriptors.end(), 0x06D4u);
  EXPECT_EQ(owner_pub_keys.offset, 0x23D0u);          // CPTRA_OWNER_PK_HASH over 0x23D0..0x2E50
  EXPECT_EQ(owner_pub_keys.end(), 0x2E50u);
  EXPECT_EQ(tocs.size, 208u);                          // §1.3: toc_digest over both entries
}

TEST(Layout, TocEntryMatchesSpec) {
  using namespace toc;
  check({{id, 0, 4}, {type, 4, 4}, {revision, 8, 20}, {version, 28, 4}, {reserved_v2, 32, 8}, {load_addr, 40, 4},
         {entry_point, 44, 4}, {offset, 48, 4}, {size, 52, 4}, {digest, 56, 48}});
  check({{svn_v1, 32, 4}, {reserved_v1, 36, 4}});  // §1.7: 1.x svn at 32, reserved at 36
  EXPECT_EQ(kBytes, 104u);
}

TEST(Layout, CmanManifestMatchesSpecSection1_7) {
  using namespace cman;
  check({
      {marker, 0x0000, 4}, {size, 0x0004, 4}, {vendor_ecc_pub_keys, 0x0008, 384}, {vendor_lms_pub_keys, 0x0188, 1536},
      {vendor_ecc_key_idx, 0x0788, 4}, {vendor_lms_key_idx, 0x078C, 4}, {vendor_ecc_sig, 0x0790, 96},
      {vendor_lms_sig, 0x07F0, 1620}, {owner_ecc_pub_key, 0x0E44, 96}, {owner_lms_pub_key, 0x0EA4, 48},
      {owner_ecc_sig, 0x0ED4, 96}, {owner_lms_sig, 0x0F34, 1620}, {preamble_reserved, 0x1588, 8},
      {header, 0x1590, 156}, {header_toc_digest, 0x15AC, 48}, {header_vendor_data, 0x15DC, 40},
      {header_owner_data, 0x1604, 40}, {fmc_toc, 0x162C, 104}, {runtime_toc, 0x1694, 104},
  });
  EXPECT_EQ(kManifestBytes, 5884u);
  EXPECT_EQ(kManifestBytes, 0x16FCu);
  EXPECT_EQ(kMarker, 0x4E414D43u);
  EXPECT_EQ(kVendorSignedHeaderBytes, 116u);  // §1.7: vendor signs header [0, 116)
  EXPECT_EQ(vendor_pub_keys.offset, 0x0008u);   // FUSE_KEY_MANIFEST_PK_HASH: 0x0008..0x0788, 1920 bytes
  EXPECT_EQ(vendor_pub_keys.size, 1920u);
  EXPECT_EQ(owner_pub_keys.size, 144u);          // FUSE_OWNER_PK_HASH: owner ECC ‖ LMS, 144 bytes
  EXPECT_EQ(header_owner_data.at(dates::epoch_v1).offset, 0x1604u + 30);
}

TEST(Layout, Atm2SocManifestMatchesSpecSection5_2) {
  using namespace atm2;
  check({
      {marker, 0, 4}, {size, 4, 4}, {version, 8, 4}, {svn, 12, 4}, {flags, 16, 4}, {vendor_pub_keys, 20, 2688},
      {vendor_pub_keys_signatures, 2708, 4724}, {owner_pub_keys, 7432, 2688}, {owner_pub_keys_signatures, 10120, 4724},
      {vendor_imc_signatures, 14844, 4724}, {owner_imc_signatures, 19568, 4724}, {entry_count, 24292, 4},
  });
  EXPECT_EQ(kPreambleBytes, 24292u);
  EXPECT_EQ(kEntriesOffset, 24296u);
  EXPECT_EQ(kMarker, 0x324D5441u);
  EXPECT_EQ(vendor_signed.offset, 8u);  // vendor FW keys sign bytes [8, 2708)
  EXPECT_EQ(vendor_signed.end(), 2708u);
  using namespace ime;
  check({{fw_id, 0, 4}, {component_id, 4, 4}, {classification, 8, 4}, {ime::flags, 12, 4}, {load_addr, 16, 8},
         {staging_addr, 24, 8}, {digest, 32, 48}});
  EXPECT_EQ(ime::kBytes, 80u);
}

}  // namespace
}  // namespace calemu::image
