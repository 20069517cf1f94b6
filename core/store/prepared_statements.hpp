// The statements a pooled connection keeps prepared. Preparing is a good part of a short
// query's cost (SQLite parses and plans the text again every time: 15-18 % of the host's CPU
// for GET /connectors and for an action), so the hot ones are prepared once per connection
// and executed again with new values.
//
// A kept statement is a `Bound`: a class that owns its soci::statement and the variables
// bound to it (into and use), so their addresses stay fixed while it lives. It is built as
// Bound(session, text, args...), which exchanges its into and use bindings with its statement
// and then calls prepare_kept(statement, text). It is used by assigning its inputs, then
// execute() and fetch() until fetch() answers false (a statement left mid-result would hold a
// read snapshot).
// Database::with_prepared drops a connection's statements after any error on it and before it
// reconnects.
#pragma once

#include <memory>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <utility>

namespace soci {
class session;
class statement;
} // namespace soci

namespace switchboard::store {

// Prepares `statement`, whose into and use bindings are already exchanged, for `text`: the
// statement can then be executed again and again with the values its bindings hold.
void prepare_kept(soci::statement& statement, const std::string& text);

class PreparedStatements {
public:
    // The statement kept for `text` with bindings `Bound`, prepared by this call the first time.
    template <class Bound, class... Args>
    Bound& get(soci::session& sql, const std::string& text, Args&&... args) {
        auto& slot = entries_[std::string(typeid(Bound).name()) + '\n' + text];
        if (!slot) {
            slot = std::make_unique<Kept<Bound>>(sql, text, std::forward<Args>(args)...);
        }
        return static_cast<Kept<Bound>&>(*slot).bound;
    }

    // Finalizes every kept statement (before the connection closes, or after an error).
    void clear() noexcept;
    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct Entry {
        virtual ~Entry() = default;
    };
    template <class Bound>
    struct Kept : Entry {
        template <class... Args>
        Kept(soci::session& sql, const std::string& text, Args&&... args)
            : bound(sql, text, std::forward<Args>(args)...) {}
        Bound bound;
    };
    std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

} // namespace switchboard::store
