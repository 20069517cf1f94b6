#include "core/connectors/provider_proxy.hpp"

#include "core/connectors/proxy_headers.hpp"
#include "core/connectors/proxy_target.hpp"
#include "core/connectors/replayable_body.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace switchboard::connectors {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::array<std::string_view, 6> proxied_methods = {"GET",  "HEAD",  "POST",
                                                             "PUT",  "PATCH", "DELETE"};

std::chrono::milliseconds elapsed_since(Clock::time_point started) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
}

bool has_body(std::string_view method, int status) {
    return method != "HEAD" && !(status >= 100 && status < 200) && status != 204 && status != 304;
}

// The provider's body on its way through; the audit line is written when it is let go.
class StreamedProxyBody final : public ProxyBody {
public:
    StreamedProxyBody(std::unique_ptr<http::ResponseStream> stream,
                      std::shared_ptr<store::ActionAuditLog> audit, store::ActionAuditEntry entry,
                      Clock::time_point started, bool expects_body)
        : stream_(std::move(stream)), audit_(std::move(audit)), entry_(std::move(entry)),
          started_(started), complete_(!expects_body) {}

    ~StreamedProxyBody() override {
        stream_.reset(); // the connection first: back to the pool, or closed
        const int status = entry_status_;
        if (!error_code_.empty()) {
            entry_.outcome = store::ActionOutcome::failed;
            entry_.error_code = error_code_;
        } else if (!complete_) {
            entry_.outcome = store::ActionOutcome::failed;
            entry_.error_code = "proxy_body_abandoned"; // the caller stopped reading
        } else if (status >= 400) {
            entry_.outcome = store::ActionOutcome::failed;
            entry_.error_code = "provider_status_" + std::to_string(status);
        } else {
            entry_.outcome = store::ActionOutcome::succeeded;
        }
        entry_.duration = elapsed_since(started_);
        if (auto stored = audit_->record(entry_); !stored) {
            spdlog::error("cannot write the proxy's audit line: {} ({})", stored.error().code,
                          stored.error().message);
        }
        spdlog::info("proxied {} to {} for connector {}: status {}, {} bytes back{}",
                     entry_.action, entry_.provider, entry_.connector_id, status, bytes_,
                     entry_.error_code.empty() ? "" : " (" + entry_.error_code + ")");
    }

    void set_status(int status) { entry_status_ = status; }

    Result<std::size_t> read(char* into, std::size_t size) override {
        auto got = stream_->read(into, size);
        if (!got) {
            error_code_ = got.error().code;
            return got.error();
        }
        bytes_ += *got;
        if (*got == 0) {
            complete_ = true;
        }
        return got;
    }

private:
    std::unique_ptr<http::ResponseStream> stream_;
    std::shared_ptr<store::ActionAuditLog> audit_;
    store::ActionAuditEntry entry_;
    Clock::time_point started_;
    bool complete_ = false;
    int entry_status_ = 0;
    std::uint64_t bytes_ = 0;
    std::string error_code_;
};

} // namespace

ProviderProxy::ProviderProxy(ProviderProxyParts parts, ProxyOptions options)
    : parts_(std::move(parts)), options_(options) {}

void ProviderProxy::record(store::ActionAuditEntry entry) {
    if (auto stored = parts_.audit->record(std::move(entry)); !stored) {
        spdlog::error("cannot write the proxy's audit line: {} ({})", stored.error().code,
                      stored.error().message);
    }
}

Result<ProxyResponse> ProviderProxy::forward(const auth::Principal& caller,
                                             const ProxyRequest& request) {
    const auto started = Clock::now();
    store::ActionAuditEntry audit;
    audit.tenant_id = caller.tenant_id;
    audit.user_id = caller.user_id;
    audit.category = "unknown"; // until the connector is known
    const bool known_method = std::find(proxied_methods.begin(), proxied_methods.end(),
                                        request.method) != proxied_methods.end();
    audit.action = known_method ? "proxy." + request.method : "proxy";
    const auto fail = [&](Error error) -> Result<ProxyResponse> {
        audit.outcome = store::ActionOutcome::failed;
        audit.error_code = error.code.substr(0, 128);
        audit.duration = elapsed_since(started);
        record(audit);
        return error;
    };
    if (!known_method) {
        return fail(Error(ErrorKind::invalid_input, "invalid_proxy_method",
                          "the proxy forwards GET, HEAD, POST, PUT, PATCH and DELETE", "method"));
    }
    auto connector = parts_.connectors->active_connector(caller, request.connector_id);
    if (!connector) {
        return fail(connector.error());
    }
    audit.connector_id = connector->id;
    audit.provider = connector->provider;
    audit.category = connector->category;
    const ProviderAccess* access = parts_.providers->find(connector->provider);
    if (access == nullptr) {
        return fail(Error(ErrorKind::not_found, "provider_not_found",
                          "provider '" + connector->provider + "' is not enabled on this host"));
    }
    auto response = exchange(request, *connector, *access->descriptor, audit, started);
    if (!response) {
        return fail(response.error());
    }
    return response;
}

Result<ProxyResponse> ProviderProxy::exchange(const ProxyRequest& request,
                                              const store::ConnectorSummary& connector,
                                              const plugin::ProviderDescriptor& provider,
                                              store::ActionAuditEntry& audit,
                                              Clock::time_point started) {
    auto url = proxy_target(provider, request.path, request.query);
    if (!url) {
        return url.error();
    }
    auto grant = parts_.tokens->access_token(connector.tenant_id, connector.id);
    if (!grant) {
        return grant.error();
    }

    std::optional<ReplayableBody> body;
    if (request.body != nullptr) {
        body.emplace(*request.body, options_.replay_buffer_bytes);
    }
    http::StreamedRequest upstream;
    upstream.method = request.method;
    upstream.url = std::move(*url);
    upstream.headers = headers_to_provider(request.headers, provider.policy.credential_headers);
    upstream.body = body ? &*body : nullptr;
    upstream.content_length = request.content_length;
    // A body too large to keep asks the provider first, so a refusal (a 401 to repeat after a
    // refresh) comes before the body is spent.
    upstream.expect_continue =
        body && (!request.content_length || *request.content_length > options_.replay_buffer_bytes);

    const auto open = [&](const AccessGrant& with) -> Result<std::unique_ptr<http::ResponseStream>> {
        auto headers = upstream.headers;
        headers.emplace_back("Authorization", "Bearer " + with.access_token);
        http::StreamedRequest attempt = upstream;
        attempt.headers = std::move(headers);
        http::RequestOptions options;
        options.metrics_label = provider.id;
        options.rate_limit_rules = plugin::rate_limit_rules(provider.policy);
        options.connect_timeout = options_.connect_timeout;
        options.read_timeout = options_.idle_timeout;
        options.deadline = std::max(std::chrono::milliseconds(1),
                                    options_.timeout - elapsed_since(started));
        options.max_response_body_bytes = options_.max_response_bytes;
        return parts_.http->open(attempt, options);
    };

    auto opened = open(*grant);
    if (!opened) {
        return opened.error();
    }
    if ((*opened)->status() == 401) {
        // The provider refused the token (revoked meanwhile, or expired early): refresh once,
        // and repeat once if the body can go again.
        // Starts over when nothing of it was read yet (a refusal on Expect: 100-continue) or
        // all of it was kept.
        const bool body_again = !body || body->rewind();
        auto refreshed = parts_.tokens->refresh_after_rejection(connector.tenant_id, connector.id,
                                                                grant->credential_version);
        if (!refreshed) {
            spdlog::info("connector {} ({}): token refresh after the proxy's 401 failed: {}",
                         connector.id, provider.id, refreshed.error().code);
        } else if (!body_again) {
            spdlog::info("connector {} ({}): the token is refreshed, but the proxied body "
                         "cannot go again; the caller gets the 401 and may repeat",
                         connector.id, provider.id);
        } else {
            opened->reset(); // this connection is done
            opened = open(*refreshed);
            if (!opened) {
                return opened.error();
            }
        }
    }
    http::ResponseStream& stream = **opened;
    ProxyResponse response;
    response.status = stream.status();
    response.content_length = stream.content_length();
    response.headers = headers_to_caller(stream.headers(), provider.api_base_url,
                                         provider.allowed_base_urls, request.mount_path);
    auto proxied = std::make_unique<StreamedProxyBody>(
        std::move(*opened), parts_.audit, audit, started, has_body(request.method, response.status));
    proxied->set_status(response.status);
    response.body = std::move(proxied);
    return response;
}

} // namespace switchboard::connectors
