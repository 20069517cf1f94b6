#include "core/plugin/trusted_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace switchboard::plugin {

namespace {

Error insecure(std::string message) {
    return Error(ErrorKind::forbidden, "insecure_plugin_path", std::move(message));
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

Result<void> check_one(const std::filesystem::path& path, std::string_view what) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return Error(ErrorKind::not_found, "plugin_path_unreadable",
                     std::string(what) + " " + path.string() + " cannot be read: " +
                         std::strerror(errno));
    }
    const uid_t host_user = ::geteuid();
    if (info.st_uid != 0 && info.st_uid != host_user) {
        return insecure(std::string(what) + " " + path.string() + " is owned by uid " +
                        std::to_string(info.st_uid) +
                        ", neither root nor the user the host runs as (uid " +
                        std::to_string(host_user) + "), who could replace the code it runs");
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return insecure(std::string(what) + " " + path.string() +
                        " is writable by its group or by other users (mode " +
                        octal_mode(info.st_mode) + "), who could replace the code the host "
                        "runs; run chmod go-w " + path.string());
    }
    return {};
}

} // namespace

Result<void> check_trusted_path(const std::filesystem::path& path, std::string_view what) {
    if (auto checked = check_one(path, what); !checked) {
        return checked;
    }
    std::error_code ec;
    if (!std::filesystem::is_symlink(path, ec)) {
        return {};
    }
    const auto target = std::filesystem::canonical(path, ec);
    if (ec) {
        return Error(ErrorKind::not_found, "plugin_path_unreadable",
                     std::string(what) + " " + path.string() + " cannot be resolved: " +
                         ec.message());
    }
    if (auto checked = check_one(target.parent_path(), "the directory of " + std::string(what));
        !checked) {
        return checked;
    }
    return {};
}

} // namespace switchboard::plugin
