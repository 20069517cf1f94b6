/* A provider whose policy is malformed: a rate-limit header name with a space in it (no HTTP
 * header can have it) and an absurd wait. The host must refuse the plugin at load, naming the
 * provider and the field, in-process and isolated. */
#include "fixture_common.h"

#include <string.h>
#include <switchboard/ext/provider_policy.h>

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_bad_policy", SB_CATEGORY_CALENDAR, "Bad Policy Calendar",
    "A provider whose policy the host must refuse.", &sbt_oauth,
    "https://api.example.test/bad-policy", actions, sizeof actions / sizeof actions[0], NULL, 0,
    NULL, 1,
};

const sb_provider_desc *const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;

static const sb_rate_limit_header_rule rule = {
    sizeof(sb_rate_limit_header_rule), "X-Left Over", NULL, 0, 86400000u, 0};
static const sb_rate_limit_header_rule *const rules[] = {&rule};

static const sb_provider_policy policy = {
    sizeof(sb_provider_policy), "test_bad_policy", NULL, rules, 1, NULL, NULL, NULL, 0, NULL,
    NULL, NULL, 0};
static const sb_provider_policy *const policies[] = {&policy};
static const sb_plugin_provider_policy extension = {sizeof(sb_plugin_provider_policy), policies,
                                                    1};

static const void *get_extension(const sb_plugin *plugin, const char *id) {
    (void)plugin;
    return strcmp(id, SB_EXT_PROVIDER_POLICY) == 0 ? &extension : NULL;
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "bad_policy", "1.0.0",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    sbt_invoke, get_extension};

SB_PLUGIN_ENTRY { return &plugin; }
