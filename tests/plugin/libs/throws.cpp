// A C++ plugin whose invoke lets an exception escape through the C ABI (which a plugin must
// never do; the SDK's helper would have caught it): the host must survive it and report the
// call as a contract violation.
#include "fixture_common.h"

#include <stdexcept>

namespace {

const char* const actions[] = {"delete_event"};

const sb_provider_desc provider = {
    sizeof(sb_provider_desc), "test_throws", SB_CATEGORY_CALENDAR, "Throwing Calendar",
    "A calendar provider whose every call throws.", &sbt_oauth,
    "https://api.example.test/throws", actions, 1,
};

sb_status throwing_invoke(const sb_plugin*, sb_connector*, sb_call*, const char*, const char*,
                          size_t, const sb_sink*, const sb_sink*) {
    throw std::runtime_error("the test plugin lost its way");
}

const sb_plugin plugin = {
    sizeof(sb_plugin), {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR}, "throws", "1.0.0",
    sbt_init, sbt_deinit, sbt_get_providers, sbt_create_connector, sbt_destroy_connector,
    throwing_invoke, nullptr,
};

} // namespace

extern "C" {
const sb_provider_desc* const sbt_providers[] = {&provider};
const size_t sbt_provider_count = 1;
}

SB_PLUGIN_ENTRY { return &plugin; }
