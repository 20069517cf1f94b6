#include "tests/provider_sim/common/digest.hpp"

#include <openssl/evp.h>

namespace switchboard::sim {
namespace {

std::string digest(std::string_view bytes, const EVP_MD* md) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), out, &length, md, nullptr);
    return std::string(reinterpret_cast<const char*>(out), length);
}

std::string hex(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 15]);
    }
    return out;
}

} // namespace

std::string md5_hex(std::string_view bytes) { return hex(digest(bytes, EVP_md5())); }
std::string sha256_hex(std::string_view bytes) { return hex(digest(bytes, EVP_sha256())); }

std::string stable_digits(std::string_view seed, std::size_t digits) {
    const std::string hash = digest(seed, EVP_sha256());
    std::string out;
    for (std::size_t i = 0; out.size() < digits; ++i) {
        const auto b = static_cast<unsigned char>(hash[i % hash.size()]);
        char d = static_cast<char>('0' + (b + i) % 10);
        if (out.empty() && d == '0') {
            d = '1';
        }
        out.push_back(d);
    }
    return out;
}

} // namespace switchboard::sim
