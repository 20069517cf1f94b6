// The plugin descriptor reader (core/plugin: read_provider_list, which reads each
// sb_provider_desc with read_provider_descriptor): the C structs a plugin library hands the
// host, which a third party writes.
//
// The input describes a library's provider list in lines "key=value"; "---" starts the next
// provider. A string key that is absent is a NULL pointer; "key=" is an empty string.
//   id category display_name description api_base_url          strings of sb_provider_desc
//   action=<name> (repeated)  action_count=<n>                  the action array and its count
//   struct_size=<n>                                             sb_provider_desc.struct_size
//   contract_revision=<n>                                       the contract revision (ABI 1.3)
//   oauth=null                                                  a NULL oauth pointer
//   oauth.struct_size  oauth.authorize_url  oauth.token_url  oauth.revoke_url
//   oauth.revoke_style  oauth.pkce  oauth.client_auth  oauth.identity_url
//   oauth.identity_field  oauth.identity_account_field
//   oauth.default_scope=<s> (repeated)   oauth.default_scope_count=<n>
//   oauth.identity_scope=<s> (repeated)  oauth.identity_scope_count=<n>
//   oauth.extra_param=<name>=<value> (repeated)  oauth.extra_param_count=<n>
//   pair.struct_size=<n>  the struct_size of the sb_pairs defined after it
//   providers=null, providers_count=<n>   the list itself (the library's get_providers)
// and the library's provider-policy extension (switchboard/ext/provider_policy.h), read once the
// list is accepted; "policy.provider=<id>" starts the next sb_provider_policy:
//   policy.struct_size  policy.credential_prefix  policy.error_member
//   policy.error_description_member
//   policy.rule=<remaining header> starts the next rule; policy.rule.wait_header
//   policy.rule.unit_ms  policy.rule.default_wait_ms  policy.rule.give_up  policy.rule.struct_size
//   policy.rule_count=<n>
//   policy.code=<code>:<meaning> (repeated)  policy.code.struct_size  policy.code_count=<n>
//   policy.provider_bucket=<capacity>,<refill>  policy.tenant_bucket=<capacity>,<refill>
//   policy.bucket.struct_size
//   policy.credential_header=<name> (repeated)  policy.credential_header_count=<n>
//   policies=null  policies.struct_size  policies_count=<n>   the sb_plugin_provider_policy
// Each struct is allocated with exactly the size its struct_size declares (its first bytes
// copied, any bytes past the C struct zero), as a plugin built against another ABI minor
// would lay it out: reading a field past struct_size is a heap overflow that AddressSanitizer
// reports. A count larger than the items given points at an array padded with NULLs.
//
// Promises checked: no read outside what the plugin declared; an answer for every list (the
// descriptors, or invalid_plugin/invalid_descriptor/unsupported_contract_revision); an
// accepted descriptor keeps the ABI's rules (id, https URLs, a contract revision the host
// honours, actions of that revision of its category), and reading it back from the C form
// the SDK builds of it gives the same descriptor. For the policies (core/plugin
// read_provider_policies): an answer for every table (or invalid_provider_policy, the
// descriptors then unchanged); an accepted policy keeps the header's limits (the generic
// credential prefix or one of [A-Z][A-Z0-9_]{0,63}; at most 16 rules, 64 codes and 16
// credential headers; header names in lower case; waits of at most an hour; buckets within
// 1..1,000,000).
// Seeds: the descriptors and policies of the four shipped plugins
// (support/make_plugin_seeds.py).
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/plugin_checks.hpp"
#include "core/plugin/policy_reader.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include <switchboard/descriptor.hpp>
#include <switchboard/ext/provider_policy.h>
#include <switchboard/plugin.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace switchboard;
using switchboard::fuzz::check;

// Bounds on what the harness allocates for a lying count or struct_size. Past them a reader
// that stopped at its own limits (256 items) reads nothing; one that did not overflows.
constexpr std::size_t max_array = 4096;
constexpr std::size_t max_struct = 4096;

std::optional<long long> number(std::string_view text) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// Heap blocks of exactly the requested size, alive for one run.
class Arena {
public:
    template <class Struct>
    const Struct* place(const Struct& full, std::size_t declared) {
        const std::size_t size =
            std::min(std::max<std::size_t>(declared, sizeof(std::uint32_t)), max_struct);
        auto& block = blocks_.emplace_back(std::make_unique<unsigned char[]>(size));
        std::memset(block.get(), 0, size);
        std::memcpy(block.get(), &full, std::min(size, sizeof(Struct)));
        return reinterpret_cast<const Struct*>(block.get());
    }

    // `items` padded with NULLs to `count` entries (capped), or NULL for no items and no
    // count.
    template <class T>
    const T* const* array(const std::vector<const T*>& items, std::size_t count) {
        const std::size_t size = std::min(std::max(items.size(), count), max_array);
        if (size == 0) {
            return nullptr;
        }
        auto& block = pointer_blocks_.emplace_back(std::make_unique<const void*[]>(size));
        for (std::size_t i = 0; i < size; ++i) {
            block[i] = i < items.size() ? items[i] : nullptr;
        }
        return reinterpret_cast<const T* const*>(block.get());
    }

    const char* text(std::string_view value) {
        return strings_.emplace_back(value).c_str();
    }

private:
    std::vector<std::unique_ptr<unsigned char[]>> blocks_;
    std::vector<std::unique_ptr<const void*[]>> pointer_blocks_;
    std::deque<std::string> strings_; // stable addresses
};

struct StringList {
    std::vector<const char*> items;
    std::optional<std::size_t> count;

    std::size_t declared() const { return count.value_or(items.size()); }
};

// One provider as the input describes it, before it is laid out.
struct ProviderInput {
    sb_provider_desc desc{};
    std::uint32_t struct_size = sizeof(sb_provider_desc);
    StringList actions;
    bool oauth_null = false;
    sb_oauth_desc oauth{};
    std::uint32_t oauth_struct_size = sizeof(sb_oauth_desc);
    StringList default_scopes;
    StringList identity_scopes;
    std::vector<const sb_pair*> extra_params;
    std::optional<std::size_t> extra_param_count;
};

// One sb_provider_policy as the input describes it.
struct PolicyInput {
    sb_provider_policy policy{};
    std::uint32_t struct_size = sizeof(sb_provider_policy);
    std::vector<const sb_rate_limit_header_rule*> rules;
    std::optional<std::size_t> rule_count;
    sb_rate_limit_header_rule rule{}; // the rule being described, placed when the next starts
    bool rule_open = false;
    std::uint32_t rule_struct_size = sizeof(sb_rate_limit_header_rule);
    std::vector<const sb_oauth_error_code*> codes;
    std::optional<std::size_t> code_count;
    std::uint32_t code_struct_size = sizeof(sb_oauth_error_code);
    std::uint32_t bucket_struct_size = sizeof(sb_rate_limit_bucket);
    StringList credential_headers;
};

struct LibraryInput {
    std::vector<ProviderInput> providers;
    bool list_null = false;
    std::optional<std::size_t> list_count;
    std::vector<PolicyInput> policies;
    bool policies_given = false;
    bool policies_null = false;
    std::uint32_t policies_struct_size = sizeof(sb_plugin_provider_policy);
    std::optional<std::size_t> policies_count;
};

void apply(std::string_view key, std::string_view value, ProviderInput& p, LibraryInput& library,
           std::uint32_t& pair_struct_size, Arena& arena) {
    const auto n = number(value);
    const auto count = [&] { return static_cast<std::size_t>(n.value_or(0)); };
    const auto int32 = [&] { return static_cast<std::int32_t>(n.value_or(0)); };
    const auto uint32 = [&] { return static_cast<std::uint32_t>(n.value_or(0)); };
    // Strings of sb_provider_desc and sb_oauth_desc.
    const std::pair<std::string_view, const char**> strings[] = {
        {"id", &p.desc.id},
        {"category", &p.desc.category},
        {"display_name", &p.desc.display_name},
        {"description", &p.desc.description},
        {"api_base_url", &p.desc.api_base_url},
        {"oauth.authorize_url", &p.oauth.authorize_url},
        {"oauth.token_url", &p.oauth.token_url},
        {"oauth.revoke_url", &p.oauth.revoke_url},
        {"oauth.identity_url", &p.oauth.identity_url},
        {"oauth.identity_field", &p.oauth.identity_field},
        {"oauth.identity_account_field", &p.oauth.identity_account_field},
    };
    for (const auto& [name, field] : strings) {
        if (key == name) {
            *field = arena.text(value);
            return;
        }
    }
    if (key == "struct_size") p.struct_size = uint32();
    else if (key == "contract_revision") p.desc.contract_revision = uint32();
    else if (key == "action") p.actions.items.push_back(arena.text(value));
    else if (key == "action_count") p.actions.count = count();
    else if (key == "oauth") p.oauth_null = value == "null";
    else if (key == "oauth.struct_size") p.oauth_struct_size = uint32();
    else if (key == "oauth.revoke_style") p.oauth.revoke_style = int32();
    else if (key == "oauth.pkce") p.oauth.pkce = int32();
    else if (key == "oauth.client_auth") p.oauth.client_auth = int32();
    else if (key == "oauth.default_scope") p.default_scopes.items.push_back(arena.text(value));
    else if (key == "oauth.default_scope_count") p.default_scopes.count = count();
    else if (key == "oauth.identity_scope") p.identity_scopes.items.push_back(arena.text(value));
    else if (key == "oauth.identity_scope_count") p.identity_scopes.count = count();
    else if (key == "oauth.extra_param_count") p.extra_param_count = count();
    else if (key == "pair.struct_size") pair_struct_size = uint32();
    else if (key == "providers") library.list_null = value == "null";
    else if (key == "providers_count") library.list_count = count();
    else if (key == "oauth.extra_param") {
        const auto equals = value.find('=');
        sb_pair pair{};
        pair.struct_size = pair_struct_size;
        pair.name = arena.text(value.substr(0, equals));
        pair.value = equals == std::string_view::npos ? nullptr
                                                      : arena.text(value.substr(equals + 1));
        p.extra_params.push_back(arena.place(pair, pair_struct_size));
    }
}

void close_rule(PolicyInput& p, Arena& arena) {
    if (!p.rule_open) return;
    p.rule.struct_size = p.rule_struct_size;
    p.rules.push_back(arena.place(p.rule, p.rule_struct_size));
    p.rule = {};
    p.rule_open = false;
}

std::optional<std::pair<double, double>> bucket_numbers(std::string_view value) {
    const auto comma = value.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    const std::string capacity(value.substr(0, comma)), refill(value.substr(comma + 1));
    char* end = nullptr;
    const double c = std::strtod(capacity.c_str(), &end);
    if (end != capacity.c_str() + capacity.size()) return std::nullopt;
    const double r = std::strtod(refill.c_str(), &end);
    if (end != refill.c_str() + refill.size()) return std::nullopt;
    return std::pair{c, r};
}

// A "policy..." or "policies..." line; false when the key is neither.
bool apply_policy(std::string_view key, std::string_view value, LibraryInput& library,
                  Arena& arena) {
    const auto n = number(value);
    const auto count = [&] { return static_cast<std::size_t>(n.value_or(0)); };
    const auto uint32 = [&] { return static_cast<std::uint32_t>(n.value_or(0)); };
    if (key == "policies") {
        library.policies_given = true;
        library.policies_null = value == "null";
        return true;
    }
    if (key == "policies.struct_size") {
        library.policies_given = true;
        library.policies_struct_size = uint32();
        return true;
    }
    if (key == "policies_count") {
        library.policies_given = true;
        library.policies_count = count();
        return true;
    }
    if (!key.starts_with("policy.")) return false;
    library.policies_given = true;
    if (key == "policy.provider" || library.policies.empty()) library.policies.emplace_back();
    PolicyInput& p = library.policies.back();
    if (key == "policy.provider") p.policy.provider_id = arena.text(value);
    else if (key == "policy.struct_size") p.struct_size = uint32();
    else if (key == "policy.credential_prefix") p.policy.credential_prefix = arena.text(value);
    else if (key == "policy.error_member") p.policy.oauth_error_member = arena.text(value);
    else if (key == "policy.error_description_member")
        p.policy.oauth_error_description_member = arena.text(value);
    else if (key == "policy.rule") {
        close_rule(p, arena);
        p.rule_open = true;
        p.rule.remaining_header = arena.text(value);
    } else if (key.starts_with("policy.rule.")) {
        p.rule_open = true;
        if (key == "policy.rule.wait_header") p.rule.wait_header = arena.text(value);
        else if (key == "policy.rule.unit_ms") p.rule.wait_header_unit_ms = uint32();
        else if (key == "policy.rule.default_wait_ms") p.rule.default_wait_ms = uint32();
        else if (key == "policy.rule.give_up")
            p.rule.give_up = static_cast<std::int32_t>(n.value_or(0));
        else if (key == "policy.rule.struct_size") p.rule_struct_size = uint32();
    } else if (key == "policy.rule_count") p.rule_count = count();
    else if (key == "policy.code") {
        const auto colon = value.rfind(':');
        sb_oauth_error_code code{};
        code.struct_size = p.code_struct_size;
        code.code = arena.text(value.substr(0, colon));
        const auto meaning =
            colon == std::string_view::npos ? std::nullopt : number(value.substr(colon + 1));
        code.meaning = static_cast<sb_oauth_error_meaning>(meaning.value_or(0));
        p.codes.push_back(arena.place(code, p.code_struct_size));
    } else if (key == "policy.code.struct_size") p.code_struct_size = uint32();
    else if (key == "policy.code_count") p.code_count = count();
    else if (key == "policy.bucket.struct_size") p.bucket_struct_size = uint32();
    else if (key == "policy.provider_bucket" || key == "policy.tenant_bucket") {
        sb_rate_limit_bucket bucket{};
        bucket.struct_size = p.bucket_struct_size;
        if (const auto numbers = bucket_numbers(value)) {
            bucket.capacity = numbers->first;
            bucket.refill_per_second = numbers->second;
        }
        const auto* placed = arena.place(bucket, p.bucket_struct_size);
        (key == "policy.provider_bucket" ? p.policy.provider_rate_limit
                                         : p.policy.tenant_rate_limit) = placed;
    } else if (key == "policy.credential_header")
        p.credential_headers.items.push_back(arena.text(value));
    else if (key == "policy.credential_header_count") p.credential_headers.count = count();
    return true;
}

const sb_plugin_provider_policy* lay_out_policies(LibraryInput& library, Arena& arena) {
    std::vector<const sb_provider_policy*> placed;
    for (auto& p : library.policies) {
        close_rule(p, arena);
        p.policy.struct_size = p.struct_size;
        const std::size_t rules = p.rule_count.value_or(p.rules.size());
        p.policy.rate_limit_headers = arena.array(p.rules, rules);
        p.policy.rate_limit_header_count = rules;
        const std::size_t codes = p.code_count.value_or(p.codes.size());
        p.policy.oauth_error_codes = arena.array(p.codes, codes);
        p.policy.oauth_error_code_count = codes;
        p.policy.credential_headers =
            arena.array(p.credential_headers.items, p.credential_headers.declared());
        p.policy.credential_header_count = p.credential_headers.declared();
        placed.push_back(arena.place(p.policy, p.struct_size));
    }
    if (library.policies_null) return nullptr;
    sb_plugin_provider_policy table{};
    table.struct_size = library.policies_struct_size;
    table.policy_count = library.policies_count.value_or(placed.size());
    table.policies = arena.array(placed, table.policy_count);
    return arena.place(table, library.policies_struct_size);
}

bool lower_case_field_name(const std::string& name) {
    return !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) <= ' ' || c == ':' ||
               c == 0x7f;
    });
}

void check_policy(const plugin::ProviderDescriptor& provider) {
    const plugin::ProviderPolicy& policy = provider.policy;
    const std::string& prefix = policy.credential_prefix;
    check(prefix == config::default_credential_prefix(provider.id) ||
              (!prefix.empty() && prefix.size() <= 64 && prefix[0] >= 'A' && prefix[0] <= 'Z' &&
               std::all_of(prefix.begin(), prefix.end(),
                           [](char c) {
                               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                      c == '_';
                           })),
          "an accepted credential prefix is the generic one or [A-Z][A-Z0-9_]{0,63}");
    check(policy.rate_limit_headers.size() <= plugin::kMaxRateLimitHeaderRules,
          "an accepted policy has at most 16 rules");
    for (const auto& rule : policy.rate_limit_headers) {
        check(lower_case_field_name(rule.remaining_header) &&
                  (rule.wait_header.empty() || lower_case_field_name(rule.wait_header)),
              "an accepted rule's headers are field names in lower case");
        check(rule.wait_header.empty() ? rule.wait_unit.count() == 0
                                       : (rule.wait_unit.count() == 1 ||
                                          rule.wait_unit.count() == 1000),
              "an accepted rule's wait unit is 1 or 1000 ms with a wait header, else none");
        check(!rule.default_wait || (rule.default_wait->count() > 0 &&
                                     *rule.default_wait <= http::kMaxRuleWait),
              "an accepted default wait is at most an hour");
    }
    check(policy.oauth_errors.codes.size() <= plugin::kMaxOAuthErrorCodes,
          "an accepted policy has at most 64 error codes");
    for (const auto& code : policy.oauth_errors.codes) {
        check(!code.code.empty() && code.code.size() <= 64 &&
                  std::count_if(policy.oauth_errors.codes.begin(),
                                policy.oauth_errors.codes.end(),
                                [&](const auto& other) { return other.code == code.code; }) == 1,
              "an accepted error code is 1 to 64 characters and listed once");
    }
    for (const auto& bucket :
         {policy.default_rate_limits.provider, policy.default_rate_limits.tenant}) {
        check(!bucket || (bucket->capacity >= 1 && bucket->capacity <= 1000000 &&
                          bucket->refill_per_second > 0 &&
                          bucket->refill_per_second <= 1000000),
              "an accepted bucket is within 1..1,000,000");
    }
    check(policy.credential_headers.size() <= plugin::kMaxCredentialHeaders,
          "an accepted policy has at most 16 credential headers");
    for (const auto& header : policy.credential_headers) {
        check(lower_case_field_name(header),
              "an accepted credential header is a field name in lower case");
    }
}

// The library's policy table applied to its accepted descriptors.
void read_policies(LibraryInput& library, const std::vector<plugin::ProviderDescriptor>& read,
                   Arena& arena) {
    const sb_plugin_provider_policy* table = lay_out_policies(library, arena);
    std::vector<plugin::ProviderDescriptor> providers = read;
    const auto applied = plugin::read_provider_policies(table, providers);
    if (!applied) {
        check(applied.error().kind == ErrorKind::invalid_input &&
                  applied.error().code == "invalid_provider_policy",
              "a refused policy table is invalid_input/invalid_provider_policy");
        for (std::size_t i = 0; i < providers.size(); ++i) {
            check(providers[i].policy == read[i].policy,
                  "a refused policy table leaves the descriptors unchanged");
        }
        return;
    }
    for (const auto& provider : providers) check_policy(provider);
}

const sb_provider_desc* lay_out(ProviderInput& p, Arena& arena) {
    p.oauth.struct_size = p.oauth_struct_size;
    p.oauth.default_scopes = arena.array(p.default_scopes.items, p.default_scopes.declared());
    p.oauth.default_scope_count = p.default_scopes.declared();
    p.oauth.identity_scopes = arena.array(p.identity_scopes.items, p.identity_scopes.declared());
    p.oauth.identity_scope_count = p.identity_scopes.declared();
    const std::size_t extra = p.extra_param_count.value_or(p.extra_params.size());
    p.oauth.extra_authorize_params = arena.array(p.extra_params, extra);
    p.oauth.extra_authorize_param_count = extra;
    p.desc.struct_size = p.struct_size;
    p.desc.oauth = p.oauth_null ? nullptr : arena.place(p.oauth, p.oauth_struct_size);
    p.desc.actions = arena.array(p.actions.items, p.actions.declared());
    p.desc.action_count = p.actions.declared();
    return arena.place(p.desc, p.struct_size);
}

bool provider_id_ok(const std::string& id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void check_accepted(const plugin::ProviderDescriptor& d, const plugin::ContractCatalog& catalog) {
    check(provider_id_ok(d.id), "an accepted id is [a-z0-9_]{1,64}");
    check(catalog.has_category(d.category), "an accepted category is known");
    check(d.api_base_url.starts_with("https://") && !d.api_base_url.ends_with("/"),
          "an accepted API base URL is https without a trailing slash");
    check(d.oauth.authorize_url.starts_with("https://") &&
              d.oauth.token_url.starts_with("https://"),
          "accepted OAuth endpoints are https");
    check(catalog.has_revision(d.category, d.contract_revision),
          "an accepted contract revision is one the host honours");
    check(!d.actions.empty(), "an accepted provider has actions");
    for (const auto& action : d.actions) {
        check(catalog.find_action(d.category, action, d.contract_revision) != nullptr,
              "an accepted action is in its revision of its category's contract");
    }
    check(d.oauth.identity_account_field.empty() || !d.oauth.identity_url.empty(),
          "an account field comes with an identity URL");
}

// The SDK's C form of an accepted descriptor, read again.
void check_round_trip(const plugin::ProviderDescriptor& d, const plugin::ContractCatalog& catalog) {
    sdk::ProviderSpec spec;
    spec.id = d.id;
    spec.category = d.category;
    spec.contract_revision = d.contract_revision;
    spec.display_name = d.display_name;
    spec.description = d.description;
    spec.api_base_url = d.api_base_url;
    spec.actions = d.actions;
    spec.oauth.authorize_url = d.oauth.authorize_url;
    spec.oauth.token_url = d.oauth.token_url;
    spec.oauth.revoke_url = d.oauth.revoke_url;
    spec.oauth.revoke_style = static_cast<sb_revoke_style>(d.oauth.revoke_style);
    spec.oauth.default_scopes = d.oauth.default_scopes;
    for (const auto& [name, value] : d.oauth.extra_authorize_params) {
        spec.oauth.extra_authorize_params.push_back({name, value});
    }
    spec.oauth.pkce = d.oauth.pkce;
    spec.oauth.client_auth = d.oauth.client_auth == plugin::ClientAuth::basic
                                 ? SB_CLIENT_AUTH_BASIC
                                 : SB_CLIENT_AUTH_POST;
    spec.oauth.identity_url = d.oauth.identity_url;
    spec.oauth.identity_field = d.oauth.identity_field;
    spec.oauth.identity_scopes = d.oauth.identity_scopes;
    spec.oauth.identity_account_field = d.oauth.identity_account_field;
    const sdk::ProviderDescriptor c_form(spec);
    const sb_provider_desc* list[] = {c_form.c_desc()};
    const auto again = plugin::read_provider_list(list, 1, catalog);
    check(again.has_value() && again->size() == 1, "an accepted descriptor reads back");
    const plugin::ProviderDescriptor& r = again->front();
    check(r.id == d.id && r.category == d.category &&
              r.contract_revision == d.contract_revision && r.display_name == d.display_name &&
              r.description == d.description && r.api_base_url == d.api_base_url &&
              r.actions == d.actions,
          "a descriptor read back is the same");
    check(r.oauth.authorize_url == d.oauth.authorize_url &&
              r.oauth.token_url == d.oauth.token_url && r.oauth.revoke_url == d.oauth.revoke_url &&
              r.oauth.revoke_style == d.oauth.revoke_style &&
              r.oauth.default_scopes == d.oauth.default_scopes &&
              r.oauth.extra_authorize_params == d.oauth.extra_authorize_params &&
              r.oauth.pkce == d.oauth.pkce && r.oauth.client_auth == d.oauth.client_auth &&
              r.oauth.identity_url == d.oauth.identity_url &&
              r.oauth.identity_field == d.oauth.identity_field &&
              r.oauth.identity_scopes == d.oauth.identity_scopes &&
              r.oauth.identity_account_field == d.oauth.identity_account_field,
          "OAuth metadata read back is the same");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Arena arena;
    LibraryInput library;
    library.providers.emplace_back();
    std::uint32_t pair_struct_size = sizeof(sb_pair);
    for (const auto line : fuzz::split(fuzz::as_text(data, size), "\n", 100000)) {
        if (line == "---") {
            library.providers.emplace_back();
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) continue;
        const auto key = line.substr(0, equals), value = line.substr(equals + 1);
        if (!apply_policy(key, value, library, arena)) {
            apply(key, value, library.providers.back(), library, pair_struct_size, arena);
        }
    }
    std::vector<const sb_provider_desc*> list;
    for (auto& provider : library.providers) {
        list.push_back(lay_out(provider, arena));
    }
    const std::size_t count = library.list_count.value_or(list.size());
    const auto* array = library.list_null ? nullptr : arena.array(list, count);

    const plugin::ContractCatalog& catalog = plugin::ContractCatalog::embedded();
    const auto read = plugin::read_provider_list(array, count, catalog);
    if (!read) {
        check(read.error().kind == ErrorKind::invalid_input &&
                  (read.error().code == "invalid_plugin" ||
                   read.error().code == "invalid_descriptor" ||
                   read.error().code == "unsupported_contract_revision"),
              "a refused list is invalid_plugin, invalid_descriptor or "
              "unsupported_contract_revision");
        return 0;
    }
    check(read->size() == count, "every provider of an accepted list is read");
    for (const auto& descriptor : *read) {
        check_accepted(descriptor, catalog);
        check_round_trip(descriptor, catalog);
    }
    if (library.policies_given) read_policies(library, *read, arena);
    return 0;
}
