#include "tests/provider_sim/mime/charset.hpp"

#include "tests/provider_sim/common/text.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace switchboard::sim {
namespace {

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        if (c < 0x80) {
            extra = 0;
        } else if ((c >> 5) == 0x6 && c >= 0xC2) {
            extra = 1;
        } else if ((c >> 4) == 0xE) {
            extra = 2;
        } else if ((c >> 3) == 0x1E && c <= 0xF4) {
            extra = 3;
        } else {
            return false;
        }
        if (i + extra >= s.size()) {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) {
                return false;
            }
        }
        i += extra + 1;
    }
    return true;
}

} // namespace

std::optional<std::string> to_utf8(std::string_view bytes, std::string_view charset) {
    const std::string name = lower(charset);
    if (name.empty() || name == "us-ascii" || name == "ascii") {
        if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
            return std::string(bytes);
        }
        // Mislabelled 8-bit text is common; read it as UTF-8 if it is.
        return valid_utf8(bytes) ? std::optional<std::string>(bytes) : std::nullopt;
    }
    if (name == "utf-8" || name == "utf8") {
        return valid_utf8(bytes) ? std::optional<std::string>(bytes) : std::nullopt;
    }
    iconv_t cd = iconv_open("UTF-8", name.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    std::string in(bytes);
    std::string out(in.size() * 4 + 16, '\0');
    char* in_ptr = in.data();
    std::size_t in_left = in.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    const std::size_t result = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    iconv_close(cd);
    if (result == static_cast<std::size_t>(-1)) {
        return std::nullopt;
    }
    out.resize(out.size() - out_left);
    return out;
}

} // namespace switchboard::sim
