// The switchboard executable: a CLI11 application whose commands are listed in
// host/cli/commands.hpp, one file each.
#include "host/cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>

#ifndef SB_HOST_VERSION
#define SB_HOST_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
    using namespace switchboard::cli;
    // A peer that hangs up must cost a write its EPIPE, never the process: hiredis writes
    // with write(), which raises SIGPIPE on a socket whose other end is gone.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app("Switchboard: a connector host for OAuth providers, with provider plugins",
                 "switchboard");
    app.require_subcommand(1);
    app.set_version_flag("--version", "switchboard " SB_HOST_VERSION);
    CommandSet commands(app);
#define SB_CLI_ADD_COMMAND(name) add_##name##_command(commands);
    SB_CLI_COMMANDS(SB_CLI_ADD_COMMAND)
#undef SB_CLI_ADD_COMMAND

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    try {
        return commands.run_parsed();
    } catch (const std::exception& e) {
        print_error(std::string("unexpected failure: ") + e.what());
        return kExitFailure;
    }
}
