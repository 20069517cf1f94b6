#include "core/http/http_stream.hpp"

#include "core/http/http_client.hpp"

namespace switchboard::http {

std::optional<std::string_view> ResponseStream::header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers()) {
        if (name == lower_case_name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

Result<std::unique_ptr<ResponseStream>> HttpClient::open(const StreamedRequest&,
                                                         const RequestOptions&) {
    return Error(ErrorKind::unsupported, "streaming_unsupported",
                 "this HTTP client does not stream request or response bodies");
}

} // namespace switchboard::http
