/* init refuses to start. The host must not call deinit afterwards. */
#include "fixture_common.h"

static const char *const actions[] = {"delete_event"};

static const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_init_fails", SB_CATEGORY_CALENDAR, "Init Fails",
    "A provider whose library cannot start.", &sbt_oauth, "https://api.example.test/broken",
    actions, 1,
};

const sb_provider_desc *const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;

static sb_status failing_init(const sb_plugin *plugin, const sb_host *host) {
    (void)plugin;
    (void)host;
    return SB_STATUS_UNAVAILABLE;
}

SBT_PLUGIN_TABLE(plugin, "init_fails", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR,
                 sizeof(sb_plugin), failing_init);

SB_PLUGIN_ENTRY { return &plugin; }
