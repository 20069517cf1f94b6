/*
 * plugin.h and categories.h compiled as strict C99 (-std=c99 -pedantic -Werror -Wall -Wextra):
 * the layout table the C++ test compares with its own, and a minimal plugin written in
 * plain C against the ABI alone, which the C++ test drives through the SDK's fake host.
 */
#include "abi_layout.h"

#include "switchboard/categories.h"
#include "switchboard/plugin.h"

#include <string.h>

const sb_layout_entry sb_layout_from_c[] = {SB_LAYOUT_ENTRIES};
const size_t sb_layout_from_c_count = sizeof(sb_layout_from_c) / sizeof(sb_layout_from_c[0]);

/* ---- a plugin in C: one calendar provider whose list_events GETs /events ---------------- */

static const sb_host *c_host = NULL;
static int c_connector_instance; /* the plugin's one (stateless) connector */

static const char *const c_scopes[] = {"calendar.read"};
static const char *const c_actions[] = {SB_ACTION_CALENDAR_LIST_EVENTS};

static const sb_oauth_desc c_oauth = {
    .struct_size = (uint32_t)sizeof(sb_oauth_desc),
    .authorize_url = "https://auth.example.com/authorize",
    .token_url = "https://auth.example.com/token",
    .revoke_url = NULL,
    .revoke_style = SB_REVOKE_NONE,
    .default_scopes = c_scopes,
    .default_scope_count = 1,
    .pkce = 1,
    .client_auth = SB_CLIENT_AUTH_BASIC,
};

static const sb_provider_desc c_provider = {
    .struct_size = (uint32_t)sizeof(sb_provider_desc),
    .id = "c_calendar",
    .category = SB_CATEGORY_CALENDAR,
    .display_name = "C Calendar",
    .description = "A calendar plugin written in C99.",
    .oauth = &c_oauth,
    .api_base_url = "https://api.example.com",
    .actions = c_actions,
    .action_count = 1,
    .contract_revision = 1,
};

static const sb_provider_desc *const c_providers[] = {&c_provider};

static sb_status c_init(const sb_plugin *plugin, const sb_host *host) {
    (void)plugin;
    if (host == NULL || !SB_HAS_FIELD(sb_host, host, http) || host->http == NULL) {
        return SB_STATUS_INVALID_INPUT;
    }
    c_host = host;
    host->log(host, SB_LOG_INFO, "c plugin ready");
    return SB_STATUS_OK;
}

static void c_deinit(const sb_plugin *plugin) {
    (void)plugin;
    c_host = NULL;
}

static size_t c_get_providers(const sb_plugin *plugin, const sb_provider_desc *const **providers) {
    (void)plugin;
    *providers = c_providers;
    return 1;
}

static sb_status c_create_connector(const sb_plugin *plugin, const sb_connector_info *info,
                                    sb_connector **connector) {
    (void)plugin;
    if (info == NULL || !SB_HAS_FIELD(sb_connector_info, info, provider_id) ||
        info->provider_id == NULL || strcmp(info->provider_id, c_provider.id) != 0) {
        return SB_STATUS_INVALID_INPUT;
    }
    *connector = (sb_connector *)&c_connector_instance;
    return SB_STATUS_OK;
}

static void c_destroy_connector(const sb_plugin *plugin, sb_connector *connector) {
    (void)plugin;
    (void)connector;
}

static sb_status c_write(const sb_sink *sink, const char *text) {
    return sink->write(sink, text, strlen(text));
}

static sb_status c_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                          const char *action, const char *params_json, size_t params_size,
                          const sb_sink *result, const sb_sink *error) {
    sb_http_request request;
    const sb_http_response *response = NULL;
    (void)plugin;
    (void)connector;
    (void)params_json;
    (void)params_size;
    if (strcmp(action, SB_ACTION_CALENDAR_LIST_EVENTS) != 0) {
        c_write(error, "{\"code\":\"unsupported_action\",\"message\":\"only list_events\"}");
        return SB_STATUS_UNSUPPORTED;
    }
    memset(&request, 0, sizeof request);
    request.struct_size = (uint32_t)sizeof request;
    request.method = "GET";
    request.path = "/events";
    if (c_host->http(c_host, call, &request, &response) != SB_STATUS_OK ||
        !SB_HAS_FIELD(sb_http_response, response, status) || response->status != 200) {
        c_write(error, "{\"code\":\"provider_unavailable\",\"message\":\"the provider failed\"}");
        return SB_STATUS_UNAVAILABLE;
    }
    c_write(result, "{\"events\":[]}");
    return SB_STATUS_OK;
}

static const sb_plugin c_plugin = {
    .struct_size = (uint32_t)sizeof(sb_plugin),
    .abi = {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR},
    .name = "c_calendar",
    .version = "1.0.0",
    .init = c_init,
    .deinit = c_deinit,
    .get_providers = c_get_providers,
    .create_connector = c_create_connector,
    .destroy_connector = c_destroy_connector,
    .invoke = c_invoke,
    .get_extension = NULL,
};

const sb_plugin *sb_test_c_plugin_entry(void) {
    return &c_plugin;
}
