// Reading bundles and SoC manifests for people and scripts: strict structural checks with
// precise messages, and a description as JSON (rendered as text for humans).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "image/types.h"

namespace calemu::image {

enum class ImageKind { Bundle1x, Bundle2x, SocManifest };

// From the marker in the first four bytes; nullopt if the file is shorter or none matches.
std::optional<ImageKind> detect_image_kind(ByteView file);
// Throws ImageError naming the problem when the file cannot be classified.
ImageKind classify_image(ByteView file, const std::string& what);

// Throws ImageError for what makes a bundle unreadable as such: truncated manifest, wrong
// marker or size field, invalid PQC type (2.x), TOC entries pointing outside the file or
// overflowing, a file larger than the generation's maximum.
void check_bundle_structure(Generation gen, ByteView bundle);

// Describes a bundle that passed check_bundle_structure (digests are plain hex; numbers are
// numbers), including whether the TOC and image digests match and the fuse values its keys
// need. Never throws for a structurally valid bundle.
nlohmann::json describe_bundle(Generation gen, ByteView bundle);
// Parses (strictly) and describes a SoC manifest.
nlohmann::json describe_soc_manifest(ByteView manifest);

// Human-readable rendering of either description.
std::string render_description(const nlohmann::json& description);

}  // namespace calemu::image
