/* Built against a future ABI 1.4: newer than the host's 1.3. Each struct it hands the host
 * carries a field 1.3 does not know, at its end, with struct_size covering it, as a 1.4
 * header would lay it out. The host must load it, read only what it knows, and never touch
 * the new fields: they hold pointers that crash if followed. */
#include "fixture_common.h"

#include <stdint.h>

/* Never to be dereferenced. */
#define SBT_POISON ((const char *)(uintptr_t)0x1)

static const char *const actions[] = {"delete_event"};
static const char *const scopes[] = {"https://example.test/auth/read"};

typedef struct oauth_1_4 {
    sb_oauth_desc known;
    const char *added_in_1_4;
} oauth_1_4;

typedef struct provider_1_4 {
    sb_provider_desc known;
    const char *added_in_1_4;
} provider_1_4;

typedef struct plugin_1_4 {
    sb_plugin known;
    const char *added_in_1_4;
} plugin_1_4;

static const oauth_1_4 oauth = {
    {sizeof(oauth_1_4), "https://auth.example.test/authorize", "https://auth.example.test/token",
     "https://auth.example.test/revoke", SB_REVOKE_POST_FORM, scopes, 1, NULL, 0, 1,
     SB_CLIENT_AUTH_POST, "https://auth.example.test/userinfo", "/email", NULL, 0, "/account"},
    SBT_POISON,
};

static const provider_1_4 provider = {
    {sizeof(provider_1_4), "test_abi_minor", SB_CATEGORY_CALENDAR, "ABI Minor",
     "A provider built against a newer ABI minor.", &oauth.known,
     "https://api.example.test/abi-minor", actions, sizeof actions / sizeof actions[0]},
    SBT_POISON,
};

const sb_provider_desc *const sbt_providers[] = {&provider.known};
const size_t sbt_provider_count = 1;

static const plugin_1_4 plugin = {
    {sizeof(plugin_1_4), {1, 4}, "abi_minor", "1.0.0", sbt_init, sbt_deinit, sbt_get_providers,
     sbt_create_connector, sbt_destroy_connector, sbt_invoke, NULL},
    SBT_POISON,
};

SB_PLUGIN_ENTRY { return &plugin.known; }
