// libFuzzer target: image parsing, description and verification must be safe on any bytes
// (no crash, no UB, no exception other than ImageError for bad input).
#include <cstddef>
#include <cstdint>

#include "image/inspect.h"
#include "image/soc_manifest.h"
#include "image/verify.h"

namespace img = calemu::image;

namespace {

void describe(img::Generation gen, img::ByteView data) {
  try {
    img::check_bundle_structure(gen, data);
  } catch (const img::ImageError&) {
    return;
  }
  (void)img::render_description(img::describe_bundle(gen, data));
}

void verify(img::Generation gen, img::ByteView data) {
  // Unprovisioned: the key-hash checks are skipped, so inputs reach the signature and TOC rules.
  img::VerifyContext ctx;
  ctx.fuses.lifecycle = img::Lifecycle::Unprovisioned;
  (void)img::verify_bundle(gen, data, ctx);
  ctx.fuses.lifecycle = img::Lifecycle::Production;
  ctx.fuses.vendor_pk_hash[0] = 1;
  ctx.update_reset = img::ColdBootRecord{};
  (void)img::verify_bundle(gen, data, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const img::ByteView data(bytes, size);
  const auto kind = img::detect_image_kind(data);
  if (kind == img::ImageKind::SocManifest) {
    try {
      (void)img::render_description(img::describe_soc_manifest(data));
    } catch (const img::ImageError&) {
    }
    img::FuseState fuses;
    fuses.lifecycle = img::Lifecycle::Unprovisioned;
    (void)img::verify_soc_manifest(data, data, fuses, {});
    return 0;
  }
  for (img::Generation gen : {img::Generation::k1x, img::Generation::k2x}) {
    describe(gen, data);
    verify(gen, data);
  }
  return 0;
}
