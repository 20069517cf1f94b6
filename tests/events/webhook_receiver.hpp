// WebhookReceiver: a product's webhook endpoint for tests — a real HTTP server on loopback
// (port 0) that takes events (200), refuses them (503), or drops the connection without an
// answer, as told, and keeps what it took.
#pragma once

#include "tests/http/test_http_server.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard::events::test {

class WebhookReceiver {
public:
    enum class Mode { take, refuse, drop, hang };

    WebhookReceiver()
        : server_([this](const http::test_support::ReceivedRequest& request) {
              return handle(request);
          }) {}

    std::string url() const { return server_.url("/hooks/switchboard"); }
    void set_mode(Mode mode) { mode_ = mode; }

    // Every request that arrived, and those answered 200, in arrival order.
    std::size_t attempts() const { return attempts_.load(); }
    std::vector<http::test_support::ReceivedRequest> taken() const {
        std::lock_guard lock(mutex_);
        return taken_;
    }
    // The bodies taken, parsed.
    std::vector<nlohmann::json> taken_events() const {
        std::vector<nlohmann::json> out;
        for (const auto& request : taken()) out.push_back(nlohmann::json::parse(request.body));
        return out;
    }

    // Polls `done` every 20 ms for at most `timeout`.
    static bool wait_until(const std::function<bool()>& done,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return done();
    }

private:
    http::test_support::ScriptedResponse handle(const http::test_support::ReceivedRequest& request) {
        ++attempts_;
        http::test_support::ScriptedResponse response;
        switch (mode_.load()) {
        case Mode::take: {
            std::lock_guard lock(mutex_);
            taken_.push_back(request);
            response.status = 200;
            break;
        }
        case Mode::refuse: response.status = 503; break;
        case Mode::drop: response.drop_unanswered = true; break;
        case Mode::hang: response.never_answer = true; break;
        }
        return response;
    }

    std::atomic<Mode> mode_{Mode::take};
    std::atomic<std::size_t> attempts_{0};
    mutable std::mutex mutex_;
    std::vector<http::test_support::ReceivedRequest> taken_;
    http::test_support::TestHttpServer server_; // last: stopped before the rest goes
};

} // namespace switchboard::events::test
