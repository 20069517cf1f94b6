#include "core/plugin/moved_base_url.hpp"

#include <boost/url/parse.hpp>

namespace switchboard::plugin {
namespace {

// Whether `url` is `base` or lies under it: the next character starts a segment or the query.
bool under(std::string_view url, std::string_view base) {
    if (!url.starts_with(base)) {
        return false;
    }
    if (url.size() == base.size()) {
        return true;
    }
    const char next = url[base.size()];
    return next == '/' || next == '?';
}

// "/<host><path>[?query]" of an absolute https URL on the default port, as a mount point
// holds it; nullopt for any other URL.
std::optional<std::string> mounted_form(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || parsed->scheme() != "https" || parsed->has_port() ||
        parsed->encoded_host().empty()) {
        return std::nullopt;
    }
    std::string out = "/" + std::string(parsed->encoded_host()) +
                      std::string(parsed->encoded_path());
    if (parsed->has_query()) {
        out += "?" + std::string(parsed->encoded_query());
    }
    return out;
}

} // namespace

std::optional<std::string> moved_base_url(std::string_view url, std::string_view original,
                                          std::string_view replacement) {
    while (replacement.ends_with('/')) {
        replacement.remove_suffix(1);
    }
    if (under(url, original)) {
        return std::string(replacement) + std::string(url.substr(original.size()));
    }
    const auto original_form = mounted_form(original);
    const auto url_form = mounted_form(url);
    if (!original_form || !url_form || !replacement.ends_with(*original_form)) {
        return std::nullopt;
    }
    const std::string_view mount = replacement.substr(0, replacement.size() - original_form->size());
    return std::string(mount) + *url_form;
}

} // namespace switchboard::plugin
