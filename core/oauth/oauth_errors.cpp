#include "core/oauth/oauth_errors.hpp"

#include "core/http/retry_policy.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace switchboard::oauth {
namespace {

constexpr std::size_t max_description = 200;

// A provider's error code, kept only when it looks like one ([A-Za-z0-9_.-], short).
std::string code_token(const std::string& text) {
    if (text.empty() || text.size() > 64) return {};
    for (char c : text) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.';
        if (!ok) return {};
    }
    return text;
}

std::optional<int> retry_after(const http::HttpResponse& response) {
    auto header = response.header("retry-after");
    if (!header) return std::nullopt;
    auto wait = http::parse_retry_after(*header, std::chrono::system_clock::now());
    if (!wait) return std::nullopt;
    auto seconds = (wait->count() + 999) / 1000;
    return static_cast<int>(std::min<long long>(seconds, 24 * 3600));
}

struct ProviderError {
    std::string code;        // RFC 6749 `error`, or the provider's own member (its dialect)
    std::string description; // `error_description`, or the dialect's description member
};

ProviderError read_error_body(std::string_view body, const plugin::OAuthErrorDialect& dialect) {
    ProviderError out;
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return out;
    auto text = [&json](const std::string& name) -> std::string {
        auto it = json.find(name);
        return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    out.code = text("error");
    out.description = text("error_description");
    if (out.code.empty() && !dialect.code_member.empty()) {
        out.code = text(dialect.code_member);
        if (!dialect.description_member.empty()) out.description = text(dialect.description_member);
    }
    return out;
}

std::string_view classify_code(const std::string& code, const plugin::OAuthErrorDialect& dialect) {
    static const std::pair<std::string_view, std::string_view> rfc6749[] = {
        {"invalid_grant", invalid_grant},
        {"invalid_client", invalid_client},
        {"temporarily_unavailable", provider_unavailable},
        {"server_error", provider_unavailable},
    };
    for (const auto& [name, stable] : rfc6749) {
        if (code == name) return stable;
    }
    for (const plugin::OAuthErrorCode& own : dialect.codes) {
        if (code == own.code) {
            return own.meaning == plugin::OAuthErrorMeaning::invalid_grant ? invalid_grant
                                                                           : invalid_client;
        }
    }
    return provider_error;
}

ErrorKind kind_of(std::string_view stable) {
    if (stable == invalid_grant) return ErrorKind::conflict;
    if (stable == provider_unavailable) return ErrorKind::unavailable;
    return ErrorKind::upstream_failed;
}

} // namespace

std::string redact_secrets(std::string_view text, const std::vector<std::string_view>& secrets) {
    std::string out(text);
    for (auto secret : secrets) {
        if (secret.size() < 4) continue;
        for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at + 3)) {
            out.replace(at, secret.size(), "***");
        }
    }
    std::string clean;
    for (char c : out) {
        if (clean.size() >= max_description) break;
        clean += (c >= 0x20 && c <= 0x7e) ? c : '?';
    }
    return clean;
}

Error token_endpoint_error(std::string_view provider, std::string_view what,
                           const http::HttpResponse& response,
                           const std::vector<std::string_view>& secrets,
                           const plugin::OAuthErrorDialect& dialect) {
    const ProviderError body = read_error_body(response.body, dialect);
    std::string_view stable = provider_error;
    if (response.status == 429 || response.status >= 500) {
        stable = provider_unavailable;
    } else if (!body.code.empty()) {
        stable = classify_code(body.code, dialect);
    } else if (response.status == 401) {
        stable = invalid_client; // RFC 6749 §5.2: 401 is client authentication failing
    }
    std::string message = std::string(provider) + " refused the " + std::string(what) +
                          " (HTTP " + std::to_string(response.status);
    if (auto code = code_token(body.code); !code.empty()) message += ", " + code;
    message += ")";
    if (auto description = redact_secrets(body.description, secrets); !description.empty()) {
        message += ": " + description;
    }
    Error error(kind_of(stable), std::string(stable), std::move(message));
    if (stable == provider_unavailable) error.retry_after_seconds = retry_after(response);
    return error;
}

Result<void> revocation_outcome(std::string_view provider, const http::HttpResponse& response,
                                const std::vector<std::string_view>& secrets,
                                const plugin::OAuthErrorDialect& dialect) {
    if (response.status >= 200 && response.status < 300) return {};
    if (response.status == 404) return {};
    if (response.status == 400 && read_error_body(response.body, {}).code == "invalid_token") {
        return {};
    }
    return token_endpoint_error(provider, "token revocation", response, secrets, dialect);
}

Error transport_error(std::string_view provider, std::string_view what, const Error& error) {
    if (error.kind == ErrorKind::unavailable) {
        Error out(ErrorKind::unavailable, std::string(provider_unavailable),
                  std::string(provider) + " could not be reached for the " + std::string(what) +
                      " (" + error.code + ")");
        out.retry_after_seconds = error.retry_after_seconds;
        return out;
    }
    return Error(error.kind, error.code,
                 std::string(provider) + " " + std::string(what) + " failed: " + error.message);
}

std::string_view authorization_error_code(std::string_view code) {
    if (code == "access_denied") return "access_denied";
    if (code == "invalid_scope") return "invalid_scope";
    if (code == "server_error" || code == "temporarily_unavailable") return provider_unavailable;
    return provider_error;
}

} // namespace switchboard::oauth
