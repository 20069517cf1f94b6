// Reading an action's params defensively. The host validates params against the category
// schema before the plugin runs, but the plugin must not misbehave on anything it receives:
// every value it uses is type-checked here, and the first problem becomes an
// SB_STATUS_INVALID_INPUT outcome naming the field as a JSON Pointer ("/start/date_time").
#pragma once

#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::google_calendar {

class ParamReader {
public:
    // Parses `params_json`; anything but a JSON object is the first problem.
    explicit ParamReader(std::string_view params_json);

    // The params object (an empty object when parsing failed).
    const nlohmann::json& root() const noexcept { return root_; }

    bool ok() const noexcept { return !failed_; }
    // The invalid-input outcome for the first problem. Only meaningful when !ok().
    sdk::Outcome error() const;

    // Records a problem with the value at `pointer`; only the first one is kept.
    void fail(std::string pointer, std::string message);

    // Refuses members of `object` (at `pointer`) not named in `allowed`: an unknown member is
    // a contract the plugin does not implement, and ignoring it would misbehave silently.
    void allow_only(const nlohmann::json& object, std::string_view pointer,
                    std::initializer_list<std::string_view> allowed);

    // The member `name` of `object` (which sits at `pointer`). Each accessor returns nullopt
    // (or nullptr) when the member is absent or unusable; the latter, and an absent
    // `required` member, are recorded as problems.
    std::optional<std::string> string(const nlohmann::json& object, std::string_view pointer,
                                      std::string_view name, bool required,
                                      std::size_t min_length = 0,
                                      std::size_t max_length = 1024 * 1024);
    std::optional<bool> boolean(const nlohmann::json& object, std::string_view pointer,
                                std::string_view name, bool required = false);
    std::optional<std::int64_t> integer(const nlohmann::json& object, std::string_view pointer,
                                        std::string_view name, bool required,
                                        std::int64_t min, std::int64_t max);
    const nlohmann::json* object(const nlohmann::json& object, std::string_view pointer,
                                 std::string_view name, bool required);
    const nlohmann::json* array(const nlohmann::json& object, std::string_view pointer,
                                std::string_view name, bool required, std::size_t min_items,
                                std::size_t max_items);

    // `pointer` + "/" + `name`, with '~' and '/' escaped (RFC 6901).
    static std::string child(std::string_view pointer, std::string_view name);
    static std::string child(std::string_view pointer, std::size_t index);

private:
    const nlohmann::json* find(const nlohmann::json& object, std::string_view pointer,
                               std::string_view name, bool required);

    nlohmann::json root_ = nlohmann::json::object();
    bool failed_ = false;
    std::string field_;
    std::string message_;
};

} // namespace switchboard::plugins::google_calendar
