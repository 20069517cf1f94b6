// Running one in-process plugin call on a thread of its own, so that the request answers at
// the call's deadline whatever the plugin does.
//
// The plugin's thread never touches the caller's CallContext: its sb_host.http requests are
// relayed to the waiting thread, which performs them with the caller's context (single-
// threaded, bounded by the deadline) and hands the answers back. At the deadline the waiting
// thread stops waiting and the call is abandoned: a thread cannot be killed, so it runs on,
// holding whatever the call body owns (the connector, and through it the library) until the
// plugin returns; the relay refuses its further HTTP requests and the deadline reads as
// cancelled. Only isolated mode reclaims a plugin that never returns.
#pragma once

#include "core/plugin/call_context.hpp"
#include "core/plugin/call_deadline.hpp"
#include "core/plugin/invocation_checks.hpp"

#include <functional>
#include <memory>

namespace switchboard::plugin {

struct CallThreadOutcome {
    enum class State {
        finished,      // the body returned by the deadline: `raw` holds what it did
        finished_late, // it returned, but after the deadline (when the plugin had been told
                       // the call was cancelled): what it did is not used
        abandoned,     // the deadline came first; the body's thread runs on
        not_started,   // no thread could be started (resources exhausted)
    };
    State state = State::not_started;
    RawInvocation raw;
};

struct CallThreadHooks {
    // Called on the waiting thread, at the moment of abandoning the call (before the body's
    // thread can see it): e.g. count a stuck call.
    std::function<void()> on_abandon;
    // Called on the body's thread when an abandoned body finally returns (after the body and
    // what it captured are released): e.g. uncount it. It must not own what the body used:
    // hold a weak_ptr.
    std::function<void()> on_late_return;
};

// Runs `body` on a new thread, passing it the relay to use as its CallContext, and serves
// the relayed requests with `context` on this thread until the body returns or `deadline`
// passes (then `deadline` is cancelled). `context`'s deadline is set to `deadline`'s.
CallThreadOutcome run_on_call_thread(std::function<RawInvocation(CallContext& relay)> body,
                                     CallContext& context,
                                     const std::shared_ptr<CallDeadline>& deadline,
                                     CallThreadHooks hooks = {});

} // namespace switchboard::plugin
