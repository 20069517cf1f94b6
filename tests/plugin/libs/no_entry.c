/* A shared library without the entry function (it exports another name). */
#include "fixture_common.h"

const sb_provider_desc *const sbt_providers[] = {NULL};
const size_t sbt_provider_count = 0;

SBT_PLUGIN_TABLE(plugin, "no_entry", SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR, sizeof(sb_plugin),
                 sbt_init);

SB_EXPORT const sb_plugin *switchboard_plugin_entry_v0(void);
const sb_plugin *switchboard_plugin_entry_v0(void) { return &plugin; }
