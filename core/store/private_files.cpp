#include "core/store/private_files.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace switchboard::store {
namespace {

Error cannot(std::string_view what, const std::filesystem::path& path, int error) {
    return Error(ErrorKind::unavailable, "database_unavailable",
                 "cannot create " + std::string(what) + " " + path.string() + ": " +
                     std::strerror(error));
}

} // namespace

Result<void> create_private_directories(const std::filesystem::path& directory) {
    if (directory.empty()) return {};
    // The missing ones, outermost first.
    std::vector<std::filesystem::path> missing;
    std::error_code ec;
    for (auto at = directory; !at.empty() && !std::filesystem::exists(at, ec);
         at = at.parent_path()) {
        missing.push_back(at);
        if (at == at.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0700) != 0) {
            if (errno == EEXIST) continue; // created meanwhile by someone else: theirs
            return cannot("the directory", *it, errno);
        }
        // mkdir's mode passes through the umask; the directory is ours now, so set it exactly.
        if (::chmod(it->c_str(), 0700) != 0) return cannot("the directory", *it, errno);
    }
    return {};
}

Result<void> create_private_file(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return {};
        return cannot("the database file", file, errno);
    }
    // open()'s mode passes through the umask too.
    const int changed = ::fchmod(fd, 0600);
    const int error = errno;
    ::close(fd);
    if (changed != 0) return cannot("the database file", file, error);
    return {};
}

} // namespace switchboard::store
