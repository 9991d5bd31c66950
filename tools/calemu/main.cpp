// calemu: a Caliptra Root-of-Trust emulator. Thin CLI over the library.
#include <cstdio>
#include <exception>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "calemu - emulator of the Caliptra Root-of-Trust (VeeR EL2 hart and Caliptra IP blocks)\n\n"
      "Exit codes: 0 success (or the guest's own exit status), 2 bad arguments or input,\n"
      "3 instruction budget exhausted, 4 core asleep with nothing to wake it, 5 fatal emulated error."};
  app.require_subcommand(1);
  app.fallthrough(false);
  int exit_code = 0;
  calemu::cli::add_run_elf(app, exit_code);
  calemu::cli::add_demo(app, exit_code);
  calemu::cli::add_image(app, exit_code);
  calemu::cli::add_boot(app, exit_code);
  calemu::cli::add_regmap(app, exit_code);
  calemu::cli::add_serve(app, exit_code);
  calemu::cli::add_mbox(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : calemu::cli::kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu: %s\n", e.what());
    return calemu::cli::kUsage;
  }
  return exit_code;
}
