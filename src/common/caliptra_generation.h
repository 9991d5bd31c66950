// Which Caliptra major version a ROM, firmware image or machine belongs to.
#pragma once

namespace calemu {

enum class CaliptraGeneration { k1x, k2x };

}  // namespace calemu
