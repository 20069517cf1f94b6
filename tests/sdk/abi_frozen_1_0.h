/*
 * ABI 1.0, frozen: the size of every type and the offset of every field of
 * switchboard/plugin.h as released with ABI 1.0, and the values of its constants, on LP64
 * Linux (x86_64, aarch64: the platforms the host is built for). Committed once, never
 * edited: a later minor may only append (plugin.h, "Compatibility"), so the tests check
 *   - against the current header: every 1.0 field at the same offset, every 1.0 constant
 *     with the same value, every scalar type the same size, every struct at least as large;
 *   - against the frozen copy of the 1.0 header (abi_1_0/switchboard/plugin.h, which test
 *     plugins of ABI 1.0 are built against): every entry exactly.
 * SCALAR(type, size), STRUCT(type, size in 1.0), FIELD(type, field, offset),
 * CONSTANT(name, value).
 */
#ifndef SB_TEST_ABI_FROZEN_1_0_H
#define SB_TEST_ABI_FROZEN_1_0_H

#define SB_ABI_1_0_LAYOUT(SCALAR, STRUCT, FIELD, CONSTANT) \
    SCALAR(sb_status, 4) \
    SCALAR(sb_log_level, 4) \
    SCALAR(sb_client_auth, 4) \
    SCALAR(sb_revoke_style, 4) \
    SCALAR(sb_plugin_entry_fn, 8) \
    STRUCT(sb_abi_version, 8) \
    FIELD(sb_abi_version, major, 0) \
    FIELD(sb_abi_version, minor, 4) \
    STRUCT(sb_pair, 24) \
    FIELD(sb_pair, struct_size, 0) \
    FIELD(sb_pair, name, 8) \
    FIELD(sb_pair, value, 16) \
    STRUCT(sb_sink, 24) \
    FIELD(sb_sink, struct_size, 0) \
    FIELD(sb_sink, context, 8) \
    FIELD(sb_sink, write, 16) \
    STRUCT(sb_http_request, 56) \
    FIELD(sb_http_request, struct_size, 0) \
    FIELD(sb_http_request, method, 8) \
    FIELD(sb_http_request, path, 16) \
    FIELD(sb_http_request, headers, 24) \
    FIELD(sb_http_request, header_count, 32) \
    FIELD(sb_http_request, body, 40) \
    FIELD(sb_http_request, body_size, 48) \
    STRUCT(sb_http_response, 40) \
    FIELD(sb_http_response, struct_size, 0) \
    FIELD(sb_http_response, status, 4) \
    FIELD(sb_http_response, headers, 8) \
    FIELD(sb_http_response, header_count, 16) \
    FIELD(sb_http_response, body, 24) \
    FIELD(sb_http_response, body_size, 32) \
    STRUCT(sb_host, 72) \
    FIELD(sb_host, struct_size, 0) \
    FIELD(sb_host, abi, 4) \
    FIELD(sb_host, host_name, 16) \
    FIELD(sb_host, host_version, 24) \
    FIELD(sb_host, host_data, 32) \
    FIELD(sb_host, log, 40) \
    FIELD(sb_host, now_unix_ms, 48) \
    FIELD(sb_host, http, 56) \
    FIELD(sb_host, get_extension, 64) \
    STRUCT(sb_oauth_desc, 112) \
    FIELD(sb_oauth_desc, struct_size, 0) \
    FIELD(sb_oauth_desc, authorize_url, 8) \
    FIELD(sb_oauth_desc, token_url, 16) \
    FIELD(sb_oauth_desc, revoke_url, 24) \
    FIELD(sb_oauth_desc, revoke_style, 32) \
    FIELD(sb_oauth_desc, default_scopes, 40) \
    FIELD(sb_oauth_desc, default_scope_count, 48) \
    FIELD(sb_oauth_desc, extra_authorize_params, 56) \
    FIELD(sb_oauth_desc, extra_authorize_param_count, 64) \
    FIELD(sb_oauth_desc, pkce, 72) \
    FIELD(sb_oauth_desc, client_auth, 76) \
    FIELD(sb_oauth_desc, identity_url, 80) \
    FIELD(sb_oauth_desc, identity_field, 88) \
    FIELD(sb_oauth_desc, identity_scopes, 96) \
    FIELD(sb_oauth_desc, identity_scope_count, 104) \
    STRUCT(sb_provider_desc, 72) \
    FIELD(sb_provider_desc, struct_size, 0) \
    FIELD(sb_provider_desc, id, 8) \
    FIELD(sb_provider_desc, category, 16) \
    FIELD(sb_provider_desc, display_name, 24) \
    FIELD(sb_provider_desc, description, 32) \
    FIELD(sb_provider_desc, oauth, 40) \
    FIELD(sb_provider_desc, api_base_url, 48) \
    FIELD(sb_provider_desc, actions, 56) \
    FIELD(sb_provider_desc, action_count, 64) \
    STRUCT(sb_connector_info, 32) \
    FIELD(sb_connector_info, struct_size, 0) \
    FIELD(sb_connector_info, provider_id, 8) \
    FIELD(sb_connector_info, tenant_id, 16) \
    FIELD(sb_connector_info, connector_id, 24) \
    STRUCT(sb_plugin, 88) \
    FIELD(sb_plugin, struct_size, 0) \
    FIELD(sb_plugin, abi, 4) \
    FIELD(sb_plugin, name, 16) \
    FIELD(sb_plugin, version, 24) \
    FIELD(sb_plugin, init, 32) \
    FIELD(sb_plugin, deinit, 40) \
    FIELD(sb_plugin, get_providers, 48) \
    FIELD(sb_plugin, create_connector, 56) \
    FIELD(sb_plugin, destroy_connector, 64) \
    FIELD(sb_plugin, invoke, 72) \
    FIELD(sb_plugin, get_extension, 80) \
    CONSTANT(SB_ABI_VERSION_MAJOR, 1) \
    CONSTANT(SB_STATUS_OK, 0) \
    CONSTANT(SB_STATUS_INVALID_INPUT, 1) \
    CONSTANT(SB_STATUS_AUTH, 2) \
    CONSTANT(SB_STATUS_NOT_FOUND, 3) \
    CONSTANT(SB_STATUS_RATE_LIMITED, 4) \
    CONSTANT(SB_STATUS_UNAVAILABLE, 5) \
    CONSTANT(SB_STATUS_UNSUPPORTED, 6) \
    CONSTANT(SB_STATUS_INTERNAL, 7) \
    CONSTANT(SB_LOG_DEBUG, 0) \
    CONSTANT(SB_LOG_INFO, 1) \
    CONSTANT(SB_LOG_WARNING, 2) \
    CONSTANT(SB_LOG_ERROR, 3) \
    CONSTANT(SB_CLIENT_AUTH_POST, 0) \
    CONSTANT(SB_CLIENT_AUTH_BASIC, 1) \
    CONSTANT(SB_REVOKE_NONE, 0) \
    CONSTANT(SB_REVOKE_POST_FORM, 1) \
    CONSTANT(SB_REVOKE_DELETE_PATH, 2)

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One entry of the table next to the value a header gives it. */
typedef enum sb_frozen_kind {
    SB_FROZEN_SCALAR,
    SB_FROZEN_STRUCT,
    SB_FROZEN_FIELD,
    SB_FROZEN_CONSTANT
} sb_frozen_kind;

typedef struct sb_frozen_entry {
    const char *name;
    sb_frozen_kind kind;
    size_t frozen; /* the table's */
    size_t actual; /* the header's, where the table is expanded */
} sb_frozen_entry;

#define SB_FROZEN_AS_SCALAR(type, size) {"sizeof(" #type ")", SB_FROZEN_SCALAR, size, sizeof(type)},
#define SB_FROZEN_AS_STRUCT(type, size) {"sizeof(" #type ")", SB_FROZEN_STRUCT, size, sizeof(type)},
#define SB_FROZEN_AS_FIELD(type, field, offset) \
    {"offsetof(" #type ", " #field ")", SB_FROZEN_FIELD, offset, offsetof(type, field)},
#define SB_FROZEN_AS_CONSTANT(name, value) {#name, SB_FROZEN_CONSTANT, value, (size_t)(name)},
#define SB_FROZEN_ENTRIES \
    SB_ABI_1_0_LAYOUT(SB_FROZEN_AS_SCALAR, SB_FROZEN_AS_STRUCT, SB_FROZEN_AS_FIELD, \
                      SB_FROZEN_AS_CONSTANT)

/* The table expanded against the frozen 1.0 header (abi_frozen_1_0.c, strict C99). */
extern const sb_frozen_entry sb_frozen_1_0_from_frozen_header[];
extern const size_t sb_frozen_1_0_from_frozen_header_count;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SB_TEST_ABI_FROZEN_1_0_H */
