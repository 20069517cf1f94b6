// The last words of a host that an in-process plugin crashed: a fatal signal (SIGSEGV,
// SIGBUS, SIGILL, SIGFPE, SIGABRT) on a thread that is running a plugin call writes one line
// to stderr naming the library, provider, action and connector, then the signal takes its
// course (the previous disposition is restored and the signal raised again, so the process
// still dies by it, and a sanitizer's or debugger's handler still runs). Isolated mode
// (a plugin-host child) is what keeps the host alive; this only says who killed it.
#pragma once

#include <string_view>

namespace switchboard::plugin {

// Installs the handlers, once per process (later calls do nothing). Thread-safe.
void install_fatal_signal_report() noexcept;

// While alive, a fatal signal on this thread reports this call. The line is formatted here,
// so that the signal handler only copies bytes (it must be async-signal-safe). Nests: the
// previous report comes back when this one ends. Must end on the thread that made it.
class FatalSignalContext {
public:
    FatalSignalContext(std::string_view library, std::string_view provider_id,
                       std::string_view action, std::string_view connector_id) noexcept;
    ~FatalSignalContext();
    FatalSignalContext(const FatalSignalContext&) = delete;
    FatalSignalContext& operator=(const FatalSignalContext&) = delete;

private:
    const void* previous_; // the enclosing context's text, restored at the end
};

// The line a fatal signal on this thread would write now, without its signal part: for
// tests. Empty when no plugin call runs on this thread.
std::string_view current_fatal_signal_context() noexcept;

} // namespace switchboard::plugin
