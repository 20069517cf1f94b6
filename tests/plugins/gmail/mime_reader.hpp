// A small MIME reader for the tests, written apart from the plugin's code so that the
// builder's output is checked by a second implementation: splitting headers from the body,
// unfolding, multipart bodies, quoted-printable and base64 decoding.
#pragma once

#include "plugins/common/base64.hpp"

#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::plugins::testing {

struct MimeEntity {
    std::vector<std::pair<std::string, std::string>> headers; // names as written, values unfolded
    std::vector<std::string> raw_header_lines;                // as written, without CRLF
    std::string body;                                         // as written (still encoded)

    // The unfolded value of the first header `name` (any case), or nullopt.
    std::optional<std::string> header(std::string_view name) const {
        for (const auto& [n, v] : headers) {
            if (n.size() != name.size()) continue;
            bool same = true;
            for (std::size_t i = 0; i < n.size(); ++i) {
                same = same && std::tolower(static_cast<unsigned char>(n[i])) ==
                                   std::tolower(static_cast<unsigned char>(name[i]));
            }
            if (same) return v;
        }
        return std::nullopt;
    }
    std::size_t count(std::string_view name) const {
        std::size_t n = 0;
        for (const auto& h : headers) n += h.first == name ? 1 : 0;
        return n;
    }
};

// Splits `text` (CRLF line endings) at the first empty line. Throws on a malformed header.
inline MimeEntity parse_entity(std::string_view text) {
    MimeEntity e;
    std::size_t pos = 0;
    while (true) {
        const std::size_t end = text.find("\r\n", pos);
        if (end == std::string_view::npos) throw std::runtime_error("header section without an empty line");
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 2;
        if (line.empty()) break;
        e.raw_header_lines.emplace_back(line);
        if (line[0] == ' ' || line[0] == '\t') {
            if (e.headers.empty()) throw std::runtime_error("continuation line before any header");
            e.headers.back().second += std::string(line); // unfolding removes only the CRLF
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) throw std::runtime_error("header line without a name");
        std::string value(line.substr(colon + 1));
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        e.headers.emplace_back(std::string(line.substr(0, colon)), std::move(value));
    }
    e.body = std::string(text.substr(pos));
    return e;
}

// The boundary parameter of a multipart Content-Type value.
inline std::string boundary_of(std::string_view content_type) {
    const std::size_t at = content_type.find("boundary=");
    if (at == std::string_view::npos) throw std::runtime_error("no boundary parameter");
    std::string_view rest = content_type.substr(at + 9);
    if (!rest.empty() && rest[0] == '"') {
        const std::size_t close = rest.find('"', 1);
        return std::string(rest.substr(1, close - 1));
    }
    return std::string(rest.substr(0, rest.find_first_of("; \t")));
}

// The body parts of a multipart body (RFC 2046 §5.1.1): what lies between CRLF--boundary
// delimiters, up to the close delimiter. Throws when the close delimiter is missing.
inline std::vector<std::string> split_multipart(std::string_view body, const std::string& boundary) {
    const std::string delimiter = "--" + boundary;
    std::vector<std::string> parts;
    std::size_t pos = body.starts_with(delimiter) ? 0 : body.find("\r\n" + delimiter);
    if (pos == std::string_view::npos) throw std::runtime_error("no first delimiter");
    pos = body.find(delimiter, pos) + delimiter.size();
    while (true) {
        if (body.substr(pos, 2) == "--") return parts; // close delimiter
        const std::size_t line_end = body.find("\r\n", pos);
        if (line_end == std::string_view::npos) throw std::runtime_error("delimiter line not ended");
        const std::size_t start = line_end + 2;
        const std::size_t next = body.find("\r\n" + delimiter, start);
        if (next == std::string_view::npos) throw std::runtime_error("no close delimiter");
        parts.emplace_back(body.substr(start, next - start));
        pos = next + 2 + delimiter.size();
    }
}

inline std::string decode_quoted_printable(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find("\r\n", pos);
        const bool last = end == std::string_view::npos;
        std::string_view line = text.substr(pos, last ? std::string_view::npos : end - pos);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        bool soft = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] != '=') {
                out.push_back(line[i]);
                continue;
            }
            if (i + 1 == line.size()) {
                soft = true;
                break;
            }
            if (i + 2 >= line.size() || !std::isxdigit(static_cast<unsigned char>(line[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(line[i + 2]))) {
                throw std::runtime_error("bad quoted-printable escape");
            }
            out.push_back(static_cast<char>(std::stoi(std::string(line.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        }
        if (last) break;
        if (!soft) out += "\r\n";
        pos = end + 2;
    }
    return out;
}

// The decoded content of a single-part entity, by its Content-Transfer-Encoding.
inline std::string decoded_body(const MimeEntity& e) {
    const std::string cte = e.header("Content-Transfer-Encoding").value_or("7bit");
    if (cte == "quoted-printable") return decode_quoted_printable(e.body);
    if (cte == "base64") {
        auto bytes = base64::decode(e.body, base64::Alphabet::standard, /*skip_whitespace=*/true);
        if (!bytes) throw std::runtime_error("bad base64 body");
        return *bytes;
    }
    return e.body;
}

} // namespace switchboard::plugins::testing
