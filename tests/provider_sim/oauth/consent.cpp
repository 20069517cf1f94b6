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

namespace {

// The look both pages share: a centred card, system fonts, AA contrast, a visible focus ring.
// The simulator's pages are its own origin, so an inline style is no one else's concern.
constexpr const char* kPageStyle =
    "<style>"
    "*{box-sizing:border-box}"
    "body{margin:0;min-height:100vh;display:grid;place-items:center;padding:1.5rem;"
    "background:#f1f3f4;color:#202124;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "main{width:100%;max-width:28rem;background:#fff;border:1px solid #dadce0;border-radius:12px;"
    "padding:2rem;box-shadow:0 1px 3px rgb(60 64 67/15%)}"
    ".tag{display:inline-block;margin:0 0 1rem;padding:.15rem .6rem;border-radius:999px;"
    "background:#fef7e0;color:#6b4e00;font-size:.8125rem;font-weight:600}"
    "h1{margin:0 0 .25rem;font-size:1.5rem;line-height:1.3}"
    "h2{margin:0 0 .75rem;font-size:1.1rem;font-weight:600}"
    "p{margin:.5rem 0}"
    "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.875em;overflow-wrap:anywhere}"
    "ul{margin:.5rem 0 1.25rem;padding-left:1.25rem}li{margin:.25rem 0}"
    "label{display:block;font-weight:600;margin-bottom:.3rem}"
    "input[type=email]{width:100%;font:inherit;padding:.55rem .75rem;border:1px solid #80868b;"
    "border-radius:8px}"
    ".hint{color:#5f6368;font-size:.875rem;margin:.35rem 0 1.25rem}"
    ".buttons{display:flex;gap:.75rem;flex-wrap:wrap}"
    "button{font:inherit;font-weight:600;min-height:2.5rem;padding:.45rem 1.25rem;border-radius:8px;"
    "cursor:pointer;border:1px solid #1a73e8}"
    ".allow{background:#1a73e8;color:#fff}.allow:hover{background:#1765cc}"
    ".deny{background:#fff;color:#1a5fc1}.deny:hover{background:#f1f6fe}"
    ":focus-visible{outline:3px solid #1a73e8;outline-offset:2px}"
    "</style>";

std::string page_head(const std::string& title) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + html_escape(title) + "</title>" + kPageStyle + "</head><body><main>"
           "<p class=\"tag\">provider-sim: a simulated provider, no real account</p>";
}

} // namespace

std::string render_consent_page(const std::string& provider_name, const std::string& id,
                                const PendingAuthorization& pending, const std::string& action) {
    std::string scopes;
    for (const auto& s : pending.code.grant.scopes) {
        scopes += "<li><code>" + html_escape(s) + "</code></li>";
    }
    return page_head("Sign in with " + provider_name + " (simulated)") +
           "<h1>Sign in with " + html_escape(provider_name) + "</h1>"
           "<p>The application <code>" + html_escape(pending.code.grant.client_id) +
           "</code> asks for access to your account:</p><ul>" + scopes + "</ul>"
           "<form method=\"post\" action=\"" + html_escape(action) + "\">"
           "<input type=\"hidden\" name=\"request\" value=\"" + html_escape(id) + "\">"
           "<label for=\"email\">Account e-mail</label>"
           "<input id=\"email\" type=\"email\" name=\"email\" required autocomplete=\"email\" "
           "aria-describedby=\"email-hint\" value=\"" + html_escape(pending.suggested_user) + "\">"
           "<p class=\"hint\" id=\"email-hint\">Any address works: you are signed in as that "
           "account of the simulator.</p>"
           "<div class=\"buttons\">"
           // Allow first: Enter in the e-mail field presses the form's first button.
           "<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"allow\">Allow</button>"
           "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"deny\" "
           "formnovalidate>Deny</button>"
           "</div></form></main></body></html>";
}

std::string render_error_page(const std::string& provider_name, const std::string& title,
                              const std::string& detail) {
    return page_head(title) + "<h1>" + html_escape(provider_name) + "</h1><h2>" +
           html_escape(title) + "</h2><p>" + html_escape(detail) + "</p></main></body></html>";
}

} // namespace switchboard::sim
