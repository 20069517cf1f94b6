// A request body that can start over while it is small: what has been read is kept, up to a
// limit, so that the request can go again (a retry after a 5xx, a repeat after a refreshed
// token). Past the limit it is a plain stream: what was read is gone, and rewind() says so.
#pragma once

#include "core/http/http_stream.hpp"

#include <cstddef>
#include <string>

namespace switchboard::connectors {

class ReplayableBody final : public http::RequestBodySource {
public:
    // `source` must outlive this object; at most `keep_bytes` are kept for a replay.
    ReplayableBody(http::RequestBodySource& source, std::size_t keep_bytes);

    Result<std::size_t> read(char* into, std::size_t size) override;
    // True when every byte read so far is kept (or none was read): the next reads start again
    // from the first byte.
    bool rewind() override;

private:
    http::RequestBodySource& source_;
    std::size_t keep_bytes_;
    std::string kept_;
    bool overflowed_ = false; // more was read than could be kept
    std::size_t replay_at_ = 0; // the next kept byte to hand out again
    bool replaying_ = false;
};

} // namespace switchboard::connectors
