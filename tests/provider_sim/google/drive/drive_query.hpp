// Drive's search query language (the `q` of files.list): "'<id>' in parents",
// "trashed = false", "mimeType = 'application/vnd.google-apps.folder'", "name contains 'x'",
// "'me' in owners", "modifiedTime > '2024-05-01T00:00:00Z'", with and, or, not and
// parentheses. Fields the simulator does not know make the query invalid, as Google
// answers 400 for them.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

class DriveQuery {
public:
    static Result<DriveQuery> parse(std::string_view q);

    // `file` is a full File resource (owners[].emailAddress, parents, ...); `root_id` is the
    // id the alias 'root' stands for in "'root' in parents".
    bool matches(const nlohmann::json& file, const std::string& caller_email,
                 const std::string& root_id) const;

    struct Node {
        enum class Kind { all, any, negate, compare, in } kind = Kind::all;
        std::vector<Node> children;
        std::string field;
        std::string op;
        nlohmann::json value;
    };

private:
    Node root_;
};

} // namespace switchboard::sim
