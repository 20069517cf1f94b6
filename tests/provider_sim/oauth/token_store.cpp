#include "tests/provider_sim/oauth/token_store.hpp"

#include "tests/provider_sim/common/random.hpp"

#include <algorithm>
#include <set>

namespace switchboard::sim {

bool Grant::has_scope(std::string_view scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

namespace {

// HubSpot's refresh tokens and codes look like "na1-xxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
std::string hubspot_style_id() {
    const std::string h = random_hex(28);
    return "na1-" + h.substr(0, 4) + "-" + h.substr(4, 4) + "-" + h.substr(8, 4) + "-" +
           h.substr(12, 4) + "-" + h.substr(16, 12);
}

} // namespace

std::string TokenStore::new_access_token(Provider provider) const {
    // Recognisably simulated, shaped like the real ones (Google's start "ya29.").
    return provider == Provider::google ? "ya29.sim-" + random_token(36)
                                        : "CKsim" + random_token(48);
}

std::string TokenStore::new_refresh_token(Provider provider) const {
    return provider == Provider::google ? "1//sim-" + random_token(36) : hubspot_style_id();
}

std::string TokenStore::issue_code(AuthorizationCode code) {
    const Provider provider = code.grant.provider;
    std::string value = provider == Provider::google ? "4/sim-" + random_token(30) : hubspot_style_id();
    std::lock_guard lock(mutex_);
    codes_[value] = StoredCode{std::move(code), 0, false};
    issued_.push_back(value);
    return value;
}

TokenStore::Redeemed TokenStore::redeem_code(Provider provider, std::string_view code) {
    std::lock_guard lock(mutex_);
    const auto it = codes_.find(code);
    if (it == codes_.end() || it->second.code.grant.provider != provider) {
        return {};
    }
    StoredCode& stored = it->second;
    if (stored.used) {
        revoke_family_locked(stored.family);
        return {CodeState::reused, {}, 0};
    }
    if (clock_.now() >= stored.code.expires_at) {
        codes_.erase(it);
        return {CodeState::expired, {}, 0};
    }
    stored.used = true;
    stored.family = next_family_++;
    return {CodeState::valid, stored.code, stored.family};
}

IssuedTokens TokenStore::issue(const Grant& grant, std::chrono::seconds lifetime, bool with_refresh,
                               std::uint64_t family) {
    IssuedTokens out;
    out.access_token = new_access_token(grant.provider);
    out.expires_in = lifetime;
    std::lock_guard lock(mutex_);
    if (family == 0) {
        family = next_family_++;
    }
    access_[out.access_token] = AccessToken{grant, clock_.now() + lifetime, family};
    issued_.push_back(out.access_token);
    if (with_refresh) {
        out.refresh_token = new_refresh_token(grant.provider);
        refresh_[*out.refresh_token] = RefreshToken{grant, family};
        issued_.push_back(*out.refresh_token);
    }
    return out;
}

std::string TokenStore::issue_private_app_token(const Grant& grant) {
    // HubSpot's private-app tokens read "pat-<region>-<uuid>".
    const std::string uuid = random_hex(8) + "-" + random_hex(4) + "-" + random_hex(4) + "-" +
                             random_hex(4) + "-" + random_hex(12);
    std::string token = "pat-na1-" + uuid;
    std::lock_guard lock(mutex_);
    access_[token] = AccessToken{grant, TimePoint::max(), 0, true};
    issued_.push_back(token);
    return token;
}

bool TokenStore::revoke_access(std::string_view token) {
    std::lock_guard lock(mutex_);
    const auto it = access_.find(token);
    if (it == access_.end()) {
        return false;
    }
    access_.erase(it);
    return true;
}

TokenStore::AccessLookup TokenStore::find_access(Provider provider, std::string_view token) const {
    std::lock_guard lock(mutex_);
    const auto it = access_.find(token);
    if (it == access_.end() || it->second.grant.provider != provider) {
        return {};
    }
    if (it->second.never_expires) {
        return {AccessState::valid, it->second, std::chrono::seconds::max()};
    }
    const auto remaining =
        std::chrono::duration_cast<std::chrono::seconds>(it->second.expires_at - clock_.now());
    const AccessState state = remaining.count() > 0 ? AccessState::valid : AccessState::expired;
    return {state, it->second, remaining};
}

std::optional<RefreshToken> TokenStore::find_refresh(Provider provider, std::string_view token) const {
    std::lock_guard lock(mutex_);
    const auto it = refresh_.find(token);
    if (it == refresh_.end() || it->second.grant.provider != provider) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<IssuedTokens> TokenStore::refresh(Provider provider, std::string_view refresh_token,
                                                std::chrono::seconds lifetime, bool rotate) {
    IssuedTokens out;
    out.access_token = new_access_token(provider);
    out.expires_in = lifetime;
    std::lock_guard lock(mutex_);
    const auto it = refresh_.find(refresh_token);
    if (it == refresh_.end() || it->second.grant.provider != provider) {
        return std::nullopt;
    }
    const RefreshToken record = it->second;
    access_[out.access_token] = AccessToken{record.grant, clock_.now() + lifetime, record.family};
    issued_.push_back(out.access_token);
    if (rotate) {
        refresh_.erase(it);
        out.refresh_token = new_refresh_token(provider);
        refresh_[*out.refresh_token] = record;
        issued_.push_back(*out.refresh_token);
    }
    return out;
}

void TokenStore::revoke_family_locked(std::uint64_t family) {
    if (family == 0) {
        return;
    }
    std::erase_if(access_, [&](const auto& e) { return e.second.family == family; });
    std::erase_if(refresh_, [&](const auto& e) { return e.second.family == family; });
}

bool TokenStore::revoke_family(Provider provider, std::string_view token) {
    std::lock_guard lock(mutex_);
    if (const auto a = access_.find(token); a != access_.end() && a->second.grant.provider == provider) {
        revoke_family_locked(a->second.family);
        return true;
    }
    if (const auto r = refresh_.find(token); r != refresh_.end() && r->second.grant.provider == provider) {
        revoke_family_locked(r->second.family);
        return true;
    }
    return false;
}

bool TokenStore::delete_refresh(Provider provider, std::string_view token) {
    std::lock_guard lock(mutex_);
    const auto it = refresh_.find(token);
    if (it == refresh_.end() || it->second.grant.provider != provider) {
        return false;
    }
    refresh_.erase(it);
    return true;
}

bool TokenStore::revoke_refresh(std::string_view token) {
    std::lock_guard lock(mutex_);
    const auto it = refresh_.find(token);
    if (it == refresh_.end()) {
        return false;
    }
    refresh_.erase(it);
    return true;
}

std::size_t TokenStore::revoke_refresh_of_user(std::string_view user) {
    std::lock_guard lock(mutex_);
    return std::erase_if(refresh_, [&](const auto& e) { return e.second.grant.user == user; });
}

std::size_t TokenStore::expire_access_tokens(std::optional<Provider> provider) {
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    std::size_t count = 0;
    for (auto& [token, record] : access_) {
        if ((!provider || record.grant.provider == *provider) && record.expires_at > now &&
            !record.never_expires) {
            record.expires_at = now;
            ++count;
        }
    }
    return count;
}

bool TokenStore::has_refresh(Provider provider, std::string_view client_id, std::string_view user) const {
    std::lock_guard lock(mutex_);
    return std::any_of(refresh_.begin(), refresh_.end(), [&](const auto& e) {
        const Grant& g = e.second.grant;
        return g.provider == provider && g.client_id == client_id && g.user == user;
    });
}

std::vector<std::string> TokenStore::granted_scopes(Provider provider, std::string_view client_id,
                                                    std::string_view user) const {
    std::lock_guard lock(mutex_);
    std::set<std::string> scopes;
    const auto collect = [&](const Grant& g) {
        if (g.provider == provider && g.client_id == client_id && g.user == user) {
            scopes.insert(g.scopes.begin(), g.scopes.end());
        }
    };
    for (const auto& [_, r] : refresh_) {
        collect(r.grant);
    }
    const TimePoint now = clock_.now();
    for (const auto& [_, a] : access_) {
        if (a.expires_at > now) {
            collect(a.grant);
        }
    }
    return {scopes.begin(), scopes.end()};
}

std::vector<std::string> TokenStore::issued_secrets() const {
    std::lock_guard lock(mutex_);
    return issued_;
}

void TokenStore::note_verifier(std::string_view verifier) {
    std::lock_guard lock(mutex_);
    issued_.emplace_back(verifier);
}

void TokenStore::clear() {
    std::lock_guard lock(mutex_);
    codes_.clear();
    access_.clear();
    refresh_.clear();
    issued_.clear();
}

} // namespace switchboard::sim
