#include "host/app/core_dumps.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace switchboard::app {
namespace {

Error failed(const char* call) {
    return Error(ErrorKind::internal, "core_dumps_not_disabled",
                 std::string("cannot disable core dumps: ") + call + ": " + std::strerror(errno));
}

} // namespace

Result<void> disable_core_dumps() {
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) {
        return failed("setrlimit(RLIMIT_CORE, 0)");
    }
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return failed("prctl(PR_SET_DUMPABLE, 0)");
    }
    return {};
}

} // namespace switchboard::app
