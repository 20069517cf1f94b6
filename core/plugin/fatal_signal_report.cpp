#include "core/plugin/fatal_signal_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <new>

namespace switchboard::plugin {

namespace {

constexpr std::size_t kLineBytes = 480;

// Each context owns its text; the thread points at the innermost one. initial-exec: reading
// the pointer in the signal handler must not allocate.
struct ContextText {
    std::array<char, kLineBytes> text{};
    std::size_t length = 0;
};
thread_local __attribute__((tls_model("initial-exec"))) const ContextText* t_current = nullptr;

constexpr std::array<int, 5> kFatalSignals = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_previous[kFatalSignals.size()];

const char* signal_label(int signal) noexcept {
    switch (signal) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    default: return "signal";
    }
}

// write(2) until done or failed; async-signal-safe.
void write_all(const char* data, std::size_t size) noexcept {
    while (size > 0) {
        const ssize_t n = ::write(STDERR_FILENO, data, size);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void write_text(const char* text) noexcept { write_all(text, std::strlen(text)); }

void write_number(int value) noexcept {
    char digits[16];
    std::size_t n = 0;
    unsigned v = value < 0 ? 0u : static_cast<unsigned>(value);
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0 && n < sizeof digits);
    char out[16];
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = digits[n - 1 - i];
    }
    write_all(out, n);
}

void on_fatal_signal(int signal, siginfo_t*, void*) {
    const int saved_errno = errno;
    const ContextText* context = t_current;
    if (context != nullptr && context->length > 0) {
        write_text("switchboard: fatal signal ");
        write_number(signal);
        write_text(" (");
        write_text(signal_label(signal));
        write_text(") in a plugin call: ");
        write_all(context->text.data(), context->length);
        write_text("\n");
    }
    // Hand the signal back to whoever had it (the default: die by it). Raised while this
    // handler blocks it, it is delivered as soon as the handler returns; a fault that the
    // handler did not cause recurs at once anyway.
    for (std::size_t i = 0; i < kFatalSignals.size(); ++i) {
        if (kFatalSignals[i] == signal) {
            ::sigaction(signal, &g_previous[i], nullptr);
        }
    }
    errno = saved_errno;
    ::raise(signal);
}

std::size_t append(ContextText& out, std::string_view text) noexcept {
    const std::size_t room = out.text.size() - out.length;
    const std::size_t n = std::min(room, text.size());
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        // One line: a control character in a name (none should have any) becomes '?'.
        out.text[out.length + i] = static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
    out.length += n;
    return n;
}

} // namespace

void install_fatal_signal_report() noexcept {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_sigaction = &on_fatal_signal;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < kFatalSignals.size(); ++i) {
            ::sigaction(kFatalSignals[i], &action, &g_previous[i]);
        }
    });
}

FatalSignalContext::FatalSignalContext(std::string_view library, std::string_view provider_id,
                                       std::string_view action,
                                       std::string_view connector_id) noexcept
    : previous_(t_current) {
    auto* text = new (std::nothrow) ContextText();
    if (text != nullptr) {
        append(*text, "library ");
        append(*text, library);
        append(*text, ", provider ");
        append(*text, provider_id);
        append(*text, ", action ");
        append(*text, action);
        append(*text, ", connector ");
        append(*text, connector_id);
    }
    t_current = text;
}

FatalSignalContext::~FatalSignalContext() {
    const ContextText* mine = t_current;
    t_current = static_cast<const ContextText*>(previous_);
    delete mine;
}

std::string_view current_fatal_signal_context() noexcept {
    const ContextText* context = t_current;
    return context == nullptr ? std::string_view()
                              : std::string_view(context->text.data(), context->length);
}

} // namespace switchboard::plugin
