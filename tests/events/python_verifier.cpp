#include "tests/events/python_verifier.hpp"

#include "tests/support/child_process.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>

namespace switchboard::events::test {

std::vector<std::string> python_verify(const std::vector<SignedRequest>& requests) {
    constexpr const char* python = "/usr/bin/python3";
    if (!std::filesystem::exists(python)) throw std::runtime_error("missing /usr/bin/python3");
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& request : requests) {
        checks.push_back(
            {{"secret", request.secret},
             {"header", request.header},
             {"body", request.body},
             {"now", std::chrono::duration_cast<std::chrono::seconds>(
                         request.now.time_since_epoch())
                         .count()}});
    }
    testing::ProcessOptions options;
    options.argv = {python, SB_VERIFY_WEBHOOK_SCRIPT};
    const auto result = testing::run_process(options, checks.dump(), std::chrono::seconds(60));
    if (!result.status.exited_with(0)) {
        throw std::runtime_error("verify_webhook.py " + result.status.describe() + ": " +
                                 result.error);
    }
    return nlohmann::json::parse(result.output).get<std::vector<std::string>>();
}

} // namespace switchboard::events::test
