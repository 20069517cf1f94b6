#include "core/auth/jwks.hpp"

#include "core/auth/base64url.hpp"

#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace switchboard::auth {
namespace {

using json = nlohmann::json;

Error invalid_jwks(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_jwks", std::move(message));
}

struct BnFree {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldFree {
    void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};

std::shared_ptr<EVP_PKEY> from_params(const char* type, OSSL_PARAM_BLD* builder) {
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(builder));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
        return nullptr;
    }
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return nullptr;
    }
    std::shared_ptr<EVP_PKEY> owned(key, EVP_PKEY_free);
    // fromdata does not check that an EC point lies on the curve; this does.
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        return nullptr;
    }
    return owned;
}

std::optional<std::string> member(const json& jwk, const char* name) {
    auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

Result<std::shared_ptr<EVP_PKEY>> rsa_key(const json& jwk, const std::string& what) {
    auto n = member(jwk, "n");
    auto e = member(jwk, "e");
    std::optional<std::string> n_bytes = n ? base64url_decode(*n) : std::nullopt;
    std::optional<std::string> e_bytes = e ? base64url_decode(*e) : std::nullopt;
    if (!n_bytes || !e_bytes || n_bytes->empty() || e_bytes->empty()) {
        return invalid_jwks(what + ": RSA key needs base64url members n and e");
    }
    std::unique_ptr<BIGNUM, BnFree> bn_n(BN_bin2bn(
        reinterpret_cast<const unsigned char*>(n_bytes->data()), static_cast<int>(n_bytes->size()), nullptr));
    std::unique_ptr<BIGNUM, BnFree> bn_e(BN_bin2bn(
        reinterpret_cast<const unsigned char*>(e_bytes->data()), static_cast<int>(e_bytes->size()), nullptr));
    if (!bn_n || !bn_e) {
        return invalid_jwks(what + ": RSA key material could not be read");
    }
    if (BN_num_bits(bn_n.get()) < 2048) {
        return invalid_jwks(what + ": RSA key is shorter than 2048 bits");
    }
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
        return invalid_jwks(what + ": RSA key parameters could not be built");
    }
    auto key = from_params("RSA", builder.get());
    if (!key) {
        return invalid_jwks(what + ": RSA key is not a valid public key");
    }
    return key;
}

Result<std::shared_ptr<EVP_PKEY>> ec_key(const json& jwk, const std::string& what) {
    auto x = member(jwk, "x");
    auto y = member(jwk, "y");
    std::optional<std::string> x_bytes = x ? base64url_decode(*x) : std::nullopt;
    std::optional<std::string> y_bytes = y ? base64url_decode(*y) : std::nullopt;
    // RFC 7518 section 6.2.1.2: the full coordinate length, 32 bytes for P-256.
    if (!x_bytes || !y_bytes || x_bytes->size() != 32 || y_bytes->size() != 32) {
        return invalid_jwks(what + ": P-256 key needs 32-byte base64url members x and y");
    }
    std::string point = "\x04" + *x_bytes + *y_bytes; // uncompressed SEC1 point
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
        return invalid_jwks(what + ": EC key parameters could not be built");
    }
    auto key = from_params("EC", builder.get());
    if (!key) {
        return invalid_jwks(what + ": EC key is not a valid P-256 public key");
    }
    return key;
}

} // namespace

Result<std::vector<PublicKey>> parse_jwks(std::string_view text) {
    const json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return invalid_jwks("the JWKS is not a JSON object");
    }
    auto keys = document.find("keys");
    if (keys == document.end() || !keys->is_array()) {
        return invalid_jwks("the JWKS has no \"keys\" array");
    }
    std::vector<PublicKey> out;
    std::size_t index = 0;
    for (const json& jwk : *keys) {
        ++index;
        if (!jwk.is_object()) {
            return invalid_jwks("JWKS key #" + std::to_string(index) + " is not an object");
        }
        PublicKey key;
        key.kid = member(jwk, "kid").value_or("");
        key.alg = member(jwk, "alg").value_or("");
        const std::string what = "JWKS key #" + std::to_string(index) +
                                 (key.kid.empty() ? std::string() : " (kid " + key.kid + ")");
        const auto kty = member(jwk, "kty").value_or("");
        const auto use = member(jwk, "use");
        if (use && *use != "sig") {
            continue; // an encryption key
        }
        if (kty == "RSA") {
            if (!key.alg.empty() && key.alg != "RS256") {
                spdlog::warn("auth: skipping {}: alg {} is not supported", what, key.alg);
                continue;
            }
            auto material = rsa_key(jwk, what);
            if (!material) {
                return material.error();
            }
            key.type = KeyType::rsa;
            key.key = std::move(*material);
        } else if (kty == "EC") {
            if (member(jwk, "crv").value_or("") != "P-256" ||
                (!key.alg.empty() && key.alg != "ES256")) {
                spdlog::warn("auth: skipping {}: only EC keys on P-256 for ES256 are supported", what);
                continue;
            }
            auto material = ec_key(jwk, what);
            if (!material) {
                return material.error();
            }
            key.type = KeyType::ec_p256;
            key.key = std::move(*material);
        } else {
            spdlog::warn("auth: skipping {}: key type '{}' is not supported", what, kty);
            continue;
        }
        out.push_back(std::move(key));
    }
    return out;
}

Result<std::vector<PublicKey>> load_jwks_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return invalid_jwks("the JWKS file '" + path + "' cannot be opened");
    }
    std::string text;
    constexpr std::size_t limit = 1024 * 1024;
    text.resize(limit + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) {
        return invalid_jwks("the JWKS file '" + path + "' is larger than 1 MiB");
    }
    auto keys = parse_jwks(text);
    if (!keys) {
        Error error = keys.error();
        error.message = "the JWKS file '" + path + "': " + error.message;
        return error;
    }
    return keys;
}

} // namespace switchboard::auth
