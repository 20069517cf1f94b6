#include "core/http/form_encoding.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace switchboard::http {
namespace {

std::string join(const FormFields& fields, bool space_as_plus) {
    boost::urls::encoding_opts options;
    options.space_as_plus = space_as_plus;
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) {
            out += '&';
        }
        out += boost::urls::encode(name, boost::urls::unreserved_chars, options);
        out += '=';
        out += boost::urls::encode(value, boost::urls::unreserved_chars, options);
    }
    return out;
}

} // namespace

std::string encode_form(const FormFields& fields) { return join(fields, true); }

std::string encode_query(const FormFields& fields) { return join(fields, false); }

std::string percent_encode(std::string_view text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

} // namespace switchboard::http
