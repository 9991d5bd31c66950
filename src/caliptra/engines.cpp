#include "caliptra/engines.h"

namespace calemu::caliptra {

std::vector<EngineBlock> make_engines(BlockContext&) { return {}; }

}  // namespace calemu::caliptra
