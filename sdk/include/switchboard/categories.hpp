// switchboard/categories.hpp — the category contracts' action lists as C++ values, from the
// macros of categories.h.
#pragma once

#include "switchboard/categories.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sdk {

namespace detail {
#define SB_DETAIL_ACTION_VIEW(action) std::string_view(action),
inline constexpr std::string_view calendar_actions[] = {SB_CALENDAR_ACTIONS(SB_DETAIL_ACTION_VIEW)};
inline constexpr std::string_view email_actions[] = {SB_EMAIL_ACTIONS(SB_DETAIL_ACTION_VIEW)};
inline constexpr std::string_view crm_actions[] = {SB_CRM_ACTIONS(SB_DETAIL_ACTION_VIEW)};
inline constexpr std::string_view drive_actions[] = {SB_DRIVE_ACTIONS(SB_DETAIL_ACTION_VIEW)};
inline constexpr std::string_view categories[] = {SB_CATEGORIES(SB_DETAIL_ACTION_VIEW)};
#undef SB_DETAIL_ACTION_VIEW
} // namespace detail

// Every category id, SB_CATEGORY_CALENDAR first.
constexpr std::span<const std::string_view> all_categories() noexcept {
    return detail::categories;
}

// The actions of `category` in the contract's order; empty for an unknown category.
constexpr std::span<const std::string_view> category_actions(std::string_view category) noexcept {
    if (category == SB_CATEGORY_CALENDAR) return detail::calendar_actions;
    if (category == SB_CATEGORY_EMAIL) return detail::email_actions;
    if (category == SB_CATEGORY_CRM) return detail::crm_actions;
    if (category == SB_CATEGORY_DRIVE) return detail::drive_actions;
    return {};
}

// The revision of `category`'s contract this SDK ships (SB_CONTRACT_REVISION_<CATEGORY>); 0 for
// an unknown category.
constexpr std::uint32_t contract_revision(std::string_view category) noexcept {
    if (category == SB_CATEGORY_CALENDAR) return SB_CONTRACT_REVISION_CALENDAR;
    if (category == SB_CATEGORY_EMAIL) return SB_CONTRACT_REVISION_EMAIL;
    if (category == SB_CATEGORY_CRM) return SB_CONTRACT_REVISION_CRM;
    if (category == SB_CATEGORY_DRIVE) return SB_CONTRACT_REVISION_DRIVE;
    return 0;
}

// category_actions as strings, ready for ProviderSpec::actions.
inline std::vector<std::string> category_action_names(std::string_view category) {
    std::vector<std::string> out;
    for (const std::string_view action : category_actions(category)) out.emplace_back(action);
    return out;
}

} // namespace switchboard::sdk
