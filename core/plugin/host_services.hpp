// The services table (sb_host) the host hands each plugin library: logging through spdlog
// with the plugin and provider named on every line and a length cap, the injectable clock,
// and HTTP through the CallContext of the current invocation (see call_scope.hpp).
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/clock.hpp"

#include <spdlog/logger.h>
#include <switchboard/plugin.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace switchboard::plugin {

struct HostServicesOptions {
    std::shared_ptr<spdlog::logger> logger;  // nullptr: spdlog's default logger at use time
    std::shared_ptr<const Clock> clock;      // nullptr: the system clock
    std::size_t log_message_limit = 2048;    // bytes of a plugin's message kept per line
    std::string host_version = "0.1.0";
    // When set, a plugin's log lines go here (capped and escaped, without the host's
    // "[plugin ...]" prefix) instead of to the logger: a plugin-host child forwards them to
    // the host this way. Called on the plugin's thread; must be thread-safe.
    std::function<void(sb_log_level, std::string_view)> log_forward = nullptr;
};

// One library's sb_host. It must stay alive, unchanged and at the same address until the
// library's deinit returns; PluginLibrary owns it for that reason. Thread-safe.
class HostTable {
public:
    HostTable(std::string plugin_name, HostServicesOptions options);
    HostTable(const HostTable&) = delete;
    HostTable& operator=(const HostTable&) = delete;

    const sb_host* table() const noexcept { return &host_; }
    const std::string& plugin_name() const noexcept { return plugin_name_; }
    const Clock& clock() const noexcept { return *clock_; }
    spdlog::logger& logger() const noexcept;

    // What sb_host.log does: one line, "[plugin <name> provider <id>] <message>", the message
    // capped at log_message_limit bytes (on a UTF-8 boundary) with control characters escaped
    // so a plugin cannot forge extra lines.
    void log(sb_log_level level, std::string_view message) const noexcept;

    // The HostTable behind a table this host built, or nullptr.
    static const HostTable* from(const sb_host* host) noexcept;

private:
    sb_host host_{};
    std::string plugin_name_;
    std::string host_version_;
    HostServicesOptions options_;
    std::shared_ptr<const Clock> clock_;
};

// `message` as one safe log line: capped at `limit` bytes on a UTF-8 boundary (with a
// "[truncated N bytes]" note) and control characters escaped, so a plugin cannot forge lines.
std::string sanitize_log_message(std::string_view message, std::size_t limit);

// The spdlog level of a plugin's sb_log_level (an unknown level logs as a warning).
spdlog::level::level_enum plugin_log_level(sb_log_level level) noexcept;

// Checks a plugin's HTTP request and copies it into owned values. Refused (invalid_input,
// code `invalid_http_request`, the message names the problem but never a header value):
// a method other than GET/POST/PATCH/PUT/DELETE; a path that does not start with '/', starts
// with "//", holds a scheme or authority, a fragment, a backslash, a dot segment, a space,
// a control or non-ASCII byte, or is not valid origin-form; a header name that is not an
// RFC 9110 token or a value with CR, LF or NUL; an Authorization or Proxy-Authorization
// header (the host sets credentials); Host, Content-Length, Transfer-Encoding or Connection
// (the host's HTTP client sets them); truncated structs; a NULL body with a non-zero size.
Result<ProviderHttpRequest> read_http_request(const sb_http_request* request);

// The sb_status a plugin sees for a CallContext failure.
sb_status http_error_status(const Error& error) noexcept;

} // namespace switchboard::plugin
