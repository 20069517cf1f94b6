#include "host/server/http_types.hpp"

#include <array>
#include <utility>

namespace switchboard::server::http {
namespace {

constexpr std::array<std::pair<verb, std::string_view>, 9> names{{
    {verb::delete_, "DELETE"},
    {verb::get, "GET"},
    {verb::head, "HEAD"},
    {verb::post, "POST"},
    {verb::put, "PUT"},
    {verb::connect, "CONNECT"},
    {verb::options, "OPTIONS"},
    {verb::trace, "TRACE"},
    {verb::patch, "PATCH"},
}};

} // namespace

std::string_view to_string(verb method) noexcept {
    for (const auto& [v, name] : names) {
        if (v == method) {
            return name;
        }
    }
    return {};
}

verb string_to_verb(std::string_view name) noexcept {
    for (const auto& [v, text] : names) {
        if (text == name) {
            return v;
        }
    }
    return verb::unknown;
}

} // namespace switchboard::server::http
