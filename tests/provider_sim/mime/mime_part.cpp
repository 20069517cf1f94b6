#include "tests/provider_sim/mime/mime_part.hpp"

#include "tests/provider_sim/common/params.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/mime/charset.hpp"
#include "tests/provider_sim/mime/encoded_words.hpp"
#include "tests/provider_sim/mime/transfer_encoding.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::sim {
namespace {

constexpr int kMaxDepth = 16;

Error invalid_mime(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_mime", std::move(message));
}

// Splits at the first empty line. Returns {header block, body}.
std::pair<std::string_view, std::string_view> split_head(std::string_view raw) {
    if (raw.rfind("\r\n", 0) == 0) {
        return {{}, raw.substr(2)};
    }
    if (raw.rfind("\n", 0) == 0) {
        return {{}, raw.substr(1)};
    }
    const auto crlf = raw.find("\r\n\r\n");
    const auto lf = raw.find("\n\n");
    if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf)) {
        return {raw.substr(0, crlf), raw.substr(crlf + 4)};
    }
    if (lf != std::string_view::npos) {
        return {raw.substr(0, lf), raw.substr(lf + 2)};
    }
    return {raw, {}};
}

Result<std::vector<MimeHeader>> parse_headers(std::string_view block) {
    std::vector<MimeHeader> headers;
    while (!block.empty()) {
        auto nl = block.find('\n');
        std::string_view line = block.substr(0, nl);
        block = nl == std::string_view::npos ? std::string_view{} : block.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (headers.empty()) {
                return invalid_mime("a header continuation line comes before any header");
            }
            headers.back().value += std::string(line); // unfolding keeps the blank
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            return invalid_mime("a header line has no name: '" + std::string(line.substr(0, 40)) + "'");
        }
        const std::string_view name = trim(line.substr(0, colon));
        if (name.find_first_of(" \t") != std::string_view::npos) {
            return invalid_mime("a header name contains a blank: '" + std::string(name) + "'");
        }
        headers.push_back({std::string(name), std::string(trim(line.substr(colon + 1)))});
    }
    for (auto& h : headers) {
        h.value = std::string(trim(h.value));
    }
    return headers;
}

// "type/subtype; a=1; b=\"x y\"" -> "type/subtype" and parameters (RFC 2045 §5.1; RFC 2231
// "name*=charset''percent-encoded" values are decoded too).
std::pair<std::string, std::map<std::string, std::string>> parse_structured(std::string_view value) {
    std::map<std::string, std::string> params;
    const auto semi = value.find(';');
    std::string main = lower(trim(value.substr(0, semi)));
    std::size_t i = semi == std::string_view::npos ? value.size() : semi + 1;
    while (i < value.size()) {
        while (i < value.size() && (std::isspace(static_cast<unsigned char>(value[i])) || value[i] == ';')) {
            ++i;
        }
        const auto eq = value.find('=', i);
        if (eq == std::string_view::npos) {
            break;
        }
        std::string name = lower(trim(value.substr(i, eq - i)));
        i = eq + 1;
        while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) {
            ++i;
        }
        std::string v;
        if (i < value.size() && value[i] == '"') {
            ++i;
            while (i < value.size() && value[i] != '"') {
                if (value[i] == '\\' && i + 1 < value.size()) {
                    ++i;
                }
                v.push_back(value[i++]);
            }
            ++i; // closing quote
        } else {
            const auto end = value.find(';', i);
            v = std::string(trim(value.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
            i = end == std::string_view::npos ? value.size() : end;
        }
        if (!name.empty() && name.back() == '*') {
            name.pop_back();
            const auto first = v.find('\'');
            const auto second = first == std::string::npos ? std::string::npos : v.find('\'', first + 1);
            if (second != std::string::npos) {
                const std::string charset = v.substr(0, first);
                if (const auto bytes = percent_decode(v.substr(second + 1))) {
                    v = to_utf8(*bytes, charset.empty() ? "us-ascii" : charset).value_or(*bytes);
                }
            }
        }
        params[name] = v;
    }
    return {main, params};
}

Result<MimePart> parse_part(std::vector<MimeHeader> headers, std::string_view body, int depth,
                            std::string_view default_type);

Result<MimePart> parse_entity(std::string_view raw, int depth, std::string_view default_type) {
    const auto [head, body] = split_head(raw);
    auto headers = parse_headers(head);
    if (!headers) {
        return headers.error();
    }
    return parse_part(std::move(*headers), body, depth, default_type);
}

Result<std::vector<MimePart>> split_multipart(std::string_view body, const std::string& boundary,
                                              int depth, std::string_view default_type) {
    const std::string delimiter = "--" + boundary;
    // Positions of delimiter lines (a delimiter at the start of a line).
    std::vector<std::size_t> starts;
    std::size_t pos = 0;
    while ((pos = body.find(delimiter, pos)) != std::string_view::npos) {
        if (pos == 0 || body[pos - 1] == '\n') {
            starts.push_back(pos);
        }
        pos += delimiter.size();
    }
    if (starts.empty()) {
        return invalid_mime("the multipart body has no '" + delimiter + "' line");
    }
    std::vector<MimePart> parts;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        const std::size_t after = starts[k] + delimiter.size();
        if (body.compare(after, 2, "--") == 0) {
            break; // the close delimiter
        }
        const auto line_end = body.find('\n', after);
        if (line_end == std::string_view::npos) {
            break;
        }
        const std::size_t content_start = line_end + 1;
        std::size_t content_end = k + 1 < starts.size() ? starts[k + 1] : body.size();
        // The line break before a delimiter belongs to the delimiter.
        if (content_end > content_start && body[content_end - 1] == '\n') {
            --content_end;
            if (content_end > content_start && body[content_end - 1] == '\r') {
                --content_end;
            }
        }
        auto part = parse_entity(body.substr(content_start, content_end - content_start), depth + 1, default_type);
        if (!part) {
            return part.error();
        }
        parts.push_back(std::move(*part));
    }
    return parts;
}

Result<MimePart> parse_part(std::vector<MimeHeader> headers, std::string_view body, int depth,
                            std::string_view default_type) {
    if (depth > kMaxDepth) {
        return invalid_mime("MIME parts are nested too deeply");
    }
    MimePart part;
    part.headers = std::move(headers);
    part.media_type = std::string(default_type);
    if (const auto ct = part.header("Content-Type"); !ct.empty()) {
        auto [type, params] = parse_structured(ct);
        if (type.find('/') == std::string::npos) {
            return invalid_mime("Content-Type '" + std::string(ct) + "' is not type/subtype");
        }
        part.media_type = type;
        part.params = std::move(params);
    }
    if (const auto cte = part.header("Content-Transfer-Encoding"); !cte.empty()) {
        part.transfer_encoding = lower(trim(cte));
    }
    if (const auto cd = part.header("Content-Disposition"); !cd.empty()) {
        auto [disposition, params] = parse_structured(cd);
        part.disposition = disposition;
        part.disposition_params = std::move(params);
    }
    if (part.is_multipart()) {
        const auto boundary = part.params.find("boundary");
        if (boundary == part.params.end() || boundary->second.empty()) {
            return invalid_mime(part.media_type + " without a boundary parameter");
        }
        const std::string child_default = part.media_type == "multipart/digest" ? "message/rfc822" : "text/plain";
        auto parts = split_multipart(body, boundary->second, depth, child_default);
        if (!parts) {
            return parts.error();
        }
        part.parts = std::move(*parts);
        return part;
    }
    auto decoded = decode_transfer_encoding(body, part.transfer_encoding);
    if (!decoded) {
        return invalid_mime("the body is not valid " + part.transfer_encoding);
    }
    part.body = std::move(*decoded);
    return part;
}

} // namespace

std::string_view MimePart::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) {
            return h.value;
        }
    }
    return {};
}

std::string MimePart::filename() const {
    if (const auto it = disposition_params.find("filename"); it != disposition_params.end()) {
        return decode_encoded_words(it->second);
    }
    if (const auto it = params.find("name"); it != params.end()) {
        return decode_encoded_words(it->second);
    }
    return {};
}

std::optional<std::string> MimePart::text() const {
    const auto it = params.find("charset");
    return to_utf8(body, it == params.end() ? "us-ascii" : it->second);
}

Result<MimePart> parse_mime_entity(std::string_view raw) { return parse_entity(raw, 0, "text/plain"); }

Result<MimePart> parse_mime_body(std::string_view content_type, std::string_view body) {
    return parse_part({MimeHeader{"Content-Type", std::string(content_type)}}, body, 0, "text/plain");
}

std::string remove_header(std::string_view raw, std::string_view name) {
    const auto [head, body] = split_head(raw);
    std::string out;
    bool skipping = false;
    std::string_view rest = head;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl == std::string_view::npos ? rest.size() : nl + 1);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        const bool continuation = !line.empty() && (line.front() == ' ' || line.front() == '\t');
        if (!continuation) {
            const auto colon = line.find(':');
            skipping = colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name);
        }
        if (!skipping) {
            out += line;
        }
    }
    const std::string eol = raw.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
    if (!out.empty() && out.back() != '\n') {
        out += eol;
    }
    return out + eol + std::string(body);
}

} // namespace switchboard::sim
