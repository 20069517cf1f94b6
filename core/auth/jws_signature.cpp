#include "core/auth/jws_signature.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>

namespace switchboard::auth {
namespace {

struct MdCtxFree {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EcdsaSigFree {
    void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

bool digest_verify(EVP_PKEY* key, std::string_view signing_input, const unsigned char* signature,
                   std::size_t signature_size) {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), signature, signature_size, bytes(signing_input),
                            signing_input.size()) == 1;
}

} // namespace

bool verify_hs256(std::string_view secret, std::string_view signing_input,
                  std::string_view signature) noexcept {
    if (secret.empty() || signature.size() != 32) {
        return false;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), bytes(signing_input),
             signing_input.size(), mac, &mac_size) == nullptr ||
        mac_size != 32) {
        return false;
    }
    return CRYPTO_memcmp(mac, signature.data(), 32) == 0;
}

bool verify_rs256(EVP_PKEY* key, std::string_view signing_input,
                  std::string_view signature) noexcept {
    if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        return false;
    }
    return digest_verify(key, signing_input, bytes(signature), signature.size());
}

bool verify_es256(EVP_PKEY* key, std::string_view signing_input,
                  std::string_view signature) noexcept {
    if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || signature.size() != 64) {
        return false;
    }
    std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(bytes(signature), 32, nullptr);
    BIGNUM* s = BN_bin2bn(bytes(signature) + 32, 32, nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return false;
    }
    unsigned char* der = nullptr;
    const int der_size = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_size <= 0) {
        return false;
    }
    const bool ok = digest_verify(key, signing_input, der, static_cast<std::size_t>(der_size));
    OPENSSL_free(der);
    return ok;
}

} // namespace switchboard::auth
