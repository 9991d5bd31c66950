// LMS signatures for firmware images.
//
// Caliptra's published LMS test keys are sparse trees (only leaf q = 5 holds a real LM-OTS
// key, spec §1.6), so images signed with them use q = 5. Other LMS keys are ordinary full
// trees; the caller chooses the leaf, since LMS is stateful and a leaf must never sign twice.
#pragma once
#include <cstdint>
#include <optional>

#include "image/keys.h"

namespace calemu::image {

// The 1620-byte signature of `message` (the SHA-384 digest bytes, spec §1.2). Signs with the
// sparse test tree when the key is one, else with leaf `full_tree_leaf` of the full tree;
// throws ImageError if the key is neither a test tree nor given a leaf, or if the private key
// does not belong to the public key.
Bytes lms_sign_image(const LmsKey& key, ByteView message, std::optional<uint32_t> full_tree_leaf = {});

}  // namespace calemu::image
