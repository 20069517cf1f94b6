#include "plugins/hubspot/default_stage.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>

namespace switchboard::plugins::hubspot {
namespace {

using nlohmann::json;

std::int64_t display_order(const json& item) {
    const auto order = item.find("displayOrder");
    return order != item.end() && order->is_number_integer() ? order->get<std::int64_t>()
                                                             : std::numeric_limits<std::int64_t>::max();
}

bool usable(const json& item) {
    return item.is_object() && item.contains("id") && item.at("id").is_string() &&
           !item.at("id").get_ref<const std::string&>().empty() && !item.value("archived", false);
}

// The usable item of `items` with the lowest displayOrder (the first listed on a tie).
const json* lowest(const json& items) {
    const json* best = nullptr;
    for (const auto& item : items) {
        if (usable(item) && (best == nullptr || display_order(item) < display_order(*best))) {
            best = &item;
        }
    }
    return best;
}

} // namespace

std::optional<PipelineStage> first_stage(const json& pipelines,
                                         const std::optional<std::string>& pipeline) {
    if (!pipelines.is_object() || !pipelines.contains("results") ||
        !pipelines.at("results").is_array()) {
        return std::nullopt;
    }
    const json& results = pipelines.at("results");
    const std::string wanted = pipeline.value_or("default");
    const json* chosen = nullptr;
    for (const auto& item : results) {
        if (usable(item) && item.at("id") == wanted) chosen = &item;
    }
    if (chosen == nullptr && !pipeline) chosen = lowest(results);
    if (chosen == nullptr || !chosen->contains("stages") || !chosen->at("stages").is_array()) {
        return std::nullopt;
    }
    const json* stage = lowest(chosen->at("stages"));
    if (stage == nullptr) return std::nullopt;
    return PipelineStage{chosen->at("id").get<std::string>(), stage->at("id").get<std::string>()};
}

} // namespace switchboard::plugins::hubspot
