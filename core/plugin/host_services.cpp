#include "core/plugin/host_services.hpp"

#include "core/common/ascii.hpp"
#include "core/plugin/abi_layout.hpp"
#include "core/plugin/call_scope.hpp"

#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>
#include <switchboard/ext/deadline.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace switchboard::plugin {

namespace {

constexpr std::size_t kMaxPathBytes = 8192;
constexpr std::size_t kMaxHeaders = 64;
constexpr std::size_t kMaxHeaderBytes = 8192;
constexpr std::size_t kMaxBodyBytes = 64u * 1024 * 1024;

void log_trampoline(const sb_host* host, sb_log_level level, const char* message) noexcept {
    const HostTable* table = HostTable::from(host);
    if (table == nullptr) {
        return;
    }
    table->log(level, message == nullptr ? std::string_view("(null)") : std::string_view(message));
}

int64_t now_trampoline(const sb_host* host) noexcept {
    const HostTable* table = HostTable::from(host);
    if (table == nullptr) {
        return 0;
    }
    return table->clock().now_unix_ms();
}

sb_status http_trampoline(const sb_host* host, sb_call* call, const sb_http_request* request,
                          const sb_http_response** response) noexcept {
    return CallScope::http(host, call, request, response);
}

int64_t deadline_remaining_trampoline(const sb_host* host, const sb_call* call) noexcept {
    return CallScope::remaining_ms(host, call);
}

int32_t deadline_cancelled_trampoline(const sb_host* host, const sb_call* call) noexcept {
    return CallScope::is_cancelled(host, call);
}

// The host extensions, by revisioned id (switchboard/ext/*.h). One static table each.
const void* get_extension_trampoline(const sb_host* host, const char* id) noexcept {
    static const sb_host_deadline deadline = {
        sizeof(sb_host_deadline), &deadline_remaining_trampoline, &deadline_cancelled_trampoline};
    if (HostTable::from(host) == nullptr || id == nullptr) {
        return nullptr;
    }
    const std::string_view wanted(id, ::strnlen(id, 128));
    if (wanted == SB_EXT_DEADLINE) {
        return &deadline;
    }
    return nullptr;
}

} // namespace

spdlog::level::level_enum plugin_log_level(sb_log_level level) noexcept {
    switch (level) {
    case SB_LOG_DEBUG: return spdlog::level::debug;
    case SB_LOG_INFO: return spdlog::level::info;
    case SB_LOG_WARNING: return spdlog::level::warn;
    case SB_LOG_ERROR: return spdlog::level::err;
    default: return spdlog::level::warn;
    }
}

std::string sanitize_log_message(std::string_view message, std::size_t limit) {
    std::size_t keep = message.size();
    bool truncated = false;
    if (keep > limit) {
        keep = limit;
        while (keep > 0 && (static_cast<unsigned char>(message[keep]) & 0xC0) == 0x80) {
            --keep;
        }
        truncated = true;
    }
    std::string out;
    out.reserve(keep + 32);
    for (std::size_t i = 0; i < keep; ++i) {
        auto c = static_cast<unsigned char>(message[i]);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (truncated) {
        out += " [truncated " + std::to_string(message.size() - keep) + " bytes]";
    }
    return out;
}

namespace {

bool is_tchar(unsigned char c) {
    static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return std::isalnum(c) != 0 || kExtra.find(static_cast<char>(c)) != std::string_view::npos;
}

Error bad_request(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_http_request", std::move(message));
}

std::optional<std::string> check_path(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return "path must start with '/' (relative to the provider's API base URL), not an "
               "absolute URL";
    }
    if (path.size() > 1 && path[1] == '/') {
        return "path must not start with \"//\" (a network-path reference names another host)";
    }
    if (path.size() > kMaxPathBytes) {
        return "path is longer than " + std::to_string(kMaxPathBytes) + " bytes";
    }
    for (char ch : path) {
        auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f) {
            return "path must be percent-encoded ASCII without spaces or control characters";
        }
        if (c == '\\') {
            return "path must not contain a backslash";
        }
        if (c == '#') {
            return "path must not contain a fragment";
        }
    }
    auto parsed = boost::urls::parse_origin_form(path);
    if (!parsed) {
        return "path is not a valid origin-form request target";
    }
    // Split by hand: Boost.URL's segment view hides a leading "/." by design. Encoded dots
    // count too, since a server may decode them before resolving the path.
    std::string_view rest = path.substr(0, path.find('?'));
    while (!rest.empty()) {
        rest.remove_prefix(1); // the '/'
        std::string_view segment = rest.substr(0, rest.find('/'));
        rest.remove_prefix(segment.size());
        std::string lowered(segment);
        for (char& c : lowered) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        for (auto at = lowered.find("%2e"); at != std::string::npos; at = lowered.find("%2e")) {
            lowered.replace(at, 3, ".");
        }
        if (lowered == "." || lowered == "..") {
            return "path must not contain '.' or '..' segments";
        }
    }
    return std::nullopt;
}

std::optional<std::string> check_header(std::string_view name, std::string_view value) {
    if (name.empty()) {
        return "a header name is empty";
    }
    for (char ch : name) {
        if (!is_tchar(static_cast<unsigned char>(ch))) {
            return "header name is not a valid token (CR, LF, spaces and separators are refused)";
        }
    }
    if (ascii_iequals(name, "authorization") || ascii_iequals(name, "proxy-authorization")) {
        return "header '" + std::string(name) +
               "' is set by the host; a plugin never sends credentials";
    }
    static constexpr std::array<std::string_view, 4> kHostManaged = {
        "host", "content-length", "transfer-encoding", "connection"};
    for (auto managed : kHostManaged) {
        if (ascii_iequals(name, managed)) {
            return "header '" + std::string(name) + "' is set by the host's HTTP client";
        }
    }
    for (char ch : value) {
        if (ch == '\r' || ch == '\n' || ch == '\0') {
            return "value of header '" + std::string(name) + "' contains CR, LF or NUL";
        }
    }
    return std::nullopt;
}

} // namespace

HostTable::HostTable(std::string plugin_name, HostServicesOptions options)
    : plugin_name_(std::move(plugin_name)), host_version_(options.host_version),
      options_(std::move(options)) {
    clock_ = options_.clock ? options_.clock : std::make_shared<SystemClock>();
    host_.struct_size = sizeof(sb_host);
    host_.abi = kHostAbi;
    host_.host_name = "switchboard";
    host_.host_version = host_version_.c_str();
    host_.host_data = this;
    host_.log = &log_trampoline;
    host_.now_unix_ms = &now_trampoline;
    host_.http = &http_trampoline;
    host_.get_extension = &get_extension_trampoline;
}

const HostTable* HostTable::from(const sb_host* host) noexcept {
    if (host == nullptr || host->host_data == nullptr) {
        return nullptr;
    }
    const auto* table = static_cast<const HostTable*>(host->host_data);
    // A plugin could hand back a copy of the table; only the original is trusted.
    return table->table() == host ? table : nullptr;
}

spdlog::logger& HostTable::logger() const noexcept {
    return options_.logger ? *options_.logger : *spdlog::default_logger_raw();
}

void HostTable::log(sb_log_level level, std::string_view message) const noexcept {
    try {
        auto& out = logger();
        auto spd_level = plugin_log_level(level);
        if (!options_.log_forward && !out.should_log(spd_level)) {
            return;
        }
        std::string text = sanitize_log_message(message, options_.log_message_limit);
        if (level < SB_LOG_DEBUG || level > SB_LOG_ERROR) {
            text += " (unknown log level " + std::to_string(level) + ")";
        }
        if (options_.log_forward) {
            options_.log_forward(level, text);
            return;
        }
        const ProviderLogScope* scope = ProviderLogScope::current();
        if (scope != nullptr && scope->host == this) {
            out.log(spd_level, "[plugin {} provider {} connector {}] {}", plugin_name_,
                    scope->provider_id, scope->connector_id, text);
        } else {
            out.log(spd_level, "[plugin {}] {}", plugin_name_, text);
        }
    } catch (...) {
        // Logging must never take the host down; a lost line is the lesser harm.
    }
}

Result<ProviderHttpRequest> read_http_request(const sb_http_request* request) {
    if (request == nullptr) {
        return bad_request("request is NULL");
    }
    auto r = copy_struct(request, kHttpRequestMinSize);
    if (!r) {
        return bad_request("sb_http_request is truncated: struct_size " +
                           std::to_string(declared_size(request)) + " is smaller than " +
                           std::to_string(kHttpRequestMinSize));
    }
    ProviderHttpRequest out;
    if (r->method == nullptr) {
        return bad_request("method is missing");
    }
    out.method = std::string(r->method, ::strnlen(r->method, 16));
    static constexpr std::array<std::string_view, 5> kMethods = {"GET", "POST", "PATCH", "PUT",
                                                                 "DELETE"};
    if (std::find(kMethods.begin(), kMethods.end(), out.method) == kMethods.end()) {
        return bad_request("method must be GET, POST, PATCH, PUT or DELETE");
    }
    if (r->path == nullptr) {
        return bad_request("path is missing");
    }
    out.path = std::string(r->path, ::strnlen(r->path, kMaxPathBytes + 1));
    if (auto problem = check_path(out.path)) {
        return bad_request(*problem);
    }
    if (r->header_count > kMaxHeaders) {
        return bad_request("more than " + std::to_string(kMaxHeaders) + " headers");
    }
    if (r->header_count > 0 && r->headers == nullptr) {
        return bad_request("headers is NULL but header_count is " +
                           std::to_string(r->header_count));
    }
    for (std::size_t i = 0; i < r->header_count; ++i) {
        const sb_pair* from = r->headers[i];
        if (from == nullptr) {
            return bad_request("header #" + std::to_string(i) + " is NULL");
        }
        auto pair = copy_struct(from, kPairMinSize);
        if (!pair || pair->name == nullptr || pair->value == nullptr) {
            return bad_request("header #" + std::to_string(i) +
                               " is truncated or lacks a name or value");
        }
        HttpHeader header{std::string(pair->name, ::strnlen(pair->name, kMaxHeaderBytes + 1)),
                          std::string(pair->value, ::strnlen(pair->value, kMaxHeaderBytes + 1))};
        if (header.name.size() > kMaxHeaderBytes || header.value.size() > kMaxHeaderBytes) {
            return bad_request("header #" + std::to_string(i) + " is longer than " +
                               std::to_string(kMaxHeaderBytes) + " bytes");
        }
        if (auto problem = check_header(header.name, header.value)) {
            return bad_request(*problem);
        }
        out.headers.push_back(std::move(header));
    }
    if (r->body_size > kMaxBodyBytes) {
        return bad_request("body is larger than " + std::to_string(kMaxBodyBytes) + " bytes");
    }
    if (r->body_size > 0) {
        if (r->body == nullptr) {
            return bad_request("body is NULL but body_size is " + std::to_string(r->body_size));
        }
        out.body.assign(r->body, r->body_size);
    }
    return out;
}

sb_status http_error_status(const Error& error) noexcept {
    switch (error.kind) {
    case ErrorKind::invalid_input: return SB_STATUS_INVALID_INPUT;
    case ErrorKind::unauthenticated:
    case ErrorKind::forbidden: return SB_STATUS_AUTH;
    case ErrorKind::internal: return SB_STATUS_INTERNAL;
    default: return SB_STATUS_UNAVAILABLE;
    }
}

} // namespace switchboard::plugin
