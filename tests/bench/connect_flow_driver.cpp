// Drives the whole connect flow against a running host and provider-sim as fast as it can, from
// several threads, each with one keep-alive connection to each server:
//   POST /api/v1/connectors/authorize, GET the provider's authorize URL (the simulator approves
//   at once; login_hint makes every flow a new account), GET the callback (state, the code
//   exchange against the simulator, the identity call, encryption, the pending row),
//   POST /api/v1/connectors/complete (the confirmation).
// Prints {"flows": n, "errors": e, "seconds": s, "first_error": "..."} on stdout. Used by
// scripts/bench for point 4 and to connect the accounts of the refresh wave (point 5).
//   bench_connect_flow <host port> <sim port> <bearer token> <threads> <seconds> <max flows> <tag>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Answer {
    unsigned status = 0;
    std::string location;
    std::string body;
};

// One keep-alive connection to 127.0.0.1:port, reopened when the server closes it.
class Connection {
public:
    Connection(net::io_context& io, unsigned short port) : io_(io), port_(port), socket_(io) {}

    Answer send(http::verb method, const std::string& target, const std::string& token,
                const std::string& body) {
        for (int attempt = 0;; ++attempt) {
            try {
                if (!socket_.is_open()) {
                    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
                }
                http::request<http::string_body> request{method, target, 11};
                request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
                if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
                if (!body.empty()) {
                    request.set(http::field::content_type, "application/json");
                    request.body() = body;
                }
                request.prepare_payload();
                http::write(socket_, request);
                http::response<http::string_body> response;
                http::read(socket_, buffer_, response);
                Answer answer{response.result_int(), std::string(response[http::field::location]),
                              std::move(response.body())};
                if (!response.keep_alive()) close();
                return answer;
            } catch (const std::exception&) {
                close();
                if (attempt == 1) throw;
            }
        }
    }

private:
    void close() {
        beast::error_code ec;
        socket_.close(ec);
        buffer_.clear();
    }
    net::io_context& io_;
    unsigned short port_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
};

std::string path_and_query(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) throw std::runtime_error("not a URL: " + url.substr(0, 200));
    std::string out(parsed->encoded_path());
    if (parsed->has_query()) out += "?" + std::string(parsed->encoded_query());
    return out;
}

std::string query_value(const std::string& url, const std::string& name) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return {};
    for (const auto& param : parsed->params()) {
        if (param.key == name) return param.value;
    }
    return {};
}

// One flow; throws with a message on the first unexpected answer.
void connect_once(Connection& host, Connection& sim, const std::string& token,
                  const std::string& account) {
    auto authorized = host.send(http::verb::post, "/api/v1/connectors/authorize", token,
                                R"({"type":"calendar","provider":"google_calendar","name":"Bench"})");
    if (authorized.status != 200) {
        throw std::runtime_error("authorize " + std::to_string(authorized.status) + " " +
                                 authorized.body.substr(0, 200));
    }
    const auto url = nlohmann::json::parse(authorized.body).at("authorization_url").get<std::string>();
    auto consent = sim.send(http::verb::get, path_and_query(url) + "&login_hint=" + account, "", "");
    if (consent.status != 302 || consent.location.empty()) {
        throw std::runtime_error("consent " + std::to_string(consent.status));
    }
    auto callback = host.send(http::verb::get, path_and_query(consent.location), "", "");
    const auto completion = query_value(callback.location, "completion");
    if ((callback.status != 302 && callback.status != 303) || completion.empty()) {
        throw std::runtime_error("callback " + std::to_string(callback.status) + " " +
                                 callback.location.substr(0, 200));
    }
    auto completed = host.send(http::verb::post, "/api/v1/connectors/complete", token,
                               nlohmann::json{{"completion", completion}}.dump());
    if (completed.status != 201) {
        throw std::runtime_error("complete " + std::to_string(completed.status) + " " +
                                 completed.body.substr(0, 200));
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 8) {
        std::fprintf(stderr, "usage: %s <host port> <sim port> <token> <threads> <seconds> "
                             "<max flows> <tag>\n", argv[0]);
        return 2;
    }
    const auto host_port = static_cast<unsigned short>(std::atoi(argv[1]));
    const auto sim_port = static_cast<unsigned short>(std::atoi(argv[2]));
    const std::string token = argv[3];
    const int threads = std::atoi(argv[4]);
    const auto duration = std::chrono::duration<double>(std::atof(argv[5]));
    const long max_flows = std::atol(argv[6]);
    const std::string tag = argv[7];

    std::atomic<long> started{0};
    std::atomic<long> flows{0};
    std::atomic<long> errors{0};
    std::mutex first_error_lock;
    std::string first_error;
    const auto begin = std::chrono::steady_clock::now();
    const auto deadline = begin + std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            net::io_context io;
            Connection host(io, host_port);
            Connection sim(io, sim_port);
            while (std::chrono::steady_clock::now() < deadline) {
                const long n = started.fetch_add(1);
                if (n >= max_flows) break;
                try {
                    connect_once(host, sim, token,
                                 "bench-" + tag + "-" + std::to_string(n) + "%40example.com");
                    ++flows;
                } catch (const std::exception& e) {
                    if (errors.fetch_add(1) == 0) {
                        std::lock_guard guard(first_error_lock);
                        first_error = e.what();
                    }
                }
            }
        });
    }
    for (auto& worker : workers) worker.join();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
    std::cout << nlohmann::json{{"flows", flows.load()},
                                {"errors", errors.load()},
                                {"seconds", elapsed.count()},
                                {"first_error", first_error}}
                     .dump()
              << std::endl;
    return 0;
}
