#include "core/plugin/isolated/wire_messages.hpp"

#include "core/plugin/isolated/frame_channel.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

namespace switchboard::plugin::isolated {

namespace {

using nlohmann::json;

// No message nests deeper than hello's providers[i].oauth.extra_authorize_params[j][k].
constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kMaxName = 256;         // ids, names, versions, codes
constexpr std::size_t kMaxText = 8192 + 1;    // descriptor strings, paths, header fields
constexpr std::size_t kMaxLogMessage = 64 * 1024;
constexpr std::size_t kMaxThrown = 4096;
constexpr std::size_t kMaxList = 256;
constexpr std::size_t kMaxHeaders = 1024;
constexpr std::size_t kMaxResponseHeader = 1024 * 1024; // a provider's header, host -> child
constexpr std::size_t kMaxProviders = 64;

// Thrown inside this file only; the decoders turn it into an Error.
struct Violation : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// nlohmann's DOM builder behind a depth limit: the binary reader recurses once per level,
// so an untrusted payload must not choose the depth.
class BoundedSax {
public:
    explicit BoundedSax(json& root) : dom_(root, /*allow_exceptions=*/false) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) {
        return dom_.number_float(v, s);
    }
    bool string(json::string_t& v) { return dom_.string(v); }
    bool binary(json::binary_t& v) { return dom_.binary(v); }
    bool start_object(std::size_t n) { return deeper() && dom_.start_object(n); }
    bool key(json::string_t& k) { return dom_.key(k); }
    bool end_object() {
        --depth_;
        return dom_.end_object();
    }
    bool start_array(std::size_t n) { return deeper() && dom_.start_array(n); }
    bool end_array() {
        --depth_;
        return dom_.end_array();
    }
    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception&) {
        return false;
    }

    bool too_deep() const noexcept { return too_deep_; }

private:
    bool deeper() {
        too_deep_ = ++depth_ > kMaxDepth;
        return !too_deep_;
    }

    nlohmann::detail::json_sax_dom_parser<json> dom_;
    std::size_t depth_ = 0;
    bool too_deep_ = false;
};

json parse(std::string_view payload) {
    json root;
    BoundedSax sax(root);
    bool ok = false;
    try {
        ok = json::sax_parse(payload.begin(), payload.end(), &sax, json::input_format_t::msgpack,
                             /*strict=*/true);
    } catch (const std::exception&) {
        ok = false;
    }
    if (sax.too_deep()) {
        throw Violation("the message nests deeper than " + std::to_string(kMaxDepth) +
                        " levels");
    }
    if (!ok) {
        throw Violation("the frame is not a MessagePack message");
    }
    if (!root.is_object()) {
        throw Violation("the message is not a map");
    }
    return root;
}

const json& member(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end()) {
        throw Violation(std::string("field '") + key + "' is missing");
    }
    return *it;
}

std::string text(const json& object, const char* key, std::size_t max) {
    const json& v = member(object, key);
    if (!v.is_string()) {
        throw Violation(std::string("field '") + key + "' is not a string");
    }
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max) {
        throw Violation(std::string("field '") + key + "' is longer than " + std::to_string(max) +
                        " bytes");
    }
    return s;
}

// A string field that may be nil (a NULL pointer in the C struct); nil reads as "".
std::string optional_text(const json& object, const char* key, std::size_t max) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return {};
    }
    return text(object, key, max);
}

std::string bytes(const json& object, const char* key, std::size_t max) {
    const json& v = member(object, key);
    if (!v.is_binary()) {
        throw Violation(std::string("field '") + key + "' is not binary");
    }
    const auto& b = v.get_binary();
    if (b.size() > max) {
        throw Violation(std::string("field '") + key + "' is larger than " + std::to_string(max) +
                        " bytes");
    }
    return std::string(b.begin(), b.end());
}

std::int64_t integer(const json& object, const char* key, std::int64_t min, std::int64_t max) {
    const json& v = member(object, key);
    std::int64_t n = 0;
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            throw Violation(std::string("field '") + key + "' is out of range");
        }
        n = static_cast<std::int64_t>(u);
    } else if (v.is_number_integer()) {
        n = v.get<std::int64_t>();
    } else {
        throw Violation(std::string("field '") + key + "' is not an integer");
    }
    if (n < min || n > max) {
        throw Violation(std::string("field '") + key + "' is out of range");
    }
    return n;
}

std::uint64_t id_of(const json& object) {
    return static_cast<std::uint64_t>(
        integer(object, "id", 0, std::numeric_limits<std::int64_t>::max()));
}

std::int32_t int32(const json& object, const char* key) {
    return static_cast<std::int32_t>(integer(object, key, std::numeric_limits<std::int32_t>::min(),
                                             std::numeric_limits<std::int32_t>::max()));
}

bool flag(const json& object, const char* key) {
    const json& v = member(object, key);
    if (!v.is_boolean()) {
        throw Violation(std::string("field '") + key + "' is not a boolean");
    }
    return v.get<bool>();
}

const json& list(const json& object, const char* key, std::size_t max) {
    const json& v = member(object, key);
    if (!v.is_array()) {
        throw Violation(std::string("field '") + key + "' is not a list");
    }
    if (v.size() > max) {
        throw Violation(std::string("field '") + key + "' has more than " + std::to_string(max) +
                        " items");
    }
    return v;
}

std::vector<std::string> strings(const json& object, const char* key) {
    std::vector<std::string> out;
    for (const json& item : list(object, key, kMaxList)) {
        if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxText) {
            throw Violation(std::string("an item of '") + key + "' is not a string of at most " +
                            std::to_string(kMaxText) + " bytes");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

// [[name, value], ...], each string at most `max_text` bytes.
std::vector<std::pair<std::string, std::string>> pairs(const json& object, const char* key,
                                                       std::size_t max_items,
                                                       std::size_t max_text = kMaxText) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const json& item : list(object, key, max_items)) {
        if (!item.is_array() || item.size() != 2 || !item[0].is_string() ||
            !item[1].is_string() || item[0].get_ref<const std::string&>().size() > max_text ||
            item[1].get_ref<const std::string&>().size() > max_text) {
            throw Violation(std::string("an item of '") + key +
                            "' is not a [name, value] pair of strings");
        }
        out.emplace_back(item[0].get<std::string>(), item[1].get<std::string>());
    }
    return out;
}

json binary(std::string_view data) {
    return json::binary(std::vector<std::uint8_t>(data.begin(), data.end()));
}

json header_list(const std::vector<HttpHeader>& headers) {
    json out = json::array();
    for (const auto& h : headers) {
        out.push_back({h.name, h.value});
    }
    return out;
}

std::vector<HttpHeader> headers_of(const json& object, std::size_t max_text) {
    std::vector<HttpHeader> out;
    for (auto& [name, value] : pairs(object, "headers", kMaxHeaders, max_text)) {
        out.push_back({std::move(name), std::move(value)});
    }
    return out;
}

std::string to_payload(const json& message) {
    const std::vector<std::uint8_t> bytes = json::to_msgpack(message);
    return std::string(bytes.begin(), bytes.end());
}

json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json encode_provider(const sdk::ProviderSpec& p) {
    json extra = json::array();
    for (const auto& pair : p.oauth.extra_authorize_params) {
        extra.push_back({pair.name, pair.value});
    }
    json oauth = {{"authorize_url", p.oauth.authorize_url},
                  {"token_url", p.oauth.token_url},
                  {"revoke_url", nullable(p.oauth.revoke_url)},
                  {"revoke_style", p.oauth.revoke_style},
                  {"default_scopes", p.oauth.default_scopes},
                  {"extra_authorize_params", std::move(extra)},
                  {"pkce", p.oauth.pkce},
                  {"client_auth", p.oauth.client_auth},
                  {"identity_url", nullable(p.oauth.identity_url)},
                  {"identity_field", nullable(p.oauth.identity_field)},
                  {"identity_scopes", p.oauth.identity_scopes},
                  {"identity_account_field", nullable(p.oauth.identity_account_field)}};
    json access_token = nullptr;
    if (!p.access_token.label.empty()) {
        access_token = {{"label", p.access_token.label},
                        {"identity_url", nullable(p.access_token.identity_url)},
                        {"identity_field", nullable(p.access_token.identity_field)},
                        {"identity_account_field",
                         nullable(p.access_token.identity_account_field)}};
    }
    return {{"id", p.id},
            {"category", p.category},
            {"display_name", p.display_name},
            {"description", p.description},
            {"oauth", std::move(oauth)},
            {"api_base_url", p.api_base_url},
            {"actions", p.actions},
            {"allowed_base_urls", p.allowed_base_urls},
            {"access_token", std::move(access_token)},
            {"contract_revision", p.contract_revision}};
}

sdk::ProviderSpec decode_provider(const json& p) {
    if (!p.is_object()) {
        throw Violation("a provider is not a map");
    }
    sdk::ProviderSpec spec;
    spec.id = optional_text(p, "id", kMaxText);
    spec.category = optional_text(p, "category", kMaxText);
    spec.display_name = optional_text(p, "display_name", kMaxText);
    spec.description = optional_text(p, "description", kMaxText);
    spec.api_base_url = optional_text(p, "api_base_url", kMaxText);
    spec.actions = strings(p, "actions");
    // Any value a C struct can hold: the descriptor reader decides which revisions are honoured.
    spec.contract_revision = static_cast<std::uint32_t>(
        integer(p, "contract_revision", 0, std::numeric_limits<std::uint32_t>::max()));
    spec.allowed_base_urls = strings(p, "allowed_base_urls");
    if (const json& t = member(p, "access_token"); !t.is_null()) {
        if (!t.is_object()) {
            throw Violation("a provider's access_token is not a map");
        }
        // The label is what says there is one: an empty label is no description.
        spec.access_token.label = optional_text(t, "label", kMaxText);
        if (spec.access_token.label.empty()) {
            throw Violation("a provider's access_token has no label");
        }
        spec.access_token.identity_url = optional_text(t, "identity_url", kMaxText);
        spec.access_token.identity_field = optional_text(t, "identity_field", kMaxText);
        spec.access_token.identity_account_field =
            optional_text(t, "identity_account_field", kMaxText);
    }
    const json& o = member(p, "oauth");
    if (!o.is_object()) {
        throw Violation("a provider's oauth is not a map");
    }
    sdk::OAuthSpec& oauth = spec.oauth;
    oauth.authorize_url = optional_text(o, "authorize_url", kMaxText);
    oauth.token_url = optional_text(o, "token_url", kMaxText);
    oauth.revoke_url = optional_text(o, "revoke_url", kMaxText);
    oauth.revoke_style = int32(o, "revoke_style");
    oauth.default_scopes = strings(o, "default_scopes");
    for (auto& [name, value] : pairs(o, "extra_authorize_params", kMaxList)) {
        oauth.extra_authorize_params.push_back({std::move(name), std::move(value)});
    }
    oauth.pkce = flag(o, "pkce");
    oauth.client_auth = int32(o, "client_auth");
    oauth.identity_url = optional_text(o, "identity_url", kMaxText);
    oauth.identity_field = optional_text(o, "identity_field", kMaxText);
    oauth.identity_scopes = strings(o, "identity_scopes");
    oauth.identity_account_field = optional_text(o, "identity_account_field", kMaxText);
    return spec;
}

json encode_bucket(const std::optional<sdk::RateBucket>& b) {
    if (!b) return nullptr;
    return {{"capacity", b->capacity}, {"refill_per_second", b->refill_per_second}};
}

json encode_policy(const sdk::ProviderPolicySpec& p) {
    json rules = json::array();
    for (const auto& r : p.rate_limit_headers) {
        rules.push_back({{"remaining_header", r.remaining_header},
                         {"wait_header", nullable(r.wait_header)},
                         {"wait_header_unit_ms", r.wait_header_unit_ms},
                         {"default_wait_ms", r.default_wait_ms},
                         {"give_up", r.give_up}});
    }
    json codes = json::array();
    for (const auto& c : p.oauth_error_codes) {
        codes.push_back({{"code", c.code}, {"meaning", c.meaning}});
    }
    return {{"provider_id", p.provider_id},
            {"credential_prefix", nullable(p.credential_prefix)},
            {"rate_limit_headers", std::move(rules)},
            {"oauth_error_member", nullable(p.oauth_error_member)},
            {"oauth_error_description_member", nullable(p.oauth_error_description_member)},
            {"oauth_error_codes", std::move(codes)},
            {"provider_rate_limit", encode_bucket(p.provider_rate_limit)},
            {"tenant_rate_limit", encode_bucket(p.tenant_rate_limit)},
            {"credential_headers", p.credential_headers}};
}

double number(const json& object, const char* key) {
    const json& v = member(object, key);
    if (!v.is_number()) {
        throw Violation(std::string("field '") + key + "' is not a number");
    }
    return v.get<double>();
}

std::uint32_t uint32(const json& object, const char* key) {
    return static_cast<std::uint32_t>(
        integer(object, key, 0, std::numeric_limits<std::uint32_t>::max()));
}

std::optional<sdk::RateBucket> decode_bucket(const json& p, const char* key) {
    const json& b = member(p, key);
    if (b.is_null()) return std::nullopt;
    if (!b.is_object()) {
        throw Violation(std::string("a policy's ") + key + " is not a map");
    }
    return sdk::RateBucket{number(b, "capacity"), number(b, "refill_per_second")};
}

// Values as the child read them from the plugin's table, unchecked: the policy reader decides.
sdk::ProviderPolicySpec decode_policy(const json& p) {
    if (!p.is_object()) {
        throw Violation("a provider policy is not a map");
    }
    sdk::ProviderPolicySpec spec;
    spec.provider_id = optional_text(p, "provider_id", kMaxText);
    spec.credential_prefix = optional_text(p, "credential_prefix", kMaxText);
    for (const json& r : list(p, "rate_limit_headers", kMaxList)) {
        if (!r.is_object()) {
            throw Violation("a rate-limit header rule is not a map");
        }
        sdk::RateLimitHeaderRule rule;
        rule.remaining_header = optional_text(r, "remaining_header", kMaxText);
        rule.wait_header = optional_text(r, "wait_header", kMaxText);
        rule.wait_header_unit_ms = uint32(r, "wait_header_unit_ms");
        rule.default_wait_ms = uint32(r, "default_wait_ms");
        rule.give_up = flag(r, "give_up");
        spec.rate_limit_headers.push_back(std::move(rule));
    }
    spec.oauth_error_member = optional_text(p, "oauth_error_member", kMaxText);
    spec.oauth_error_description_member =
        optional_text(p, "oauth_error_description_member", kMaxText);
    for (const json& c : list(p, "oauth_error_codes", kMaxList)) {
        if (!c.is_object()) {
            throw Violation("an OAuth error code is not a map");
        }
        spec.oauth_error_codes.push_back({optional_text(c, "code", kMaxText), int32(c, "meaning")});
    }
    spec.provider_rate_limit = decode_bucket(p, "provider_rate_limit");
    spec.tenant_rate_limit = decode_bucket(p, "tenant_rate_limit");
    spec.credential_headers = strings(p, "credential_headers");
    return spec;
}

Error protocol_error(const std::string& what) {
    return Error(ErrorKind::invalid_input, "plugin_host_protocol_violation", what);
}

} // namespace

std::string encode(const InvokeMessage& m) {
    return to_payload({{"t", "invoke"},
                       {"id", m.id},
                       {"provider", m.provider_id},
                       {"tenant", m.tenant_id},
                       {"connector", m.connector_id},
                       {"action", m.action},
                       {"params", binary(m.params)},
                       {"timeout_ms", m.timeout_ms},
                       {"now_ms", m.host_now_unix_ms}});
}

std::string encode(const HttpResultMessage& m) {
    return to_payload({{"t", "http_result"},
                       {"id", m.id},
                       {"host_status", m.host_status},
                       {"http_status", m.http_status},
                       {"headers", header_list(m.headers)},
                       {"body", binary(m.body)}});
}

std::string encode(const HelloMessage& m) {
    json providers = json::array();
    for (const auto& p : m.providers) {
        providers.push_back(encode_provider(p));
    }
    json policies = json::array();
    for (const auto& p : m.policies) {
        policies.push_back(encode_policy(p));
    }
    return to_payload({{"t", "hello"},
                       {"name", m.plugin_name},
                       {"version", m.plugin_version},
                       {"abi_major", m.abi.major},
                       {"abi_minor", m.abi.minor},
                       {"providers", std::move(providers)},
                       {"policies", std::move(policies)}});
}

std::string encode(const FailedMessage& m) {
    return to_payload({{"t", "failed"}, {"code", m.code}, {"reason", m.reason}});
}

std::string encode(const LogMessage& m) {
    return to_payload({{"t", "log"}, {"level", m.level}, {"message", m.message}});
}

std::string encode(const HttpMessage& m) {
    return to_payload({{"t", "http"},
                       {"id", m.id},
                       {"method", m.request.method},
                       {"path", m.request.path},
                       {"headers", header_list(m.request.headers)},
                       {"body", binary(m.request.body)}});
}

std::string encode(const ResultMessage& m) {
    return to_payload({{"t", "result"},
                       {"id", m.id},
                       {"status", m.raw.status},
                       {"result", binary(m.raw.result)},
                       {"error", binary(m.raw.error)},
                       {"result_overflowed", m.raw.result_overflowed},
                       {"error_overflowed", m.raw.error_overflowed},
                       {"thrown", m.raw.thrown}});
}

Result<ChildMessage> decode_child_message(std::string_view payload) {
    try {
        const json m = parse(payload);
        const std::string type = text(m, "t", kMaxName);
        if (type == "log") {
            LogMessage out;
            out.level = int32(m, "level");
            out.message = text(m, "message", kMaxLogMessage);
            return ChildMessage(std::move(out));
        }
        if (type == "http") {
            HttpMessage out;
            out.id = id_of(m);
            out.request.method = text(m, "method", kMaxName);
            out.request.path = text(m, "path", kMaxText);
            out.request.headers = headers_of(m, kMaxText);
            out.request.body = bytes(m, "body", kMaxFrameBytes);
            return ChildMessage(std::move(out));
        }
        if (type == "result") {
            ResultMessage out;
            out.id = id_of(m);
            out.raw.status = int32(m, "status");
            out.raw.result = bytes(m, "result", kMaxFrameBytes);
            out.raw.error = bytes(m, "error", kMaxFrameBytes);
            out.raw.result_overflowed = flag(m, "result_overflowed");
            out.raw.error_overflowed = flag(m, "error_overflowed");
            out.raw.thrown = text(m, "thrown", kMaxThrown);
            return ChildMessage(std::move(out));
        }
        if (type == "hello") {
            HelloMessage out;
            out.plugin_name = text(m, "name", kMaxName);
            out.plugin_version = text(m, "version", kMaxName);
            out.abi.major = static_cast<std::uint32_t>(integer(m, "abi_major", 0, UINT32_MAX));
            out.abi.minor = static_cast<std::uint32_t>(integer(m, "abi_minor", 0, UINT32_MAX));
            for (const json& p : list(m, "providers", kMaxProviders)) {
                out.providers.push_back(decode_provider(p));
            }
            if (m.contains("policies")) { // absent: a plugin without policies
                for (const json& p : list(m, "policies", kMaxProviders)) {
                    out.policies.push_back(decode_policy(p));
                }
            }
            return ChildMessage(std::move(out));
        }
        if (type == "failed") {
            return ChildMessage(
                FailedMessage{text(m, "code", kMaxName), text(m, "reason", kMaxText)});
        }
        throw Violation("unknown message type '" + type + "'");
    } catch (const Violation& v) {
        return protocol_error(v.what());
    } catch (const std::exception& e) {
        return protocol_error(std::string("the message could not be read: ") + e.what());
    }
}

Result<HostMessage> decode_host_message(std::string_view payload) {
    try {
        const json m = parse(payload);
        const std::string type = text(m, "t", kMaxName);
        if (type == "invoke") {
            InvokeMessage out;
            out.id = id_of(m);
            out.provider_id = text(m, "provider", kMaxName);
            out.tenant_id = text(m, "tenant", kMaxText);
            out.connector_id = text(m, "connector", kMaxText);
            out.action = text(m, "action", kMaxName);
            out.params = bytes(m, "params", kMaxFrameBytes);
            out.timeout_ms = integer(m, "timeout_ms", 0, std::numeric_limits<std::int64_t>::max());
            out.host_now_unix_ms = integer(m, "now_ms", std::numeric_limits<std::int64_t>::min(),
                                           std::numeric_limits<std::int64_t>::max());
            return HostMessage(std::move(out));
        }
        if (type == "http_result") {
            HttpResultMessage out;
            out.id = id_of(m);
            out.host_status = int32(m, "host_status");
            out.http_status = int32(m, "http_status");
            out.headers = headers_of(m, kMaxResponseHeader);
            out.body = bytes(m, "body", kMaxFrameBytes);
            return HostMessage(std::move(out));
        }
        throw Violation("unknown message type '" + type + "'");
    } catch (const Violation& v) {
        return protocol_error(v.what());
    } catch (const std::exception& e) {
        return protocol_error(std::string("the message could not be read: ") + e.what());
    }
}

} // namespace switchboard::plugin::isolated
