// A host of a test's own (beside the suite's shared one), for the tests that need their own
// config (a log level, webhooks, rate limits off) or their own database to check row by row.
// It shares the suite's simulator, keys and secrets.
#pragma once

#include "tests/e2e/e2e_suite.hpp"
#include "tests/support/free_port.hpp"

#include <memory>
#include <string>
#include <vector>

namespace switchboard::e2e {

class OwnHostE2E : public E2E {
protected:
    struct OwnHost {
        std::unique_ptr<testing::TempDir> dir;
        std::string database_url;
        std::unique_ptr<Host> host;
        std::string url(const std::string& path) const { return host->url(path); }
    };

    // Starts a host with the suite's config patched by `patch` (a JSON merge patch) and the
    // suite's environment plus `extra_environment`.
    static OwnHost start_own_host(const json& patch, const std::vector<std::string>& extra_environment = {}) {
        OwnHost own;
        own.dir = std::make_unique<testing::TempDir>("sb-e2e-own-");
        own.database_url = new_database_url(own.dir->path());
        json config = host_config(own.dir->path(), own.database_url);
        config.merge_patch(patch);
        const std::uint16_t port = testing::free_loopback_port();
        auto environment = host_environment();
        environment.push_back("API_BASE_URL=http://127.0.0.1:" + std::to_string(port));
        for (const auto& entry : extra_environment) environment.push_back(entry);
        own.host = std::make_unique<Host>(own.dir->path(), config, environment, port);
        return own;
    }
};

} // namespace switchboard::e2e
