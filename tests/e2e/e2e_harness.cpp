#include "tests/e2e/e2e_harness.hpp"

#include "core/crypto/token_cipher.hpp"
#include "tests/support/free_port.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the built switchboard executable"
#endif
#ifndef SB_PROVIDER_SIM_EXE
#error "SB_PROVIDER_SIM_EXE must name the built provider-sim executable"
#endif
#ifndef SB_PLUGINS_DIR
#error "SB_PLUGINS_DIR must name the built plugins directory"
#endif
#ifndef SB_E2E_SOURCE_DIR
#error "SB_E2E_SOURCE_DIR must name tests/e2e"
#endif

namespace switchboard::e2e {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string tail(const std::string& text, std::size_t bytes = 6000) {
    return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

} // namespace

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

json HttpResult::json_body() const {
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        throw std::runtime_error("response body is not JSON: " + body.substr(0, 500));
    }
    return parsed;
}

std::string HttpResult::header(std::string_view name) const {
    const std::string wanted = lower(name);
    for (const auto& [key, value] : headers) {
        if (lower(key) == wanted) return value;
    }
    return {};
}

std::string HttpResult::error_code() const {
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.contains("error") || !parsed["error"].is_object()) {
        return {};
    }
    return parsed["error"].value("code", "");
}

Client::Client(bool keep_alive) {
    http::BeastHttpClientOptions options;
    options.max_attempts = 1;
    options.allow_plain_http_loopback = true;
    options.connect_timeout = std::chrono::seconds(5);
    options.read_timeout = std::chrono::seconds(60);
    options.total_deadline = std::chrono::seconds(60);
    // By default a fresh connection per request: nothing a test sees depends on a kept-alive
    // one.
    options.max_idle_connections_per_host = keep_alive ? 4 : 0;
    auto client = http::BeastHttpClient::create(options);
    if (!client) throw std::runtime_error("http client: " + client.error().message);
    client_ = std::move(*client);
}

HttpResult Client::request(const std::string& method, const std::string& url,
                           std::map<std::string, std::string> headers, std::string body) {
    http::HttpRequest request;
    request.method = method;
    request.url = url;
    for (auto& [name, value] : headers) request.headers.emplace_back(name, value);
    request.body = std::move(body);
    http::RequestOptions options;
    options.max_attempts = 1;
    auto response = client_->send(request, options);
    if (!response) {
        throw std::runtime_error(method + " " + url + ": " + response.error().code + ": " +
                                 response.error().message);
    }
    return HttpResult{response->status, std::move(response->headers), std::move(response->body)};
}

std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout) {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(request));
    std::string response;
    std::array<char, 4096> chunk{};
    asio::steady_timer timer(io, timeout);
    timer.async_wait([&](boost::system::error_code ec) {
        if (!ec) socket.close();
    });
    std::function<void()> read_more = [&] {
        socket.async_read_some(asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
            response.append(chunk.data(), n);
            if (ec) {
                timer.cancel();
                return;
            }
            read_more();
        });
    };
    read_more();
    io.run();
    return response;
}

double metric_value(const std::string& exposition, const std::string& name,
                    const std::vector<std::string>& labels) {
    double sum = 0;
    bool found = false;
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(name, 0) != 0) continue;
        const char next = line.size() > name.size() ? line[name.size()] : '\0';
        if (next != '{' && next != ' ') continue;
        const auto close = line.rfind(' ');
        const std::string head = line.substr(0, close);
        bool all = true;
        for (const auto& label : labels) all = all && head.find(label) != std::string::npos;
        if (!all) continue;
        found = true;
        sum += std::stod(line.substr(close + 1));
    }
    return found ? sum : -1;
}

std::optional<std::string> query_param(const std::string& url, const std::string& name) {
    auto parsed = boost::urls::parse_uri_reference(url);
    if (!parsed) return std::nullopt;
    for (auto param : parsed->params()) {
        if (param.key == name) return std::string(param.value);
    }
    return std::nullopt;
}

bool wait_until_healthy(Client& client, const std::string& url,
                        const std::function<bool()>& alive, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!alive()) return false;
        try {
            if (client.get(url).status == 200) return true;
        } catch (const std::exception&) {
            // not listening yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

ProviderSim::ProviderSim(const std::filesystem::path& log_file) {
    port_ = testing::free_loopback_port();
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
    testing::ProcessOptions options;
    // A generous read timeout: the proxy test's 100 MB upload arrives slowly on a busy machine.
    options.argv = {SB_PROVIDER_SIM_EXE, "--port", std::to_string(port_), "--auto-approve",
                    "--log-level", "warn", "--read-timeout", "600"};
    options.output_file = log_file;
    process_.emplace(testing::ChildProcess::start(options));
    if (!wait_until_healthy(client_, url("/_admin/health"), [this] { return process_->running(); })) {
        throw std::runtime_error("provider-sim did not start: " + tail(read_file(log_file)));
    }
}

ProviderSim::~ProviderSim() {
    if (process_) process_->stop(SIGTERM, std::chrono::seconds(5));
}

json ProviderSim::admin(const std::string& method, const std::string& path, const json& body) {
    std::map<std::string, std::string> headers;
    std::string text;
    if (!body.is_null()) {
        headers["Content-Type"] = "application/json";
        text = body.dump();
    }
    auto r = client_.request(method, url(path), headers, text);
    if (r.status / 100 != 2) {
        throw std::runtime_error("provider-sim " + method + " " + path + ": " +
                                 std::to_string(r.status) + " " + r.body);
    }
    return r.body.empty() ? json() : r.json_body();
}

int ProviderSim::calls(const std::string& method_id) {
    const json counters = admin("GET", "/_admin/counters");
    return counters.at("calls").value(method_id, 0);
}

void ProviderSim::set_auto_approve(bool on) {
    admin("PUT", "/_admin/settings", {{"auto_approve", on}});
}

Host::Host(const std::filesystem::path& dir, const json& config,
           std::vector<std::string> environment, std::uint16_t port) {
    json c = config;
    port_ = port != 0 ? port : testing::free_loopback_port();
    c["server"]["port"] = port_;
    c["server"]["listen"] = "127.0.0.1";
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
    const auto config_file = dir / "switchboard.json";
    std::ofstream(config_file) << c.dump(2);
    log_file_ = dir / "switchboard.log";
    testing::ProcessOptions options;
    options.argv = {SB_SWITCHBOARD_EXE, "serve", "--config", config_file.string(),
                    "--plugins-dir", SB_PLUGINS_DIR};
    options.environment = std::move(environment);
    // The proxy's memory test measures what the host holds, not ASan's quarantine.
    if (auto asan = testing::asan_small_quarantine_environment()) {
        options.environment.push_back(*asan);
    }
    options.output_file = log_file_;
    process_.emplace(testing::ChildProcess::start(options));
    Client client;
    if (!wait_until_healthy(client, url("/healthz"), [this] { return process_->running(); })) {
        const std::string log_text = read_file(log_file_);
        process_->stop(SIGKILL, std::chrono::seconds(1));
        throw std::runtime_error("switchboard did not start:\n" + tail(log_text));
    }
}

Host::~Host() {
    if (process_ && process_->running()) process_->stop(SIGTERM, std::chrono::seconds(15));
}

std::string Host::log() const { return read_file(log_file_); }

testing::ExitStatus Host::stop(int signal) {
    return process_->stop(signal, std::chrono::seconds(15));
}

std::pair<testing::ExitStatus, std::string> Host::run_to_exit(const std::filesystem::path& dir,
                                                               const json& config,
                                                               std::vector<std::string> environment) {
    json c = config;
    c["server"]["port"] = testing::free_loopback_port();
    const auto config_file = dir / "switchboard.json";
    std::ofstream(config_file) << c.dump(2);
    testing::ProcessOptions options;
    options.argv = {SB_SWITCHBOARD_EXE, "serve", "--config", config_file.string(),
                    "--plugins-dir", SB_PLUGINS_DIR};
    options.environment = std::move(environment);
    auto result = testing::run_process(options, {}, std::chrono::seconds(30));
    return {result.status, result.output + result.error};
}

json provider_overrides(const ProviderSim& sim) {
    const std::string s = sim.base_url();
    const json google_oauth = {
        {"authorize_url", s + "/accounts.google.com/o/oauth2/v2/auth"},
        {"token_url", s + "/oauth2.googleapis.com/token"},
        {"revoke_url", s + "/oauth2.googleapis.com/revoke"},
        {"identity_url", s + "/openidconnect.googleapis.com/v1/userinfo"},
    };
    auto google = [&](const std::string& api) {
        json o = google_oauth;
        o["api_base_url"] = s + "/" + api;
        return json{{"overrides", o}};
    };
    return {
        {"google_calendar", google("www.googleapis.com")},
        {"gmail", google("gmail.googleapis.com")},
        {"google_drive", google("www.googleapis.com")},
        {"hubspot",
         {{"overrides",
           {{"api_base_url", s + "/api.hubapi.com"},
            {"authorize_url", s + "/app.hubspot.com/oauth/authorize"},
            {"token_url", s + "/api.hubapi.com/oauth/v1/token"},
            {"revoke_url", s + "/api.hubapi.com/oauth/v1/refresh-tokens/{token}"},
            {"identity_url", s + "/api.hubapi.com/oauth/v1/access-tokens/{access_token}"}}}}},
    };
}

std::string new_encryption_key() {
    auto key = crypto::FernetKey::generate();
    if (!key) throw std::runtime_error("cannot generate a Fernet key");
    return key->to_base64url();
}

std::vector<std::string> sim_client_credentials() {
    return {"GOOGLE_CLIENT_ID=sim-google-client-id", "GOOGLE_CLIENT_SECRET=sim-google-client-secret",
            "HUBSPOT_CLIENT_ID=sim-hubspot-client-id",
            "HUBSPOT_CLIENT_SECRET=sim-hubspot-client-secret"};
}

std::vector<std::string> pyjwt_sign(const std::vector<json>& requests) {
    testing::ProcessOptions options;
    options.argv = {"/usr/bin/python3", std::string(SB_E2E_SOURCE_DIR) + "/jwt_tool.py", "sign"};
    std::string input;
    for (const auto& r : requests) input += r.dump() + "\n";
    auto result = testing::run_process(options, input);
    if (!result.status.exited_with(0)) {
        throw std::runtime_error("jwt_tool.py sign failed: " + result.error);
    }
    std::vector<std::string> tokens;
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) tokens.push_back(line);
    }
    if (tokens.size() != requests.size()) throw std::runtime_error("jwt_tool.py: wrong token count");
    return tokens;
}

void pyjwt_keygen(const std::filesystem::path& dir) {
    testing::ProcessOptions options;
    options.argv = {"/usr/bin/python3", std::string(SB_E2E_SOURCE_DIR) + "/jwt_tool.py", "keygen",
                    dir.string()};
    auto result = testing::run_process(options);
    if (!result.status.exited_with(0)) {
        throw std::runtime_error("jwt_tool.py keygen failed: " + result.error);
    }
}

} // namespace switchboard::e2e
