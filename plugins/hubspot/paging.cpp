#include "plugins/hubspot/paging.hpp"

namespace switchboard::plugins::hubspot {

std::optional<std::string> next_page_after(const nlohmann::json& answer) {
    const nlohmann::json* node = &answer;
    for (const char* key : {"paging", "next", "after"}) {
        if (!node->is_object()) return std::nullopt;
        const auto it = node->find(key);
        if (it == node->end()) return std::nullopt;
        node = &*it;
    }
    if (!node->is_string() || node->get_ref<const std::string&>().empty()) return std::nullopt;
    return node->get<std::string>();
}

} // namespace switchboard::plugins::hubspot
