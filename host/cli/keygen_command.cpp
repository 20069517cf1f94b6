// `switchboard keygen`: prints a new Fernet key (32 random bytes, base64url, 44 characters),
// the form CONNECTOR_ENCRYPTION_KEY takes and Python's Fernet.generate_key() prints.
#include "core/crypto/token_cipher.hpp"
#include "host/cli/commands.hpp"

#include <iostream>

namespace switchboard::cli {

void add_keygen_command(CommandSet& commands) {
    commands.add(commands.app(), "keygen",
                 "Print a new token encryption key for CONNECTOR_ENCRYPTION_KEY (a Fernet key)",
                 [](const CommonOptions&) {
                     auto key = crypto::FernetKey::generate();
                     if (!key) {
                         print_error(key.error().message);
                         return kExitFailure;
                     }
                     std::cout << key->to_base64url() << std::endl;
                     return kExitOk;
                 });
}

} // namespace switchboard::cli
