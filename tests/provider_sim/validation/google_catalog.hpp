// Google's three discovery documents, loaded once: routes a request to its method and checks
// it against what the documents (and google_rules) say. Each method's schemas are converted
// and compiled the first time the method is called (and shared by methods that convert
// alike), so a simulator starts in well under a second; compile_all() does every method at
// once and is what the simulator's own tests use to prove the documents convert.
#pragma once

#include "core/common/error.hpp"
#include "tests/provider_sim/common/params.hpp"
#include "tests/provider_sim/validation/discovery_document.hpp"
#include "tests/provider_sim/validation/json_schema.hpp"
#include "tests/provider_sim/validation/validation_issue.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace switchboard::sim {

struct GoogleBodyRule;

class GoogleCatalog {
public:
    // The Google documents the simulator serves (tests/specs/google/<name>).
    static constexpr std::array<std::string_view, 3> kDocuments = {
        "calendar_v3.json", "gmail_v1.json", "drive_v3.json"};

    static Result<std::shared_ptr<const GoogleCatalog>> load(const std::filesystem::path& specs_dir);

    enum class Route { rest, simple_upload, resumable_upload };
    struct Match {
        const DiscoveryMethod* method = nullptr;
        std::map<std::string, std::string> path_params;
        Route route = Route::rest;
    };

    // The method `verb segments` calls (segments[0] is the host, "www.googleapis.com").
    // Among several matching templates the most literal one wins.
    std::optional<Match> match(std::string_view verb, const std::vector<std::string>& segments) const;

    // Checks path and query parameters: known names, types, enums, bounds, repetition.
    std::vector<ValidationIssue> validate_parameters(const Match& match, const Params& query) const;

    // Checks a JSON body against the method's request schema and google_rules. For a media
    // upload's metadata part, `metadata` relaxes the fields required only of plain bodies
    // (Message.raw is required by messages.send unless the message is uploaded as media).
    std::vector<ValidationIssue> validate_body(const DiscoveryMethod& method,
                                               const nlohmann::json& body, bool metadata) const;

    // Checks a response body against the method's response schema, strictly (unknown fields
    // are reported): how the simulator's own tests prove it answers in Google's shapes.
    std::vector<SchemaViolation> validate_response(const DiscoveryMethod& method, const nlohmann::json& body) const;

    // Every scope any of the documents defines, plus the OpenID Connect ones.
    const std::set<std::string>& known_scopes() const { return known_scopes_; }
    const DiscoveryMethod* method(std::string_view id) const;
    const std::vector<DiscoveryDocument>& documents() const { return documents_; }

    // Converts and compiles every method's schemas; the first failure, if any.
    Result<void> compile_all() const;

private:
    struct Compiled {
        std::string error; // why the method's schemas could not be compiled
        std::optional<JsonSchema> body;     // plain request body
        std::optional<JsonSchema> metadata; // metadata part of an upload
        std::optional<JsonSchema> query;
        std::optional<JsonSchema> path;
        std::optional<JsonSchema> response;
        std::vector<std::pair<const GoogleBodyRule*, JsonSchema>> rules;
    };

    // [thread-safe] The method's compiled schemas, compiling them on first use.
    const Compiled& compiled(const DiscoveryMethod& method) const;
    Result<Compiled> compile(const DiscoveryMethod& method) const;
    // The body schema for `method`; methods whose bodies convert alike share one.
    Result<JsonSchema> body_schema(const DiscoveryMethod& method, bool metadata) const;
    const DiscoveryDocument& document_of(const DiscoveryMethod& method) const;

    std::vector<DiscoveryDocument> documents_;
    std::set<std::string> known_scopes_;
    std::set<std::string> annotated_methods_; // named by some annotations.required

    mutable std::mutex mutex_; // guards the caches below
    mutable std::map<std::string, Compiled, std::less<>> compiled_;
    mutable std::map<std::string, nlohmann::json> definitions_cache_;
    mutable std::map<std::string, JsonSchema> body_cache_;
};

} // namespace switchboard::sim
