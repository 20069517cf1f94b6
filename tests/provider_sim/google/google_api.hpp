// Google's REST APIs (Calendar v3, Gmail v1, Drive v3), routed and checked by the discovery
// documents: a request is matched to its method, its parameters and body are validated
// (GoogleCatalog), its bearer token and scopes checked, and only then handed to the
// service that implements the method. Uploads (media, multipart, resumable) are unwrapped
// here, so services see metadata and media alike whatever the protocol.
#pragma once

#include "tests/provider_sim/admin/request_log.hpp"
#include "tests/provider_sim/server/request.hpp"
#include "tests/provider_sim/sim_state.hpp"
#include "tests/provider_sim/validation/discovery_document.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace switchboard::sim {

struct GoogleMedia {
    std::string content_type;
    std::string bytes;
};

// One validated, authorized call of a discovery method.
struct GoogleCall {
    const Request& request;
    const DiscoveryMethod& method;
    std::map<std::string, std::string> path_params;
    Params query;                     // decoded query parameters of the (initiating) request
    Grant caller;                     // whose access token
    nlohmann::json body;              // JSON body or upload metadata; null when none
    std::optional<GoogleMedia> media; // uploaded content
    std::string base_url;             // "http://127.0.0.1:PORT", for links clients follow

    std::optional<std::string> param(std::string_view name) const;
    std::string path(std::string_view name) const;
};

using GoogleHandler = std::function<Response(const GoogleCall&)>;

class GoogleApi {
public:
    explicit GoogleApi(SimState& state) : state_(state) {}

    // At start-up only: the service implementing `method_id`.
    void add(std::string method_id, GoogleHandler handler);

    // [thread-safe]
    Response handle(const Request& request, RecordedRequest& record);
    void clear();

private:
    struct UploadSession {
        std::string method_id;
        std::map<std::string, std::string> path_params;
        Params query;
        Grant caller;
        nlohmann::json metadata;
        std::string content_type;
        std::optional<std::size_t> total;
        std::string bytes;
        std::string base_url;
    };

    Response continue_upload(const Request& request, RecordedRequest& record);
    Response invoke(const GoogleCall& call);

    SimState& state_;
    std::map<std::string, GoogleHandler, std::less<>> handlers_;
    std::mutex sessions_mutex_;
    std::map<std::string, UploadSession, std::less<>> sessions_;
};

} // namespace switchboard::sim
