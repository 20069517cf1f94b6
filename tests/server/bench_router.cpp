// Route matching cost, on a route table shaped like the REST API's.
#include "host/server/router.hpp"

#include <benchmark/benchmark.h>

namespace switchboard::server {
namespace {

Router api_router() {
    Router router;
    const Handler ok = [](const Request&) { return Response::no_content(); };
    router.add(http::verb::get, "/healthz", ok);
    router.add(http::verb::get, "/metrics", ok);
    router.add(http::verb::get, "/api/v1/providers", ok);
    router.add(http::verb::get, "/api/v1/providers/{provider}", ok);
    router.add(http::verb::get, "/api/v1/connectors", ok);
    router.add(http::verb::post, "/api/v1/connectors", ok);
    router.add(http::verb::get, "/api/v1/connectors/types", ok);
    router.add(http::verb::get, "/api/v1/connectors/{id}", ok);
    router.add(http::verb::patch, "/api/v1/connectors/{id}", ok);
    router.add(http::verb::delete_, "/api/v1/connectors/{id}", ok);
    router.add(http::verb::post, "/api/v1/connectors/{id}/refresh", ok);
    router.add(http::verb::post, "/api/v1/connectors/{id}/actions/{action}", ok);
    router.add(http::verb::get, "/api/v1/oauth/{provider}/authorize", ok);
    router.add(http::verb::get, "/api/v1/oauth/{provider}/callback", ok);
    return router;
}

void run(benchmark::State& state, http::verb method, const char* path) {
    const Router router = api_router();
    for (auto _ : state) {
        auto match = router.match(method, path);
        benchmark::DoNotOptimize(match);
    }
}

void BM_StaticRoute(benchmark::State& state) {
    run(state, http::verb::get, "/healthz");
}
void BM_OneParameter(benchmark::State& state) {
    run(state, http::verb::get, "/api/v1/connectors/0b7c6a4e-5d1f-4c1e-9a51-2f0e2a8f6b11");
}
void BM_TwoParameters(benchmark::State& state) {
    run(state, http::verb::post,
        "/api/v1/connectors/0b7c6a4e-5d1f-4c1e-9a51-2f0e2a8f6b11/actions/calendar.create_event");
}
void BM_PercentEncodedParameter(benchmark::State& state) {
    run(state, http::verb::get, "/api/v1/connectors/a%20b%2Fc%20d");
}
void BM_NotFound(benchmark::State& state) {
    run(state, http::verb::get, "/api/v1/nothing/here/at/all");
}
void BM_MethodNotAllowed(benchmark::State& state) {
    run(state, http::verb::put, "/api/v1/connectors/abc");
}

BENCHMARK(BM_StaticRoute);
BENCHMARK(BM_OneParameter);
BENCHMARK(BM_TwoParameters);
BENCHMARK(BM_PercentEncodedParameter);
BENCHMARK(BM_NotFound);
BENCHMARK(BM_MethodNotAllowed);

} // namespace
} // namespace switchboard::server
