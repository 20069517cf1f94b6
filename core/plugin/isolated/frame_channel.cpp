#include "core/plugin/isolated/frame_channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdint>

namespace switchboard::plugin::isolated {

namespace {

constexpr std::size_t kHeaderBytes = 4;

std::array<char, kHeaderBytes> header_of(std::size_t size) {
    const auto n = static_cast<std::uint32_t>(size);
    return {static_cast<char>((n >> 24) & 0xFF), static_cast<char>((n >> 16) & 0xFF),
            static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
}

std::size_t size_of(std::string_view header) {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < kHeaderBytes; ++i) {
        n = (n << 8) | static_cast<unsigned char>(header[i]);
    }
    return n;
}

} // namespace

FrameChannel::FrameChannel(int fd) noexcept : fd_(fd) {
    if (fd_ >= 0) {
        const int flags = ::fcntl(fd_, F_GETFL);
        if (flags >= 0) {
            ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
        }
    }
}

FrameChannel::~FrameChannel() { close(); }

void FrameChannel::close() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

FrameChannel::Status FrameChannel::wait(short events, Deadline deadline) const {
    for (;;) {
        int timeout_ms = -1;
        if (deadline) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(
                *deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return Status::timeout;
            }
            timeout_ms = static_cast<int>(std::min<long long>(left.count(), INT_MAX));
        }
        pollfd target{fd_, events, 0};
        const int ready = ::poll(&target, 1, timeout_ms);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return Status::failed;
        }
        if (ready == 0) {
            continue; // the loop re-checks the deadline (poll may wake a little early)
        }
        if ((target.revents & events) != 0) {
            return Status::ok;
        }
        if ((target.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
            return Status::closed;
        }
    }
}

FrameChannel::Status FrameChannel::send(std::string_view payload, Deadline deadline) {
    if (fd_ < 0) {
        return Status::closed;
    }
    if (payload.size() > kMaxFrameBytes) {
        return Status::too_large;
    }
    const auto header = header_of(payload.size());
    const std::string_view parts[] = {std::string_view(header.data(), header.size()), payload};
    for (std::string_view part : parts) {
        while (!part.empty()) {
            const ssize_t n = ::send(fd_, part.data(), part.size(), MSG_NOSIGNAL);
            if (n > 0) {
                part.remove_prefix(static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (const Status ready = wait(POLLOUT, deadline); ready != Status::ok) {
                    return ready;
                }
                continue;
            }
            return n < 0 && (errno == EPIPE || errno == ECONNRESET) ? Status::closed
                                                                    : Status::failed;
        }
    }
    return Status::ok;
}

FrameChannel::Status FrameChannel::receive(std::string& payload, Deadline deadline,
                                           std::size_t max_bytes) {
    if (fd_ < 0) {
        return Status::closed;
    }
    const std::size_t limit = std::min(max_bytes, kMaxFrameBytes);
    std::array<char, 64 * 1024> chunk{};
    for (;;) {
        if (buffer_.size() >= kHeaderBytes) {
            const std::size_t size = size_of(buffer_);
            if (size > limit) {
                return Status::too_large;
            }
            if (buffer_.size() >= kHeaderBytes + size) {
                payload.assign(buffer_, kHeaderBytes, size);
                buffer_.erase(0, kHeaderBytes + size);
                return Status::ok;
            }
        }
        const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
        if (n > 0) {
            buffer_.append(chunk.data(), static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) {
            return Status::closed;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (const Status ready = wait(POLLIN, deadline); ready != Status::ok) {
                return ready;
            }
            continue;
        }
        return errno == ECONNRESET ? Status::closed : Status::failed;
    }
}

std::string_view to_string(FrameChannel::Status status) noexcept {
    switch (status) {
    case FrameChannel::Status::ok: return "ok";
    case FrameChannel::Status::timeout: return "timeout";
    case FrameChannel::Status::closed: return "closed";
    case FrameChannel::Status::too_large: return "frame too large";
    case FrameChannel::Status::failed: return "I/O error";
    }
    return "I/O error";
}

} // namespace switchboard::plugin::isolated
