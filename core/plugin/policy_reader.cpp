#include "core/plugin/policy_reader.hpp"

#include "core/plugin/abi_layout.hpp"
#include "core/plugin/text_checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace switchboard::plugin {

namespace {

constexpr std::size_t kMaxName = 256;
constexpr double kMaxCapacity = 1'000'000;
constexpr double kMaxRefill = 1'000'000;

// Thrown inside this file only; read_provider_policies turns it into an Error.
struct PolicyProblem : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::optional<std::string> optional_text(const char* s, const std::string& field) {
    if (s == nullptr) return std::nullopt;
    const std::size_t length = ::strnlen(s, kMaxName + 1);
    if (length > kMaxName) {
        throw PolicyProblem(field + " is longer than " + std::to_string(kMaxName) + " bytes");
    }
    return std::string(s, length);
}

std::string required_text(const char* s, const std::string& field) {
    auto value = optional_text(s, field);
    if (!value) throw PolicyProblem(field + " is missing");
    if (value->empty()) throw PolicyProblem(field + " is empty");
    return *value;
}

// RFC 9110 section 5.6.2: token = 1*tchar.
bool is_token(std::string_view text) {
    static constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
    if (text.empty()) return false;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || specials.find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

std::string lower(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

std::string header_name(const char* s, const std::string& field) {
    std::string name = required_text(s, field);
    if (!is_token(name)) {
        throw PolicyProblem(field + " '" + (is_valid_utf8(name) ? name : "?") +
                            "' is not an HTTP header name");
    }
    return lower(std::move(name));
}

// A JSON member name the host looks up: printable ASCII, 1 to 64 characters.
std::string member_name(const char* s, const std::string& field) {
    std::string name = required_text(s, field);
    if (name.size() > 64) throw PolicyProblem(field + " is longer than 64 characters");
    for (char c : name) {
        if (c < 0x20 || c > 0x7e) throw PolicyProblem(field + " is not printable ASCII");
    }
    return name;
}

bool is_code_token(std::string_view code) {
    if (code.empty() || code.size() > 64) return false;
    for (char c : code) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

bool is_credential_prefix(std::string_view prefix) {
    if (prefix.empty() || prefix.size() > 64 || prefix.front() < 'A' || prefix.front() > 'Z') {
        return false;
    }
    for (char c : prefix) {
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

template <class T>
const T* const* checked_array(const T* const* array, std::size_t count, std::size_t max,
                              const std::string& field) {
    if (count > max) {
        throw PolicyProblem(field + " has " + std::to_string(count) + " entries; at most " +
                            std::to_string(max) + " are allowed");
    }
    if (count > 0 && array == nullptr) {
        throw PolicyProblem(field + " has " + std::to_string(count) + " entries but no array");
    }
    return array;
}

template <class T>
T copied(const T* from, std::size_t min_size, const std::string& field) {
    if (from == nullptr) throw PolicyProblem(field + " is NULL");
    auto copy = copy_struct(from, min_size);
    if (!copy) {
        throw PolicyProblem(field + " is truncated: struct_size " +
                            std::to_string(declared_size(from)) + " is smaller than " +
                            std::to_string(min_size) + " bytes");
    }
    return *copy;
}

http::RateLimitHeaderRule read_rule(const sb_rate_limit_header_rule* from, const std::string& field) {
    const auto r = copied(from, SB_FIELD_END(sb_rate_limit_header_rule, give_up), field);
    http::RateLimitHeaderRule rule;
    rule.remaining_header = header_name(r.remaining_header, field + ".remaining_header");
    if (r.wait_header != nullptr) {
        rule.wait_header = header_name(r.wait_header, field + ".wait_header");
        if (r.wait_header_unit_ms != 1 && r.wait_header_unit_ms != 1000) {
            throw PolicyProblem(field + ".wait_header_unit_ms must be 1 (milliseconds) or 1000 "
                                        "(seconds), not " +
                                std::to_string(r.wait_header_unit_ms));
        }
        rule.wait_unit = std::chrono::milliseconds(r.wait_header_unit_ms);
    }
    if (r.default_wait_ms > SB_POLICY_MAX_WAIT_MS) {
        throw PolicyProblem(field + ".default_wait_ms " + std::to_string(r.default_wait_ms) +
                            " is more than an hour (" + std::to_string(SB_POLICY_MAX_WAIT_MS) +
                            ")");
    }
    if (r.default_wait_ms > 0) rule.default_wait = std::chrono::milliseconds(r.default_wait_ms);
    if (r.give_up != 0 && r.give_up != 1) {
        throw PolicyProblem(field + ".give_up must be 0 or 1");
    }
    rule.give_up = r.give_up == 1;
    if (!rule.give_up && rule.wait_header.empty() && !rule.default_wait) {
        throw PolicyProblem(field + " neither gives up nor asks for a wait");
    }
    return rule;
}

std::optional<config::RateBucketConfig> read_bucket(const sb_rate_limit_bucket* from,
                                                    const std::string& field) {
    if (from == nullptr) return std::nullopt;
    const auto b = copied(from, SB_FIELD_END(sb_rate_limit_bucket, refill_per_second), field);
    if (!std::isfinite(b.capacity) || b.capacity < 1 || b.capacity > kMaxCapacity) {
        throw PolicyProblem(field + ".capacity must be from 1 to 1000000");
    }
    if (!std::isfinite(b.refill_per_second) || b.refill_per_second <= 0 ||
        b.refill_per_second > kMaxRefill) {
        throw PolicyProblem(field + ".refill_per_second must be more than 0 and at most 1000000");
    }
    return config::RateBucketConfig{b.capacity, b.refill_per_second};
}

// The policy's fields past provider_id; `id` is the provider it names.
ProviderPolicy read_policy(const sb_provider_policy& p, const std::string& id) {
    ProviderPolicy policy = generic_provider_policy(id);
    if (SB_HAS_FIELD(sb_provider_policy, &p, credential_prefix) && p.credential_prefix != nullptr) {
        std::string prefix = required_text(p.credential_prefix, "credential_prefix");
        if (!is_credential_prefix(prefix)) {
            throw PolicyProblem("credential_prefix '" + (is_valid_utf8(prefix) ? prefix : "?") +
                                "' must be 1 to 64 characters from [A-Z0-9_], starting with a "
                                "letter");
        }
        policy.credential_prefix = std::move(prefix);
    }
    if (SB_HAS_FIELD(sb_provider_policy, &p, rate_limit_header_count)) {
        const auto* rules = checked_array(p.rate_limit_headers, p.rate_limit_header_count,
                                          kMaxRateLimitHeaderRules, "rate_limit_headers");
        for (std::size_t i = 0; i < p.rate_limit_header_count; ++i) {
            policy.rate_limit_headers.push_back(
                read_rule(rules[i], "rate_limit_headers[" + std::to_string(i) + "]"));
        }
    }
    OAuthErrorDialect& dialect = policy.oauth_errors;
    if (SB_HAS_FIELD(sb_provider_policy, &p, oauth_error_member) &&
        p.oauth_error_member != nullptr) {
        dialect.code_member = member_name(p.oauth_error_member, "oauth_error_member");
    }
    if (SB_HAS_FIELD(sb_provider_policy, &p, oauth_error_description_member) &&
        p.oauth_error_description_member != nullptr) {
        dialect.description_member =
            member_name(p.oauth_error_description_member, "oauth_error_description_member");
        if (dialect.code_member.empty()) {
            throw PolicyProblem("oauth_error_description_member needs oauth_error_member");
        }
    }
    if (SB_HAS_FIELD(sb_provider_policy, &p, oauth_error_code_count)) {
        const auto* codes = checked_array(p.oauth_error_codes, p.oauth_error_code_count,
                                          kMaxOAuthErrorCodes, "oauth_error_codes");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < p.oauth_error_code_count; ++i) {
            const std::string field = "oauth_error_codes[" + std::to_string(i) + "]";
            const auto c = copied(codes[i], SB_FIELD_END(sb_oauth_error_code, meaning), field);
            std::string code = required_text(c.code, field + ".code");
            if (!is_code_token(code)) {
                throw PolicyProblem(field + ".code must be 1 to 64 characters from "
                                            "[A-Za-z0-9_.-]");
            }
            if (!seen.insert(code).second) {
                throw PolicyProblem(field + ".code '" + code + "' is listed twice");
            }
            OAuthErrorMeaning meaning;
            if (c.meaning == SB_OAUTH_ERROR_INVALID_GRANT) {
                meaning = OAuthErrorMeaning::invalid_grant;
            } else if (c.meaning == SB_OAUTH_ERROR_INVALID_CLIENT) {
                meaning = OAuthErrorMeaning::invalid_client;
            } else {
                throw PolicyProblem(field + ".meaning " + std::to_string(c.meaning) +
                                    " is not SB_OAUTH_ERROR_INVALID_GRANT or _INVALID_CLIENT");
            }
            dialect.codes.push_back({std::move(code), meaning});
        }
    }
    if (SB_HAS_FIELD(sb_provider_policy, &p, provider_rate_limit)) {
        policy.default_rate_limits.provider =
            read_bucket(p.provider_rate_limit, "provider_rate_limit");
    }
    if (SB_HAS_FIELD(sb_provider_policy, &p, tenant_rate_limit)) {
        policy.default_rate_limits.tenant = read_bucket(p.tenant_rate_limit, "tenant_rate_limit");
    }
    if (SB_HAS_FIELD(sb_provider_policy, &p, credential_header_count)) {
        const auto* names = checked_array(p.credential_headers, p.credential_header_count,
                                          kMaxCredentialHeaders, "credential_headers");
        for (std::size_t i = 0; i < p.credential_header_count; ++i) {
            policy.credential_headers.push_back(
                header_name(names[i], "credential_headers[" + std::to_string(i) + "]"));
        }
    }
    return policy;
}

} // namespace

Result<void> read_provider_policies(const sb_plugin_provider_policy* table,
                                    std::vector<ProviderDescriptor>& providers) {
    if (table == nullptr) return {};
    std::string who = "provider policy";
    try {
        const auto t = copied(table, SB_FIELD_END(sb_plugin_provider_policy, policy_count),
                              "the extension's table");
        const auto* list = checked_array(t.policies, t.policy_count, providers.size(), "policies");
        std::map<std::string, ProviderPolicy> read;
        for (std::size_t i = 0; i < t.policy_count; ++i) {
            who = "provider policy #" + std::to_string(i);
            const auto p = copied(list[i], SB_FIELD_END(sb_provider_policy, provider_id),
                                  "the policy");
            std::string id = required_text(p.provider_id, "provider_id");
            const bool known = is_provider_id(id) &&
                               std::any_of(providers.begin(), providers.end(),
                                           [&](const ProviderDescriptor& d) { return d.id == id; });
            if (!known) {
                throw PolicyProblem("provider_id names no provider of this plugin");
            }
            who = "provider '" + id + "' policy";
            if (read.count(id) != 0) throw PolicyProblem("is declared twice");
            read.emplace(id, read_policy(p, id));
        }
        for (auto& d : providers) {
            if (auto it = read.find(d.id); it != read.end()) d.policy = std::move(it->second);
        }
        return {};
    } catch (const PolicyProblem& e) {
        return Error(ErrorKind::invalid_input, "invalid_provider_policy",
                     who + ": " + e.what());
    }
}

} // namespace switchboard::plugin
