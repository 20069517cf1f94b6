// The category contracts: which actions each category has, and validators for an action's
// params and result and for the error object every failing plugin writes. Every schema is
// compiled once, when the catalog is built.
//
// A category's contract has revisions ("calendar/1", "calendar/2"): the catalog keeps every
// revision the host still honours (sdk/schemas/<category>/<revision>.schema.json, as
// released), and the current one (sdk/schemas/<category>.schema.json), which may only have
// added optional params and optional result members to its released copy of the same
// revision. A provider is validated against the revision its descriptor declares; where a
// caller names no revision (0), the category's current (highest) revision is meant.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugin {

// One action of a category contract.
struct ActionContract {
    std::string name;        // e.g. "create_event"
    std::string description; // for people
    std::string params_definition; // name in the category's definitions, e.g. "CreateEventParams"
    std::string result_definition; // e.g. "Event"
};

// Thread-safe once built: every member function is const and may run concurrently.
class ContractCatalog {
public:
    // The contracts embedded at build time. Built on first use; if the embedded schemas
    // cannot be compiled (a build defect) this aborts with a message, once, at start-up.
    static const ContractCatalog& embedded();

    // A catalog from schema documents: each of `category_documents` is one revision of a
    // category's contract (x-category, x-revision, x-actions, definitions), each (category,
    // revision) at most once; `common_document` holds definitions.Error. Errors name the
    // document and what is wrong with it.
    static Result<std::shared_ptr<const ContractCatalog>> from_documents(
        const std::vector<std::string_view>& category_documents, std::string_view common_document);

    ContractCatalog(const ContractCatalog&) = delete;
    ContractCatalog& operator=(const ContractCatalog&) = delete;
    ~ContractCatalog();

    // Category ids, sorted.
    std::vector<std::string> categories() const;
    bool has_category(std::string_view category) const;

    // The revisions of `category` this catalog honours, ascending; empty for an unknown one.
    std::vector<std::uint32_t> revisions(std::string_view category) const;
    // The category's current (highest) revision; 0 for an unknown category.
    std::uint32_t current_revision(std::string_view category) const;
    bool has_revision(std::string_view category, std::uint32_t revision) const;

    // In what follows `revision` 0 means the category's current revision.

    // The actions of the category's revision sorted by name, or nullptr when the catalog has
    // no such category or revision.
    const std::vector<ActionContract>* actions(std::string_view category,
                                               std::uint32_t revision = 0) const;
    const ActionContract* find_action(std::string_view category, std::string_view action,
                                      std::uint32_t revision = 0) const;

    // A definition of the category file (e.g. "CreateEventParams"), or nullptr.
    const nlohmann::json* definition(std::string_view category, std::string_view name,
                                     std::uint32_t revision = 0) const;
    // Follows `$ref`s local to the category file until `schema` is not a reference.
    const nlohmann::json& resolve(std::string_view category, const nlohmann::json& schema,
                                  std::uint32_t revision = 0) const;

    // Validate an instance. On failure the Error (kind invalid_input) has code
    // `invalid_params`, `invalid_result` or `invalid_error`, `field` holds the JSON Pointer
    // of the failing value ("" for the whole instance) and the message names the pointer and
    // the rule, e.g. "/start/date_time: string should be a valid date-time".
    // An unknown category, revision or action is an Error of kind unsupported.
    Result<void> validate_params(std::string_view category, std::string_view action,
                                 const nlohmann::json& params, std::uint32_t revision = 0) const;
    Result<void> validate_result(std::string_view category, std::string_view action,
                                 const nlohmann::json& result, std::uint32_t revision = 0) const;
    Result<void> validate_error(const nlohmann::json& error) const;

private:
    struct Impl;
    explicit ContractCatalog(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::plugin
