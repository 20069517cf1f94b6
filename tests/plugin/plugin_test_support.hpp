// Helpers shared by the loader, connector and CLI tests: where the test libraries are, a
// temporary plugins directory, a logger that keeps its lines, and a CallContext fake.
#pragma once

#include "core/config/config.hpp"
#include "core/plugin/call_context.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#ifndef SBT_LIBS_DIR
#error "SBT_LIBS_DIR must name the directory of the test plugin libraries"
#endif

namespace switchboard::testing {

// The built test library `name` (tests/plugin/libs/<name>.c), e.g. "good_one".
inline std::filesystem::path test_library(std::string_view name) {
    std::filesystem::path file =
        std::filesystem::path(SBT_LIBS_DIR) / ("sbt_" + std::string(name) + ".so");
    EXPECT_TRUE(std::filesystem::exists(file)) << "missing test library " << file;
    return file;
}

// The library file name of test library `name` ("good_one" -> "sbt_good_one.so").
inline std::string test_library_file(std::string_view name) {
    return "sbt_" + std::string(name) + ".so";
}

// A provider's config naming test library `name` as its library, in `mode`.
inline config::ProviderConfig provider_in(
    std::string_view name, config::PluginMode mode = config::PluginMode::in_process) {
    config::ProviderConfig config;
    config.library = test_library_file(name);
    config.mode = mode;
    return config;
}

// A fresh plugins directory under the system temp dir (test libraries are copied in), removed
// with everything in it. (Not tests/support/temp_dir.hpp's TempDir: one name for two classes
// broke the one-definition rule in the tests that link both.)
class PluginsDir {
public:
    PluginsDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "sb-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            ADD_FAILURE() << "mkdtemp failed for " << pattern;
        }
        path_ = pattern;
    }
    ~PluginsDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    PluginsDir(const PluginsDir&) = delete;
    PluginsDir& operator=(const PluginsDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Copies test library `name` in as `file_name` (default sbt_<name>.so). Each copy is a
    // distinct file, so the dynamic loader gives it its own instance and counters.
    std::filesystem::path add_library(std::string_view name, std::string file_name = {}) const {
        if (file_name.empty()) {
            file_name = "sbt_" + std::string(name) + ".so";
        }
        std::filesystem::path target = path_ / file_name;
        std::filesystem::copy_file(test_library(name), target,
                                   std::filesystem::copy_options::overwrite_existing);
        return target;
    }

    std::filesystem::path write(const std::string& file_name, std::string_view text) const {
        std::filesystem::path target = path_ / file_name;
        std::filesystem::create_directories(target.parent_path());
        std::ofstream(target, std::ios::binary) << text;
        return target;
    }

private:
    std::filesystem::path path_;
};

// A logger whose lines ("<level> <message>") the test can read.
class CapturingLogger {
public:
    CapturingLogger() {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
        sink->set_pattern("%l %v");
        logger_ = std::make_shared<spdlog::logger>("test", sink);
        logger_->set_level(spdlog::level::trace);
    }

    const std::shared_ptr<spdlog::logger>& logger() const { return logger_; }

    std::vector<std::string> lines() const {
        logger_->flush();
        std::vector<std::string> out;
        std::istringstream in(stream_.str());
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }

    // Lines containing every one of `parts`.
    std::vector<std::string> matching(std::initializer_list<std::string_view> parts) const {
        std::vector<std::string> out;
        for (const auto& line : lines()) {
            bool all = true;
            for (auto part : parts) {
                all = all && line.find(part) != std::string::npos;
            }
            if (all) {
                out.push_back(line);
            }
        }
        return out;
    }

private:
    std::ostringstream stream_;
    std::shared_ptr<spdlog::logger> logger_;
};

// Records every request; answers with `handler` (default: 200 and body "{}").
class FakeCallContext final : public plugin::CallContext {
public:
    using Handler =
        std::function<Result<plugin::ProviderHttpResponse>(const plugin::ProviderHttpRequest&)>;

    FakeCallContext() = default;
    explicit FakeCallContext(Handler handler) : handler_(std::move(handler)) {}

    Result<plugin::ProviderHttpResponse> http(const plugin::ProviderHttpRequest& request) override {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (handler_) {
            return handler_(request);
        }
        return plugin::ProviderHttpResponse{200, {}, "{}"};
    }

    std::vector<plugin::ProviderHttpRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    Handler handler_;
    mutable std::mutex mutex_;
    std::vector<plugin::ProviderHttpRequest> requests_;
};

// A provider that deletes whatever event it is asked to: 200 {"deleted": true, "event_id": <the
// path's last segment>}.
inline FakeCallContext deleted_ok() {
    return FakeCallContext([](const plugin::ProviderHttpRequest& r)
                               -> Result<plugin::ProviderHttpResponse> {
        return plugin::ProviderHttpResponse{
            200,
            {},
            nlohmann::json({{"deleted", true}, {"event_id", r.path.substr(r.path.rfind('/') + 1)}})
                .dump()};
    });
}

} // namespace switchboard::testing
