// Isolation at the level of the real host: `switchboard serve` as a child process with bad
// plugins, driven through the actions API. Isolated: a hang answers 504 plugin_timeout, a
// crash 502 plugin_crashed and then 503 provider_unavailable (Retry-After) until its
// plugin-host process is restarted, and the other provider answers 200 throughout; when the
// host is killed outright its children die with it. In-process: a hang answers 504 and does
// not hold shutdown; a crash kills the host, whose last line names the plugin call.
#include "core/crypto/multi_fernet.hpp"
#include "core/crypto/token_cipher.hpp"
#include "core/http/beast_http_client.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/database.hpp"
#include "tests/http/test_http_server.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/sha256_hex.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the switchboard executable"
#endif

namespace switchboard {
namespace {

using testing::sha256_hex;

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kApiKey = "sbk_isolation_key_0123456789abcdef";

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// True while `pid` runs; a zombie (dead, not yet reaped by whoever inherited it) does not.
bool process_exists(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
        return false;
    }
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto state = line.rfind(") ");
    return state == std::string::npos || line.substr(state + 2, 1) != "Z";
}

class ServedHost {
public:
    ServedHost(const std::filesystem::path& dir, json providers,
               const std::filesystem::path& plugins) {
        port_ = testing::free_loopback_port();
        auto key = crypto::FernetKey::generate();
        if (!key) throw std::runtime_error("no key");
        encryption_key_ = key->to_base64url();
        database_ = dir / "switchboard.db";
        json config = {
            {"server", {{"listen", "127.0.0.1"}, {"port", port_}, {"worker_threads", 4}}},
            {"database", {{"url", "sqlite://" + database_.string()}}},
            {"public_urls", {{"api_base_url", url("")}}},
            {"plugins", {{"directory", plugins.string()}}},
            {"auth",
             {{"api_keys",
               {{{"key_sha256", sha256_hex(kApiKey)}, {"tenant_id", "t1"}, {"user_id", "u1"}}}}}},
            {"providers", std::move(providers)}};
        const auto config_file = dir / "switchboard.json";
        std::ofstream(config_file) << config.dump(2);
        log_ = dir / "switchboard.log";

        // The connectors exist before the host starts (the OAuth flow is not under test).
        std::vector<crypto::TokenCipher> ciphers;
        ciphers.emplace_back(*key);
        auto keys = std::make_shared<const crypto::MultiFernet>(
            crypto::MultiFernet::create(std::move(ciphers)).value());
        auto database = store::Database::open("sqlite://" + database_.string()).value();
        repository_ = std::make_unique<store::ConnectorRepository>(database, keys);

        testing::ProcessOptions options;
        options.argv = {SB_SWITCHBOARD_EXE, "serve", "--config", config_file.string()};
        options.environment = {"CONNECTOR_ENCRYPTION_KEY=" + encryption_key_,
                               "TEST_CLIENT_ID=client", "TEST_CLIENT_SECRET=secret-value"};
        options.output_file = log_;
        process_.emplace(testing::ChildProcess::start(options));
        http::BeastHttpClientOptions client_options;
        client_options.allow_plain_http_loopback = true;
        client_options.max_attempts = 1;
        client_options.read_timeout = std::chrono::seconds(20);
        client_ = http::BeastHttpClient::create(client_options).value();
        const auto until = Clock::now() + std::chrono::seconds(30);
        while (Clock::now() < until && process_->running()) {
            auto r = client_->send({"GET", url("/healthz"), {}, {}}, {});
            if (r && r->status == 200) return;
            std::this_thread::sleep_for(milliseconds(50));
        }
        throw std::runtime_error("switchboard did not start:\n" + log());
    }

    ~ServedHost() {
        if (process_ && process_->running()) process_->stop(SIGTERM, std::chrono::seconds(15));
    }

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    std::string log() const { return read_file(log_); }
    testing::ChildProcess& process() { return *process_; }

    std::string connector(const std::string& provider) {
        store::NewConnector c;
        c.user_id = "u1";
        c.category = "calendar";
        c.provider = provider;
        c.name = provider;
        c.account_identity = provider + "@example.com";
        c.tokens.access_token = "access-" + provider;
        c.tokens.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(
            std::chrono::system_clock::now() + std::chrono::hours(1));
        return repository_->create("t1", c).value().id;
    }

    Result<http::HttpResponse> delete_event(const std::string& connector_id,
                                            const std::string& event_id) {
        return client_->send({"POST", url("/api/v1/connectors/" + connector_id +
                                          "/actions/delete_event"),
                              {{"Authorization", std::string("Bearer ") + kApiKey},
                               {"Content-Type", "application/json"}},
                              json({{"event_id", event_id}}).dump()},
                             {});
    }

    Result<http::HttpResponse> get(const std::string& path) {
        return client_->send({"GET", url(path), {}, {}}, {});
    }

private:
    std::uint16_t port_ = 0;
    std::string encryption_key_;
    std::filesystem::path database_;
    std::filesystem::path log_;
    std::unique_ptr<store::ConnectorRepository> repository_;
    std::optional<testing::ChildProcess> process_;
    std::unique_ptr<http::BeastHttpClient> client_;
};

std::string error_code(const http::HttpResponse& r) {
    auto body = json::parse(r.body, nullptr, false);
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

// The pids the host logged for `plugin`'s children (named by the plugin once its hello was
// checked, by the library's file before: "[plugin hangs pid N" or "[plugin sbt_hangs.so pid N").
std::set<pid_t> child_pids(const std::string& log, const std::string& plugin) {
    std::set<pid_t> pids;
    const std::regex line("\\[plugin (?:" + plugin + "|sbt_" + plugin + "\\.so) pid ([0-9]+)");
    for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
         ++it) {
        pids.insert(std::stoi((*it)[1]));
    }
    return pids;
}

class IsolationServeTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::filesystem::create_directory(plugins_);
        for (const char* name : {"good_one", "crashes", "hangs"}) {
            std::filesystem::copy_file(testing::test_library(name),
                                       plugins_ / testing::test_library_file(name));
        }
    }

    json calendar() const {
        return {{"library", "sbt_good_one.so"},
                {"overrides", {{"api_base_url", provider_api_.url("")}}}};
    }

    testing::PluginsDir dir_;
    std::filesystem::path plugins_ = dir_.path() / "plugins";
    http::test_support::TestHttpServer provider_api_{[](const http::test_support::ReceivedRequest& r) {
        const std::string id = r.target.substr(r.target.rfind('/') + 1);
        return http::test_support::ScriptedResponse{
            200, {{"Content-Type", "application/json"}},
            json({{"deleted", true}, {"event_id", id}}).dump()};
    }};
};

TEST_F(IsolationServeTest, IsolatedBadPluginsCostTheirCallsAndTheHostServesOn) {
    ServedHost host(dir_.path(),
                    {{"test_calendar", calendar()},
                     {"test_crashes",
                      {{"library", "sbt_crashes.so"}, {"mode", "isolated"},
                       {"restart_backoff_ms", 1000}, {"processes", 1}}},
                     {"test_hangs",
                      {{"library", "sbt_hangs.so"}, {"mode", "isolated"},
                       {"call_timeout_ms", 500}}}},
                    plugins_);
    const std::string calendar_id = host.connector("test_calendar");
    const std::string crashes_id = host.connector("test_crashes");
    const std::string hangs_id = host.connector("test_hangs");

    auto ok = host.delete_event(calendar_id, "e1");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->status, 200) << ok->body;

    auto started = Clock::now();
    auto hung = host.delete_event(hangs_id, "e1");
    ASSERT_TRUE(hung) << hung.error().message;
    EXPECT_EQ(hung->status, 504) << hung->body;
    EXPECT_EQ(error_code(*hung), "plugin_timeout");
    EXPECT_LT(Clock::now() - started, milliseconds(5000));

    auto crashed = host.delete_event(crashes_id, "e1");
    ASSERT_TRUE(crashed) << crashed.error().message;
    EXPECT_EQ(crashed->status, 502) << crashed->body;
    EXPECT_EQ(error_code(*crashed), "plugin_crashed");

    auto restarting = host.delete_event(crashes_id, "e1");
    ASSERT_TRUE(restarting);
    EXPECT_EQ(restarting->status, 503) << restarting->body;
    EXPECT_EQ(error_code(*restarting), "provider_unavailable");
    EXPECT_EQ(restarting->header("retry-after").value_or(""), "1");

    auto still_ok = host.delete_event(calendar_id, "e2");
    ASSERT_TRUE(still_ok);
    EXPECT_EQ(still_ok->status, 200) << "other providers are unaffected: " << still_ok->body;

    // After the backoff, a new plugin-host process runs the call (and crashes again).
    std::this_thread::sleep_for(milliseconds(1300));
    auto again = host.delete_event(crashes_id, "e1");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 502) << again->body;
    EXPECT_EQ(error_code(*again), "plugin_crashed");
    EXPECT_GE(child_pids(host.log(), "crashes").size(), 2u) << host.log();

    auto metrics = host.get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find(
                  R"(switchboard_plugin_faults_total{fault="crashed",mode="isolated",provider="test_crashes"} 2)"),
              std::string::npos)
        << metrics->body.substr(0, 4000);
    EXPECT_NE(metrics->body.find(
                  R"(switchboard_plugin_faults_total{fault="timeout",mode="isolated",provider="test_hangs"} 1)"),
              std::string::npos);

    // Killed outright, the host takes its children along (PR_SET_PDEATHSIG). The supervisor
    // keeps one process of each isolated library alive: wait until one runs (a restart
    // may still be starting).
    std::set<pid_t> alive;
    const auto started_by = Clock::now() + std::chrono::seconds(15);
    while (alive.empty() && Clock::now() < started_by) {
        std::set<pid_t> children = child_pids(host.log(), "hangs");
        const auto crash_children = child_pids(host.log(), "crashes");
        children.insert(crash_children.begin(), crash_children.end());
        for (pid_t pid : children) {
            if (process_exists(pid)) alive.insert(pid);
        }
        std::this_thread::sleep_for(milliseconds(50));
    }
    ASSERT_FALSE(alive.empty()) << "no plugin-host process runs before the kill:\n" << host.log();
    host.process().stop(SIGKILL, std::chrono::seconds(5));
    const auto until = Clock::now() + std::chrono::seconds(5);
    for (pid_t pid : alive) {
        while (process_exists(pid) && Clock::now() < until) {
            std::this_thread::sleep_for(milliseconds(20));
        }
        EXPECT_FALSE(process_exists(pid)) << "plugin-host " << pid << " outlived the host";
    }
}

TEST_F(IsolationServeTest, AnInProcessHangIsAnsweredAtTheDeadlineAndDoesNotHoldShutdown) {
    ServedHost host(dir_.path(),
                    {{"test_calendar", calendar()},
                     {"test_hangs", {{"library", "sbt_hangs.so"}, {"call_timeout_ms", 300}}}},
                    plugins_);
    const std::string calendar_id = host.connector("test_calendar");
    const std::string hangs_id = host.connector("test_hangs");
    for (int i = 0; i < 2; ++i) {
        auto hung = host.delete_event(hangs_id, "e1");
        ASSERT_TRUE(hung) << hung.error().message;
        EXPECT_EQ(hung->status, 504) << hung->body;
        EXPECT_EQ(error_code(*hung), "plugin_timeout");
    }
    auto ok = host.delete_event(calendar_id, "e1");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << "the workers are free: " << ok->body;
    auto metrics = host.get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find(
                  R"(switchboard_plugin_faults_total{fault="timeout",mode="in_process",provider="test_hangs"} 2)"),
              std::string::npos);
    // Two threads are stuck in the plugin for good; stopping the host does not wait for them.
    const auto started = Clock::now();
    const auto status = host.process().stop(SIGTERM, std::chrono::seconds(20));
    EXPECT_TRUE(status.exited_with(0)) << status.describe() << "\n" << host.log();
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(15));
}

TEST_F(IsolationServeTest, AnInProcessCrashKillsTheHostWhoseLastLineNamesTheCall) {
    ServedHost host(dir_.path(),
                    {{"test_calendar", calendar()},
                     {"test_crashes", {{"library", "sbt_crashes.so"}}}},
                    plugins_);
    const std::string crashes_id = host.connector("test_crashes");
    auto answer = host.delete_event(crashes_id, "e1");
    EXPECT_FALSE(answer && answer->status == 200) << "the host died during the request";
    auto status = host.process().wait_for(std::chrono::seconds(10));
    ASSERT_TRUE(status) << "the host is still running";
    EXPECT_TRUE(status->killed_by(SIGSEGV)) << status->describe();
    EXPECT_NE(host.log().find("switchboard: fatal signal 11 (SIGSEGV) in a plugin call: library "
                              "sbt_crashes.so, provider test_crashes, action delete_event, "
                              "connector " +
                              crashes_id),
              std::string::npos)
        << host.log();
}

} // namespace
} // namespace switchboard
