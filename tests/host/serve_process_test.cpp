// What an operator sees of the running `switchboard serve`: no core dumps, the access log in
// both formats (fields, tenant, never a query secret or a credential), /readyz saying ready
// and nothing more, the API answering with a trailing slash, /metrics on its own endpoint.
#include "tests/host/serve_process.hpp"
#include "tests/support/free_port.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <sstream>

namespace switchboard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::body_of;
using testing::raw_exchange;
using testing::ServeProcess;
using testing::status_of;

std::string get(std::uint16_t port, const std::string& target, bool authorized = true) {
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          "X-Request-Id: probe-" + std::to_string(target.size()) + "\r\n";
    if (authorized) {
        request += "Authorization: Bearer " + std::string(testing::serve_api_key) + "\r\n";
    }
    return raw_exchange(port, request + "\r\n");
}

// The lines of the host's log that are access log lines.
std::vector<std::string> access_lines(const std::string& log) {
    std::vector<std::string> lines;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.find("http request") != std::string::npos) {
            lines.push_back(line);
        }
    }
    return lines;
}

// Raises this process's soft core limit (the child inherits it) for the scope.
class CoreLimitRaised {
public:
    CoreLimitRaised() {
        ::getrlimit(RLIMIT_CORE, &saved_);
        rlimit raised = saved_;
        raised.rlim_cur = raised.rlim_max == RLIM_INFINITY
                              ? 1024 * 1024
                              : std::min<rlim_t>(raised.rlim_max, 1024 * 1024);
        ::setrlimit(RLIMIT_CORE, &raised);
    }
    ~CoreLimitRaised() { ::setrlimit(RLIMIT_CORE, &saved_); }
    CoreLimitRaised(const CoreLimitRaised&) = delete;
    CoreLimitRaised& operator=(const CoreLimitRaised&) = delete;

private:
    rlimit saved_{};
};

TEST(ServeProcess, CoreDumpsAreOff) {
    const CoreLimitRaised raised; // so that the host has something to lower
    ServeProcess host;
    // RLIMIT_CORE 0, soft and hard, as the kernel reports it for the running process.
    const std::string limits = host.proc_line("limits", "Max core file size");
    ASSERT_FALSE(limits.empty());
    std::istringstream fields(limits.substr(std::string("Max core file size").size()));
    std::string soft;
    std::string hard;
    fields >> soft >> hard;
    EXPECT_EQ(soft, "0") << limits;
    EXPECT_EQ(hard, "0") << limits;
}

TEST(ServeProcess, AccessLogInJsonCarriesTheTenantAndNoSecret) {
    ServeProcess host;
    const auto list = get(host.port(), "/api/v1/connectors/?code=SECRETCODE&state=SECRETSTATE");
    ASSERT_EQ(status_of(list), 200) << list;
    EXPECT_EQ(nlohmann::json::parse(body_of(list)), nlohmann::json::parse(R"({"connectors":[]})"))
        << "the trailing slash answers as the path without it";
    EXPECT_EQ(status_of(get(host.port(), "/api/v1/connectors", false)), 401);
    host.stop(); // flushes the log

    nlohmann::json list_line;
    nlohmann::json anonymous_line;
    for (const auto& line : access_lines(host.log())) {
        const auto parsed = nlohmann::json::parse(line);
        if (parsed.value("path", "") == "/api/v1/connectors/") {
            list_line = parsed;
        } else if (parsed.value("path", "") == "/api/v1/connectors") {
            anonymous_line = parsed;
        }
    }
    ASSERT_TRUE(list_line.is_object()) << host.log();
    EXPECT_EQ(list_line["message"], "http request");
    EXPECT_EQ(list_line["method"], "GET");
    EXPECT_EQ(list_line["route"], "/api/v1/connectors");
    EXPECT_EQ(list_line["status"], 200);
    EXPECT_EQ(list_line["tenant"], "serve-tenant");
    EXPECT_TRUE(list_line["request_id"].get<std::string>().rfind("probe-", 0) == 0);
    EXPECT_TRUE(list_line["duration_ms"].is_number());
    EXPECT_TRUE(list_line["bytes_out"].is_number());
    ASSERT_TRUE(anonymous_line.is_object());
    EXPECT_EQ(anonymous_line["status"], 401);
    EXPECT_TRUE(anonymous_line["tenant"].is_null());
    EXPECT_THAT(host.log(), Not(HasSubstr("SECRET")));
    EXPECT_THAT(host.log(), Not(HasSubstr(testing::serve_api_key)));
}

TEST(ServeProcess, AccessLogInTextCarriesTheSameFields) {
    ServeProcess host(nlohmann::json::object(), {{"log", {{"format", "text"}}}});
    ASSERT_EQ(status_of(get(host.port(), "/api/v1/connectors?code=SECRETCODE")), 200);
    host.stop();
    const auto lines = access_lines(host.log());
    ASSERT_EQ(lines.size(), 2u) << host.log(); // the start-up probe of /healthz, and this one
    const auto& line = lines[1];
    for (const auto* part : {" method=GET", " path=/api/v1/connectors ", " status=200",
                             " duration_ms=", " bytes_in=0", " bytes_out=", " request_id=probe-",
                             " tenant=serve-tenant"}) {
        EXPECT_THAT(line, HasSubstr(part));
    }
    EXPECT_THAT(host.log(), Not(HasSubstr("SECRET")));
    EXPECT_THAT(host.log(), Not(HasSubstr(testing::serve_api_key)));
}

TEST(ServeProcess, ReadyzSaysReadyAndMetricsMoveToTheirOwnPort) {
    const std::uint16_t metrics_port = testing::free_loopback_port();
    ServeProcess host(
        nlohmann::json{{"metrics_listen", "127.0.0.1"}, {"metrics_port", metrics_port}});
    const auto ready = get(host.port(), "/readyz", false);
    EXPECT_EQ(status_of(ready), 200);
    EXPECT_EQ(nlohmann::json::parse(body_of(ready)), nlohmann::json({{"status", "ready"}}));
    EXPECT_EQ(status_of(get(host.port(), "/metrics", false)), 404);
    const auto metrics = get(metrics_port, "/metrics", false);
    EXPECT_EQ(status_of(metrics), 200);
    EXPECT_THAT(metrics, HasSubstr("switchboard_http_requests_total"));
}

} // namespace
} // namespace switchboard
