#include "image/lms_sign.h"

namespace calemu::image {

Bytes lms_sign_image(const LmsKey& key, ByteView message, std::optional<uint32_t> full_tree_leaf) {
  using crypto::lms::Signer;
  using crypto::lms::TreeGeneration;
  if (!key.priv) throw ImageError(key.source + ": no LMS private key to sign with");
  try {
    const Signer sparse(*key.priv, TreeGeneration::CaliptraSparse);
    if (sparse.public_key() == key.pub) return sparse.sign(crypto::lms::kCaliptraSparseLeaf, message);
    if (!full_tree_leaf)
      throw ImageError(key.source + ": not one of Caliptra's sparse LMS test trees; choose a leaf of the full tree "
                                    "to sign with (--lms-leaf; each leaf may sign only once)");
    const Signer full(*key.priv, TreeGeneration::Full);
    if (full.public_key() != key.pub)
      throw ImageError(key.source + ": the LMS private key does not produce this public key");
    return full.sign(*full_tree_leaf, message);
  } catch (const crypto::CryptoError& e) {
    throw ImageError(key.source + ": " + e.what());
  }
}

}  // namespace calemu::image
