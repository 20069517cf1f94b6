// A C++ plugin that breaks the ABI's first rule: its init lets an exception escape. The host
// must catch it, report the library as skipped and keep going.
#include "fixture_common.h"

#include <stdexcept>

namespace {

const char* const actions[] = {"delete_event"};

const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_init_throws", SB_CATEGORY_CALENDAR, "Init Throws",
    "A provider whose init throws.", &sbt_oauth, "https://api.example.test/broken",
    actions, 1,
};

sb_status throwing_init(const sb_plugin*, const sb_host*) {
    throw std::runtime_error("the test plugin has no configuration");
}

const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "init_throws", "1.0.0",
    throwing_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    sbt_invoke, nullptr,
};

} // namespace

extern "C" {
const sb_provider_desc* const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;
}

SB_PLUGIN_ENTRY { return &plugin; }
