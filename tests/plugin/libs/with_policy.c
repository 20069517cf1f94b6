/* A provider with a provider policy (switchboard.provider-policy/1), written in plain C as a
 * third party would: rate-limit headers, its own OAuth error codes, a credential prefix and
 * default rate limits. The host must read the same policy in-process and isolated. */
#include "fixture_common.h"

#include <string.h>
#include <switchboard/ext/provider_policy.h>

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_policy", SB_CATEGORY_CALENDAR, "Policy Calendar",
    "A provider that speaks a dialect the host learns from its policy.", &sbt_oauth,
    "https://api.example.test/policy", actions, sizeof actions / sizeof actions[0], NULL, 0, NULL,
    1,
};

const sb_provider_desc *const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;

static const sb_rate_limit_header_rule daily = {
    sizeof(sb_rate_limit_header_rule), "X-Policy-Daily-Remaining", NULL, 0, 0, 1};
static const sb_rate_limit_header_rule window = {
    sizeof(sb_rate_limit_header_rule), "X-Policy-Remaining", "X-Policy-Reset-Seconds", 1000, 500,
    0};
static const sb_rate_limit_header_rule *const rules[] = {&daily, &window};

static const sb_oauth_error_code revoked = {sizeof(sb_oauth_error_code), "GRANT_GONE",
                                            SB_OAUTH_ERROR_INVALID_GRANT};
static const sb_oauth_error_code bad_client = {sizeof(sb_oauth_error_code), "WHO_ARE_YOU",
                                               SB_OAUTH_ERROR_INVALID_CLIENT};
static const sb_oauth_error_code *const codes[] = {&revoked, &bad_client};

static const sb_rate_limit_bucket tenant_bucket = {sizeof(sb_rate_limit_bucket), 20, 2};

static const char *const credential_headers[] = {"X-Policy-Key"};

static const sb_provider_policy policy = {
    sizeof(sb_provider_policy), "test_policy", "POLICYCO", rules, 2, "result", "detail", codes, 2,
    NULL, &tenant_bucket, credential_headers, 1};
static const sb_provider_policy *const policies[] = {&policy};
static const sb_plugin_provider_policy extension = {sizeof(sb_plugin_provider_policy), policies,
                                                    1};

static const void *get_extension(const sb_plugin *plugin, const char *id) {
    (void)plugin;
    return strcmp(id, SB_EXT_PROVIDER_POLICY) == 0 ? &extension : NULL;
}

static const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "with_policy", "1.0.0",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    sbt_invoke, get_extension};

SB_PLUGIN_ENTRY { return &plugin; }
