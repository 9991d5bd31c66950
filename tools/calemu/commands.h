// Each `calemu` subcommand registers itself on the CLI11 app.
#pragma once
#include <CLI/CLI.hpp>

namespace calemu::cli {

// Exit codes shared by the subcommands (documented in `calemu --help`).
enum ExitCode : int {
  kOk = 0,
  kUsage = 2,        // bad arguments or input files
  kLimit = 3,        // instruction/cycle budget exhausted
  kIdle = 4,         // the core went to sleep with nothing to wake it
  kFatal = 5,        // emulated hardware cannot continue (double fault, fatal error)
};

void add_run_elf(CLI::App& app, int& exit_code);
void add_demo(CLI::App& app, int& exit_code);
void add_image(CLI::App& app, int& exit_code);
void add_boot(CLI::App& app, int& exit_code);
void add_regmap(CLI::App& app, int& exit_code);
void add_serve(CLI::App& app, int& exit_code);
void add_mbox(CLI::App& app, int& exit_code);

}  // namespace calemu::cli
