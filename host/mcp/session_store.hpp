// The MCP sessions of this instance (Streamable HTTP, "Session Management"): created by
// `initialize`, named by an unguessable Mcp-Session-Id, bound to the tenant and user who
// created them (the id of another principal's session is unknown: 404, as after expiry), and
// forgotten after an idle timeout or when the client deletes them.
//
// A session that has opened the GET stream receives the server's notifications: each is an
// SSE event with a per-session sequence number as its id, kept (the last few) until the
// client reconnects with a later Last-Event-ID, and handed to the waiting poll when there is
// one. The stream is served as long polls (the spec's SSE polling): a GET waits until there
// is an event or `poll_timeout` passes, answers, and the client reconnects after `retry`.
//
// Sessions live in memory: with several instances, route /mcp with affinity on the
// Mcp-Session-Id header; a client sent elsewhere gets 404 and initializes again.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"
#include "host/server/deferred_response.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::mcp {

struct SessionStoreOptions {
    std::chrono::seconds idle_timeout{3600};
    std::size_t max_sessions = 10000;
    // How long a GET waits for an event before it answers with none.
    std::chrono::milliseconds poll_timeout{25'000};
    // The SSE `retry` the client waits before its next GET.
    std::chrono::milliseconds retry{1'000};
    // Events kept for a client that reconnects with an older Last-Event-ID.
    std::size_t replay_events = 16;
    // Test seam; the steady clock by default.
    std::function<std::chrono::steady_clock::time_point()> clock;
};

struct SessionInfo {
    std::string id;
    std::string tenant_id;
    std::string user_id;
    std::string protocol_version;
};

class SessionStore {
public:
    explicit SessionStore(SessionStoreOptions options = {});
    ~SessionStore();

    SessionStore(const SessionStore&) = delete;
    SessionStore& operator=(const SessionStore&) = delete;

    // [thread-safe] A new session for `caller`; the least recently used one goes when the
    // store is full. Errors: internal when no random id can be made.
    Result<SessionInfo> create(const auth::Principal& caller, std::string protocol_version);

    // [thread-safe] The session `id` of `caller`, touched; nullopt when unknown, expired or
    // another principal's.
    std::optional<SessionInfo> find(std::string_view id, const auth::Principal& caller);

    // [thread-safe] Forgets the session (DELETE). False when it was not the caller's.
    bool remove(std::string_view id, const auth::Principal& caller);

    // [thread-safe] A GET on the session's stream: the events after `last_event_id` (or
    // those not yet delivered) at once, else a long poll that the next event or the timeout
    // answers. A poll already waiting on the session is answered (empty) first: the newest
    // one wins. The answer is a text/event-stream body ending with `retry`.
    std::optional<server::Response> poll(std::string_view id, const auth::Principal& caller,
                                         std::optional<std::string> last_event_id);

    // [thread-safe] Queues the JSON-RPC notification `message` for every session of `tenant`
    // that opened its stream; a message equal to one still undelivered is not queued twice.
    // Returns how many sessions got it.
    std::size_t notify_tenant(const std::string& tenant, const std::string& message);

    std::size_t size() const;

private:
    struct Session;
    using Clock = std::chrono::steady_clock;

    Clock::time_point now() const;
    void evict_locked(Clock::time_point now);
    Session* find_locked(std::string_view id, const auth::Principal& caller, Clock::time_point now);
    server::Response stream_answer(const Session& session, std::uint64_t after) const;

    SessionStoreOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Session>, std::less<>> sessions_;
};

} // namespace switchboard::mcp
