// One route of the REST API together with its OpenAPI description, so that the document
// served at /api/v1/openapi.json is generated from the very table the router is filled from.
#pragma once

#include "host/server/router.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard::api {

// How one path of the document describes a route. Usually the route's own pattern; the
// assistant's tools route (/api/v1/actions/{tool}) is documented as one concrete path per
// category action, so that each tool has its exact params and result schemas.
struct OperationDoc {
    std::string path;          // OpenAPI path, e.g. "/api/v1/connectors/{id}"
    nlohmann::json operation;  // the Operation Object, without the error responses
};

struct ApiRoute {
    server::http::verb method = server::http::verb::get;
    std::string pattern;
    server::Execution execution = server::Execution::worker_pool;
    // Empty for a route the server registers itself (/healthz, /metrics): documented only.
    server::Handler handler;
    // Whether the route needs `Authorization: Bearer ...` (401 otherwise).
    bool authenticated = false;
    // HTTP statuses of the errors the route may answer, each with the shared error shape.
    std::vector<unsigned> error_statuses;
    std::vector<OperationDoc> docs;
    // Whether the route takes large bodies (drive uploads travel base64 in JSON): the
    // server's authenticated body limit instead of the standard one, once the caller is
    // authenticated. Only for authenticated routes.
    bool large_body = false;
    // Non-zero: the handler reads the body as it arrives (server::BodyMode::streamed), up to
    // this many bytes once authenticated. Only for authenticated routes.
    std::uint64_t streamed_body_limit = 0;
};

} // namespace switchboard::api
