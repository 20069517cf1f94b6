#include "core/http/beast_http_client.hpp"

#include "core/common/ascii.hpp"
#include "core/http/connection_pool.hpp"
#include "core/http/http_exchange.hpp"
#include "core/http/http_url.hpp"
#include "core/http/retry_policy.hpp"
#include "core/http/streamed_exchange.hpp"
#include "core/http/transport_error.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <random>
#include <thread>
#include <vector>

namespace switchboard::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

Error invalid_option(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_http_client_options", std::move(message));
}

// RFC 9110 token characters, for methods and header names.
bool is_token(std::string_view text) {
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != extra.npos;
    });
}

bool is_field_value(std::string_view text) {
    return std::none_of(text.begin(), text.end(),
                        [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// The request line and header fields of `message` (string or streamed body), checked: the
// method a token, every header name a token and value free of CR/LF/NUL, and the framing
// fields left to the client. The errors never repeat a header value (it may be a credential).
template <class Message>
Result<void> fill_header(Message& message, const HttpTarget& target, const std::string& method,
                         const HttpHeaders& headers, const std::string& user_agent) {
    if (!is_token(method)) {
        return Error(ErrorKind::invalid_input, "invalid_http_method",
                     "the http method is not a valid token", "method");
    }
    message.method_string(method);
    message.target(target.target);
    message.version(11);
    message.set(beast::http::field::host, target.host_header);
    message.set(beast::http::field::user_agent, user_agent);
    for (const auto& [name, value] : headers) {
        if (!is_token(name) || !is_field_value(value)) {
            return Error(ErrorKind::invalid_input, "invalid_http_header",
                         "a request header name or value contains forbidden characters",
                         "headers");
        }
        if (ascii_iequals(name, "host") || ascii_iequals(name, "content-length") ||
            ascii_iequals(name, "transfer-encoding") || ascii_iequals(name, "connection") ||
            ascii_iequals(name, "expect")) {
            return Error(ErrorKind::invalid_input, "invalid_http_header",
                         "request header '" + name + "' is managed by the http client",
                         "headers");
        }
        if (ascii_iequals(name, "user-agent")) {
            message.erase(beast::http::field::user_agent);
        }
        message.insert(name, value);
    }
    message.keep_alive(true);
    return {};
}

double default_unit_random() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::chrono::microseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

// The provider's rate-limit header rules the request carries (none: Retry-After alone).
std::span<const RateLimitHeaderRule> rules_of(const RequestOptions& options) {
    if (!options.rate_limit_rules) return {};
    return *options.rate_limit_rules;
}

} // namespace

struct BeastHttpClient::Impl {
    explicit Impl(BeastHttpClientOptions opts)
        : options(std::move(opts)), work(asio::make_work_guard(io)),
          tls(asio::ssl::context::tls_client),
          pool(options.max_idle_connections_per_host, options.idle_expiry) {}

    ~Impl() {
        pool.clear();
        work.reset();
        for (auto& thread : threads) {
            thread.join();
        }
    }

    Result<HttpResponse> send(const HttpRequest& request, const RequestOptions& request_options);
    Result<std::unique_ptr<ResponseStream>> open(const StreamedRequest& request,
                                                 const RequestOptions& request_options);
    // The URL parsed, and refused when it is plain http where that is not allowed.
    Result<HttpTarget> checked_target(const std::string& url) const;
    std::unique_ptr<HttpConnection> connection_for(const HttpTarget& target, bool& reused);
    ExchangeResult attempt(const HttpTarget& target, const BeastRequest& request,
                           const ExchangeLimits& limits, bool may_repeat, bool& reused);
    ExchangeResult run_exchange(HttpConnection& connection, const HttpTarget& target,
                                const BeastRequest& request, const ExchangeLimits& limits);

    BeastHttpClientOptions options;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    asio::ssl::context tls;
    ConnectionPool pool;
    std::vector<std::thread> threads;
    std::atomic<std::size_t> opened{0};
    std::atomic<std::size_t> reused{0};
};

Result<std::unique_ptr<BeastHttpClient>> BeastHttpClient::create(BeastHttpClientOptions options) {
    if (options.connect_timeout.count() <= 0 || options.read_timeout.count() <= 0 ||
        options.total_deadline.count() <= 0) {
        return invalid_option("http client timeouts must be positive");
    }
    if (options.max_attempts < 1) {
        return invalid_option("http client max_attempts must be at least 1");
    }
    if (options.base_backoff.count() < 0 || options.max_backoff < options.base_backoff) {
        return invalid_option("http client backoff must satisfy 0 <= base <= max");
    }
    if (options.io_threads < 1) {
        return invalid_option("http client io_threads must be at least 1");
    }
    if (options.max_response_header_bytes > UINT32_MAX) {
        return invalid_option("http client max_response_header_bytes is too large");
    }
    if (!options.sleep) {
        options.sleep = [](milliseconds wait) { std::this_thread::sleep_for(wait); };
    }
    if (!options.unit_random) {
        options.unit_random = default_unit_random;
    }

    auto impl = std::make_unique<Impl>(std::move(options));
    auto& tls = impl->tls;
    boost::system::error_code ec;
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1,
                    ec);
    tls.set_verify_mode(asio::ssl::verify_peer, ec);
    if (impl->options.use_system_ca_store) {
        tls.set_default_verify_paths(ec);
        if (ec) {
            return invalid_option("the system CA store could not be loaded: " + ec.message());
        }
    }
    if (!impl->options.extra_ca_file.empty()) {
        tls.load_verify_file(impl->options.extra_ca_file, ec);
        if (ec) {
            return invalid_option("extra_ca_file '" + impl->options.extra_ca_file +
                                  "' could not be loaded: " + ec.message());
        }
    }

    for (int i = 0; i < impl->options.io_threads; ++i) {
        impl->threads.emplace_back([io = &impl->io] { io->run(); });
    }
    return std::unique_ptr<BeastHttpClient>(new BeastHttpClient(std::move(impl)));
}

BeastHttpClient::BeastHttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

BeastHttpClient::~BeastHttpClient() = default;

Result<HttpResponse> BeastHttpClient::send(const HttpRequest& request,
                                           const RequestOptions& options) {
    try {
        return impl_->send(request, options);
    } catch (const std::exception& e) {
        // Only resource exhaustion gets here: every I/O error is a value.
        return Error(ErrorKind::internal, "http_client_failure",
                     std::string("the http client failed: ") + e.what());
    }
}

HttpPoolStats BeastHttpClient::pool_stats() const {
    return HttpPoolStats{impl_->opened.load(), impl_->reused.load(), impl_->pool.idle_count()};
}

Result<HttpTarget> BeastHttpClient::Impl::checked_target(const std::string& url) const {
    auto target = parse_http_url(url);
    if (!target) {
        return target.error();
    }
    const bool loopback = is_loopback_host(target->host);
    if (!target->tls && !(loopback && options.allow_plain_http_loopback)) {
        return Error(ErrorKind::invalid_input, "insecure_url_refused",
                     "plain http is refused for host " + target->host +
                         "; use https (plain http is allowed only to loopback, and only when "
                         "enabled)",
                     "url");
    }
    return target;
}

std::unique_ptr<HttpConnection> BeastHttpClient::Impl::connection_for(const HttpTarget& target,
                                                                      bool& was_reused) {
    auto connection = pool.checkout(target.pool_key);
    was_reused = connection != nullptr;
    if (connection) {
        reused.fetch_add(1, std::memory_order_relaxed);
        return connection;
    }
    opened.fetch_add(1, std::memory_order_relaxed);
    return std::make_unique<HttpConnection>(asio::make_strand(io), target.tls ? &tls : nullptr);
}

ExchangeResult BeastHttpClient::Impl::run_exchange(HttpConnection& connection,
                                                   const HttpTarget& target,
                                                   const BeastRequest& request,
                                                   const ExchangeLimits& limits) {
    auto future = asio::co_spawn(connection.strand(),
                                 exchange(connection, target, request, limits), asio::use_future);
    return future.get();
}

ExchangeResult BeastHttpClient::Impl::attempt(const HttpTarget& target,
                                              const BeastRequest& request,
                                              const ExchangeLimits& limits, bool may_repeat,
                                              bool& was_reused) {
    auto connection = pool.checkout(target.pool_key);
    was_reused = connection != nullptr;
    auto fresh = [&] {
        opened.fetch_add(1, std::memory_order_relaxed);
        return std::make_unique<HttpConnection>(asio::make_strand(io),
                                                target.tls ? &tls : nullptr);
    };
    if (!connection) {
        connection = fresh();
    } else {
        reused.fetch_add(1, std::memory_order_relaxed);
    }
    auto result = run_exchange(*connection, target, request, limits);
    if (was_reused && is_stale_connection_failure(result) &&
        (may_repeat || !result.request_written)) {
        ConnectionPool::retire(std::move(connection));
        connection = fresh();
        was_reused = false;
        result = run_exchange(*connection, target, request, limits);
    }
    if (!result.error && result.keep_alive) {
        pool.checkin(target.pool_key, std::move(connection));
    } else {
        ConnectionPool::retire(std::move(connection));
    }
    return result;
}

Result<HttpResponse> BeastHttpClient::Impl::send(const HttpRequest& request,
                                                 const RequestOptions& request_options) {
    const auto started = Clock::now();
    const std::string_view label = request_options.metrics_label;
    auto complete = [&](int status, std::string_view code, int attempts) {
        if (options.metrics) {
            options.metrics->on_complete(
                HttpCompletionEvent{label, request.method, status, code, attempts, since(started)});
        }
    };
    auto refuse = [&](Error error) -> Result<HttpResponse> {
        complete(0, error.code, 0);
        return error;
    };

    auto target = checked_target(request.url);
    if (!target) {
        return refuse(target.error());
    }
    BeastRequest beast_request;
    if (auto filled = fill_header(beast_request, *target, request.method, request.headers,
                                  options.user_agent);
        !filled) {
        return refuse(filled.error());
    }
    beast_request.body() = request.body;
    beast_request.prepare_payload();

    const milliseconds connect_timeout =
        request_options.connect_timeout.value_or(options.connect_timeout);
    const milliseconds read_timeout = request_options.read_timeout.value_or(options.read_timeout);
    const Clock::time_point deadline =
        started + request_options.deadline.value_or(options.total_deadline);
    const int max_attempts = std::max(1, request_options.max_attempts.value_or(options.max_attempts));
    const bool may_repeat =
        is_idempotent_method(request.method) || request_options.retry_non_idempotent;

    for (int attempt_number = 1;; ++attempt_number) {
        const auto attempt_started = Clock::now();
        ExchangeLimits limits;
        limits.connect_deadline = std::min(deadline, attempt_started + connect_timeout);
        limits.read_timeout = read_timeout;
        limits.deadline = deadline;
        limits.max_body_bytes = static_cast<std::size_t>(
            request_options.max_response_body_bytes.value_or(options.max_response_body_bytes));
        limits.max_header_bytes = static_cast<std::uint32_t>(options.max_response_header_bytes);
        limits.loopback_only = !target->tls;

        bool was_reused = false;
        ExchangeResult result = attempt(*target, beast_request, limits, may_repeat, was_reused);

        std::optional<TransportFailure> failure;
        if (result.error) {
            failure = classify_transport_failure(result, target->host);
        }
        if (options.metrics) {
            options.metrics->on_attempt(HttpAttemptEvent{
                label, request.method, failure ? 0 : result.response.status,
                failure ? std::string_view(failure->error.code) : std::string_view(),
                attempt_number, was_reused, since(attempt_started)});
        }

        bool retry = false;
        ServerRetryHint hint;
        if (failure) {
            retry = failure->retryable && (!failure->request_may_have_been_sent || may_repeat);
        } else if (is_retryable_status(result.response.status)) {
            // 429 means the request was not processed, so even a POST may be repeated.
            retry = result.response.status == 429 || may_repeat;
            hint = server_retry_hint(result.response, std::chrono::system_clock::now(),
                                     rules_of(request_options));
            retry = retry && !hint.give_up;
        }

        milliseconds wait{0};
        if (retry && attempt_number < max_attempts) {
            wait = full_jitter_backoff(attempt_number, options.base_backoff, options.max_backoff,
                                       options.unit_random());
            if (hint.wait && *hint.wait > wait) {
                wait = *hint.wait;
            }
            // A wait that would run past the deadline is pointless: answer now.
            retry = Clock::now() + wait < deadline;
        } else {
            retry = false;
        }

        if (!retry) {
            if (failure) {
                complete(0, failure->error.code, attempt_number);
                return failure->error;
            }
            result.response.attempts = attempt_number;
            complete(result.response.status, {}, attempt_number);
            return std::move(result.response);
        }
        spdlog::debug("http {} to {}: attempt {} {}; retrying in {} ms", request.method,
                      target->host, attempt_number,
                      failure ? failure->error.code
                              : "got status " + std::to_string(result.response.status),
                      wait.count());
        options.sleep(wait);
    }
}

// ---- streamed exchanges -------------------------------------------------------------------

namespace {

// The piece of request body read from the source and written at a time.
constexpr std::size_t body_piece_bytes = 64 * 1024;
// How long the server has to answer Expect: 100-continue before the body goes anyway.
constexpr milliseconds continue_wait{1000};

// A response whose body is still on its connection; the connection goes back to the pool
// when the body was read to its end (and both sides said keep-alive), else it is closed.
class PooledResponseStream final : public ResponseStream {
public:
    PooledResponseStream(ConnectionPool& pool, std::string pool_key, std::string host,
                         std::unique_ptr<HttpConnection> connection,
                         std::unique_ptr<StreamedBeastRequest> request,
                         std::unique_ptr<StreamedExchange> exchange, int attempts, bool body_sent)
        : pool_(pool), pool_key_(std::move(pool_key)), host_(std::move(host)),
          connection_(std::move(connection)), request_(std::move(request)),
          exchange_(std::move(exchange)), attempts_(attempts), body_sent_(body_sent) {}

    ~PooledResponseStream() override {
        if (exchange_->reusable()) {
            pool_.checkin(pool_key_, std::move(connection_));
        } else {
            ConnectionPool::retire(std::move(connection_));
        }
    }

    int status() const override { return exchange_->response().status; }
    const HttpHeaders& headers() const override { return exchange_->response().headers; }
    std::optional<std::uint64_t> content_length() const override {
        return exchange_->content_length();
    }
    int attempts() const override { return attempts_; }
    bool request_body_sent() const override { return body_sent_; }

    Result<std::size_t> read(char* into, std::size_t size) override {
        if (failed_) {
            return *failed_;
        }
        auto got = exchange_->receive_body(into, size);
        if (!got) {
            failed_ = classify_transport_failure(exchange_->state(), host_).error;
            return *failed_;
        }
        return *got;
    }

private:
    ConnectionPool& pool_;
    std::string pool_key_;
    std::string host_;
    // Declared before the exchange, which refers to them and goes first.
    std::unique_ptr<HttpConnection> connection_;
    std::unique_ptr<StreamedBeastRequest> request_;
    std::unique_ptr<StreamedExchange> exchange_;
    int attempts_ = 0;
    bool body_sent_ = false;
    std::optional<Error> failed_;
};

bool needs_length_when_empty(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

Result<std::unique_ptr<ResponseStream>> BeastHttpClient::open(const StreamedRequest& request,
                                                              const RequestOptions& options) {
    try {
        return impl_->open(request, options);
    } catch (const std::exception& e) {
        return Error(ErrorKind::internal, "http_client_failure",
                     std::string("the http client failed: ") + e.what());
    }
}

Result<std::unique_ptr<ResponseStream>> BeastHttpClient::Impl::open(
    const StreamedRequest& request, const RequestOptions& request_options) {
    const auto started = Clock::now();
    const std::string_view label = request_options.metrics_label;
    auto complete = [&](int status, std::string_view code, int attempts) {
        if (options.metrics) {
            options.metrics->on_complete(
                HttpCompletionEvent{label, request.method, status, code, attempts, since(started)});
        }
    };
    auto target = checked_target(request.url);
    if (!target) {
        complete(0, target.error().code, 0);
        return target.error();
    }
    auto message = std::make_unique<StreamedBeastRequest>();
    if (auto filled = fill_header(*message, *target, request.method, request.headers,
                                  options.user_agent);
        !filled) {
        complete(0, filled.error().code, 0);
        return filled.error();
    }
    RequestBodySource* const source = request.body;
    if (source != nullptr) {
        if (request.content_length) {
            message->content_length(*request.content_length);
        } else {
            message->chunked(true);
        }
        if (request.expect_continue) {
            message->set(beast::http::field::expect, "100-continue");
        }
    } else if (needs_length_when_empty(request.method)) {
        message->content_length(0);
    }

    const milliseconds connect_timeout =
        request_options.connect_timeout.value_or(options.connect_timeout);
    const milliseconds read_timeout = request_options.read_timeout.value_or(options.read_timeout);
    const Clock::time_point deadline =
        started + request_options.deadline.value_or(options.total_deadline);
    const int max_attempts = std::max(1, request_options.max_attempts.value_or(options.max_attempts));
    const bool may_repeat =
        is_idempotent_method(request.method) || request_options.retry_non_idempotent;
    std::vector<char> piece(source != nullptr ? body_piece_bytes : 0);
    bool body_touched = false; // the source was read since it last (re)started

    for (int attempt_number = 1;; ++attempt_number) {
        const auto attempt_started = Clock::now();
        ExchangeLimits limits;
        limits.connect_deadline = std::min(deadline, attempt_started + connect_timeout);
        limits.read_timeout = read_timeout;
        limits.deadline = deadline;
        limits.max_body_bytes = static_cast<std::size_t>(
            request_options.max_response_body_bytes.value_or(options.max_response_body_bytes));
        limits.max_header_bytes = static_cast<std::uint32_t>(options.max_response_header_bytes);
        limits.loopback_only = !target->tls;

        bool was_reused = false;
        auto connection = connection_for(*target, was_reused);
        auto exchange = std::make_unique<StreamedExchange>(*connection, *target, *message, limits);
        std::optional<Error> source_error;
        bool body_sent = source == nullptr;
        bool ok = exchange->connect() && exchange->send_header();
        if (ok && source != nullptr) {
            const bool go = !request.expect_continue || exchange->await_continue(continue_wait);
            ok = go || exchange->answered();
            while (go) {
                body_touched = true;
                auto got = source->read(piece.data(), piece.size());
                if (!got) {
                    source_error = got.error();
                    break;
                }
                if (!exchange->send_body(piece.data(), *got)) {
                    ok = false;
                    break;
                }
                if (*got == 0) {
                    body_sent = true;
                    break;
                }
            }
        } else if (ok) {
            ok = exchange->send_body(nullptr, 0);
        }
        if (source_error) {
            // Never let the server take a partial body for a whole one.
            ConnectionPool::retire(std::move(connection));
            complete(0, source_error->code, attempt_number);
            return *source_error;
        }
        if (ok) {
            ok = exchange->receive_header();
        }

        std::optional<TransportFailure> failure;
        if (!ok) {
            failure = classify_transport_failure(exchange->state(), target->host);
        }
        const int status = failure ? 0 : exchange->response().status;
        if (options.metrics) {
            options.metrics->on_attempt(HttpAttemptEvent{
                label, request.method, status,
                failure ? std::string_view(failure->error.code) : std::string_view(),
                attempt_number, was_reused, since(attempt_started)});
        }
        const auto body_restarts = [&] {
            if (!body_touched) return true;
            if (!source->rewind()) return false;
            body_touched = false;
            return true;
        };
        // A reused connection the server had closed meanwhile: once more on a fresh one,
        // uncounted, as send() does.
        if (failure && was_reused && is_stale_connection_failure(exchange->state()) &&
            (may_repeat || !exchange->state().request_written) && body_restarts()) {
            exchange.reset();
            ConnectionPool::retire(std::move(connection));
            --attempt_number;
            continue;
        }

        bool retry = false;
        ServerRetryHint hint;
        if (failure) {
            retry = failure->retryable && (!failure->request_may_have_been_sent || may_repeat);
        } else if (is_retryable_status(status)) {
            retry = status == 429 || may_repeat;
            hint = server_retry_hint(exchange->response(), std::chrono::system_clock::now(),
                                     rules_of(request_options));
            retry = retry && !hint.give_up;
        }
        milliseconds wait{0};
        if (retry && attempt_number < max_attempts) {
            wait = full_jitter_backoff(attempt_number, options.base_backoff, options.max_backoff,
                                       options.unit_random());
            if (hint.wait && *hint.wait > wait) {
                wait = *hint.wait;
            }
            retry = Clock::now() + wait < deadline && body_restarts();
        } else {
            retry = false;
        }
        if (!retry) {
            if (failure) {
                exchange.reset();
                ConnectionPool::retire(std::move(connection));
                complete(0, failure->error.code, attempt_number);
                return failure->error;
            }
            complete(status, {}, attempt_number);
            return std::unique_ptr<ResponseStream>(new PooledResponseStream(
                pool, target->pool_key, target->host, std::move(connection), std::move(message),
                std::move(exchange), attempt_number, body_sent));
        }
        exchange.reset();
        ConnectionPool::retire(std::move(connection));
        spdlog::debug("http {} to {} (streamed): attempt {} {}; retrying in {} ms", request.method,
                      target->host, attempt_number,
                      failure ? failure->error.code : "got status " + std::to_string(status),
                      wait.count());
        options.sleep(wait);
    }
}

} // namespace switchboard::http
