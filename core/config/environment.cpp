#include "core/config/environment.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace switchboard::config {

std::optional<std::string> ProcessEnvironment::get(const std::string& name) const {
    // std::getenv is safe here: the host never calls setenv after start-up.
    const char* value = std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string(value);
}

std::optional<std::string> MapEnvironment::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) {
        return std::nullopt;
    }
    return it->second;
}

} // namespace switchboard::config

namespace switchboard::config {
namespace {

Error secret_file_error(std::string code, const std::string& name, std::string message) {
    return Error(ErrorKind::invalid_input, std::move(code), std::move(message), name);
}

std::string errno_text() {
    return std::error_code(errno, std::generic_category()).message();
}

// Closes the descriptor however read_secret_file returns.
struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// Reads the file `path` (named by `file_variable`) whole, after checking that it is a
// regular file nobody but its owner may write. The checks use the opened descriptor
// (fstat), so the file checked is the file read.
Result<std::string> read_secret_file(const std::string& name, const std::string& file_variable,
                                     const std::string& path) {
    const std::string where = file_variable + " (" + path + ")";
    auto unreadable = [&](const std::string& why) {
        return secret_file_error("secret_file_unreadable", name,
                                 "cannot read the secret file " + where + ": " + why);
    };
    if (path.empty()) return unreadable("the variable is empty");
    // O_NONBLOCK: a FIFO named by mistake must not hang start-up; it is refused below.
    FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)};
    if (file.fd < 0) return unreadable(errno_text());
    struct stat status {};
    if (::fstat(file.fd, &status) != 0) {
        return unreadable(errno_text());
    }
    if (!S_ISREG(status.st_mode)) return unreadable("not a regular file");
    // Whoever may write the file may replace the secret (a key the attacker knows): refused.
    // Read access for group or others is accepted, as Docker (0444) and Kubernetes (0644, or
    // group-readable under fsGroup) mount secrets; on a shared host, 0600 is the advice.
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        return secret_file_error(
            "secret_file_unsafe", name,
            "the secret file " + where + " is writable by its group or by others (mode " +
                mode + "), who could replace the secret: chmod 600 it");
    }
    std::string content;
    char buffer[4096];
    while (true) {
        const ssize_t got = ::read(file.fd, buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            return unreadable(errno_text());
        }
        if (got == 0) break;
        content.append(buffer, static_cast<std::size_t>(got));
        if (content.size() > max_secret_file_bytes) {
            return unreadable("larger than " + std::to_string(max_secret_file_bytes) + " bytes");
        }
    }
    // Editors and `echo` end the file with a newline; the secret does not.
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
        content.pop_back();
    }
    return content;
}

} // namespace

Result<std::optional<std::string>> read_secret(const Environment& environment,
                                               const std::string& name) {
    const std::string file_variable = name + "_FILE";
    auto value = environment.get(name);
    auto path = environment.get(file_variable);
    if (value && path) {
        return secret_file_error("secret_variable_conflict", name,
                                 "both " + name + " and " + file_variable +
                                     " are set; set only one of them");
    }
    if (!path) return value;
    auto content = read_secret_file(name, file_variable, *path);
    if (!content) return content.error();
    return std::optional<std::string>(std::move(*content));
}

} // namespace switchboard::config
