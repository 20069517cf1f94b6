// Not a test: what isolated mode costs per plugin call, next to in-process mode, with the
// same plugin (tests/plugin/libs good_one) and the same action, through the connector as the
// host runs it (contract checks, call thread or plugin-host child, ABI checks).
//   in_process/one_http   delete_event: one HTTP request through the host (a fake answering
//   isolated/one_http     at once), so one relayed round trip besides the call itself
//   in_process/no_http    delete_event of "sbt-deadline": the plugin answers without HTTP
//   isolated/no_http
//   call_thread           the in-process machinery alone: a thread per call, empty body
// Run: build/bin/bench_plugin_call [--benchmark_repetitions=5]
#include "core/plugin/call_thread.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/plugin_loader.hpp"

#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#ifndef SBT_LIBS_DIR
#error "SBT_LIBS_DIR must name the directory of the test plugin libraries"
#endif
#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the switchboard executable"
#endif

namespace switchboard {
namespace {

class InstantApi final : public plugin::CallContext {
public:
    Result<plugin::ProviderHttpResponse> http(const plugin::ProviderHttpRequest&) override {
        return plugin::ProviderHttpResponse{200, {}, R"({"deleted":true,"event_id":"e1"})"};
    }
};

// One connector of test_calendar in `mode`, kept for the whole run.
std::unique_ptr<plugin::Connector> connector(config::PluginMode mode) {
    static const auto quiet = std::make_shared<spdlog::logger>(
        "bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    plugin::HostServicesOptions services;
    services.logger = quiet;
    plugin::IsolationSettings isolation;
    isolation.executable = SB_SWITCHBOARD_EXE;
    plugin::PluginLoader loader(plugin::ContractCatalog::embedded(), services, isolation);
    config::ProviderConfig config;
    config.library = "sbt_good_one.so";
    config.mode = mode;
    config.processes = 1;
    auto registry = std::make_shared<plugin::ProviderRegistry>();
    auto report = loader.load_directory(SBT_LIBS_DIR, {{"test_calendar", config}}, *registry);
    if (!report || registry->size() != 1) {
        std::cerr << "bench_plugin_call: cannot load sbt_good_one.so in mode "
                  << to_string(mode) << "\n";
        std::exit(1);
    }
    plugin::RegistryConnectorFactory factory(registry, plugin::ContractCatalog::embedded());
    return std::move(factory.create("test_calendar", "tenant", "connector").value());
}

void run(benchmark::State& state, config::PluginMode mode, const char* params) {
    auto c = connector(mode);
    InstantApi api;
    for (auto _ : state) {
        api.set_deadline(std::nullopt);
        plugin::InvokeOutcome outcome = c->invoke("delete_event", params, api);
        if (!outcome.ok()) {
            state.SkipWithError(outcome.json.c_str());
            break;
        }
        benchmark::DoNotOptimize(outcome);
    }
}

void BM_InProcessOneHttp(benchmark::State& state) {
    run(state, config::PluginMode::in_process, R"({"event_id":"e1"})");
}
void BM_IsolatedOneHttp(benchmark::State& state) {
    run(state, config::PluginMode::isolated, R"({"event_id":"e1"})");
}
void BM_InProcessNoHttp(benchmark::State& state) {
    run(state, config::PluginMode::in_process, R"({"event_id":"sbt-deadline"})");
}
void BM_IsolatedNoHttp(benchmark::State& state) {
    run(state, config::PluginMode::isolated, R"({"event_id":"sbt-deadline"})");
}

void BM_CallThread(benchmark::State& state) {
    InstantApi api;
    for (auto _ : state) {
        auto deadline = std::make_shared<plugin::CallDeadline>(
            plugin::CallDeadline::after(std::chrono::seconds(30)));
        auto ran = plugin::run_on_call_thread(
            [](plugin::CallContext&) { return plugin::RawInvocation{}; }, api, deadline);
        benchmark::DoNotOptimize(ran);
    }
}

BENCHMARK(BM_InProcessOneHttp)->Name("in_process/one_http")->UseRealTime();
BENCHMARK(BM_IsolatedOneHttp)->Name("isolated/one_http")->UseRealTime();
BENCHMARK(BM_InProcessNoHttp)->Name("in_process/no_http")->UseRealTime();
BENCHMARK(BM_IsolatedNoHttp)->Name("isolated/no_http")->UseRealTime();
BENCHMARK(BM_CallThread)->Name("call_thread")->UseRealTime();

} // namespace
} // namespace switchboard
