// A real Server on 127.0.0.1, port 0, running on a thread of its own, with the process's
// default logger capturing JSON lines so that tests can read what the server logged.
#pragma once

#include "core/common/logging.hpp"
#include "host/server/server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::server::testing {

// Keeps every formatted line; safe to read while other threads log.
class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::string> lines() {
        const std::lock_guard lock(mutex_);
        return lines_;
    }

    // The captured lines parsed as JSON; a line that does not parse fails the test.
    std::vector<nlohmann::json> json_lines() {
        std::vector<nlohmann::json> parsed;
        for (const auto& line : lines()) {
            auto value = nlohmann::json::parse(line, nullptr, false);
            EXPECT_FALSE(value.is_discarded()) << "log line is not JSON: " << line;
            parsed.push_back(std::move(value));
        }
        return parsed;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        std::string line(formatted.data(), formatted.size());
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
        }
        lines_.push_back(std::move(line));
    }
    void flush_() override {}

private:
    std::vector<std::string> lines_;
};

class ServerFixture : public ::testing::Test {
protected:
    ServerFixture() {
        options.port = 0;
        options.io_threads = 1;
        options.worker_threads = 2;
        options.handle_signals = false;
        options.read_timeout = std::chrono::seconds(5);
        options.idle_timeout = std::chrono::seconds(5);
        options.shutdown_grace = std::chrono::seconds(5);
        logging::setup_logging({logging::Format::json, spdlog::level::debug}, logs);
    }

    ~ServerFixture() override {
        stop_and_join();
        if (logs && (::testing::Test::HasFailure() || std::getenv("SB_SHOW_SERVER_LOGS"))) {
            for (const auto& line : logs->lines()) {
                std::cerr << "  log: " << line << '\n';
            }
        }
        spdlog::set_default_logger(previous_logger_);
    }

    // Builds the server from `options`, lets `add_routes` register routes, and runs it.
    template <class AddRoutes>
    void start(AddRoutes&& add_routes) {
        server = std::make_unique<Server>(options, registry);
        add_routes(server->router());
        auto listening = server->listen();
        ASSERT_TRUE(listening) << listening.error().message;
        port = listening->port();
        ASSERT_NE(port, 0);
        // With one I/O thread, the thread calling run() is the I/O thread.
        std::promise<std::thread::id> id_promise;
        auto id_future = id_promise.get_future();
        run_result = std::async(std::launch::async, [this, id = std::move(id_promise)]() mutable {
            id.set_value(std::this_thread::get_id());
            return server->run();
        });
        io_thread = id_future.get();
    }

    void start() {
        start([](Router&) {});
    }

    // Stops the server and waits (bounded) for run() to return; true if it did.
    bool stop_and_join(std::chrono::seconds within = std::chrono::seconds(10)) {
        if (!server || !run_result.valid()) {
            return true;
        }
        server->stop();
        if (run_result.wait_for(within) != std::future_status::ready) {
            ADD_FAILURE() << "server run() did not return within the bound";
            return false;
        }
        const auto result = run_result.get();
        EXPECT_TRUE(result) << (result ? "" : result.error().message);
        return true;
    }

    ServerOptions options;
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    std::unique_ptr<Server> server;
    std::uint16_t port = 0;
    std::thread::id io_thread;
    std::future<Result<void>> run_result;
    std::shared_ptr<CaptureSink> logs = std::make_shared<CaptureSink>();

private:
    std::shared_ptr<spdlog::logger> previous_logger_ = spdlog::default_logger();
};

} // namespace switchboard::server::testing
