#include "core/store/prepared_statements.hpp"

#include <soci/soci.h>

namespace switchboard::store {

void prepare_kept(soci::statement& statement, const std::string& text) {
    statement.alloc();
    statement.prepare(text);
    statement.define_and_bind();
}

void PreparedStatements::clear() noexcept {
    try {
        entries_.clear();
    } catch (...) {
        // Finalizing on a connection that is gone: the connection is closed next anyway.
    }
}

} // namespace switchboard::store
