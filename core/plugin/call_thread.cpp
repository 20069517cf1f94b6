#include "core/plugin/call_thread.hpp"

#include <signal.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace switchboard::plugin {

namespace {

// The CallContext the plugin's thread sees. Shared by both threads; outlives whichever ends
// last.
class Relay final : public CallContext {
public:
    Result<ProviderHttpResponse> http(const ProviderHttpRequest& request) override {
        std::unique_lock lock(mutex);
        if (abandoned) {
            return past_deadline();
        }
        pending = request;
        answer.reset();
        wake.notify_all();
        wake.wait(lock, [&] { return answer.has_value() || abandoned; });
        if (!answer) {
            return past_deadline();
        }
        Result<ProviderHttpResponse> out = std::move(*answer);
        answer.reset();
        return out;
    }

    static Error past_deadline() {
        return Error(ErrorKind::unavailable, "call_deadline_exceeded",
                     "the call is past its deadline; the host no longer waits for it");
    }

    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    CallDeadline::Clock::time_point finished_at{};
    bool abandoned = false;
    RawInvocation raw;
    std::optional<ProviderHttpRequest> pending;              // posted by the plugin's thread
    std::optional<Result<ProviderHttpResponse>> answer;      // posted by the waiting thread
};

// An alternate signal stack for the call's thread, so that the fatal-signal report can
// still run when the plugin overflowed its stack.
class AlternateSignalStack {
public:
    AlternateSignalStack() : memory_(64u * 1024) {
        stack_t stack{};
        stack.ss_sp = memory_.data();
        stack.ss_size = memory_.size();
        installed_ = ::sigaltstack(&stack, nullptr) == 0;
    }
    ~AlternateSignalStack() {
        if (installed_) {
            stack_t off{};
            off.ss_flags = SS_DISABLE;
            ::sigaltstack(&off, nullptr);
        }
    }
    AlternateSignalStack(const AlternateSignalStack&) = delete;
    AlternateSignalStack& operator=(const AlternateSignalStack&) = delete;

private:
    std::vector<char> memory_;
    bool installed_ = false;
};

} // namespace

CallThreadOutcome run_on_call_thread(std::function<RawInvocation(CallContext& relay)> body,
                                     CallContext& context,
                                     const std::shared_ptr<CallDeadline>& deadline,
                                     CallThreadHooks hooks) {
    CallThreadOutcome outcome;
    auto relay = std::make_shared<Relay>();
    relay->set_deadline(deadline->at());
    context.set_deadline(deadline->at());
    try {
        std::thread([relay, body = std::move(body),
                     on_late_return = std::move(hooks.on_late_return)]() mutable {
            RawInvocation raw;
            {
                AlternateSignalStack alternate_stack;
                try {
                    raw = body(*relay);
                } catch (...) {
                    raw.thrown = "the host failed around the call";
                }
            }
            // What the body holds (the connector, the library) is released before the waiting
            // thread learns the call is over: when invoke returns, this thread holds none of
            // it (so a connector destroyed right after runs destroy_connector at once).
            body = nullptr;
            bool late = false;
            {
                std::lock_guard lock(relay->mutex);
                relay->raw = std::move(raw);
                relay->done = true;
                relay->finished_at = CallDeadline::Clock::now();
                late = relay->abandoned;
            }
            relay->wake.notify_all();
            if (late && on_late_return) {
                on_late_return();
            }
        }).detach();
    } catch (const std::system_error&) {
        return outcome; // not_started
    }

    std::unique_lock lock(relay->mutex);
    for (;;) {
        if (relay->done) {
            const auto at = deadline->at();
            outcome.state = at && relay->finished_at > *at
                                ? CallThreadOutcome::State::finished_late
                                : CallThreadOutcome::State::finished;
            outcome.raw = std::move(relay->raw);
            return outcome;
        }
        if (relay->pending) {
            ProviderHttpRequest request = std::move(*relay->pending);
            relay->pending.reset();
            lock.unlock();
            Result<ProviderHttpResponse> answer = context.http(request);
            lock.lock();
            relay->answer = std::move(answer);
            relay->wake.notify_all();
            continue;
        }
        if (deadline->expired()) {
            if (hooks.on_abandon) {
                hooks.on_abandon();
            }
            relay->abandoned = true;
            deadline->cancel();
            relay->wake.notify_all();
            outcome.state = CallThreadOutcome::State::abandoned;
            return outcome;
        }
        if (const auto at = deadline->at()) {
            relay->wake.wait_until(lock, *at);
        } else {
            relay->wake.wait(lock);
        }
    }
}

} // namespace switchboard::plugin
