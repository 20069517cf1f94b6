// How the host reads structs a plugin hands it (the OBS rule): check `struct_size` first,
// copy that many bytes (at most our sizeof) into a zeroed host struct, and read a field only
// when it lies inside `struct_size`. Nothing the plugin passed is read in place afterwards.
#pragma once

#include <switchboard/plugin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

namespace switchboard::plugin {

// The end of `field` in `type`: a struct whose struct_size reaches it holds the field.
#define SB_FIELD_END(type, field) (offsetof(type, field) + sizeof(((const type*)nullptr)->field))

inline constexpr sb_abi_version kHostAbi{SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR};

// The smallest struct_size the host accepts for each struct a plugin fills: up to its last
// field that ABI 1.0 requires. Trailing fields the header marks optional (sb_plugin.get_extension
// "may be NULL", sb_oauth_desc.identity_* "both NULL when the provider exposes no identity")
// may lie past struct_size and then read as NULL. Later minors append fields (1.1:
// sb_oauth_desc.identity_account_field; 1.2: sb_provider_desc.allowed_base_urls and
// access_token; 1.3: sb_provider_desc.contract_revision); the host reads those only after
// SB_HAS_FIELD, so a plugin built for 1.0 reads as one that leaves them NULL, and one built for
// a newer minor than the host's has the fields the host does not know cut off by copy_struct.
inline constexpr std::size_t kPluginHeaderSize = SB_FIELD_END(sb_plugin, abi);
inline constexpr std::size_t kPluginMinSize = SB_FIELD_END(sb_plugin, invoke);
inline constexpr std::size_t kProviderDescMinSize = SB_FIELD_END(sb_provider_desc, action_count);
inline constexpr std::size_t kOAuthDescMinSize = SB_FIELD_END(sb_oauth_desc, client_auth);
inline constexpr std::size_t kPairMinSize = SB_FIELD_END(sb_pair, value);
inline constexpr std::size_t kHttpRequestMinSize = SB_FIELD_END(sb_http_request, body_size);
// ABI 1.2: the fields of sb_access_token_desc that are required when there is one.
inline constexpr std::size_t kAccessTokenDescMinSize =
    SB_FIELD_END(sb_access_token_desc, identity_field);

// The struct_size a plugin declared (the first member of every ABI struct).
template <class T>
std::uint32_t declared_size(const T* from) noexcept {
    std::uint32_t size = 0;
    std::memcpy(&size, from, sizeof size);
    return size;
}

// Copies `*from` into a zeroed T, reading only the bytes its struct_size declares; nullopt
// when struct_size is below `min_size`. The copy keeps the declared struct_size, so
// SB_HAS_FIELD on it answers whether the plugin provided a field.
template <class T>
std::optional<T> copy_struct(const T* from, std::size_t min_size) noexcept {
    const std::uint32_t size = declared_size(from);
    if (size < min_size) {
        return std::nullopt;
    }
    T to{};
    std::memcpy(static_cast<void*>(&to), static_cast<const void*>(from),
                std::min<std::size_t>(size, sizeof(T)));
    return to;
}

} // namespace switchboard::plugin
