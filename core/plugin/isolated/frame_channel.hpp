// The pipe between the host and a `switchboard plugin-host` child: a connected Unix stream
// socket carrying frames, each a 4-byte big-endian length followed by that many bytes (one
// MessagePack message, see wire_messages.hpp). Frame sizes are bounded on receipt, before
// anything is allocated for them, and every operation can have a deadline, so a child that
// stops reading or writing cannot hold the host's thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugin::isolated {

// The largest frame either side accepts: a result (32 MiB by default) or an HTTP body
// (64 MiB at most) with room for the rest of the message.
inline constexpr std::size_t kMaxFrameBytes = 80u * 1024 * 1024;

class FrameChannel {
public:
    using Deadline = std::optional<std::chrono::steady_clock::time_point>;

    enum class Status {
        ok,
        timeout,   // the deadline passed first
        closed,    // the other side closed the socket (or died)
        too_large, // the other side announced a frame over the limit
        failed,    // an I/O error
    };

    // Takes ownership of `fd` (a connected stream socket) and makes it non-blocking.
    explicit FrameChannel(int fd) noexcept;
    ~FrameChannel();
    FrameChannel(const FrameChannel&) = delete;
    FrameChannel& operator=(const FrameChannel&) = delete;

    // Sends `payload` as one frame, all of it by `deadline` (nullopt: wait as long as it
    // takes). Not thread-safe: serialise senders.
    Status send(std::string_view payload, Deadline deadline = std::nullopt);

    // Receives the next frame's payload into `payload`, by `deadline`; a frame announced
    // larger than `max_bytes` is refused (too_large) unread. Not thread-safe.
    Status receive(std::string& payload, Deadline deadline = std::nullopt,
                   std::size_t max_bytes = kMaxFrameBytes);

    // Closes the socket (the other side sees end of file). Idempotent.
    void close() noexcept;
    bool is_open() const noexcept { return fd_ >= 0; }

private:
    // Waits until the socket is ready for `events` (POLLIN/POLLOUT) or the deadline.
    Status wait(short events, Deadline deadline) const;

    int fd_;
    std::string buffer_; // bytes received past the end of the last frame
};

std::string_view to_string(FrameChannel::Status status) noexcept;

} // namespace switchboard::plugin::isolated
