// `switchboard rotate-keys`: re-encrypts every stored token and every stored idempotent
// result under the current primary key (CONNECTOR_ENCRYPTION_KEY), opening the old ones with
// CONNECTOR_ENCRYPTION_KEYS_OLD, in batches of --batch-size rows, each batch one transaction.
// Interrupted, it resumes where it stopped when run again (done rows count as already
// current). Prints the counts; exits 1 when a token or result could not be opened by any key
// (those rows are left untouched; connectors are listed).
// It first checks that the keys open the database's encryption key check (refusing, like
// `serve`, when none does) and finally moves that check to the primary key.
#include "core/crypto/encryption_keys.hpp"
#include "core/store/database.hpp"
#include "core/store/key_check.hpp"
#include "core/store/key_rotation.hpp"
#include "host/app/database_url_from_config.hpp"
#include "host/app/logging.hpp"
#include "host/cli/commands.hpp"

#include <iostream>

namespace switchboard::cli {

namespace {

void print_counts(std::ostream& out, const store::RotationReport& report) {
    out << "scanned: " << report.scanned << "\n"
        << "rotated: " << report.rotated << "\n"
        << "already current: " << report.already_current << "\n"
        << "failed: " << report.failed << "\n";
    const auto& results = report.idempotent_results;
    out << "idempotent results: " << results.scanned << " scanned, " << results.rotated
        << " rotated, " << results.already_current << " already current, " << results.failed
        << " failed" << std::endl;
}

int run_rotate_keys(const CommonOptions& options, std::size_t batch_size) {
    auto config = load_command_config(options, /*required=*/true);
    if (!config) {
        return kExitUsage;
    }
    app::setup_logging(config->log);
    config::ProcessEnvironment environment;
    auto keys = crypto::load_encryption_keys_from_environment(
        [&environment](std::string_view name) {
            return config::read_secret(environment, std::string(name));
        });
    if (!keys) {
        print_error(keys.error().message);
        return kExitFailure;
    }
    auto url = app::database_url_from_config(config->database, environment);
    if (!url) {
        print_error(url.error().message);
        return kExitFailure;
    }
    store::DatabaseOptions database_options;
    database_options.pool_size = 1;
    database_options.sqlite_synchronous_full = config->database.sqlite_synchronous_full;
    auto database = store::Database::open(*url, database_options);
    if (!database) {
        print_error(database.error().message);
        return kExitFailure;
    }
    // Keys that do not fit the database would rotate nothing and report every row failed.
    if (auto checked = store::verify_key_check(**database, *keys); !checked) {
        print_error(checked.error().message);
        return kExitFailure;
    }
    std::cerr << "rotating token keys in " << (*database)->redacted_url() << " ("
              << keys->key_count() << " key(s) configured, batches of " << batch_size << ")"
              << std::endl;
    store::RotationOptions rotation;
    rotation.batch_size = batch_size;
    rotation.on_progress = [](const store::RotationReport& so_far) {
        std::cerr << "  batch committed: " << so_far.scanned << " scanned, " << so_far.rotated
                  << " rotated, " << so_far.already_current << " already current, "
                  << so_far.failed << " failed" << std::endl;
    };
    auto report = store::rotate_keys(**database, *keys, rotation);
    if (!report) {
        print_error(report.error().message + " (committed batches are done; run the command "
                                             "again to finish)");
        return kExitFailure;
    }
    if (auto moved = store::rotate_key_check(**database, *keys); !moved) {
        print_error(moved.error().message);
        return kExitFailure;
    }
    print_counts(std::cout, *report);
    if (report->failed > 0) {
        std::cout << "connectors no configured key opens:";
        for (const auto& id : report->failed_ids) {
            std::cout << " " << id;
        }
        std::cout << std::endl;
        print_error(std::to_string(report->failed) +
                    " connector(s) hold a token no configured key opens; keep the key that "
                    "wrote them in CONNECTOR_ENCRYPTION_KEYS_OLD and run again");
        return kExitFailure;
    }
    if (report->idempotent_results.failed > 0) {
        print_error(std::to_string(report->idempotent_results.failed) +
                    " stored idempotent result(s) have a ciphertext no configured key opens; "
                    "keep the key that wrote them in CONNECTOR_ENCRYPTION_KEYS_OLD and run again");
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace

void add_rotate_keys_command(CommandSet& commands) {
    auto batch_size = std::make_shared<std::size_t>(100);
    CLI::App* command = commands.add(
        commands.app(), "rotate-keys",
        "Re-encrypt every stored token under CONNECTOR_ENCRYPTION_KEY (old keys from "
        "CONNECTOR_ENCRYPTION_KEYS_OLD); resumable; prints scanned/rotated/already "
        "current/failed",
        [batch_size](const CommonOptions& options) {
            return run_rotate_keys(options, *batch_size);
        });
    command->add_option("--batch-size", *batch_size, "Rows per transaction (default 100)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
}

} // namespace switchboard::cli
