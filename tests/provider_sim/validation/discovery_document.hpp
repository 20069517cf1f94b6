// One of Google's API Discovery documents (tests/specs/google/*.json), read into the parts the
// simulator routes and validates by: each method's HTTP verb, path, parameters, request
// schema, scopes and media upload paths.
#pragma once

#include "core/common/error.hpp"
#include "tests/provider_sim/validation/path_template.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::sim {

struct DiscoveryParameter {
    std::string name;
    std::string location; // "path" or "query"
    std::string type;     // "string", "integer", "boolean", "number"
    bool required = false;
    bool repeated = false;
    nlohmann::json description; // the discovery parameter object itself
};

struct DiscoveryMediaUpload {
    std::vector<std::string> accept; // "*/*", "message/*"
    std::uint64_t max_size = 0;      // bytes; 0 when not stated
    PathTemplate simple;             // "/www.googleapis.com/upload/drive/v3/files"
    PathTemplate resumable;          // "/www.googleapis.com/resumable/upload/drive/v3/files"
};

struct DiscoveryMethod {
    std::string id;          // "calendar.events.insert"
    std::string http_method; // "POST"
    std::string document;    // "calendar_v3.json"
    PathTemplate path;       // with the root host as first segment
    std::vector<DiscoveryParameter> parameters; // the method's own, then the global ones
    std::string request_schema;                 // "Event"; empty when there is no body
    std::string response_schema;
    std::vector<std::string> scopes; // any one of them suffices
    std::optional<DiscoveryMediaUpload> media_upload;
    bool supports_media_download = false;

    const DiscoveryParameter* parameter(std::string_view name) const;
};

class DiscoveryDocument {
public:
    static Result<DiscoveryDocument> load(const std::filesystem::path& file);

    const std::string& name() const { return name_; } // "calendar_v3.json"
    const std::string& host() const { return host_; } // "www.googleapis.com"
    const nlohmann::json& schemas() const { return document_.at("schemas"); }
    const std::vector<DiscoveryMethod>& methods() const { return methods_; }
    // Every scope of auth.oauth2.scopes.
    const std::vector<std::string>& scopes() const { return scopes_; }

private:
    std::string name_;
    std::string host_;
    nlohmann::json document_;
    std::vector<DiscoveryMethod> methods_;
    std::vector<std::string> scopes_;
};

} // namespace switchboard::sim
