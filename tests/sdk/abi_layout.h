/*
 * The layout of every type of switchboard/plugin.h and of the extension headers
 * (switchboard/ext/), as a table: the C translation unit (abi_c.c, built as strict C99) and
 * the C++ test fill it with their own compiler's sizeof/offsetof, and the test compares the
 * two, so a struct that differs between C and C++ fails the build's tests. Every field of
 * every struct is listed. (abi_frozen_1_0.h holds the layout of ABI 1.0, which never
 * changes.)
 */
#ifndef SB_TEST_ABI_LAYOUT_H
#define SB_TEST_ABI_LAYOUT_H

#include "switchboard/ext/deadline.h"
#include "switchboard/ext/provider_policy.h"
#include "switchboard/plugin.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sb_layout_entry {
    const char *name;
    size_t value;
} sb_layout_entry;

#define SB_LAYOUT_SIZE(type) {"sizeof(" #type ")", sizeof(type)},
#define SB_LAYOUT_FIELD(type, field) {"offsetof(" #type ", " #field ")", offsetof(type, field)},

#define SB_LAYOUT_ENTRIES \
    SB_LAYOUT_SIZE(sb_status) \
    SB_LAYOUT_SIZE(sb_log_level) \
    SB_LAYOUT_SIZE(sb_client_auth) \
    SB_LAYOUT_SIZE(sb_revoke_style) \
    SB_LAYOUT_SIZE(sb_plugin_entry_fn) \
    SB_LAYOUT_SIZE(sb_abi_version) \
    SB_LAYOUT_FIELD(sb_abi_version, major) \
    SB_LAYOUT_FIELD(sb_abi_version, minor) \
    SB_LAYOUT_SIZE(sb_pair) \
    SB_LAYOUT_FIELD(sb_pair, struct_size) \
    SB_LAYOUT_FIELD(sb_pair, name) \
    SB_LAYOUT_FIELD(sb_pair, value) \
    SB_LAYOUT_SIZE(sb_sink) \
    SB_LAYOUT_FIELD(sb_sink, struct_size) \
    SB_LAYOUT_FIELD(sb_sink, context) \
    SB_LAYOUT_FIELD(sb_sink, write) \
    SB_LAYOUT_SIZE(sb_http_request) \
    SB_LAYOUT_FIELD(sb_http_request, struct_size) \
    SB_LAYOUT_FIELD(sb_http_request, method) \
    SB_LAYOUT_FIELD(sb_http_request, path) \
    SB_LAYOUT_FIELD(sb_http_request, headers) \
    SB_LAYOUT_FIELD(sb_http_request, header_count) \
    SB_LAYOUT_FIELD(sb_http_request, body) \
    SB_LAYOUT_FIELD(sb_http_request, body_size) \
    SB_LAYOUT_SIZE(sb_http_response) \
    SB_LAYOUT_FIELD(sb_http_response, struct_size) \
    SB_LAYOUT_FIELD(sb_http_response, status) \
    SB_LAYOUT_FIELD(sb_http_response, headers) \
    SB_LAYOUT_FIELD(sb_http_response, header_count) \
    SB_LAYOUT_FIELD(sb_http_response, body) \
    SB_LAYOUT_FIELD(sb_http_response, body_size) \
    SB_LAYOUT_SIZE(sb_host) \
    SB_LAYOUT_FIELD(sb_host, struct_size) \
    SB_LAYOUT_FIELD(sb_host, abi) \
    SB_LAYOUT_FIELD(sb_host, host_name) \
    SB_LAYOUT_FIELD(sb_host, host_version) \
    SB_LAYOUT_FIELD(sb_host, host_data) \
    SB_LAYOUT_FIELD(sb_host, log) \
    SB_LAYOUT_FIELD(sb_host, now_unix_ms) \
    SB_LAYOUT_FIELD(sb_host, http) \
    SB_LAYOUT_FIELD(sb_host, get_extension) \
    SB_LAYOUT_SIZE(sb_oauth_desc) \
    SB_LAYOUT_FIELD(sb_oauth_desc, struct_size) \
    SB_LAYOUT_FIELD(sb_oauth_desc, authorize_url) \
    SB_LAYOUT_FIELD(sb_oauth_desc, token_url) \
    SB_LAYOUT_FIELD(sb_oauth_desc, revoke_url) \
    SB_LAYOUT_FIELD(sb_oauth_desc, revoke_style) \
    SB_LAYOUT_FIELD(sb_oauth_desc, default_scopes) \
    SB_LAYOUT_FIELD(sb_oauth_desc, default_scope_count) \
    SB_LAYOUT_FIELD(sb_oauth_desc, extra_authorize_params) \
    SB_LAYOUT_FIELD(sb_oauth_desc, extra_authorize_param_count) \
    SB_LAYOUT_FIELD(sb_oauth_desc, pkce) \
    SB_LAYOUT_FIELD(sb_oauth_desc, client_auth) \
    SB_LAYOUT_FIELD(sb_oauth_desc, identity_url) \
    SB_LAYOUT_FIELD(sb_oauth_desc, identity_field) \
    SB_LAYOUT_FIELD(sb_oauth_desc, identity_scopes) \
    SB_LAYOUT_FIELD(sb_oauth_desc, identity_scope_count) \
    SB_LAYOUT_FIELD(sb_oauth_desc, identity_account_field) \
    SB_LAYOUT_SIZE(sb_provider_desc) \
    SB_LAYOUT_FIELD(sb_provider_desc, struct_size) \
    SB_LAYOUT_FIELD(sb_provider_desc, id) \
    SB_LAYOUT_FIELD(sb_provider_desc, category) \
    SB_LAYOUT_FIELD(sb_provider_desc, display_name) \
    SB_LAYOUT_FIELD(sb_provider_desc, description) \
    SB_LAYOUT_FIELD(sb_provider_desc, oauth) \
    SB_LAYOUT_FIELD(sb_provider_desc, api_base_url) \
    SB_LAYOUT_FIELD(sb_provider_desc, actions) \
    SB_LAYOUT_FIELD(sb_provider_desc, action_count) \
    SB_LAYOUT_FIELD(sb_provider_desc, allowed_base_urls) \
    SB_LAYOUT_FIELD(sb_provider_desc, allowed_base_url_count) \
    SB_LAYOUT_FIELD(sb_provider_desc, access_token) \
    SB_LAYOUT_FIELD(sb_provider_desc, contract_revision) \
    SB_LAYOUT_SIZE(sb_access_token_desc) \
    SB_LAYOUT_FIELD(sb_access_token_desc, struct_size) \
    SB_LAYOUT_FIELD(sb_access_token_desc, label) \
    SB_LAYOUT_FIELD(sb_access_token_desc, identity_url) \
    SB_LAYOUT_FIELD(sb_access_token_desc, identity_field) \
    SB_LAYOUT_FIELD(sb_access_token_desc, identity_account_field) \
    SB_LAYOUT_SIZE(sb_connector_info) \
    SB_LAYOUT_FIELD(sb_connector_info, struct_size) \
    SB_LAYOUT_FIELD(sb_connector_info, provider_id) \
    SB_LAYOUT_FIELD(sb_connector_info, tenant_id) \
    SB_LAYOUT_FIELD(sb_connector_info, connector_id) \
    SB_LAYOUT_SIZE(sb_plugin) \
    SB_LAYOUT_FIELD(sb_plugin, struct_size) \
    SB_LAYOUT_FIELD(sb_plugin, abi) \
    SB_LAYOUT_FIELD(sb_plugin, name) \
    SB_LAYOUT_FIELD(sb_plugin, version) \
    SB_LAYOUT_FIELD(sb_plugin, init) \
    SB_LAYOUT_FIELD(sb_plugin, deinit) \
    SB_LAYOUT_FIELD(sb_plugin, get_providers) \
    SB_LAYOUT_FIELD(sb_plugin, create_connector) \
    SB_LAYOUT_FIELD(sb_plugin, destroy_connector) \
    SB_LAYOUT_FIELD(sb_plugin, invoke) \
    SB_LAYOUT_FIELD(sb_plugin, get_extension) \
    SB_LAYOUT_SIZE(sb_host_deadline) \
    SB_LAYOUT_FIELD(sb_host_deadline, struct_size) \
    SB_LAYOUT_FIELD(sb_host_deadline, remaining_ms) \
    SB_LAYOUT_FIELD(sb_host_deadline, is_cancelled) \
    SB_LAYOUT_SIZE(sb_oauth_error_meaning) \
    SB_LAYOUT_SIZE(sb_rate_limit_header_rule) \
    SB_LAYOUT_FIELD(sb_rate_limit_header_rule, struct_size) \
    SB_LAYOUT_FIELD(sb_rate_limit_header_rule, remaining_header) \
    SB_LAYOUT_FIELD(sb_rate_limit_header_rule, wait_header) \
    SB_LAYOUT_FIELD(sb_rate_limit_header_rule, wait_header_unit_ms) \
    SB_LAYOUT_FIELD(sb_rate_limit_header_rule, default_wait_ms) \
    SB_LAYOUT_FIELD(sb_rate_limit_header_rule, give_up) \
    SB_LAYOUT_SIZE(sb_oauth_error_code) \
    SB_LAYOUT_FIELD(sb_oauth_error_code, struct_size) \
    SB_LAYOUT_FIELD(sb_oauth_error_code, code) \
    SB_LAYOUT_FIELD(sb_oauth_error_code, meaning) \
    SB_LAYOUT_SIZE(sb_rate_limit_bucket) \
    SB_LAYOUT_FIELD(sb_rate_limit_bucket, struct_size) \
    SB_LAYOUT_FIELD(sb_rate_limit_bucket, capacity) \
    SB_LAYOUT_FIELD(sb_rate_limit_bucket, refill_per_second) \
    SB_LAYOUT_SIZE(sb_provider_policy) \
    SB_LAYOUT_FIELD(sb_provider_policy, struct_size) \
    SB_LAYOUT_FIELD(sb_provider_policy, provider_id) \
    SB_LAYOUT_FIELD(sb_provider_policy, credential_prefix) \
    SB_LAYOUT_FIELD(sb_provider_policy, rate_limit_headers) \
    SB_LAYOUT_FIELD(sb_provider_policy, rate_limit_header_count) \
    SB_LAYOUT_FIELD(sb_provider_policy, oauth_error_member) \
    SB_LAYOUT_FIELD(sb_provider_policy, oauth_error_description_member) \
    SB_LAYOUT_FIELD(sb_provider_policy, oauth_error_codes) \
    SB_LAYOUT_FIELD(sb_provider_policy, oauth_error_code_count) \
    SB_LAYOUT_FIELD(sb_provider_policy, provider_rate_limit) \
    SB_LAYOUT_FIELD(sb_provider_policy, tenant_rate_limit) \
    SB_LAYOUT_FIELD(sb_provider_policy, credential_headers) \
    SB_LAYOUT_FIELD(sb_provider_policy, credential_header_count) \
    SB_LAYOUT_SIZE(sb_plugin_provider_policy) \
    SB_LAYOUT_FIELD(sb_plugin_provider_policy, struct_size) \
    SB_LAYOUT_FIELD(sb_plugin_provider_policy, policies) \
    SB_LAYOUT_FIELD(sb_plugin_provider_policy, policy_count)

/* Filled by abi_c.c, compiled as C. */
extern const sb_layout_entry sb_layout_from_c[];
extern const size_t sb_layout_from_c_count;

/* A minimal plugin written in C against plugin.h alone (abi_c.c). */
const sb_plugin *sb_test_c_plugin_entry(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SB_TEST_ABI_LAYOUT_H */
