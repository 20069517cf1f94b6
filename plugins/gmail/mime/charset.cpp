#include "plugins/gmail/mime/charset.hpp"

#include "plugins/gmail/mime/utf8.hpp"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstddef>

namespace switchboard::plugins::gmail::mime {
namespace {

constexpr std::string_view utf8_labels[] = {"utf-8", "utf8", "unicode-1-1-utf-8", ""};
constexpr std::string_view ascii_labels[] = {"us-ascii", "ascii",  "ansi_x3.4-1968",
                                             "iso646-us", "us",    "cp367",
                                             "ibm367",   "iso-ir-6"};
constexpr std::string_view latin1_labels[] = {
    "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
    "cp819",      "ibm819",    "iso-ir-100", "windows-1252",    "cp1252", "x-cp1252"};

template <std::size_t N>
bool one_of(std::string_view label, const std::string_view (&labels)[N]) {
    for (const auto l : labels) {
        if (label == l) return true;
    }
    return false;
}

// Windows-1252's 0x80-0x9F; the five bytes it leaves undefined map to the C1 controls of the
// same value (WHATWG).
constexpr std::array<char16_t, 32> cp1252_high = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string from_windows_1252(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 4);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x80 && b <= 0x9F) {
            append_utf8(out, cp1252_high[b - 0x80]);
        } else {
            append_utf8(out, b);
        }
    }
    return out;
}

// Only plain charset names reach iconv_open: a label is message data, and glibc gives
// '/' a meaning ("//TRANSLIT").
bool is_plain_charset_name(std::string_view label) {
    if (label.empty() || label.size() > 40) return false;
    for (const char c : label) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                        c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

// iconv(3) from `charset` to UTF-8, or nothing when glibc does not know the charset.
bool convert_with_iconv(std::string_view bytes, const std::string& charset, DecodedText& out) {
    iconv_t cd = ::iconv_open("UTF-8", charset.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::string result;
    result.reserve(bytes.size() * 2 + 16);
    std::array<char, 4096> buffer{};
    char* in = const_cast<char*>(bytes.data()); // iconv's signature; it does not write input
    std::size_t in_left = bytes.size();
    bool exact = true;
    while (in_left > 0) {
        char* outp = buffer.data();
        std::size_t out_left = buffer.size();
        const std::size_t rc = ::iconv(cd, &in, &in_left, &outp, &out_left);
        result.append(buffer.data(), buffer.size() - out_left);
        if (rc != static_cast<std::size_t>(-1)) continue;
        if (errno == E2BIG) continue;
        // EILSEQ (a byte the charset does not allow) or EINVAL (a truncated sequence at the
        // end): one replacement character, skip a byte, go on.
        exact = false;
        result += "\xEF\xBF\xBD";
        ++in;
        --in_left;
        ::iconv(cd, nullptr, nullptr, nullptr, nullptr); // reset the shift state
    }
    // Flush a stateful encoding's final shift sequence (ISO-2022-JP).
    char* outp = buffer.data();
    std::size_t out_left = buffer.size();
    ::iconv(cd, nullptr, nullptr, &outp, &out_left);
    result.append(buffer.data(), buffer.size() - out_left);
    ::iconv_close(cd);
    out.utf8 = sanitize_utf8(result); // iconv's UTF-8 is well-formed; this is belt and braces
    out.exact = exact;
    return true;
}

} // namespace

std::string normalize_charset(std::string_view label) {
    while (!label.empty() && (label.front() == ' ' || label.front() == '\t' || label.front() == '"')) {
        label.remove_prefix(1);
    }
    while (!label.empty() && (label.back() == ' ' || label.back() == '\t' || label.back() == '"')) {
        label.remove_suffix(1);
    }
    std::string out(label);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

DecodedText to_utf8(std::string_view bytes, std::string_view charset) {
    const std::string label = normalize_charset(charset);
    DecodedText out;
    if (one_of(label, utf8_labels) || one_of(label, ascii_labels)) {
        out.exact = is_valid_utf8(bytes);
        out.utf8 = out.exact ? std::string(bytes) : sanitize_utf8(bytes);
        return out;
    }
    if (one_of(label, latin1_labels)) {
        out.utf8 = from_windows_1252(bytes);
        return out;
    }
    if (is_plain_charset_name(label) && convert_with_iconv(bytes, label, out)) return out;
    out.utf8 = sanitize_utf8(bytes);
    out.exact = false;
    return out;
}

} // namespace switchboard::plugins::gmail::mime
