#include "tests/provider_sim/common/random.hpp"

#include "tests/provider_sim/common/base64.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <string_view>

namespace switchboard::sim {
namespace {

std::string random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
        throw std::runtime_error("the OpenSSL random generator failed");
    }
    return bytes;
}

std::string random_from_alphabet(std::string_view alphabet, std::size_t length) {
    // Rejection sampling keeps the distribution uniform for any alphabet size.
    const std::size_t limit = 256 - 256 % alphabet.size(); // 256 for 16 or 32 letters
    std::string out;
    out.reserve(length);
    while (out.size() < length) {
        for (const char c : random_bytes(length)) {
            const std::size_t byte = static_cast<unsigned char>(c);
            if (byte < limit && out.size() < length) {
                out.push_back(alphabet[byte % alphabet.size()]);
            }
        }
    }
    return out;
}

} // namespace

std::string random_token(std::size_t bytes) { return base64url_encode(random_bytes(bytes)); }

std::string random_hex(std::size_t length) {
    return random_from_alphabet("0123456789abcdef", length);
}

std::string random_base32hex(std::size_t length) {
    return random_from_alphabet("0123456789abcdefghijklmnopqrstuv", length);
}

std::string random_letters(std::size_t length) {
    return random_from_alphabet("abcdefghijklmnopqrstuvwxyz", length);
}

} // namespace switchboard::sim
