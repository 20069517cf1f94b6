#include "tests/provider_sim/common/params.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace switchboard::sim {

std::optional<Params> parse_params(std::string_view encoded) {
    Params out;
    if (encoded.empty()) {
        return out;
    }
    if (!boost::urls::parse_query(encoded)) {
        return std::nullopt;
    }
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    // (Boost 1.81 declares but does not define params_view(params_view, opts).)
    for (const auto& p : boost::urls::params_view(encoded, opts)) {
        out.emplace_back(p.key, p.has_value ? p.value : std::string{});
    }
    return out;
}

std::optional<std::string> param(const Params& params, std::string_view name) {
    for (const auto& [key, value] : params) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::vector<std::string> params_named(const Params& params, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [key, value] : params) {
        if (key == name) {
            out.push_back(value);
        }
    }
    return out;
}

std::string encode_params(const Params& params) {
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) {
            out += '&';
        }
        out += boost::urls::encode(key, boost::urls::unreserved_chars, opts);
        out += '=';
        out += boost::urls::encode(value, boost::urls::unreserved_chars, opts);
    }
    return out;
}

std::string append_query(std::string url, const Params& params) {
    if (params.empty()) {
        return url;
    }
    const std::string encoded = encode_params(params);
    const auto hash = url.find('#');
    const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
    url = url.substr(0, hash);
    if (url.find('?') == std::string::npos) {
        url += '?';
    } else if (url.back() != '?' && url.back() != '&') {
        url += '&';
    }
    return url + encoded + fragment;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        int value = 0;
        for (std::size_t k = i + 1; k <= i + 2; ++k) {
            const char c = text[k];
            value *= 16;
            if (c >= '0' && c <= '9') {
                value += c - '0';
            } else if (c >= 'a' && c <= 'f') {
                value += c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                value += c - 'A' + 10;
            } else {
                return std::nullopt;
            }
        }
        out.push_back(static_cast<char>(value));
        i += 2;
    }
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

} // namespace switchboard::sim
