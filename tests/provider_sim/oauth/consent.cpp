#include "tests/provider_sim/oauth/consent.hpp"

#include "tests/provider_sim/common/params.hpp"
#include "tests/provider_sim/common/random.hpp"

namespace switchboard::sim {

std::string ConsentRequests::add(PendingAuthorization pending) {
    std::string id = random_token(18);
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    std::erase_if(pending_, [&](const auto& e) { return e.second.second <= now; });
    pending_.emplace(id, std::make_pair(std::move(pending), now + std::chrono::minutes(10)));
    return id;
}

std::optional<PendingAuthorization> ConsentRequests::take(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = pending_.find(id);
    if (it == pending_.end()) {
        return std::nullopt;
    }
    auto [pending, expires] = std::move(it->second);
    pending_.erase(it);
    if (expires <= clock_.now()) {
        return std::nullopt;
    }
    return pending;
}

void ConsentRequests::clear() {
    std::lock_guard lock(mutex_);
    pending_.clear();
}

std::string render_consent_page(const std::string& provider_name, const std::string& id,
                                const PendingAuthorization& pending, const std::string& action) {
    std::string scopes;
    for (const auto& s : pending.code.grant.scopes) {
        scopes += "<li><code>" + html_escape(s) + "</code></li>";
    }
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(provider_name) +
           " (simulated): sign in and allow access</title></head><body>"
           "<h1>" + html_escape(provider_name) + " (provider-sim)</h1>"
           "<p>The application <code>" + html_escape(pending.code.grant.client_id) +
           "</code> asks for:</p><ul>" + scopes + "</ul>"
           "<form method=\"post\" action=\"" + html_escape(action) + "\">"
           "<input type=\"hidden\" name=\"request\" value=\"" + html_escape(id) + "\">"
           "<label>Account e-mail <input type=\"email\" name=\"email\" required value=\"" +
           html_escape(pending.suggested_user) + "\"></label> "
           "<button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button> "
           "<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button>"
           "</form></body></html>";
}

std::string render_error_page(const std::string& provider_name, const std::string& title,
                              const std::string& detail) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
           "</title></head><body><h1>" + html_escape(provider_name) + " (provider-sim)</h1><h2>" +
           html_escape(title) + "</h2><p>" + html_escape(detail) + "</p></body></html>";
}

} // namespace switchboard::sim
