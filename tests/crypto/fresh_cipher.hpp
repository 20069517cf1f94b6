// A TokenCipher under a newly generated key, for the Fernet tests.
#pragma once

#include "core/crypto/token_cipher.hpp"

#include <gtest/gtest.h>

namespace switchboard::crypto {

inline TokenCipher fresh_cipher() {
    auto key = FernetKey::generate();
    EXPECT_TRUE(key);
    return TokenCipher(*key);
}

} // namespace switchboard::crypto
