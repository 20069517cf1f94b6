#include "core/plugin/isolated/child_checks.hpp"

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_checks.hpp"
#include "core/plugin/policy_reader.hpp"

#include <algorithm>
#include <memory>

namespace switchboard::plugin::isolated {

namespace {

// A NUL inside any string (the OAuth metadata's included) would make the C form the loader
// reads say less than the child sent: a scope or URL cut short is not the one declared.
bool has_nul_byte(const sdk::ProviderSpec& spec) {
    const sdk::OAuthSpec& o = spec.oauth;
    std::vector<const std::string*> texts = {&spec.id, &spec.category, &spec.display_name,
                                             &spec.description, &spec.api_base_url,
                                             &o.authorize_url, &o.token_url, &o.revoke_url,
                                             &o.identity_url, &o.identity_field,
                                             &o.identity_account_field};
    for (const auto& s : spec.actions) texts.push_back(&s);
    for (const auto& s : spec.allowed_base_urls) texts.push_back(&s);
    const sdk::AccessTokenSpec& t = spec.access_token;
    for (const auto* s : {&t.label, &t.identity_url, &t.identity_field, &t.identity_account_field}) {
        texts.push_back(s);
    }
    for (const auto& s : o.default_scopes) texts.push_back(&s);
    for (const auto& s : o.identity_scopes) texts.push_back(&s);
    for (const auto& pair : o.extra_authorize_params) {
        texts.push_back(&pair.name);
        texts.push_back(&pair.value);
    }
    return std::any_of(texts.begin(), texts.end(),
                       [](const std::string* s) { return s->find('\0') != std::string::npos; });
}

bool has_nul_in_policy(const sdk::ProviderPolicySpec& p) {
    std::vector<const std::string*> texts = {&p.provider_id, &p.credential_prefix,
                                             &p.oauth_error_member,
                                             &p.oauth_error_description_member};
    for (const auto& r : p.rate_limit_headers) {
        texts.push_back(&r.remaining_header);
        texts.push_back(&r.wait_header);
    }
    for (const auto& c : p.oauth_error_codes) texts.push_back(&c.code);
    for (const auto& h : p.credential_headers) texts.push_back(&h);
    return std::any_of(texts.begin(), texts.end(),
                       [](const std::string* s) { return s->find('\0') != std::string::npos; });
}

} // namespace

Result<CheckedHello> check_hello(HelloMessage hello, const ContractCatalog& catalog) {
    const auto invalid = [](std::string why) {
        return Error(ErrorKind::invalid_input, "invalid_plugin", std::move(why));
    };
    auto name = plugin_table_string(hello.plugin_name.c_str());
    if (!name || *name != hello.plugin_name) {
        return invalid("sb_plugin.name is missing, empty, too long or not UTF-8");
    }
    auto version = plugin_table_string(hello.plugin_version.c_str());
    if (!version || *version != hello.plugin_version) {
        return invalid("sb_plugin.version is missing, empty, too long or not UTF-8");
    }
    if (auto compatible = check_plugin_abi(hello.abi); !compatible) {
        return compatible.error();
    }
    for (const auto& spec : hello.providers) {
        if (has_nul_byte(spec)) {
            return Error(ErrorKind::invalid_input, "invalid_descriptor",
                         "a descriptor string contains a NUL byte");
        }
    }
    std::vector<std::unique_ptr<sdk::ProviderDescriptor>> c_forms;
    std::vector<const sb_provider_desc*> list;
    for (const auto& spec : hello.providers) {
        c_forms.push_back(std::make_unique<sdk::ProviderDescriptor>(spec));
        list.push_back(c_forms.back()->c_desc());
    }
    auto providers = read_provider_list(list.empty() ? nullptr : list.data(), list.size(), catalog);
    if (!providers) {
        return providers.error();
    }
    // The policies likewise: rebuilt as the extension's table and read by the loader's reader.
    if (std::any_of(hello.policies.begin(), hello.policies.end(), has_nul_in_policy)) {
        return Error(ErrorKind::invalid_input, "invalid_provider_policy",
                     "a provider policy string contains a NUL byte");
    }
    if (!hello.policies.empty()) {
        const sdk::ProviderPolicyTable table(hello.policies);
        if (auto read = read_provider_policies(table.c_table(), *providers); !read) {
            return read.error();
        }
    }
    return CheckedHello{std::move(*name),          std::move(*version),
                        hello.abi,                 std::move(*providers),
                        std::move(hello.providers), std::move(hello.policies)};
}

Result<ProviderHttpRequest> check_child_request(const ProviderHttpRequest& from_child) {
    std::vector<sb_pair> pairs;
    pairs.reserve(from_child.headers.size());
    for (const auto& h : from_child.headers) {
        pairs.push_back(sb_pair{sizeof(sb_pair), h.name.c_str(), h.value.c_str()});
    }
    std::vector<const sb_pair*> pointers;
    for (const auto& p : pairs) {
        pointers.push_back(&p);
    }
    // NUL bytes inside a field would hide the rest of it from the C checks: refuse them.
    const auto has_nul = [](const std::string& s) { return s.find('\0') != std::string::npos; };
    bool nul = has_nul(from_child.method) || has_nul(from_child.path);
    for (const auto& h : from_child.headers) {
        nul = nul || has_nul(h.name) || has_nul(h.value);
    }
    if (nul) {
        return Error(ErrorKind::invalid_input, "invalid_http_request",
                     "a request field contains a NUL byte");
    }
    sb_http_request request{};
    request.struct_size = sizeof(sb_http_request);
    request.method = from_child.method.c_str();
    request.path = from_child.path.c_str();
    request.headers = pointers.empty() ? nullptr : pointers.data();
    request.header_count = pointers.size();
    request.body = from_child.body.empty() ? nullptr : from_child.body.data();
    request.body_size = from_child.body.size();
    return read_http_request(&request);
}

} // namespace switchboard::plugin::isolated
