// disable_core_dumps() in a forked child (it changes the whole process for good): afterwards
// the process is not dumpable and RLIMIT_CORE is 0, soft and hard.
#include "host/app/core_dumps.hpp"
#include "tests/support/child_process.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

TEST(CoreDumps, TheProcessIsNotDumpableAndItsCoreLimitIsZero) {
    const auto status = testing::run_in_forked_child([] {
        if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1) {
            return 10; // a test process starts dumpable; otherwise this proves nothing
        }
        if (!app::disable_core_dumps()) {
            return 11;
        }
        if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) {
            return 12;
        }
        rlimit limit{};
        if (::getrlimit(RLIMIT_CORE, &limit) != 0 || limit.rlim_cur != 0 || limit.rlim_max != 0) {
            return 13;
        }
        // The hard limit is 0: not even the process itself can raise it again.
        const rlimit raise{1024, 1024};
        if (::setrlimit(RLIMIT_CORE, &raise) == 0 && ::geteuid() != 0) {
            return 14;
        }
        return 0;
    });
    EXPECT_TRUE(status.exited_with(0)) << status.describe();
}

} // namespace
} // namespace switchboard
