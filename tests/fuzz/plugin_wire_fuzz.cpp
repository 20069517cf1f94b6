// The isolated mode's wire, host side (core/plugin/isolated): what a plugin-host child sends
// the host. The child runs a third party's code, so every byte of it is untrusted.
//
// The input is the byte stream the child writes on its socket. The host's FrameChannel reads
// it frame by frame (4-byte big-endian length, then the payload) from a socketpair; each
// payload goes through decode_child_message, then through the checks the host applies to
// that message before using it (child_checks.hpp): a hello's descriptors (the in-process
// loader's read_provider_list), an http request (read_http_request), a result
// (check_invocation), a log line (sanitize_log_message).
//
// Promises checked: framing never reads past the stream nor accepts a frame over the limit;
// every payload decodes to a message or a plugin_host_protocol_violation; a decoded message
// encodes and decodes back to the same message; an accepted hello's descriptors say exactly
// what the child declared; an accepted http request keeps the host's rules (no credentials,
// no framing headers, a relative path); a checked result is a known status with JSON or a
// contract error; a sanitized log line holds no line break or control character.
// Seeds: hellos with the four shipped plugins' descriptors, a call's log/http/result frames,
// a failure, oversized and truncated frames (support/make_plugin_seeds.py).
#include "core/common/ascii.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/isolated/child_checks.hpp"
#include "core/plugin/isolated/frame_channel.hpp"
#include "core/plugin/isolated/wire_messages.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <variant>

namespace {

using namespace switchboard;
using namespace switchboard::plugin::isolated;
using switchboard::fuzz::check;

// A frame this harness lets the channel take; the product's limit (80 MiB) is refused the
// same way, only later.
constexpr std::size_t max_frame = 1024 * 1024;
// More than one socket buffer would block the writer; the fuzzer's inputs are far smaller.
constexpr std::size_t max_stream = 128 * 1024;

spdlog::logger& quiet_logger() {
    static spdlog::logger logger("fuzz", std::make_shared<spdlog::sinks::null_sink_mt>());
    return logger;
}

template <class Message>
void check_round_trip(const Message& message) {
    const std::string payload = encode(message);
    const auto again = decode_child_message(payload);
    check(again.has_value() && std::holds_alternative<Message>(*again),
          "an encoded message decodes");
    check(encode(std::get<Message>(*again)) == payload, "a message survives encode and decode");
}

void check_hello_message(const HelloMessage& hello) {
    const auto checked = check_hello(hello, plugin::ContractCatalog::embedded());
    if (!checked) {
        const auto& code = checked.error().code;
        // unsupported_contract_revision: a provider of a category revision the host does not
        // honour (ABI 1.3's contract_revision; a flipped bit in a seed's makes one);
        // invalid_provider_policy: a malformed provider policy (switchboard.provider-policy/1).
        check(code == "invalid_plugin" || code == "abi_mismatch" || code == "invalid_descriptor" ||
                  code == "unsupported_contract_revision" || code == "invalid_provider_policy",
              "a refused hello is invalid_plugin, abi_mismatch, invalid_descriptor, "
              "unsupported_contract_revision or invalid_provider_policy");
        return;
    }
    check(checked->providers.size() == hello.providers.size() &&
              checked->as_declared == hello.providers &&
              checked->policies_as_declared == hello.policies,
          "an accepted hello keeps every provider and policy it declared");
    for (std::size_t i = 0; i < hello.providers.size(); ++i) {
        const sdk::ProviderSpec& declared = hello.providers[i];
        const plugin::ProviderDescriptor& read = checked->providers[i];
        check(read.id == declared.id && read.category == declared.category &&
                  read.display_name == declared.display_name &&
                  read.description == declared.description &&
                  read.api_base_url == declared.api_base_url && read.actions == declared.actions,
              "the host uses the provider the child declared");
        const sdk::OAuthSpec& o = declared.oauth;
        std::vector<std::pair<std::string, std::string>> extra;
        for (const auto& pair : o.extra_authorize_params) {
            extra.emplace_back(pair.name, pair.value);
        }
        check(read.oauth.authorize_url == o.authorize_url &&
                  read.oauth.token_url == o.token_url && read.oauth.revoke_url == o.revoke_url &&
                  read.oauth.default_scopes == o.default_scopes &&
                  read.oauth.extra_authorize_params == extra &&
                  read.oauth.identity_url == o.identity_url &&
                  read.oauth.identity_field == o.identity_field &&
                  read.oauth.identity_scopes == o.identity_scopes &&
                  read.oauth.identity_account_field == o.identity_account_field,
              "the host uses the OAuth metadata the child declared");
    }
}

void check_http_message(const HttpMessage& message) {
    const auto checked = check_child_request(message.request);
    if (!checked) {
        check(checked.error().kind == ErrorKind::invalid_input, "a refused request is invalid");
        return;
    }
    check(checked->path.starts_with("/") && !checked->path.starts_with("//"),
          "an accepted path is relative to the provider's API");
    for (const auto& header : checked->headers) {
        for (const std::string_view forbidden :
             {"authorization", "proxy-authorization", "host", "content-length",
              "transfer-encoding", "connection"}) {
            check(!ascii_iequals(header.name, forbidden), "the plugin cannot set credentials or framing");
        }
        check(header.value.find_first_of("\r\n") == std::string::npos &&
                  header.name.find_first_of("\r\n:") == std::string::npos,
              "an accepted header cannot add another");
    }
}

void check_result_message(const ResultMessage& message) {
    const plugin::InvocationSource source{
        "fuzz.so", "test_calendar", {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}};
    const auto outcome =
        plugin::check_invocation(message.raw, source, "delete_event", plugin::OutputLimits{},
                                 plugin::ContractCatalog::embedded(), quiet_logger());
    check(outcome.status >= SB_STATUS_OK && outcome.status <= SB_STATUS_CONFLICT,
          "a checked outcome has a known status");
    if (outcome.ok()) {
        check(nlohmann::json::accept(outcome.json), "a successful outcome is JSON");
    }
}

void check_log_message(const LogMessage& message) {
    const std::string line = plugin::sanitize_log_message(message.message, 2048);
    check(std::none_of(line.begin(), line.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }),
          "a plugin's log line holds no control character");
    // The cap counts the plugin's bytes; an escape writes up to four for one.
    check(line.size() <= 4 * 2048 + 40, "a plugin's log line is capped");
}

void handle(std::string_view payload) {
    const auto message = decode_child_message(payload);
    if (!message) {
        check(message.error().code == "plugin_host_protocol_violation",
              "an unreadable message is a protocol violation");
        return;
    }
    std::visit([](const auto& m) { check_round_trip(m); }, *message);
    if (const auto* hello = std::get_if<HelloMessage>(&*message)) {
        check_hello_message(*hello);
    } else if (const auto* http = std::get_if<HttpMessage>(&*message)) {
        check_http_message(*http);
    } else if (const auto* result = std::get_if<ResultMessage>(&*message)) {
        check_result_message(*result);
    } else if (const auto* log = std::get_if<LogMessage>(&*message)) {
        check_log_message(*log);
    }
    // The host child never reads host messages from a child; decoding them is the child's
    // side of the same codec.
    (void)decode_host_message(payload);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::signal(SIGPIPE, SIG_IGN);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto stream = fuzz::as_text(data, std::min(size, max_stream));
    int fds[2];
    check(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0, "socketpair");
    // The child's end: everything it sends, then it exits.
    std::size_t written = 0;
    while (written < stream.size()) {
        const ssize_t n = ::write(fds[1], stream.data() + written, stream.size() - written);
        check(n > 0, "the stream fits the socket buffer");
        written += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);

    FrameChannel channel(fds[0]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t consumed = 0;
    for (;;) {
        std::string payload;
        const auto status = channel.receive(payload, deadline, max_frame);
        if (status != FrameChannel::Status::ok) {
            check(status == FrameChannel::Status::closed ||
                      status == FrameChannel::Status::too_large,
                  "a stream ends closed or with an oversized frame");
            break;
        }
        consumed += 4 + payload.size();
        check(payload.size() <= max_frame, "a frame is within the limit");
        check(consumed <= stream.size(), "frames come from the stream");
        check(stream.substr(consumed - payload.size(), payload.size()) == payload,
              "a frame's payload is the stream's bytes");
        handle(payload);
    }
    return 0;
}
