#include "host/mcp/session_store.hpp"

#include "core/crypto/secure_random.hpp"

#include <algorithm>
#include <charconv>

namespace switchboard::mcp {

namespace {

// 32 random bytes: the spec wants session ids globally unique and cryptographically secure.
constexpr std::size_t kSessionIdBytes = 32;

std::optional<std::uint64_t> parse_event_id(const std::optional<std::string>& text) {
    if (!text || text->empty()) return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
    return value;
}

} // namespace

struct SessionStore::Session {
    SessionInfo info;
    Clock::time_point last_used;
    bool streaming = false; // opened the GET stream: notifications are queued for it
    std::deque<std::pair<std::uint64_t, std::string>> events; // id, JSON-RPC message
    std::uint64_t last_seq = 0;  // id of the newest event
    std::uint64_t delivered = 0; // newest id handed to the client in an answer
    std::shared_ptr<server::DeferredResponse> waiting;
};

SessionStore::SessionStore(SessionStoreOptions options) : options_(std::move(options)) {}

SessionStore::~SessionStore() {
    std::lock_guard lock(mutex_);
    for (auto& [id, session] : sessions_) {
        if (session->waiting) session->waiting->expire();
    }
}

SessionStore::Clock::time_point SessionStore::now() const {
    return options_.clock ? options_.clock() : Clock::now();
}

std::size_t SessionStore::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void SessionStore::evict_locked(Clock::time_point now) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (now - it->second->last_used >= options_.idle_timeout) {
            if (it->second->waiting) it->second->waiting->expire();
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
    while (!sessions_.empty() && sessions_.size() >= options_.max_sessions) {
        auto oldest = std::min_element(sessions_.begin(), sessions_.end(),
                                       [](const auto& a, const auto& b) {
                                           return a.second->last_used < b.second->last_used;
                                       });
        if (oldest->second->waiting) oldest->second->waiting->expire();
        sessions_.erase(oldest);
    }
}

Result<SessionInfo> SessionStore::create(const auth::Principal& caller,
                                         std::string protocol_version) {
    auto id = crypto::random_token(kSessionIdBytes);
    if (!id) return id.error();
    auto session = std::make_unique<Session>();
    session->info = SessionInfo{*id, caller.tenant_id, caller.user_id, std::move(protocol_version)};
    std::lock_guard lock(mutex_);
    const auto at = now();
    evict_locked(at);
    session->last_used = at;
    SessionInfo info = session->info;
    sessions_.emplace(info.id, std::move(session));
    return info;
}

SessionStore::Session* SessionStore::find_locked(std::string_view id,
                                                 const auth::Principal& caller,
                                                 Clock::time_point now) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    Session& session = *it->second;
    if (now - session.last_used >= options_.idle_timeout) {
        if (session.waiting) session.waiting->expire();
        sessions_.erase(it);
        return nullptr;
    }
    if (session.info.tenant_id != caller.tenant_id || session.info.user_id != caller.user_id) {
        return nullptr;
    }
    session.last_used = now;
    return &session;
}

std::optional<SessionInfo> SessionStore::find(std::string_view id, const auth::Principal& caller) {
    std::lock_guard lock(mutex_);
    Session* session = find_locked(id, caller, now());
    if (session == nullptr) return std::nullopt;
    return session->info;
}

bool SessionStore::remove(std::string_view id, const auth::Principal& caller) {
    std::lock_guard lock(mutex_);
    if (find_locked(id, caller, now()) == nullptr) return false;
    auto it = sessions_.find(id);
    if (it->second->waiting) it->second->waiting->expire();
    sessions_.erase(it);
    return true;
}

server::Response SessionStore::stream_answer(const Session& session, std::uint64_t after) const {
    std::string body = "retry: " + std::to_string(options_.retry.count()) + "\n";
    bool any = false;
    for (const auto& [seq, message] : session.events) {
        if (seq <= after) continue;
        body += "id: " + std::to_string(seq) + "\nevent: message\ndata: " + message + "\n\n";
        any = true;
    }
    if (!any) {
        // No news: an event with only an id, so the client resumes from here.
        body += "id: " + std::to_string(std::max(after, session.delivered)) + "\ndata: \n\n";
    }
    return server::Response::text(server::http::status::ok, std::move(body), "text/event-stream");
}

std::optional<server::Response> SessionStore::poll(std::string_view id,
                                                   const auth::Principal& caller,
                                                   std::optional<std::string> last_event_id) {
    std::lock_guard lock(mutex_);
    Session* session = find_locked(id, caller, now());
    if (session == nullptr) return std::nullopt;
    session->streaming = true;
    std::uint64_t after = session->delivered;
    if (auto acknowledged = parse_event_id(last_event_id);
        acknowledged && *acknowledged <= session->last_seq) {
        after = *acknowledged;
    }
    if (session->waiting) {
        // The newest poll wins: the older one ends now, with nothing.
        session->waiting->complete(stream_answer(*session, session->last_seq));
        session->waiting.reset();
    }
    if (session->last_seq > after) {
        auto answer = stream_answer(*session, after);
        session->delivered = session->last_seq;
        return answer;
    }
    auto later = std::make_shared<server::DeferredResponse>(options_.poll_timeout,
                                                            stream_answer(*session, after));
    session->waiting = later;
    return server::Response::deferred_by(std::move(later));
}

std::size_t SessionStore::notify_tenant(const std::string& tenant, const std::string& message) {
    std::lock_guard lock(mutex_);
    std::size_t reached = 0;
    for (auto& [id, session_ptr] : sessions_) {
        Session& session = *session_ptr;
        if (session.info.tenant_id != tenant || !session.streaming) continue;
        ++reached;
        const bool queued = std::any_of(session.events.begin(), session.events.end(),
                                        [&](const auto& event) {
                                            return event.first > session.delivered &&
                                                   event.second == message;
                                        });
        if (!queued) {
            session.events.emplace_back(++session.last_seq, message);
            while (session.events.size() > options_.replay_events) session.events.pop_front();
        }
        if (session.waiting) {
            if (session.waiting->complete(stream_answer(session, session.delivered))) {
                session.delivered = session.last_seq;
            }
            session.waiting.reset();
        }
    }
    return reached;
}

} // namespace switchboard::mcp
