#include "core/connectors/replayable_body.hpp"

#include <algorithm>

namespace switchboard::connectors {

ReplayableBody::ReplayableBody(http::RequestBodySource& source, std::size_t keep_bytes)
    : source_(source), keep_bytes_(keep_bytes) {}

Result<std::size_t> ReplayableBody::read(char* into, std::size_t size) {
    if (replaying_) {
        if (replay_at_ < kept_.size()) {
            const std::size_t n = std::min(size, kept_.size() - replay_at_);
            std::copy_n(kept_.data() + replay_at_, n, into);
            replay_at_ += n;
            return n;
        }
        replaying_ = false; // the kept bytes are out again: on with the source
    }
    auto got = source_.read(into, size);
    if (!got) {
        return got;
    }
    if (!overflowed_) {
        if (kept_.size() + *got <= keep_bytes_) {
            kept_.append(into, *got);
        } else {
            overflowed_ = true;
            std::string().swap(kept_); // no use any more: give the memory back
        }
    }
    return got;
}

bool ReplayableBody::rewind() {
    if (overflowed_) {
        return false;
    }
    replaying_ = true;
    replay_at_ = 0;
    return true;
}

} // namespace switchboard::connectors
