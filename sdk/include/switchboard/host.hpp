// switchboard/host.hpp — the host's services seen from C++: logging, the clock and host
// extensions (Host), the connector a call is for (ConnectorInfo), and HTTP through the host
// and the call's deadline (Call).
#pragma once

#include "switchboard/descriptor.hpp"
#include "switchboard/ext/deadline.h"
#include "switchboard/plugin.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk {

// The sb_host table the plugin received in init. Every method checks that the host's table
// holds the function (SB_HAS_FIELD, non-NULL) before calling it. Cheap to copy.
class Host {
public:
    Host() noexcept = default;
    explicit Host(const sb_host* host) noexcept : host_(host) {}

    const sb_host* c_host() const noexcept { return host_; }

    // [thread-safe] One log line. `message` must never contain a secret (token, code, key).
    void log(sb_log_level level, std::string_view message) const noexcept {
        if (host_ == nullptr || !SB_HAS_FIELD(sb_host, host_, log) || host_->log == nullptr) {
            return;
        }
        try {
            const std::string line(message); // the host wants a NUL-terminated string
            host_->log(host_, level, line.c_str());
        } catch (...) {
            // Out of memory while copying a log line: dropping the line is all we can do.
        }
    }
    void debug(std::string_view message) const noexcept { log(SB_LOG_DEBUG, message); }
    void info(std::string_view message) const noexcept { log(SB_LOG_INFO, message); }
    void warning(std::string_view message) const noexcept { log(SB_LOG_WARNING, message); }
    void error(std::string_view message) const noexcept { log(SB_LOG_ERROR, message); }

    // [thread-safe] Milliseconds since the Unix epoch from the host's clock (tests control
    // it). Falls back to the system clock only when the host offers no clock.
    int64_t now_unix_ms() const noexcept {
        if (host_ != nullptr && SB_HAS_FIELD(sb_host, host_, now_unix_ms) &&
            host_->now_unix_ms != nullptr) {
            return host_->now_unix_ms(host_);
        }
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }

    // The ABI version the host announced; {1, 0} for a table too short to say.
    sb_abi_version abi() const noexcept {
        if (host_ != nullptr && SB_HAS_FIELD(sb_host, host_, abi)) return host_->abi;
        return sb_abi_version{1, 0};
    }

    std::string_view name() const noexcept {
        return host_ != nullptr && SB_HAS_FIELD(sb_host, host_, host_name) &&
                       host_->host_name != nullptr
                   ? std::string_view(host_->host_name)
                   : std::string_view();
    }
    std::string_view version() const noexcept {
        return host_ != nullptr && SB_HAS_FIELD(sb_host, host_, host_version) &&
                       host_->host_version != nullptr
                   ? std::string_view(host_->host_version)
                   : std::string_view();
    }

    // [thread-safe] The host's extension with revisioned id `id`, or nullptr.
    const void* extension(const char* id) const noexcept {
        if (host_ == nullptr || id == nullptr || !SB_HAS_FIELD(sb_host, host_, get_extension) ||
            host_->get_extension == nullptr) {
            return nullptr;
        }
        return host_->get_extension(host_, id);
    }

    // [thread-safe] The host's extension `id` as its table type (e.g. sb_host_deadline for
    // SB_EXT_DEADLINE), or nullptr when the host lacks it. The table may come from an older
    // revision of the header than T: check each member with SB_HAS_FIELD before using it.
    template <class T>
    const T* extension(const char* id) const noexcept {
        const auto* table = static_cast<const T*>(extension(id));
        if (table == nullptr || table->struct_size < sizeof(uint32_t)) return nullptr;
        return table;
    }

private:
    const sb_host* host_ = nullptr;
};

// The connector a plugin creates, copied out of sb_connector_info.
struct ConnectorInfo {
    std::string provider_id;
    std::string tenant_id;
    std::string connector_id; // a UUID
};

// An HTTP request for the host to perform against the provider's API base URL.
struct HttpRequest {
    std::string method = "GET"; // GET, POST, PATCH, PUT, DELETE
    // Path and query relative to the API base URL, starting with '/', already percent-encoded
    // (see url.hpp). Absolute URLs are refused by the host.
    std::string path;
    std::vector<NameValue> headers; // never Authorization: the host adds the credentials
    std::string body;
};

// The host's answer to an HttpRequest, copied out of host memory (so it outlives the call).
struct HttpResponse {
    // SB_STATUS_OK when the provider answered (whatever its HTTP status); otherwise why the
    // host could not get an answer (SB_STATUS_AUTH: no usable credentials;
    // SB_STATUS_UNAVAILABLE: network failure or timeout after retries; SB_STATUS_INVALID_INPUT:
    // the host refused the request; SB_STATUS_INTERNAL: the host misbehaved), and
    // `status` is 0.
    sb_status host_status = SB_STATUS_OK;
    int status = 0;                  // the HTTP status code
    std::vector<NameValue> headers;  // names in lower case, as the host gives them
    std::string body;

    // True when the provider answered with a 2xx status.
    bool ok() const noexcept { return host_status == SB_STATUS_OK && status >= 200 && status < 300; }

    // The value of the first header named `name` (compared case-insensitively), or nullptr.
    const std::string* header(std::string_view name) const noexcept {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        for (const auto& h : headers) {
            if (h.name.size() != name.size()) continue;
            bool same = true;
            for (std::size_t i = 0; i < name.size() && same; ++i) {
                same = lower(h.name[i]) == lower(name[i]);
            }
            if (same) return &h.value;
        }
        return nullptr;
    }
};

// One action invocation: what the plugin may do while its invoke runs. Valid only inside
// the Connector::invoke that received it, on that thread ([call-thread]); do not keep it.
class Call {
public:
    Call(Host host, sb_call* call, const ConnectorInfo& info) noexcept
        : host_(host), call_(call), info_(&info) {}

    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    const Host& host() const noexcept { return host_; }
    const ConnectorInfo& info() const noexcept { return *info_; }

    // Performs `request` through the host (which adds credentials, timeouts and retries)
    // and copies the answer. A host-side failure is a value: see HttpResponse::host_status.
    HttpResponse send(const HttpRequest& request) const {
        HttpResponse out;
        const sb_host* host = host_.c_host();
        if (host == nullptr || !SB_HAS_FIELD(sb_host, host, http) || host->http == nullptr) {
            out.host_status = SB_STATUS_INTERNAL;
            return out;
        }
        std::vector<sb_pair> pairs;
        pairs.reserve(request.headers.size());
        for (const auto& h : request.headers) {
            pairs.push_back(sb_pair{static_cast<uint32_t>(sizeof(sb_pair)), h.name.c_str(),
                                    h.value.c_str()});
        }
        std::vector<const sb_pair*> pair_pointers;
        pair_pointers.reserve(pairs.size());
        for (const auto& p : pairs) pair_pointers.push_back(&p);

        sb_http_request c_request{};
        c_request.struct_size = static_cast<uint32_t>(sizeof(sb_http_request));
        c_request.method = request.method.c_str();
        c_request.path = request.path.c_str();
        c_request.headers = pair_pointers.empty() ? nullptr : pair_pointers.data();
        c_request.header_count = pair_pointers.size();
        c_request.body = request.body.empty() ? nullptr : request.body.data();
        c_request.body_size = request.body.size();

        const sb_http_response* response = nullptr;
        const sb_status status = host->http(host, call_, &c_request, &response);
        if (status != SB_STATUS_OK) {
            out.host_status = status;
            return out;
        }
        if (response == nullptr || !SB_HAS_FIELD(sb_http_response, response, status)) {
            out.host_status = SB_STATUS_INTERNAL; // the host broke its side of the contract
            return out;
        }
        out.status = response->status;
        if (SB_HAS_FIELD(sb_http_response, response, header_count) && response->headers != nullptr) {
            for (std::size_t i = 0; i < response->header_count; ++i) {
                const sb_pair* p = response->headers[i];
                if (p == nullptr || !SB_HAS_FIELD(sb_pair, p, value) || p->name == nullptr) {
                    continue;
                }
                out.headers.push_back({p->name, p->value != nullptr ? p->value : ""});
            }
        }
        if (SB_HAS_FIELD(sb_http_response, response, body_size) && response->body != nullptr) {
            out.body.assign(response->body, response->body_size);
        }
        return out;
    }

    // The time left until the host stops waiting for this call, from the host's
    // switchboard.deadline/1 extension: nullopt when the host sets no deadline or lacks the
    // extension, zero once the deadline has passed. Loop-heavy actions (paging, retries)
    // check it before each step.
    std::optional<std::chrono::milliseconds> remaining() const noexcept {
        const sb_host_deadline* ext = deadline_extension();
        if (ext == nullptr || !SB_HAS_FIELD(sb_host_deadline, ext, remaining_ms) ||
            ext->remaining_ms == nullptr) {
            return std::nullopt;
        }
        const int64_t left = ext->remaining_ms(host_.c_host(), call_);
        if (left == SB_DEADLINE_NONE) return std::nullopt;
        return std::chrono::milliseconds(left < 0 ? 0 : left);
    }

    // True once the host has given up on this call (its deadline passed, or it was
    // cancelled): return at once, nothing written afterwards is used. False when the host
    // lacks the extension.
    bool cancelled() const noexcept {
        const sb_host_deadline* ext = deadline_extension();
        if (ext == nullptr || !SB_HAS_FIELD(sb_host_deadline, ext, is_cancelled) ||
            ext->is_cancelled == nullptr) {
            return false;
        }
        return ext->is_cancelled(host_.c_host(), call_) != 0;
    }

    HttpResponse get(std::string path) const { return send({"GET", std::move(path), {}, {}}); }
    HttpResponse del(std::string path) const { return send({"DELETE", std::move(path), {}, {}}); }
    // `method` with a JSON body (Content-Type: application/json).
    HttpResponse send_json(std::string method, std::string path, std::string json_body) const {
        return send({std::move(method), std::move(path),
                     {{"Content-Type", "application/json"}}, std::move(json_body)});
    }

private:
    const sb_host_deadline* deadline_extension() const noexcept {
        return host_.extension<sb_host_deadline>(SB_EXT_DEADLINE);
    }

    Host host_;
    sb_call* call_;
    const ConnectorInfo* info_;
};

} // namespace switchboard::sdk
