#include "core/plugin/contract_catalog.hpp"

#include "core/common/json_pointer.hpp"
#include "core/plugin/embedded_schemas.hpp"
#include "core/plugin/regex_constraints.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace switchboard::plugin {

namespace {

using CompiledShape = std::unique_ptr<valijson::Schema>;

struct CompiledAction {
    ActionContract contract;
    CompiledShape params;
    CompiledShape result;
};

// One revision of a category's contract.
struct Category {
    std::string id;
    std::uint32_t revision = 0;
    nlohmann::json definitions;
    std::vector<ActionContract> actions;
    std::map<std::string, CompiledAction, std::less<>> compiled;
};

// `schema` with its `pattern` and `format` keywords renamed, at every depth, to the ones
// core/plugin/regex_constraints.hpp matches with RE2 (compiled once, linear, no recursion),
// so that Valijson's std::regex never runs. Only keyword positions are walked, so a property
// that happens to be named "pattern" stays.
nlohmann::json with_re2_keywords(const nlohmann::json& schema) {
    if (schema.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : schema) {
            out.push_back(with_re2_keywords(item));
        }
        return out;
    }
    if (!schema.is_object()) {
        return schema;
    }
    // Keywords whose value is a schema or a list of schemas.
    static const std::array<std::string_view, 12> kSubschemas = {
        "items", "additionalItems", "additionalProperties", "not",  "contains", "propertyNames",
        "if",    "then",            "else",                 "allOf", "anyOf",    "oneOf"};
    static const std::array<std::string_view, 4> kSubschemaMaps = {
        "properties", "patternProperties", "definitions", "dependencies"};
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : schema.items()) {
        if (key == regex_pattern_keyword || key == regex_format_keyword) {
            throw std::runtime_error("uses the reserved keyword " + key);
        }
        if (key == "pattern") {
            out[std::string(regex_pattern_keyword)] = value;
            continue;
        }
        if (key == "format") {
            out[std::string(regex_format_keyword)] = value;
            continue;
        }
        // A reference rather than a capture of `key`: clang before 16 cannot capture a
        // structured binding (the fuzz preset builds this with clang 14).
        const std::string& keyword = key;
        const auto is = [&keyword](const auto& names) {
            return std::find(names.begin(), names.end(), keyword) != names.end();
        };
        if (is(kSubschemas)) {
            out[key] = with_re2_keywords(value);
        } else if (is(kSubschemaMaps) && value.is_object()) {
            nlohmann::json map = nlohmann::json::object();
            for (const auto& [name, sub] : value.items()) {
                map[name] = with_re2_keywords(sub);
            }
            out[key] = std::move(map);
        } else {
            out[key] = value;
        }
    }
    return out;
}

// Compiles `{"$ref": "#/definitions/<name>", "definitions": ...}`, the wrapper the SDK's
// README prescribes for validating one shape of a file. `definitions` maps names to schemas:
// each is rewritten, not the map itself.
CompiledShape compile_shape(const nlohmann::json& definitions, const std::string& name) {
    nlohmann::json rewritten = nlohmann::json::object();
    for (const auto& [definition, schema] : definitions.items()) {
        rewritten[definition] = with_re2_keywords(schema);
    }
    nlohmann::json wrapper = {
        {"$schema", "http://json-schema.org/draft-07/schema#"},
        {"$ref", "#/definitions/" + name},
        {"definitions", std::move(rewritten)},
    };
    auto schema = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    add_regex_constraints(parser);
    valijson::adapters::NlohmannJsonAdapter adapter(wrapper);
    parser.populateSchema(adapter, *schema);
    return schema;
}

// "#/definitions/CreateEventParams" -> "CreateEventParams"
std::string definition_name(const nlohmann::json& ref_holder, const std::string& what) {
    constexpr std::string_view kPrefix = "#/definitions/";
    if (!ref_holder.is_object() || !ref_holder.contains("$ref") ||
        !ref_holder["$ref"].is_string()) {
        throw std::runtime_error(what + " must be {\"$ref\": \"#/definitions/<name>\"}");
    }
    const auto& ref = ref_holder["$ref"].get_ref<const std::string&>();
    if (!ref.starts_with(kPrefix)) {
        throw std::runtime_error(what + " must reference #/definitions/<name>, not " + ref);
    }
    return ref.substr(kPrefix.size());
}

// valijson's context is {"<root>", "[start]", "[date_time]"}; RFC 6901 wants /start/date_time.
std::string to_pointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (const auto& part : context) {
        if (part == "<root>") {
            continue;
        }
        std::string_view token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
            token = token.substr(1, token.size() - 2);
        }
        pointer += "/" + json_pointer_token(token);
    }
    return pointer;
}

// The text between the last pair of single quotes, e.g. the property of
// "Missing required property 'summary'." or "... constraints: 'colour'.".
std::string last_quoted(const std::string& text) {
    auto close = text.rfind('\'');
    if (close == std::string::npos || close == 0) {
        return {};
    }
    auto open = text.rfind('\'', close - 1);
    if (open == std::string::npos) {
        return {};
    }
    return text.substr(open + 1, close - open - 1);
}

struct Problem {
    std::string pointer;
    std::string rule;
};

Problem describe(const valijson::ValidationResults::Error& e) {
    Problem p{to_pointer(e.context), e.description};
    if (p.rule.starts_with("Missing required property")) {
        p.pointer += "/" + json_pointer_token(last_quoted(e.description));
        p.rule = "is required";
    } else if (p.rule.starts_with("Object contains a property that could not be validated")) {
        p.pointer += "/" + json_pointer_token(last_quoted(e.description));
        p.rule = "is not allowed (unknown property)";
    } else {
        if (!p.rule.empty()) {
            p.rule[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(p.rule[0])));
        }
        while (!p.rule.empty() && p.rule.back() == '.') {
            p.rule.pop_back();
        }
    }
    return p;
}

Result<void> run(const valijson::Schema& schema, const nlohmann::json& instance,
                 const char* code, const std::string& what) {
    valijson::ValidationResults results;
    try {
        valijson::Validator validator;
        valijson::adapters::NlohmannJsonAdapter target(instance);
        // Without a results sink Valijson stops at the first failure and builds no messages:
        // the common case, a valid instance, pays for one walk. Only a failure walks again to
        // collect every message and explain the deepest.
        if (validator.validate(schema, target, nullptr) ||
            validator.validate(schema, target, &results)) {
            return {};
        }
    } catch (const std::exception& e) {
        return Error(ErrorKind::invalid_input, code, what + ": cannot be validated: " + e.what());
    }
    // Report the deepest problem: the outer ones (anyOf/oneOf/property failed) only repeat
    // it. Among equally deep ones a type mismatch explains the others (a number is also not
    // a valid date-time), so it wins.
    std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
    if (errors.empty()) {
        return Error(ErrorKind::invalid_input, code, what + " does not match its schema");
    }
    std::size_t depth = 0;
    for (const auto& e : errors) {
        depth = std::max(depth, e.context.size());
    }
    auto deepest = std::find_if(errors.begin(), errors.end(), [&](const auto& e) {
        return e.context.size() == depth && e.description.find("'type'") != std::string::npos;
    });
    if (deepest == errors.end()) {
        deepest = std::find_if(errors.begin(), errors.end(),
                               [&](const auto& e) { return e.context.size() == depth; });
    }
    Problem p = describe(*deepest);
    std::string message = what + " " + (p.pointer.empty() ? "(the whole value)" : p.pointer) +
                          ": " + p.rule;
    if (errors.size() > 1) {
        message += " (" + std::to_string(errors.size() - 1) + " more schema messages)";
    }
    return Error(ErrorKind::invalid_input, code, message, p.pointer);
}

// The revisions of one category, by revision number (the last one is the current).
using Revisions = std::map<std::uint32_t, Category>;

// `x-revision` of a category document: a positive integer.
std::uint32_t revision_of(const nlohmann::json& doc) {
    const auto it = doc.find("x-revision");
    if (it == doc.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0 ||
        it->get<std::uint64_t>() > 1'000'000) {
        throw std::runtime_error("has no x-revision (a positive integer)");
    }
    return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

} // namespace

struct ContractCatalog::Impl {
    std::map<std::string, Revisions, std::less<>> categories;
    CompiledShape error_schema;

    // The revision of `category` (0: the current one), or nullptr.
    const Category* find(std::string_view category, std::uint32_t revision) const {
        auto it = categories.find(category);
        if (it == categories.end() || it->second.empty()) {
            return nullptr;
        }
        if (revision == 0) {
            return &it->second.rbegin()->second;
        }
        auto r = it->second.find(revision);
        return r == it->second.end() ? nullptr : &r->second;
    }
};

ContractCatalog::ContractCatalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ContractCatalog::~ContractCatalog() = default;

Result<std::shared_ptr<const ContractCatalog>> ContractCatalog::from_documents(
    const std::vector<std::string_view>& category_documents, std::string_view common_document) {
    auto impl = std::make_unique<Impl>();
    std::string where = "common schema";
    try {
        auto common = nlohmann::json::parse(common_document);
        if (!common.contains("definitions") || !common["definitions"].contains("Error")) {
            throw std::runtime_error("has no definitions.Error");
        }
        impl->error_schema = compile_shape(common["definitions"], "Error");
        for (std::size_t i = 0; i < category_documents.size(); ++i) {
            where = "category schema #" + std::to_string(i);
            auto doc = nlohmann::json::parse(category_documents[i]);
            if (!doc.contains("x-category") || !doc["x-category"].is_string()) {
                throw std::runtime_error("has no x-category string");
            }
            Category category;
            category.id = doc["x-category"].get<std::string>();
            where = "category schema '" + category.id + "'";
            category.revision = revision_of(doc);
            where = "category schema '" + category.id + "/" + std::to_string(category.revision) +
                    "'";
            if (impl->categories[category.id].count(category.revision) != 0) {
                throw std::runtime_error("is defined twice");
            }
            if (!doc.contains("definitions") || !doc["definitions"].is_object() ||
                !doc.contains("x-actions") || !doc["x-actions"].is_object()) {
                throw std::runtime_error("needs an x-actions object and a definitions object");
            }
            category.definitions = doc["definitions"];
            // nlohmann sorts object keys, so actions come out sorted by name.
            for (const auto& [name, action] : doc["x-actions"].items()) {
                ActionContract contract;
                contract.name = name;
                contract.description = action.value("description", "");
                contract.params_definition =
                    definition_name(action.value("params", nlohmann::json()), name + ".params");
                contract.result_definition =
                    definition_name(action.value("result", nlohmann::json()), name + ".result");
                for (const auto* def : {&contract.params_definition, &contract.result_definition}) {
                    if (!category.definitions.contains(*def)) {
                        throw std::runtime_error(name + " references missing definition " + *def);
                    }
                }
                CompiledAction compiled;
                compiled.params = compile_shape(category.definitions, contract.params_definition);
                compiled.result = compile_shape(category.definitions, contract.result_definition);
                compiled.contract = contract;
                category.actions.push_back(contract);
                category.compiled.emplace(name, std::move(compiled));
            }
            const std::uint32_t revision = category.revision;
            impl->categories[category.id].emplace(revision, std::move(category));
        }
    } catch (const std::exception& e) {
        return Error(ErrorKind::internal, "invalid_contract", where + ": " + e.what());
    }
    return std::shared_ptr<const ContractCatalog>(new ContractCatalog(std::move(impl)));
}

namespace {

// The (x-category, x-revision) of a document, or nullopt when it does not say; the catalog's
// own parse reports the problem.
std::optional<std::pair<std::string, std::uint64_t>> contract_id(std::string_view document) {
    const auto doc = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("x-category") || !doc["x-category"].is_string() ||
        !doc.contains("x-revision") || !doc["x-revision"].is_number_unsigned()) {
        return std::nullopt;
    }
    return std::pair{doc["x-category"].get<std::string>(), doc["x-revision"].get<std::uint64_t>()};
}

} // namespace

const ContractCatalog& ContractCatalog::embedded() {
    static const std::shared_ptr<const ContractCatalog> catalog = [] {
        // sdk/schemas/<category>.schema.json is each category's current contract; the
        // released revisions are <category>/<revision>.schema.json. The current file
        // supersedes the released copy of its own revision, to which it may only have added
        // optional members (tests/sdk checks that it did no more).
        std::vector<std::string_view> categories;
        std::vector<std::string_view> released;
        std::string_view common;
        for (const auto& schema : embedded_schemas()) {
            const std::string_view name(schema.file_name);
            if (name == "common.schema.json") {
                common = schema.text();
            } else if (name.find('/') == std::string_view::npos) {
                categories.push_back(schema.text());
            } else {
                released.push_back(schema.text());
            }
        }
        std::set<std::pair<std::string, std::uint64_t>> current;
        for (const auto text : categories) {
            if (auto id = contract_id(text)) current.insert(std::move(*id));
        }
        for (const auto text : released) {
            const auto id = contract_id(text);
            if (!id || current.count(*id) == 0) categories.push_back(text);
        }
        auto built = from_documents(categories, common);
        if (!built) {
            // The schemas are part of the build: failing here is a build defect, not input.
            std::fprintf(stderr, "switchboard: the embedded category schemas are invalid: %s\n",
                         built.error().message.c_str());
            std::abort();
        }
        return *built;
    }();
    return *catalog;
}

std::vector<std::uint32_t> ContractCatalog::revisions(std::string_view category) const {
    std::vector<std::uint32_t> out;
    auto it = impl_->categories.find(category);
    if (it != impl_->categories.end()) {
        for (const auto& [revision, unused] : it->second) {
            (void)unused;
            out.push_back(revision);
        }
    }
    return out;
}

std::uint32_t ContractCatalog::current_revision(std::string_view category) const {
    const Category* c = impl_->find(category, 0);
    return c == nullptr ? 0 : c->revision;
}

bool ContractCatalog::has_revision(std::string_view category, std::uint32_t revision) const {
    return revision != 0 && impl_->find(category, revision) != nullptr;
}

std::vector<std::string> ContractCatalog::categories() const {
    std::vector<std::string> ids;
    for (const auto& [id, unused] : impl_->categories) {
        (void)unused;
        ids.push_back(id);
    }
    return ids;
}

bool ContractCatalog::has_category(std::string_view category) const {
    return impl_->categories.find(category) != impl_->categories.end();
}

const std::vector<ActionContract>* ContractCatalog::actions(std::string_view category,
                                                            std::uint32_t revision) const {
    const Category* c = impl_->find(category, revision);
    return c == nullptr ? nullptr : &c->actions;
}

const ActionContract* ContractCatalog::find_action(std::string_view category,
                                                   std::string_view action,
                                                   std::uint32_t revision) const {
    const Category* c = impl_->find(category, revision);
    if (c == nullptr) {
        return nullptr;
    }
    auto a = c->compiled.find(action);
    return a == c->compiled.end() ? nullptr : &a->second.contract;
}

const nlohmann::json* ContractCatalog::definition(std::string_view category,
                                                  std::string_view name,
                                                  std::uint32_t revision) const {
    const Category* c = impl_->find(category, revision);
    if (c == nullptr) {
        return nullptr;
    }
    auto d = c->definitions.find(name);
    return d == c->definitions.end() ? nullptr : &*d;
}

const nlohmann::json& ContractCatalog::resolve(std::string_view category,
                                               const nlohmann::json& schema,
                                               std::uint32_t revision) const {
    const nlohmann::json* current = &schema;
    // Bounded: a reference cycle must not loop forever.
    for (int depth = 0; depth < 32; ++depth) {
        if (!current->is_object() || !current->contains("$ref") ||
            !(*current)["$ref"].is_string()) {
            return *current;
        }
        const auto& ref = (*current)["$ref"].get_ref<const std::string&>();
        constexpr std::string_view kPrefix = "#/definitions/";
        if (!ref.starts_with(kPrefix)) {
            return *current;
        }
        const auto* next =
            definition(category, std::string_view(ref).substr(kPrefix.size()), revision);
        if (next == nullptr) {
            return *current;
        }
        current = next;
    }
    return *current;
}

namespace {

const CompiledAction* lookup(const Category* category, std::string_view action) {
    if (category == nullptr) {
        return nullptr;
    }
    auto a = category->compiled.find(action);
    return a == category->compiled.end() ? nullptr : &a->second;
}

Error unknown_action(std::string_view category, std::string_view action, std::uint32_t revision) {
    const std::string contract =
        std::string(category) + (revision == 0 ? "" : "/" + std::to_string(revision));
    return Error(ErrorKind::unsupported, "unknown_action",
                 "action '" + std::string(action) + "' is not part of the '" + contract +
                     "' contract");
}

} // namespace

Result<void> ContractCatalog::validate_params(std::string_view category, std::string_view action,
                                              const nlohmann::json& params,
                                              std::uint32_t revision) const {
    const auto* compiled = lookup(impl_->find(category, revision), action);
    if (compiled == nullptr) {
        return unknown_action(category, action, revision);
    }
    return run(*compiled->params, params, "invalid_params", "params");
}

Result<void> ContractCatalog::validate_result(std::string_view category, std::string_view action,
                                              const nlohmann::json& result,
                                              std::uint32_t revision) const {
    const auto* compiled = lookup(impl_->find(category, revision), action);
    if (compiled == nullptr) {
        return unknown_action(category, action, revision);
    }
    return run(*compiled->result, result, "invalid_result", "result");
}

Result<void> ContractCatalog::validate_error(const nlohmann::json& error) const {
    return run(*impl_->error_schema, error, "invalid_error", "error object");
}

} // namespace switchboard::plugin
