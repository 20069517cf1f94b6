#include "core/http/http_message.hpp"

namespace switchboard::http {

std::optional<std::string_view> HttpResponse::header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_case_name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

} // namespace switchboard::http
