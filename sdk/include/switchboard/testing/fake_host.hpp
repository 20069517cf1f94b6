// switchboard/testing/fake_host.hpp — unit-test a plugin without the server.
//
// FakeHost implements the sb_host table: canned HTTP answers matched in order, a record of
// every request, a clock the test sets, and captured log lines. PluginUnderTest drives a
// plugin through its C ABI exactly as the host does (entry, init, get_providers,
// create_connector, invoke with host-owned sinks, destroy_connector, deinit), from a linked-in
// entry function or from a library path (dlopen), and checks on the way that the plugin keeps
// the ABI's rules. Header-only; no test framework needed (assert on the returned values with
// the framework you use):
//
//   FakeHost host;
//   host.expect("GET", "/v1/calendars/primary/events?limit=10",
//               CannedResponse::json(200, R"({"items":[]})"));
//   PluginUnderTest plugin("build/example_calendar.so", host);   // or (&switchboard_plugin_entry, host)
//   ASSERT_EQ(plugin.init(), SB_STATUS_OK);
//   auto connector = plugin.connect("example_calendar");
//   Invocation call = connector.invoke("list_events", R"({"time_min":...,"time_max":...})");
//   EXPECT_EQ(call.status, SB_STATUS_OK);       // call.result / call.error hold the JSON
//   EXPECT_TRUE(plugin.problems().empty());     // ABI breaches, unexpected or missing requests
//
// Declare the FakeHost before the PluginUnderTest: the host must outlive the plugin.
#pragma once

#include "switchboard/categories.hpp"
#include "switchboard/descriptor.hpp"
#include "switchboard/ext/deadline.h"
#include "switchboard/outcome.hpp"
#include "switchboard/plugin.h"
#include "switchboard/testing/json_check.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk::testing {

inline std::string to_lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// A request the plugin made through sb_host.http, as the fake host received it.
struct RecordedRequest {
    std::string method;
    std::string path;
    std::vector<NameValue> headers;
    std::string body;

    // The value of the first header named `name` (case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const {
        const std::string wanted = to_lower_ascii(name);
        for (const auto& h : headers) {
            if (to_lower_ascii(h.name) == wanted) return &h.value;
        }
        return nullptr;
    }
};

// What the fake host answers to one expected request.
struct CannedResponse {
    int status = 200;
    std::vector<NameValue> headers; // names are lower-cased before the plugin sees them
    std::string body;
    // Not SB_STATUS_OK: the host "could not get an answer" (SB_STATUS_AUTH,
    // SB_STATUS_UNAVAILABLE, ...) and the plugin receives no response.
    sb_status host_status = SB_STATUS_OK;

    static CannedResponse json(int status, std::string body) {
        return {status, {{"content-type", "application/json"}}, std::move(body), SB_STATUS_OK};
    }
    static CannedResponse empty(int status) { return {status, {}, {}, SB_STATUS_OK}; }
    static CannedResponse host_failure(sb_status status) { return {0, {}, {}, status}; }

    CannedResponse& with_header(std::string name, std::string value) {
        headers.push_back({std::move(name), std::move(value)});
        return *this;
    }
};

// Which request an expectation accepts.
class RequestMatcher {
public:
    // Method and the whole path (query included) equal.
    static RequestMatcher exact(std::string method, std::string path) {
        std::string description = method + " " + path;
        return RequestMatcher(std::move(description),
                              [method = std::move(method), path = std::move(path)](
                                  const RecordedRequest& r) {
                                  return r.method == method && r.path == path;
                              });
    }
    // Method equal, path starting with `path_prefix`.
    static RequestMatcher prefix(std::string method, std::string path_prefix) {
        std::string description = method + " " + path_prefix + "*";
        return RequestMatcher(std::move(description),
                              [method = std::move(method), prefix = std::move(path_prefix)](
                                  const RecordedRequest& r) {
                                  return r.method == method && r.path.starts_with(prefix);
                              });
    }
    // Any test on the whole request; `description` names it in failure messages.
    static RequestMatcher when(std::string description,
                               std::function<bool(const RecordedRequest&)> predicate) {
        return RequestMatcher(std::move(description), std::move(predicate));
    }

    bool matches(const RecordedRequest& request) const { return predicate_(request); }
    const std::string& description() const noexcept { return description_; }

private:
    RequestMatcher(std::string description, std::function<bool(const RecordedRequest&)> predicate)
        : description_(std::move(description)), predicate_(std::move(predicate)) {}

    std::string description_;
    std::function<bool(const RecordedRequest&)> predicate_;
};

// One line the plugin logged.
struct LogLine {
    sb_log_level level = SB_LOG_INFO;
    std::string message;
};

// A host-owned output sink (sb_sink) that keeps what the plugin writes, up to a limit.
class Sink {
public:
    explicit Sink(std::size_t limit) : limit_(limit) {
        sink_.struct_size = static_cast<uint32_t>(sizeof(sb_sink));
        sink_.context = this;
        sink_.write = &Sink::write;
    }
    Sink(const Sink&) = delete;
    Sink& operator=(const Sink&) = delete;

    const sb_sink* c_sink() const noexcept { return &sink_; }
    const std::string& data() const noexcept { return data_; }
    // Ways the plugin misused the sink (e.g. NULL data with a size).
    const std::vector<std::string>& misuse() const noexcept { return misuse_; }

private:
    static sb_status write(const sb_sink* sink, const char* data, std::size_t size) {
        if (sink == nullptr || sink->context == nullptr) return SB_STATUS_INVALID_INPUT;
        auto& self = *static_cast<Sink*>(sink->context);
        if (data == nullptr && size != 0) {
            self.misuse_.push_back("sink write with NULL data and size " + std::to_string(size));
            return SB_STATUS_INVALID_INPUT;
        }
        if (size > self.limit_ - self.data_.size()) return SB_STATUS_INVALID_INPUT;
        self.data_.append(data == nullptr ? "" : data, size);
        return SB_STATUS_OK;
    }

    sb_sink sink_{};
    std::size_t limit_;
    std::string data_;
    std::vector<std::string> misuse_;
};

// The sb_host table of a test. Thread-safe like the real host's [thread-safe] functions.
// Neither copyable nor movable: the table points at it.
class FakeHost {
    // A response in host memory, pinned for the life of its call.
    struct StoredResponse {
        std::vector<NameValue> headers;
        std::string body;
        std::vector<sb_pair> pairs;
        std::vector<const sb_pair*> pointers;
        sb_http_response c{};
    };

    // What an sb_call of the fake host points at.
    struct CallState {
        std::deque<StoredResponse> responses;
    };

    struct Expectation {
        RequestMatcher matcher;
        CannedResponse response;
    };

public:
    // 2024-06-01T12:00:00Z, the clock's value until the test changes it.
    static constexpr int64_t default_now_unix_ms = 1717243200000;
    static constexpr std::size_t default_sink_limit = 8u << 20; // 8 MiB

    FakeHost() {
        table_.struct_size = static_cast<uint32_t>(sizeof(sb_host));
        table_.abi = {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR};
        table_.host_name = "switchboard-fake-host";
        table_.host_version = "0.0.0-test";
        table_.host_data = this;
        table_.log = &FakeHost::log_fn;
        table_.now_unix_ms = &FakeHost::now_fn;
        table_.http = &FakeHost::http_fn;
        table_.get_extension = &FakeHost::extension_fn;
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    const sb_host* table() const noexcept { return &table_; }

    // The ABI version the host announces (to test a plugin's refusal of another major).
    void set_abi(sb_abi_version abi) { table_.abi = abi; }

    // --- canned HTTP ---------------------------------------------------------------------
    // Each expectation answers one request, in the order they were added: a request must
    // match the first expectation not yet used. A request that does not is recorded as a
    // failure ("unexpected request") and answered with SB_STATUS_UNAVAILABLE, no response.
    FakeHost& expect(RequestMatcher matcher, CannedResponse response) {
        const std::lock_guard lock(mutex_);
        expectations_.push_back({std::move(matcher), std::move(response)});
        return *this;
    }
    FakeHost& expect(std::string method, std::string path, CannedResponse response) {
        return expect(RequestMatcher::exact(std::move(method), std::move(path)),
                      std::move(response));
    }
    FakeHost& expect_prefix(std::string method, std::string path_prefix, CannedResponse response) {
        return expect(RequestMatcher::prefix(std::move(method), std::move(path_prefix)),
                      std::move(response));
    }

    // Every request the host accepted (refused ones are failures), in order.
    std::vector<RecordedRequest> requests() const {
        const std::lock_guard lock(mutex_);
        return requests_;
    }
    std::size_t pending_expectations() const {
        const std::lock_guard lock(mutex_);
        return expectations_.size();
    }
    // Unexpected requests, requests the real host would refuse, and misuse of the host table.
    std::vector<std::string> failures() const {
        const std::lock_guard lock(mutex_);
        return failures_;
    }
    // failures() plus one line per expectation that no request used.
    std::vector<std::string> problems() const {
        const std::lock_guard lock(mutex_);
        std::vector<std::string> out = failures_;
        for (const auto& e : expectations_) {
            out.push_back("expected request never made: " + e.matcher.description());
        }
        return out;
    }

    // --- clock -----------------------------------------------------------------------------
    void set_now_unix_ms(int64_t now) {
        const std::lock_guard lock(mutex_);
        now_ = now;
    }
    void advance_ms(int64_t delta) {
        const std::lock_guard lock(mutex_);
        now_ += delta;
    }
    int64_t now_unix_ms() const {
        const std::lock_guard lock(mutex_);
        return now_;
    }

    // --- call deadline (switchboard.deadline/1) ---------------------------------------------
    // Every call's deadline, `ms` after the fake clock's current time (nullopt: no deadline,
    // the default). The extension's remaining_ms counts down as the test advances the clock;
    // is_cancelled turns 1 once it reaches zero, or after cancel_calls().
    void set_call_deadline_in_ms(std::optional<int64_t> ms) {
        const std::lock_guard lock(mutex_);
        deadline_unix_ms_ = ms ? std::optional<int64_t>(now_ + *ms) : std::nullopt;
        cancelled_ = false;
    }
    void cancel_calls() {
        const std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    // Offer the extension or not (the default: offer it), to test a plugin's fallback.
    void set_offers_deadline_extension(bool offer) {
        const std::lock_guard lock(mutex_);
        offers_deadline_ = offer;
    }

    // --- logs ------------------------------------------------------------------------------
    std::vector<LogLine> logs() const {
        const std::lock_guard lock(mutex_);
        return logs_;
    }
    // True when some log line contains `text`.
    bool logged(std::string_view text) const {
        const std::lock_guard lock(mutex_);
        return std::any_of(logs_.begin(), logs_.end(), [&](const LogLine& line) {
            return line.message.find(text) != std::string::npos;
        });
    }

    // --- sinks -----------------------------------------------------------------------------
    // The size limit of the result and error sinks PluginUnderTest hands the plugin.
    void set_sink_limit(std::size_t bytes) {
        const std::lock_guard lock(mutex_);
        sink_limit_ = bytes;
    }
    std::size_t sink_limit() const {
        const std::lock_guard lock(mutex_);
        return sink_limit_;
    }

    // The sb_call of one invocation: sb_host.http accepts it only while the scope lives,
    // and the responses handed out during the call live exactly as long.
    class CallScope {
    public:
        explicit CallScope(FakeHost& host) : host_(host), state_(std::make_unique<CallState>()) {
            const std::lock_guard lock(host_.mutex_);
            host_.active_calls_.insert(state_.get());
        }
        ~CallScope() {
            const std::lock_guard lock(host_.mutex_);
            host_.active_calls_.erase(state_.get());
        }
        CallScope(const CallScope&) = delete;
        CallScope& operator=(const CallScope&) = delete;

        sb_call* c_call() const noexcept { return reinterpret_cast<sb_call*>(state_.get()); }

    private:
        FakeHost& host_;
        std::unique_ptr<CallState> state_;
    };

private:
    static FakeHost& self(const sb_host* host) { return *static_cast<FakeHost*>(host->host_data); }

    static void log_fn(const sb_host* host, sb_log_level level, const char* message) {
        FakeHost& h = self(host);
        const std::lock_guard lock(h.mutex_);
        if (message == nullptr) {
            h.failures_.push_back("log called with a NULL message");
            return;
        }
        h.logs_.push_back({level, message});
    }

    static int64_t now_fn(const sb_host* host) { return self(host).now_unix_ms(); }

    static const void* extension_fn(const sb_host* host, const char* id) {
        static const sb_host_deadline deadline = {
            static_cast<uint32_t>(sizeof(sb_host_deadline)), &FakeHost::remaining_fn,
            &FakeHost::cancelled_fn};
        if (id == nullptr) return nullptr;
        FakeHost& me = self(host);
        const std::lock_guard lock(me.mutex_);
        if (me.offers_deadline_ && std::string_view(id) == SB_EXT_DEADLINE) return &deadline;
        return nullptr;
    }
    static int64_t remaining_fn(const sb_host* host, const sb_call* call) {
        FakeHost& me = self(host);
        const std::lock_guard lock(me.mutex_);
        if (me.active_calls_.count(reinterpret_cast<const CallState*>(call)) == 0) {
            me.failures_.push_back("switchboard.deadline/1 remaining_ms called with an sb_call "
                                   "that is not the current invoke's");
            return 0;
        }
        if (!me.deadline_unix_ms_) return SB_DEADLINE_NONE;
        return std::max<int64_t>(0, *me.deadline_unix_ms_ - me.now_);
    }
    static int32_t cancelled_fn(const sb_host* host, const sb_call* call) {
        FakeHost& me = self(host);
        const std::lock_guard lock(me.mutex_);
        if (me.active_calls_.count(reinterpret_cast<const CallState*>(call)) == 0) {
            me.failures_.push_back("switchboard.deadline/1 is_cancelled called with an sb_call "
                                   "that is not the current invoke's");
            return 1;
        }
        const bool expired = me.deadline_unix_ms_ && me.now_ >= *me.deadline_unix_ms_;
        return me.cancelled_ || expired ? 1 : 0;
    }

    // Why the real host would refuse `request` ("" when it would not), and the request as
    // recorded in `out`.
    static std::string refusal(const sb_http_request* request, RecordedRequest& out) {
        if (request == nullptr) return "the request is NULL";
        if (!SB_HAS_FIELD(sb_http_request, request, body_size)) {
            return "the request's struct_size " + std::to_string(request->struct_size) +
                   " is too small";
        }
        if (request->method == nullptr) return "the request has no method";
        out.method = request->method;
        static constexpr std::string_view methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE"};
        if (std::find(std::begin(methods), std::end(methods), out.method) == std::end(methods)) {
            return "method '" + out.method + "' is not one of GET, POST, PATCH, PUT, DELETE";
        }
        if (request->path == nullptr) return "the request has no path";
        out.path = request->path;
        if (!out.path.starts_with('/') || out.path.starts_with("//")) {
            return "path '" + out.path + "' is not relative to the API base URL";
        }
        for (const char c : out.path) {
            const auto u = static_cast<unsigned char>(c);
            if (u <= 0x20 || u >= 0x7F) {
                return "path '" + out.path + "' is not percent-encoded";
            }
        }
        if (request->header_count != 0 && request->headers == nullptr) {
            return "header_count is not 0 but headers is NULL";
        }
        for (std::size_t i = 0; i < request->header_count; ++i) {
            const sb_pair* p = request->headers[i];
            if (p == nullptr || !SB_HAS_FIELD(sb_pair, p, value) || p->name == nullptr ||
                p->value == nullptr) {
                return "header " + std::to_string(i) + " is NULL or incomplete";
            }
            if (to_lower_ascii(p->name) == "authorization") {
                return "the plugin set an Authorization header (the host adds credentials)";
            }
            out.headers.push_back({p->name, p->value});
        }
        if (request->body == nullptr && request->body_size != 0) {
            return "body is NULL but body_size is " + std::to_string(request->body_size);
        }
        if (request->body != nullptr) out.body.assign(request->body, request->body_size);
        return {};
    }

    static sb_status http_fn(const sb_host* host, sb_call* call, const sb_http_request* request,
                             const sb_http_response** response) {
        FakeHost& h = self(host);
        const std::lock_guard lock(h.mutex_);
        if (response == nullptr) {
            h.failures_.push_back("http called with a NULL response pointer");
            return SB_STATUS_INVALID_INPUT;
        }
        *response = nullptr;
        auto* state = reinterpret_cast<CallState*>(call);
        if (call == nullptr || h.active_calls_.count(state) == 0) {
            h.failures_.push_back("http called outside its invoke or with another call's sb_call");
            return SB_STATUS_INVALID_INPUT;
        }
        RecordedRequest recorded;
        if (std::string why = refusal(request, recorded); !why.empty()) {
            h.failures_.push_back("http request refused: " + why);
            return SB_STATUS_INVALID_INPUT;
        }
        h.requests_.push_back(recorded);
        if (h.expectations_.empty() || !h.expectations_.front().matcher.matches(recorded)) {
            h.failures_.push_back(
                "unexpected request " + recorded.method + " " + recorded.path + " (expected " +
                (h.expectations_.empty() ? std::string("no more requests")
                                         : h.expectations_.front().matcher.description()) +
                ")");
            return SB_STATUS_UNAVAILABLE;
        }
        const CannedResponse canned = std::move(h.expectations_.front().response);
        h.expectations_.pop_front();
        if (canned.host_status != SB_STATUS_OK) return canned.host_status;

        StoredResponse& stored = state->responses.emplace_back();
        for (const auto& header : canned.headers) {
            stored.headers.push_back({to_lower_ascii(header.name), header.value});
        }
        stored.body = canned.body;
        for (const auto& header : stored.headers) {
            stored.pairs.push_back(sb_pair{static_cast<uint32_t>(sizeof(sb_pair)),
                                           header.name.c_str(), header.value.c_str()});
        }
        for (const auto& pair : stored.pairs) stored.pointers.push_back(&pair);
        stored.c.struct_size = static_cast<uint32_t>(sizeof(sb_http_response));
        stored.c.status = canned.status;
        stored.c.headers = stored.pointers.empty() ? nullptr : stored.pointers.data();
        stored.c.header_count = stored.pointers.size();
        stored.c.body = stored.body.empty() ? nullptr : stored.body.data();
        stored.c.body_size = stored.body.size();
        *response = &stored.c;
        return SB_STATUS_OK;
    }

    mutable std::mutex mutex_;
    sb_host table_{};
    int64_t now_ = default_now_unix_ms;
    std::optional<int64_t> deadline_unix_ms_;
    bool cancelled_ = false;
    bool offers_deadline_ = true;
    std::size_t sink_limit_ = default_sink_limit;
    std::deque<Expectation> expectations_;
    std::vector<RecordedRequest> requests_;
    std::vector<std::string> failures_;
    std::vector<LogLine> logs_;
    std::set<const CallState*> active_calls_;
};

// ------------------------------------------------------------------------------------------
// ABI checks, usable on their own
// ------------------------------------------------------------------------------------------

// Problems of an error object against the contract's Error shape (common.schema.json):
// a JSON object with a string "code" matching ^[a-z][a-z0-9_]{0,63}$, a string "message",
// an optional string "field", an optional object "details", and nothing else.
inline std::vector<std::string> error_object_problems(std::string_view json) {
    std::vector<std::string> out;
    const auto members = json_object_members(json);
    if (!members) {
        out.push_back("the error is not a JSON object: " + std::string(json.substr(0, 200)));
        return out;
    }
    bool code = false;
    bool message = false;
    for (const auto& m : *members) {
        if (m.key == "code") {
            code = true;
            if (m.kind != JsonKind::string || !is_valid_error_code(m.string_value)) {
                out.push_back("the error's code is not a snake_case string");
            }
        } else if (m.key == "message") {
            message = true;
            if (m.kind != JsonKind::string) out.push_back("the error's message is not a string");
        } else if (m.key == "field") {
            if (m.kind != JsonKind::string) out.push_back("the error's field is not a string");
        } else if (m.key == "details") {
            if (m.kind != JsonKind::object) out.push_back("the error's details is not an object");
        } else {
            out.push_back("the error has an unknown member '" + m.key + "'");
        }
    }
    if (!code) out.push_back("the error has no code");
    if (!message) out.push_back("the error has no message");
    return out;
}

// Problems of one provider descriptor, as a careful host would see them (the host's own
// `switchboard plugins validate` is the authority; this catches the common mistakes early).
inline std::vector<std::string> descriptor_problems(const sb_provider_desc* desc) {
    std::vector<std::string> out;
    if (desc == nullptr) {
        out.push_back("a provider descriptor is NULL");
        return out;
    }
    if (desc->struct_size < sizeof(sb_provider_desc)) {
        out.push_back("sb_provider_desc.struct_size is " + std::to_string(desc->struct_size) +
                      ", expected at least " + std::to_string(sizeof(sb_provider_desc)));
        return out;
    }
    const ProviderSpec spec = read_provider_desc(desc);
    const std::string who = "provider '" + spec.id + "': ";
    const auto problem = [&](std::string text) { out.push_back(who + std::move(text)); };
    const auto is_https_url = [](const std::string& url) {
        return url.starts_with("https://") && url.size() > 8 &&
               std::none_of(url.begin(), url.end(), [](char c) {
                   return static_cast<unsigned char>(c) <= 0x20;
               });
    };

    const bool id_ok = !spec.id.empty() && spec.id.size() <= 64 &&
                       std::all_of(spec.id.begin(), spec.id.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                       });
    if (!id_ok) problem("id must match [a-z0-9_]{1,64}");
    const auto known_actions = category_actions(spec.category);
    if (known_actions.empty()) problem("unknown category '" + spec.category + "'");
    if (!known_actions.empty() && spec.contract_revision > contract_revision(spec.category)) {
        problem("contract_revision " + std::to_string(spec.contract_revision) +
                " is newer than this SDK's " + spec.category + "/" +
                std::to_string(contract_revision(spec.category)));
    }
    if (spec.display_name.empty()) problem("display_name is missing");
    if (spec.description.empty()) problem("description is missing");
    if (!is_https_url(spec.api_base_url) || spec.api_base_url.ends_with('/')) {
        problem("api_base_url must be an absolute https URL without a trailing slash");
    }
    if (desc->allowed_base_url_count != 0 && desc->allowed_base_urls == nullptr) {
        problem("allowed_base_urls is NULL");
    }
    for (const auto& base : spec.allowed_base_urls) {
        if (!is_https_url(base) || base.ends_with('/') ||
            base.find_first_of("?#") != std::string::npos) {
            problem("allowed base URL '" + base +
                    "' must be an absolute https URL without a trailing slash, query or fragment");
        }
    }
    if (desc->action_count != 0 && desc->actions == nullptr) problem("actions is NULL");
    for (std::size_t i = 0; desc->actions != nullptr && i < desc->action_count; ++i) {
        if (desc->actions[i] == nullptr) problem("action " + std::to_string(i) + " is NULL");
    }
    for (std::size_t i = 0; i < spec.actions.size(); ++i) {
        const std::string& action = spec.actions[i];
        if (!known_actions.empty() &&
            std::find(known_actions.begin(), known_actions.end(), action) == known_actions.end()) {
            problem("action '" + action + "' is not in category '" + spec.category + "'");
        }
        if (std::find(spec.actions.begin(), spec.actions.begin() + static_cast<std::ptrdiff_t>(i),
                      action) != spec.actions.begin() + static_cast<std::ptrdiff_t>(i)) {
            problem("action '" + action + "' is listed twice");
        }
    }

    const sb_oauth_desc* o = desc->oauth;
    if (o == nullptr) {
        problem("oauth is NULL");
        return out;
    }
    // Every field of ABI 1.0; later fields are read only when struct_size covers them.
    if (!SB_HAS_FIELD(sb_oauth_desc, o, identity_scope_count)) {
        problem("sb_oauth_desc.struct_size is too small");
        return out;
    }
    const OAuthSpec& oauth = spec.oauth;
    if (!is_https_url(oauth.authorize_url)) problem("authorize_url must be an https URL");
    if (!is_https_url(oauth.token_url)) problem("token_url must be an https URL");
    switch (oauth.revoke_style) {
    case SB_REVOKE_NONE: break;
    case SB_REVOKE_POST_FORM:
        if (!is_https_url(oauth.revoke_url)) problem("revoke_url must be an https URL");
        break;
    case SB_REVOKE_DELETE_PATH:
        if (!is_https_url(oauth.revoke_url) ||
            oauth.revoke_url.find("{token}") == std::string::npos) {
            problem("revoke_url must be an https URL containing {token}");
        }
        break;
    default: problem("revoke_style " + std::to_string(oauth.revoke_style) + " is unknown");
    }
    if (o->pkce != 0 && o->pkce != 1) problem("pkce must be 0 or 1");
    if (oauth.client_auth != SB_CLIENT_AUTH_POST && oauth.client_auth != SB_CLIENT_AUTH_BASIC) {
        problem("client_auth " + std::to_string(oauth.client_auth) + " is unknown");
    }
    if (o->default_scope_count != 0 && o->default_scopes == nullptr) {
        problem("default_scopes is NULL");
    }
    if (o->identity_scope_count != 0 && o->identity_scopes == nullptr) {
        problem("identity_scopes is NULL");
    }
    if (!oauth.identity_account_field.empty()) {
        if (oauth.identity_account_field.front() != '/') {
            problem("identity_account_field must be a JSON Pointer starting with '/'");
        }
        if (oauth.identity_url.empty()) problem("identity_account_field needs identity_url");
    }
    for (const auto& scope : oauth.default_scopes) {
        if (scope.empty() || scope.find(' ') != std::string::npos) {
            problem("scope '" + scope + "' is empty or contains a space");
        }
    }
    for (const auto& scope : oauth.identity_scopes) {
        if (scope.empty() || scope.find(' ') != std::string::npos) {
            problem("identity scope '" + scope + "' is empty or contains a space");
        }
    }
    static constexpr std::string_view reserved[] = {
        "client_id", "redirect_uri", "response_type", "scope", "state",
        "code_challenge", "code_challenge_method"};
    if (o->extra_authorize_param_count != 0 && o->extra_authorize_params == nullptr) {
        problem("extra_authorize_params is NULL");
    }
    for (const auto& p : oauth.extra_authorize_params) {
        if (p.name.empty()) problem("an extra authorize parameter has no name");
        if (std::find(std::begin(reserved), std::end(reserved), p.name) != std::end(reserved)) {
            problem("extra authorize parameter '" + p.name + "' is set by the host");
        }
    }
    if (oauth.identity_url.empty() != oauth.identity_field.empty()) {
        problem("identity_url and identity_field must be given together");
    }
    if (!oauth.identity_url.empty() && !is_https_url(oauth.identity_url)) {
        problem("identity_url must be an https URL");
    }
    if (!oauth.identity_field.empty() && !oauth.identity_field.starts_with('/')) {
        problem("identity_field must be a JSON Pointer (starting with '/')");
    }
    return out;
}

// ------------------------------------------------------------------------------------------
// Driving a plugin
// ------------------------------------------------------------------------------------------

// What one invoke returned, and the ways it broke the ABI.
struct Invocation {
    sb_status status = SB_STATUS_INTERNAL;
    std::string result; // what the plugin wrote into the result sink
    std::string error;  // what the plugin wrote into the error sink
    std::vector<std::string> violations;

    bool ok() const noexcept { return status == SB_STATUS_OK; }
    // The error object's code / message, or "" when there is none.
    std::string error_code() const { return json_string_member(error, "code").value_or(""); }
    std::string error_message() const {
        return json_string_member(error, "message").value_or("");
    }
};

class PluginUnderTest;

// A connector created through PluginUnderTest::connect. The PluginUnderTest owns it and
// destroys it (at the latest in its own destructor).
class ConnectorHandle {
public:
    sb_status status() const noexcept { return status_; }
    explicit operator bool() const noexcept { return connector_ != nullptr; }
    sb_connector* c_connector() const noexcept { return connector_; }

    // invoke(action, params) through the C ABI; see PluginUnderTest::invoke.
    Invocation invoke(std::string_view action, std::string_view params_json = "{}") const;

private:
    friend class PluginUnderTest;
    PluginUnderTest* plugin_ = nullptr;
    sb_connector* connector_ = nullptr;
    sb_status status_ = SB_STATUS_INTERNAL;
};

// A plugin driven through its C ABI, as the host drives it.
class PluginUnderTest {
public:
    // A linked-in plugin: pass its entry function (e.g. &switchboard_plugin_entry).
    PluginUnderTest(sb_plugin_entry_fn entry, FakeHost& host) : host_(host) { open(entry); }

    // A plugin library: dlopen(library), then its entry symbol. A failure is a problem().
    PluginUnderTest(const std::filesystem::path& library, FakeHost& host) : host_(host) {
        library_ = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (library_ == nullptr) {
            const char* why = ::dlerror();
            note("cannot load " + library.string() + ": " + (why != nullptr ? why : "unknown"));
            return;
        }
        void* symbol = ::dlsym(library_, SB_ENTRY_SYMBOL);
        if (symbol == nullptr) {
            note(library.string() + " does not export " SB_ENTRY_SYMBOL);
            return;
        }
        sb_plugin_entry_fn entry = nullptr;
        static_assert(sizeof(entry) == sizeof(symbol));
        std::memcpy(&entry, &symbol, sizeof(entry)); // dlsym's object pointer to a function
        open(entry);
    }

    // Destroys the connectors still alive, deinits, then unloads the library.
    ~PluginUnderTest() {
        deinit();
        if (library_ != nullptr) ::dlclose(library_);
    }
    PluginUnderTest(const PluginUnderTest&) = delete;
    PluginUnderTest& operator=(const PluginUnderTest&) = delete;

    // The plugin's table, or nullptr when it could not be obtained.
    const sb_plugin* table() const noexcept { return table_; }

    // Runs init with the fake host; on success checks the provider descriptors.
    sb_status init() {
        if (table_ == nullptr) return SB_STATUS_INTERNAL;
        if (initialised_) {
            note("init called twice by the test");
            return SB_STATUS_INTERNAL;
        }
        const sb_status status = table_->init(table_, host_.table());
        initialised_ = status == SB_STATUS_OK;
        if (initialised_) check_providers();
        return status;
    }

    // Destroys the live connectors and runs deinit (if init succeeded). Idempotent.
    void deinit() {
        if (!initialised_) return;
        for (sb_connector* c : live_) table_->destroy_connector(table_, c);
        live_.clear();
        table_->deinit(table_);
        initialised_ = false;
    }

    // The providers, read back from the C descriptors.
    std::vector<ProviderSpec> providers() const {
        std::vector<ProviderSpec> out;
        if (!initialised_) return out;
        const sb_provider_desc* const* array = nullptr;
        const std::size_t count = table_->get_providers(table_, &array);
        for (std::size_t i = 0; array != nullptr && i < count; ++i) {
            out.push_back(read_provider_desc(array[i]));
        }
        return out;
    }

    // create_connector for `provider_id`; the handle's status() says how it went.
    ConnectorHandle connect(std::string provider_id, std::string tenant_id = "tenant-test",
                            std::string connector_id = "00000000-0000-4000-8000-000000000001") {
        ConnectorHandle handle;
        handle.plugin_ = this;
        if (!initialised_) {
            handle.status_ = SB_STATUS_INTERNAL;
            return handle;
        }
        sb_connector_info info{};
        info.struct_size = static_cast<uint32_t>(sizeof(sb_connector_info));
        info.provider_id = provider_id.c_str();
        info.tenant_id = tenant_id.c_str();
        info.connector_id = connector_id.c_str();
        sb_connector* connector = nullptr;
        handle.status_ = table_->create_connector(table_, &info, &connector);
        if (handle.status_ == SB_STATUS_OK && connector == nullptr) {
            note("create_connector returned SB_STATUS_OK without a connector");
        }
        if (handle.status_ != SB_STATUS_OK && connector != nullptr) {
            note("create_connector failed but stored a connector");
            connector = nullptr;
        }
        if (connector != nullptr) {
            const std::lock_guard lock(mutex_);
            live_.push_back(connector);
        }
        handle.connector_ = connector;
        return handle;
    }

    // destroy_connector now (instead of at deinit).
    void destroy(ConnectorHandle& handle) {
        if (handle.connector_ == nullptr) return;
        {
            const std::lock_guard lock(mutex_);
            live_.erase(std::remove(live_.begin(), live_.end(), handle.connector_), live_.end());
        }
        table_->destroy_connector(table_, handle.connector_);
        handle.connector_ = nullptr;
    }

    // Runs `action` on `connector` with host-owned sinks and checks the ABI's rules: on
    // SB_STATUS_OK one non-empty JSON value in the result sink and nothing in the error
    // sink; otherwise a valid error object in the error sink and nothing in the result sink.
    // Breaches land in the Invocation's violations and in problems(). Thread-safe.
    Invocation invoke(const ConnectorHandle& connector, std::string_view action,
                      std::string_view params_json) {
        Invocation call;
        if (!initialised_ || connector.connector_ == nullptr) {
            call.violations.push_back("invoke without an initialised plugin and a connector");
            note(call.violations.back());
            return call;
        }
        const std::string action_text(action); // NUL-terminated, as the ABI says
        // The params are not NUL-terminated in the ABI; pass them in a buffer that is not.
        const std::vector<char> params(params_json.begin(), params_json.end());
        const std::size_t limit = host_.sink_limit();
        Sink result(limit);
        Sink error(limit);
        {
            FakeHost::CallScope scope(host_);
            call.status = table_->invoke(table_, connector.connector_, scope.c_call(),
                                         action_text.c_str(), params.empty() ? nullptr : params.data(),
                                         params.size(), result.c_sink(), error.c_sink());
        }
        call.result = result.data();
        call.error = error.data();
        for (const auto& m : result.misuse()) call.violations.push_back("result " + m);
        for (const auto& m : error.misuse()) call.violations.push_back("error " + m);
        // The lower ABI version wins: a status is known when both sides' minors define it.
        const uint32_t minor = std::min(table_->abi.minor, host_.table()->abi.minor);
        const sb_status last_known = minor >= 1 ? SB_STATUS_CONFLICT : SB_STATUS_INTERNAL;
        if (call.status < SB_STATUS_OK || call.status > last_known) {
            call.violations.push_back("invoke returned unknown status " +
                                      std::to_string(call.status) + " (ABI " +
                                      std::to_string(SB_ABI_VERSION_MAJOR) + "." +
                                      std::to_string(minor) + ")");
        }
        if (call.status == SB_STATUS_OK) {
            if (call.result.empty()) call.violations.push_back("SB_STATUS_OK with an empty result");
            else if (!is_valid_json(call.result)) {
                call.violations.push_back("the result is not valid JSON");
            }
            if (!call.error.empty()) call.violations.push_back("SB_STATUS_OK but an error was written");
        } else {
            if (call.error.empty()) {
                call.violations.push_back("status " + std::to_string(call.status) +
                                          " without an error object");
            } else {
                for (auto& p : error_object_problems(call.error)) call.violations.push_back(p);
            }
            if (!call.result.empty()) call.violations.push_back("a failure but a result was written");
        }
        for (const auto& v : call.violations) note("invoke '" + action_text + "': " + v);
        return call;
    }

    // ABI breaches seen so far (loading, table, descriptors, invocations) followed by the
    // fake host's problems (unexpected, refused or missing requests). Empty when all is well.
    std::vector<std::string> problems() const {
        std::vector<std::string> out;
        {
            const std::lock_guard lock(mutex_);
            out = problems_;
        }
        for (auto& p : host_.problems()) out.push_back(std::move(p));
        return out;
    }

private:
    void note(std::string problem) {
        const std::lock_guard lock(mutex_);
        problems_.push_back(std::move(problem));
    }

    void open(sb_plugin_entry_fn entry) {
        if (entry == nullptr) {
            note("the entry function is NULL");
            return;
        }
        const sb_plugin* table = entry();
        if (table == nullptr) {
            note("the entry function returned NULL");
            return;
        }
        if (entry() != table) note("the entry function returns a different table on each call");
        if (!SB_HAS_FIELD(sb_plugin, table, invoke)) {
            note("sb_plugin.struct_size " + std::to_string(table->struct_size) + " is too small");
            return;
        }
        // Another major is refused; a newer minor of the same major loads (plugin.h,
        // "Compatibility").
        if (table->abi.major != SB_ABI_VERSION_MAJOR) {
            note("the plugin's ABI " + std::to_string(table->abi.major) + "." +
                 std::to_string(table->abi.minor) + " is not compatible with the SDK's " +
                 std::to_string(SB_ABI_VERSION_MAJOR) + "." + std::to_string(SB_ABI_VERSION_MINOR));
            return;
        }
        if (table->name == nullptr || *table->name == '\0') note("the plugin has no name");
        if (table->version == nullptr || *table->version == '\0') note("the plugin has no version");
        if (table->init == nullptr || table->deinit == nullptr || table->get_providers == nullptr ||
            table->create_connector == nullptr || table->destroy_connector == nullptr ||
            table->invoke == nullptr) {
            note("the plugin table lacks a required function");
            return;
        }
        table_ = table;
    }

    void check_providers() {
        const sb_provider_desc* const* first = nullptr;
        const std::size_t count = table_->get_providers(table_, &first);
        const sb_provider_desc* const* second = nullptr;
        if (table_->get_providers(table_, &second) != count || second != first) {
            note("get_providers does not return the same array twice");
        }
        if (count == 0) note("the plugin ships no provider");
        if (count != 0 && first == nullptr) {
            note("get_providers returned a count but no array");
            return;
        }
        std::set<std::string> ids;
        for (std::size_t i = 0; i < count; ++i) {
            for (auto& p : descriptor_problems(first[i])) note(std::move(p));
            if (first[i] != nullptr && first[i]->id != nullptr &&
                !ids.insert(first[i]->id).second) {
                note("provider id '" + std::string(first[i]->id) + "' appears twice");
            }
        }
    }

    FakeHost& host_;
    void* library_ = nullptr;
    const sb_plugin* table_ = nullptr;
    bool initialised_ = false;
    std::vector<sb_connector*> live_;
    mutable std::mutex mutex_;
    std::vector<std::string> problems_;
};

inline Invocation ConnectorHandle::invoke(std::string_view action, std::string_view params_json) const {
    if (plugin_ == nullptr) {
        Invocation call;
        call.violations.push_back("invoke on a connector handle that no plugin created");
        return call;
    }
    return plugin_->invoke(*this, action, params_json);
}

} // namespace switchboard::sdk::testing
