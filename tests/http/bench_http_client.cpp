// Pooled keep-alive requests against a new connection per request, over plain HTTP and TLS
// to an in-process loopback server. Prints Google Benchmark's table, then the ratios.
#include "core/http/beast_http_client.hpp"

#include "test_certificates.hpp"
#include "test_http_server.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

namespace {

using namespace switchboard::http;
using namespace switchboard::http::test_support;

struct Environment {
    TestCertificates pki;
    TestHttpServer plain{[](const ReceivedRequest&) {
        ScriptedResponse r;
        r.body = std::string(512, 'x');
        return r;
    }};
    TestHttpServer tls{[](const ReceivedRequest&) {
                           ScriptedResponse r;
                           r.body = std::string(512, 'x');
                           return r;
                       },
                       TlsFiles{pki.localhost_certificate(), pki.localhost_key()}};
};

Environment& environment() {
    static Environment env;
    return env;
}

void run(benchmark::State& state, bool use_tls, bool pooled) {
    BeastHttpClientOptions options;
    options.allow_plain_http_loopback = true;
    options.extra_ca_file = environment().pki.ca_certificate();
    options.max_idle_connections_per_host = pooled ? 8 : 0;
    auto client = BeastHttpClient::create(options);
    if (!client) {
        state.SkipWithError(client.error().message.c_str());
        return;
    }
    const std::string url = use_tls ? environment().tls.url("/bench", "localhost")
                                    : environment().plain.url("/bench");
    const HttpRequest request{"GET", url, {}, {}};
    for (auto _ : state) {
        auto response = (*client)->send(request, {});
        if (!response || response->status != 200) {
            state.SkipWithError("request failed");
            return;
        }
        benchmark::DoNotOptimize(response->body.data());
    }
    state.counters["connections"] = static_cast<double>((*client)->pool_stats().connections_opened);
}

void BM_Plain_Pooled(benchmark::State& s) { run(s, false, true); }
void BM_Plain_NewConnection(benchmark::State& s) { run(s, false, false); }
void BM_Tls_Pooled(benchmark::State& s) { run(s, true, true); }
void BM_Tls_NewConnection(benchmark::State& s) { run(s, true, false); }

BENCHMARK(BM_Plain_Pooled)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Plain_NewConnection)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Tls_Pooled)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Tls_NewConnection)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Keeps the console table and remembers each benchmark's real time per iteration.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& run : runs) {
            if (!run.error_occurred && run.iterations > 0) {
                real_time_us[run.benchmark_name()] = run.GetAdjustedRealTime();
            }
        }
        ConsoleReporter::ReportRuns(runs);
    }
    std::map<std::string, double> real_time_us;
};

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    auto ratio = [&](const char* what, const std::string& fresh, const std::string& pooled) {
        auto f = reporter.real_time_us.find(fresh);
        auto p = reporter.real_time_us.find(pooled);
        if (f != reporter.real_time_us.end() && p != reporter.real_time_us.end() &&
            p->second > 0) {
            std::printf("%s: new connection per request %.1f us, pooled %.1f us, ratio %.2fx\n",
                        what, f->second, p->second, f->second / p->second);
        }
    };
    ratio("plain http", "BM_Plain_NewConnection/real_time", "BM_Plain_Pooled/real_time");
    ratio("https", "BM_Tls_NewConnection/real_time", "BM_Tls_Pooled/real_time");
    benchmark::Shutdown();
    return 0;
}
