// switchboard/ext/provider_policy.hpp — the provider-policy extension
// ("switchboard.provider-policy/1", provider_policy.h) as C++ values (ProviderPolicySpec), and
// their pinned C form (ProviderPolicyTable) that the helper keeps alive while the host reads it.
//
// A plugin author writes each policy as a value and returns them from
// Plugin::provider_policies() (plugin.hpp); the helper answers sb_plugin.get_extension with the
// table:
//
//   std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
//       sdk::ProviderPolicySpec p;
//       p.provider_id = "my_crm";
//       p.rate_limit_headers.push_back({.remaining_header = "X-MyCrm-Daily-Remaining",
//                                       .give_up = true});
//       return {p};
//   }
#pragma once

#include "switchboard/ext/provider_policy.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::sdk {

// sb_rate_limit_header_rule. An empty wait_header becomes NULL.
// Every member has a default, so designated initializers may name only what they set.
struct RateLimitHeaderRule {
    std::string remaining_header{};
    std::string wait_header{};
    std::uint32_t wait_header_unit_ms = 0; // 1 (ms) or 1000 (s) with a wait_header
    std::uint32_t default_wait_ms = 0;
    bool give_up = false;

    friend bool operator==(const RateLimitHeaderRule&, const RateLimitHeaderRule&) = default;
};

// sb_oauth_error_code: meaning is SB_OAUTH_ERROR_INVALID_GRANT or _INVALID_CLIENT.
struct OAuthErrorCode {
    std::string code{};
    sb_oauth_error_meaning meaning = SB_OAUTH_ERROR_INVALID_GRANT;

    friend bool operator==(const OAuthErrorCode&, const OAuthErrorCode&) = default;
};

// sb_rate_limit_bucket.
struct RateBucket {
    double capacity = 0;
    double refill_per_second = 0;

    friend bool operator==(const RateBucket&, const RateBucket&) = default;
};

// sb_provider_policy. Empty strings become NULL, empty optionals no bucket.
struct ProviderPolicySpec {
    std::string provider_id{};
    std::string credential_prefix{}; // "" for the generic rule
    std::vector<RateLimitHeaderRule> rate_limit_headers{};
    std::string oauth_error_member{};             // "" for RFC 6749 only
    std::string oauth_error_description_member{}; // "" for RFC 6749 only
    std::vector<OAuthErrorCode> oauth_error_codes{};
    std::optional<RateBucket> provider_rate_limit{};
    std::optional<RateBucket> tenant_rate_limit{};
    std::vector<std::string> credential_headers{}; // e.g. "X-Goog-Api-Key"

    friend bool operator==(const ProviderPolicySpec&, const ProviderPolicySpec&) = default;
};

// The C form of a list of policies: the extension's table and every struct and array it
// points into. Neither copyable nor movable: what it hands out stays valid for its life.
class ProviderPolicyTable {
public:
    explicit ProviderPolicyTable(std::vector<ProviderPolicySpec> specs) : specs_(std::move(specs)) {
        const auto optional = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
        for (const ProviderPolicySpec& spec : specs_) {
            auto held = std::make_unique<Held>();
            for (const RateLimitHeaderRule& r : spec.rate_limit_headers) {
                sb_rate_limit_header_rule c{};
                c.struct_size = static_cast<uint32_t>(sizeof(sb_rate_limit_header_rule));
                c.remaining_header = r.remaining_header.c_str();
                c.wait_header = optional(r.wait_header);
                c.wait_header_unit_ms = r.wait_header_unit_ms;
                c.default_wait_ms = r.default_wait_ms;
                c.give_up = r.give_up ? 1 : 0;
                held->rules.push_back(c);
            }
            for (const auto& c : held->rules) held->rule_pointers.push_back(&c);
            for (const OAuthErrorCode& e : spec.oauth_error_codes) {
                held->codes.push_back(sb_oauth_error_code{
                    static_cast<uint32_t>(sizeof(sb_oauth_error_code)), e.code.c_str(), e.meaning});
            }
            for (const auto& c : held->codes) held->code_pointers.push_back(&c);
            for (const auto& h : spec.credential_headers) held->header_names.push_back(h.c_str());
            const auto bucket = [](const std::optional<RateBucket>& b, sb_rate_limit_bucket& out)
                -> const sb_rate_limit_bucket* {
                if (!b) return nullptr;
                out = {static_cast<uint32_t>(sizeof(sb_rate_limit_bucket)), b->capacity,
                       b->refill_per_second};
                return &out;
            };
            sb_provider_policy& p = held->policy;
            p.struct_size = static_cast<uint32_t>(sizeof(sb_provider_policy));
            p.provider_id = spec.provider_id.c_str();
            p.credential_prefix = optional(spec.credential_prefix);
            p.rate_limit_headers = or_null(held->rule_pointers);
            p.rate_limit_header_count = held->rule_pointers.size();
            p.oauth_error_member = optional(spec.oauth_error_member);
            p.oauth_error_description_member = optional(spec.oauth_error_description_member);
            p.oauth_error_codes = or_null(held->code_pointers);
            p.oauth_error_code_count = held->code_pointers.size();
            p.provider_rate_limit = bucket(spec.provider_rate_limit, held->provider_bucket);
            p.tenant_rate_limit = bucket(spec.tenant_rate_limit, held->tenant_bucket);
            p.credential_headers = or_null(held->header_names);
            p.credential_header_count = held->header_names.size();
            policy_pointers_.push_back(&held->policy);
            held_.push_back(std::move(held));
        }
        table_.struct_size = static_cast<uint32_t>(sizeof(sb_plugin_provider_policy));
        table_.policies = or_null(policy_pointers_);
        table_.policy_count = policy_pointers_.size();
    }

    ProviderPolicyTable(const ProviderPolicyTable&) = delete;
    ProviderPolicyTable& operator=(const ProviderPolicyTable&) = delete;

    const std::vector<ProviderPolicySpec>& specs() const noexcept { return specs_; }
    const sb_plugin_provider_policy* c_table() const noexcept { return &table_; }

private:
    struct Held {
        std::vector<sb_rate_limit_header_rule> rules;
        std::vector<const sb_rate_limit_header_rule*> rule_pointers;
        std::vector<sb_oauth_error_code> codes;
        std::vector<const sb_oauth_error_code*> code_pointers;
        std::vector<const char*> header_names;
        sb_rate_limit_bucket provider_bucket{};
        sb_rate_limit_bucket tenant_bucket{};
        sb_provider_policy policy{};
    };

    template <class T>
    static const T* const* or_null(const std::vector<const T*>& v) noexcept {
        return v.empty() ? nullptr : v.data();
    }

    const std::vector<ProviderPolicySpec> specs_;
    std::vector<std::unique_ptr<Held>> held_;
    std::vector<const sb_provider_policy*> policy_pointers_;
    sb_plugin_provider_policy table_{};
};

// Reads the extension's table back into values, honouring struct_size (a field outside it
// reads as empty) and NULL pointers (skipped, or read as ""). Unchecked: the host validates.
// For hosts and tests; `table` may be NULL.
inline std::vector<ProviderPolicySpec> read_provider_policies(const sb_plugin_provider_policy* table) {
    std::vector<ProviderPolicySpec> out;
    if (table == nullptr || !SB_HAS_FIELD(sb_plugin_provider_policy, table, policy_count) ||
        table->policies == nullptr) {
        return out;
    }
    const auto str = [](const char* s) { return s != nullptr ? std::string(s) : std::string(); };
    for (std::size_t i = 0; i < table->policy_count; ++i) {
        const sb_provider_policy* p = table->policies[i];
        ProviderPolicySpec spec;
        if (p == nullptr) {
            out.push_back(std::move(spec)); // kept, so the host sees (and refuses) the hole
            continue;
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, provider_id)) spec.provider_id = str(p->provider_id);
        if (SB_HAS_FIELD(sb_provider_policy, p, credential_prefix)) {
            spec.credential_prefix = str(p->credential_prefix);
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, rate_limit_header_count) &&
            p->rate_limit_headers != nullptr) {
            for (std::size_t j = 0; j < p->rate_limit_header_count; ++j) {
                const sb_rate_limit_header_rule* r = p->rate_limit_headers[j];
                RateLimitHeaderRule rule;
                if (r != nullptr) {
                    if (SB_HAS_FIELD(sb_rate_limit_header_rule, r, remaining_header)) {
                        rule.remaining_header = str(r->remaining_header);
                    }
                    if (SB_HAS_FIELD(sb_rate_limit_header_rule, r, wait_header)) {
                        rule.wait_header = str(r->wait_header);
                    }
                    if (SB_HAS_FIELD(sb_rate_limit_header_rule, r, wait_header_unit_ms)) {
                        rule.wait_header_unit_ms = r->wait_header_unit_ms;
                    }
                    if (SB_HAS_FIELD(sb_rate_limit_header_rule, r, default_wait_ms)) {
                        rule.default_wait_ms = r->default_wait_ms;
                    }
                    if (SB_HAS_FIELD(sb_rate_limit_header_rule, r, give_up)) {
                        rule.give_up = r->give_up != 0;
                    }
                }
                spec.rate_limit_headers.push_back(std::move(rule));
            }
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, oauth_error_member)) {
            spec.oauth_error_member = str(p->oauth_error_member);
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, oauth_error_description_member)) {
            spec.oauth_error_description_member = str(p->oauth_error_description_member);
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, oauth_error_code_count) &&
            p->oauth_error_codes != nullptr) {
            for (std::size_t j = 0; j < p->oauth_error_code_count; ++j) {
                const sb_oauth_error_code* c = p->oauth_error_codes[j];
                OAuthErrorCode code{{}, 0};
                if (c != nullptr) {
                    if (SB_HAS_FIELD(sb_oauth_error_code, c, code)) code.code = str(c->code);
                    if (SB_HAS_FIELD(sb_oauth_error_code, c, meaning)) code.meaning = c->meaning;
                }
                spec.oauth_error_codes.push_back(std::move(code));
            }
        }
        const auto bucket = [](const sb_rate_limit_bucket* b) -> std::optional<RateBucket> {
            if (b == nullptr) return std::nullopt;
            RateBucket read;
            if (SB_HAS_FIELD(sb_rate_limit_bucket, b, capacity)) read.capacity = b->capacity;
            if (SB_HAS_FIELD(sb_rate_limit_bucket, b, refill_per_second)) {
                read.refill_per_second = b->refill_per_second;
            }
            return read;
        };
        if (SB_HAS_FIELD(sb_provider_policy, p, provider_rate_limit)) {
            spec.provider_rate_limit = bucket(p->provider_rate_limit);
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, tenant_rate_limit)) {
            spec.tenant_rate_limit = bucket(p->tenant_rate_limit);
        }
        if (SB_HAS_FIELD(sb_provider_policy, p, credential_header_count) &&
            p->credential_headers != nullptr) {
            for (std::size_t j = 0; j < p->credential_header_count; ++j) {
                spec.credential_headers.push_back(str(p->credential_headers[j]));
            }
        }
        out.push_back(std::move(spec));
    }
    return out;
}

} // namespace switchboard::sdk
