#include "core/store/prepared_statements.hpp"

namespace switchboard::store {

void PreparedStatements::clear() noexcept {
    try {
        entries_.clear();
    } catch (...) {
        // Finalizing on a connection that is gone: the connection is closed next anyway.
    }
}

} // namespace switchboard::store
