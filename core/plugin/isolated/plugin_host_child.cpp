#include "core/plugin/isolated/plugin_host_child.hpp"

#include "core/plugin/call_scope.hpp"
#include "core/plugin/clock.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/isolated/frame_channel.hpp"
#include "core/plugin/isolated/wire_messages.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/raw_invoke.hpp"
#include "core/plugin/status.hpp"

#include <switchboard/descriptor.hpp>

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace switchboard::plugin::isolated {

namespace {

// The host's clock as of the last message that carried it, advanced by this process's
// monotonic clock: sb_host.now_unix_ms of the child.
class MirroredClock final : public Clock {
public:
    explicit MirroredClock(std::int64_t host_now) { sync(host_now); }
    void sync(std::int64_t host_now) noexcept {
        base_host_.store(host_now);
        base_steady_.store(steady_ms());
    }
    std::int64_t now_unix_ms() const noexcept override {
        return base_host_.load() + (steady_ms() - base_steady_.load());
    }

private:
    static std::int64_t steady_ms() noexcept {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    }
    std::atomic<std::int64_t> base_host_{0};
    std::atomic<std::int64_t> base_steady_{0};
};

// The channel with its sends serialised: log lines may come from any plugin thread.
class Link {
public:
    explicit Link(int fd) : channel_(fd) {}

    bool send(const std::string& payload) {
        std::lock_guard lock(send_mutex_);
        return channel_.send(payload) == FrameChannel::Status::ok;
    }
    // Only the main thread receives.
    FrameChannel::Status receive(std::string& payload) { return channel_.receive(payload); }

private:
    FrameChannel channel_;
    std::mutex send_mutex_;
};

[[noreturn]] void protocol_failure(const std::string& what) {
    std::fprintf(stderr, "switchboard plugin-host[%d]: %s\n", static_cast<int>(::getpid()),
                 what.c_str());
    std::fflush(stderr);
    std::_Exit(kPluginHostProtocolError);
}

// The error kind that makes CallScope hand the plugin the same status the host reported.
ErrorKind kind_for(sb_status status) noexcept {
    switch (status) {
    case SB_STATUS_INVALID_INPUT: return ErrorKind::invalid_input;
    case SB_STATUS_AUTH: return ErrorKind::unauthenticated;
    case SB_STATUS_INTERNAL: return ErrorKind::internal;
    default: return ErrorKind::unavailable;
    }
}

// sb_host.http of the running call: asks the host, waits for its answer.
class HostRelayContext final : public CallContext {
public:
    HostRelayContext(Link& link, std::uint64_t call_id) : link_(link), call_id_(call_id) {}

    Result<ProviderHttpResponse> http(const ProviderHttpRequest& request) override {
        if (!link_.send(encode(HttpMessage{call_id_, request}))) {
            protocol_failure("the host closed the channel during an HTTP request");
        }
        std::string payload;
        if (link_.receive(payload) != FrameChannel::Status::ok) {
            protocol_failure("the host closed the channel before answering an HTTP request");
        }
        auto message = decode_host_message(payload);
        if (!message) {
            protocol_failure(message.error().message);
        }
        auto* answer = std::get_if<HttpResultMessage>(&*message);
        if (answer == nullptr || answer->id != call_id_) {
            protocol_failure("the host answered an HTTP request with another message");
        }
        if (answer->host_status != SB_STATUS_OK) {
            return Error(kind_for(answer->host_status), "host_http_failed",
                         "the host could not perform the request");
        }
        return ProviderHttpResponse{answer->http_status, std::move(answer->headers),
                                    std::move(answer->body)};
    }

private:
    Link& link_;
    std::uint64_t call_id_;
};

// One `invoke`: create the connector, invoke, destroy it, report.
ResultMessage run_call(const PluginLibrary& library, Link& link, const InvokeMessage& call,
                       const OutputLimits& limits) {
    ResultMessage out;
    out.id = call.id;
    sb_connector_info info{sizeof(sb_connector_info), call.provider_id.c_str(),
                           call.tenant_id.c_str(), call.connector_id.c_str()};
    sb_connector* connector = nullptr;
    sb_status created = SB_STATUS_INTERNAL;
    {
        ProviderLogScope scope(library.host(), call.provider_id, call.connector_id);
        try {
            created = library.table().create_connector(library.plugin(), &info, &connector);
        } catch (...) {
            out.raw.thrown = "create_connector threw an exception";
            return out;
        }
    }
    if (created != SB_STATUS_OK || connector == nullptr) {
        // Reported as the plugin's error; the host checks it like any other.
        out.raw.status = created != SB_STATUS_OK && is_known_status(created, library.abi().minor)
                             ? created
                             : SB_STATUS_INTERNAL;
        out.raw.error = R"({"code":"connector_create_failed","message":"the plugin could not )"
                        R"(create a connector (status )" +
                        std::to_string(created) + ")\"}";
        return out;
    }
    auto deadline = std::make_shared<CallDeadline>(
        CallDeadline::after(std::chrono::milliseconds(call.timeout_ms)));
    HostRelayContext context(link, call.id);
    {
        CallScope scope(library.host(), context, call.provider_id, call.connector_id, deadline);
        out.raw = run_plugin_invoke(library, connector, scope, call.action, call.params, limits);
    }
    // The host needs to know about an overflow, not to receive what came before it.
    if (out.raw.result_overflowed) {
        out.raw.result.clear();
    }
    if (out.raw.error_overflowed) {
        out.raw.error.clear();
    }
    {
        ProviderLogScope scope(library.host(), call.provider_id, call.connector_id);
        try {
            library.table().destroy_connector(library.plugin(), connector);
        } catch (...) {
            // Reported by the result; the connector is gone either way.
        }
    }
    return out;
}

} // namespace

int run_plugin_host(const PluginHostArgs& args) {
    // Die with the host, even if it is killed; and if it died before this line, go now.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (args.parent_pid != 0 && ::getppid() != args.parent_pid) {
        return kPluginHostOrphaned;
    }
    std::signal(SIGPIPE, SIG_IGN);
    // Nothing of the host's but stdio and the channel (the spawn passes nothing else, and
    // this makes sure of it).
    if (::close_range(static_cast<unsigned>(args.channel_fd) + 1, ~0U, 0) != 0) {
        // A kernel before 5.9: one by one, up to the descriptor limit.
        const long limit = std::min(::sysconf(_SC_OPEN_MAX), 1L << 16);
        for (long fd = args.channel_fd + 1; fd < limit; ++fd) {
            ::close(static_cast<int>(fd));
        }
    }
    for (int fd = 3; fd < args.channel_fd; ++fd) {
        ::close(fd);
    }

    Link link(args.channel_fd);
    auto clock = std::make_shared<MirroredClock>(args.host_now_unix_ms);
    HostServicesOptions services;
    services.clock = clock;
    services.log_message_limit = args.log_message_limit;
    services.host_version = args.host_version;
    services.log_forward = [&link](sb_log_level level, std::string_view message) {
        (void)link.send(encode(LogMessage{level, std::string(message)}));
    };

    PluginLoader loader(ContractCatalog::embedded(), services);
    auto loaded = loader.load_library(args.library);
    if (!loaded) {
        (void)link.send(encode(FailedMessage{loaded.error().code, loaded.error().message}));
        return kPluginHostLoadFailed;
    }
    std::shared_ptr<PluginLibrary> library = std::move(*loaded);

    // The descriptors as the plugin hands them over (the host validates them itself).
    HelloMessage hello{library->name(), library->version(), library->abi(), {}, {}};
    const sb_provider_desc* const* list = nullptr;
    const std::size_t count = library->table().get_providers(library->plugin(), &list);
    for (std::size_t i = 0; list != nullptr && i < count; ++i) {
        hello.providers.push_back(sdk::read_provider_desc(list[i]));
    }
    // And their policies (load_library has checked both already, in this process).
    if (library->table().get_extension != nullptr) {
        hello.policies = sdk::read_provider_policies(static_cast<const sb_plugin_provider_policy*>(
            library->table().get_extension(library->plugin(), SB_EXT_PROVIDER_POLICY)));
    }
    if (!link.send(encode(hello))) {
        return kPluginHostProtocolError;
    }

    for (;;) {
        std::string payload;
        const FrameChannel::Status received = link.receive(payload);
        if (received == FrameChannel::Status::closed) {
            return kPluginHostClosed; // `library` is released: deinit, unload
        }
        if (received != FrameChannel::Status::ok) {
            protocol_failure("reading from the host failed: " + std::string(to_string(received)));
        }
        auto message = decode_host_message(payload);
        if (!message) {
            protocol_failure(message.error().message);
        }
        const auto* call = std::get_if<InvokeMessage>(&*message);
        if (call == nullptr) {
            protocol_failure("the host sent an HTTP answer outside of a request");
        }
        clock->sync(call->host_now_unix_ms);
        if (!link.send(encode(run_call(*library, link, *call, args.limits)))) {
            return kPluginHostProtocolError;
        }
    }
}

} // namespace switchboard::plugin::isolated
