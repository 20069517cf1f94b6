#include "tests/provider_sim/google/gmail/gmail_service.hpp"

#include "tests/provider_sim/common/base64.hpp"
#include "tests/provider_sim/common/page_token.hpp"
#include "tests/provider_sim/common/random.hpp"
#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/google/gmail/gmail_query.hpp"
#include "tests/provider_sim/google/google_errors.hpp"
#include "tests/provider_sim/mime/encoded_words.hpp"

#include <algorithm>
#include <set>

namespace switchboard::sim {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultMessagesPageSize = 100;
constexpr std::size_t kMaxMessagesPageSize = 500;
constexpr std::size_t kSnippetLength = 200;

Response gmail_not_found() {
    return google_error(404, "Requested entity was not found.", {{"Requested entity was not found.", "notFound"}});
}

Response invalid_argument(const std::string& message) {
    return google_error(400, message, {{message, "invalidArgument"}});
}

// The text of a snippet: tags dropped, blanks collapsed, cut on a UTF-8 boundary.
std::string snippet_of(const EmailMessage& m) {
    const std::string& source = m.text.empty() ? m.html : m.text;
    std::string out;
    bool in_tag = false;
    bool blank = false;
    for (const char c : source) {
        if (m.text.empty() && c == '<') {
            in_tag = true;
        } else if (in_tag) {
            in_tag = c != '>';
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            blank = !out.empty();
        } else {
            if (blank) {
                out.push_back(' ');
                blank = false;
            }
            out.push_back(c);
        }
    }
    if (out.size() > kSnippetLength) {
        std::size_t cut = kSnippetLength;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
    }
    return out;
}

json headers_json(const MimePart& part, const std::vector<std::string>& only) {
    json headers = json::array();
    for (const auto& h : part.headers) {
        if (!only.empty() && std::none_of(only.begin(), only.end(),
                                          [&](const std::string& n) { return lower(n) == lower(h.name); })) {
            continue;
        }
        headers.push_back({{"name", h.name}, {"value", decode_encoded_words(h.value)}});
    }
    return headers;
}

// Gmail's MessagePart: partId "" for the root, "0", "1", "0.1", ... below it.
json part_json(const MimePart& part, const std::string& part_id) {
    json body{{"size", part.body.size()}};
    if (!part.is_multipart()) {
        body["data"] = base64url_encode(part.body);
    }
    json out{{"partId", part_id},
             {"mimeType", part.media_type},
             {"filename", part.filename()},
             {"headers", headers_json(part, {})},
             {"body", body}};
    if (part.is_multipart()) {
        json parts = json::array();
        for (std::size_t i = 0; i < part.parts.size(); ++i) {
            parts.push_back(part_json(part.parts[i], part_id.empty() ? std::to_string(i)
                                                                     : part_id + "." + std::to_string(i)));
        }
        out["parts"] = parts;
    }
    return out;
}

std::optional<Response> check_user(const GoogleCall& call) {
    const std::string user_id = call.path("userId");
    if (user_id == "me" || lower(user_id) == lower(call.caller.user)) {
        return std::nullopt;
    }
    return google_error(403, "Delegation denied for " + call.caller.user,
                        {{"Delegation denied for " + call.caller.user, "forbidden"}});
}

} // namespace

void GmailService::register_with(GoogleApi& api) {
    api.add("gmail.users.messages.send", [this](const GoogleCall& c) { return send(c); });
    api.add("gmail.users.messages.get", [this](const GoogleCall& c) { return get(c); });
    api.add("gmail.users.messages.list", [this](const GoogleCall& c) { return list(c); });
    api.add("gmail.users.labels.list", [this](const GoogleCall& c) { return labels(c); });
}

Response GmailService::labels(const GoogleCall& call) const {
    if (auto refused = check_user(call)) {
        return *refused;
    }
    // Every mailbox has Gmail's system labels (https://developers.google.com/gmail/api/guides/
    // labels); the simulator has no user labels.
    static constexpr const char* system_labels[] = {
        "CHAT",              "SENT",             "INBOX",           "IMPORTANT",
        "TRASH",             "DRAFT",            "SPAM",            "CATEGORY_FORUMS",
        "CATEGORY_UPDATES",  "CATEGORY_PERSONAL", "CATEGORY_PROMOTIONS", "CATEGORY_SOCIAL",
        "STARRED",           "UNREAD"};
    json labels = json::array();
    for (const char* id : system_labels) {
        labels.push_back({{"id", id}, {"name", id}, {"type", "system"}});
    }
    return Response::json(200, json{{"labels", labels}}.dump());
}

std::vector<StoredEmail> GmailService::messages(std::string_view account) const {
    std::lock_guard lock(mutex_);
    const auto it = mailboxes_.find(lower(std::string(account)));
    return it == mailboxes_.end() ? std::vector<StoredEmail>{} : it->second;
}

void GmailService::clear() {
    std::lock_guard lock(mutex_);
    mailboxes_.clear();
}

Response GmailService::send(const GoogleCall& call) {
    if (auto denied = check_user(call)) {
        return *denied;
    }
    std::string raw;
    if (call.media) {
        raw = call.media->bytes;
    } else {
        const auto decoded = base64_decode(call.body.value("raw", ""));
        if (!decoded) {
            return invalid_argument("Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed");
        }
        raw = *decoded;
    }
    auto parsed = parse_email(raw);
    if (!parsed) {
        return invalid_argument(parsed.error().message);
    }
    if (parsed->recipients().empty()) {
        return invalid_argument("Recipient address required");
    }
    const std::string& sender = call.caller.user;
    if (parsed->from.empty()) {
        // Gmail fills in the authenticated sender.
        raw = "From: " + sender + (raw.find("\r\n") != std::string::npos ? "\r\n" : "\n") + raw;
        parsed->from.push_back({"", sender});
        parsed->root.headers.insert(parsed->root.headers.begin(), MimeHeader{"From", sender});
    }
    const TimePoint now = state_.clock.now();
    std::lock_guard lock(mutex_);
    auto& outbox = mailboxes_[lower(sender)];
    std::string thread_id = call.body.value("threadId", "");
    if (thread_id.empty() || std::none_of(outbox.begin(), outbox.end(),
                                          [&](const StoredEmail& m) { return m.thread_id == thread_id; })) {
        thread_id.clear();
    }
    StoredEmail sent{sender, random_hex(16), {}, {"SENT"}, raw, *parsed, now};
    sent.thread_id = thread_id.empty() ? sent.id : thread_id;

    std::set<std::string> delivered;
    for (const auto& address : parsed->recipients()) {
        const std::string key = lower(address);
        if (!delivered.insert(key).second) {
            continue;
        }
        if (key == lower(sender)) {
            sent.labels.insert(sent.labels.end(), {"INBOX", "UNREAD"});
            continue;
        }
        const std::string copy = remove_header(raw, "Bcc");
        auto received = parse_email(copy);
        const std::string id = random_hex(16);
        mailboxes_[key].push_back(
            StoredEmail{address, id, id, {"INBOX", "UNREAD"}, copy, received ? *received : *parsed, now});
    }
    const json body{{"id", sent.id}, {"threadId", sent.thread_id}, {"labelIds", sent.labels}};
    outbox.push_back(std::move(sent));
    return Response::json(200, body.dump());
}

Response GmailService::get(const GoogleCall& call) {
    if (auto denied = check_user(call)) {
        return *denied;
    }
    std::lock_guard lock(mutex_);
    const auto& box = mailboxes_[lower(call.caller.user)];
    const std::string id = call.path("id");
    const auto it = std::find_if(box.begin(), box.end(), [&](const StoredEmail& m) { return m.id == id; });
    if (it == box.end()) {
        return gmail_not_found();
    }
    const std::string format = call.param("format").value_or("full");
    json out{{"id", it->id},
             {"threadId", it->thread_id},
             {"labelIds", it->labels},
             {"snippet", snippet_of(it->parsed)},
             {"sizeEstimate", it->raw.size()},
             {"historyId", std::to_string(1000 + static_cast<std::size_t>(it - box.begin()))},
             {"internalDate", std::to_string(epoch_millis(it->internal_date))}};
    if (format == "raw") {
        out["raw"] = base64url_encode(it->raw);
    } else if (format == "metadata") {
        std::vector<std::string> only;
        for (const auto& [name, value] : call.query) {
            if (name == "metadataHeaders") {
                only.push_back(value);
            }
        }
        out["payload"] = {{"partId", ""},
                          {"mimeType", it->parsed.root.media_type},
                          {"filename", ""},
                          {"headers", headers_json(it->parsed.root, only)},
                          {"body", {{"size", 0}}}};
    } else if (format == "full") {
        out["payload"] = part_json(it->parsed.root, "");
    }
    return Response::json(200, out.dump());
}

Response GmailService::list(const GoogleCall& call) {
    if (auto denied = check_user(call)) {
        return *denied;
    }
    const GmailQuery query(call.param("q").value_or(""));
    std::vector<std::string> label_ids;
    for (const auto& [name, value] : call.query) {
        if (name == "labelIds") {
            label_ids.push_back(value);
        }
    }
    const bool spam_trash = call.param("includeSpamTrash") == std::optional<std::string>("true");
    std::size_t page_size =
        std::min<std::size_t>(std::stoul(call.param("maxResults").value_or(std::to_string(kDefaultMessagesPageSize))),
                              kMaxMessagesPageSize);
    if (page_size == 0) {
        page_size = kDefaultMessagesPageSize; // the document allows 0; a page of nothing would never end
    }
    const std::string scope = "gmail.users.messages.list:" + lower(call.caller.user);
    std::size_t offset = 0;
    if (const auto token = call.param("pageToken")) {
        const auto read = read_page_token(scope, *token);
        if (!read) {
            return invalid_argument("Invalid pageToken");
        }
        offset = *read;
    }
    std::vector<const StoredEmail*> hits;
    std::lock_guard lock(mutex_);
    const auto& box = mailboxes_[lower(call.caller.user)];
    for (auto it = box.rbegin(); it != box.rend(); ++it) { // newest first
        const auto has = [&](const std::string& l) {
            return std::find(it->labels.begin(), it->labels.end(), l) != it->labels.end();
        };
        if (!spam_trash && (has("SPAM") || has("TRASH"))) {
            continue;
        }
        if (!std::all_of(label_ids.begin(), label_ids.end(), has)) {
            continue;
        }
        if (!query.matches({it->parsed, it->labels, it->internal_date})) {
            continue;
        }
        hits.push_back(&*it);
    }
    json out{{"resultSizeEstimate", hits.size()}};
    json messages = json::array();
    for (std::size_t i = offset; i < hits.size() && i < offset + page_size; ++i) {
        messages.push_back({{"id", hits[i]->id}, {"threadId", hits[i]->thread_id}});
    }
    if (!messages.empty()) {
        out["messages"] = messages;
    }
    if (offset + page_size < hits.size()) {
        out["nextPageToken"] = make_page_token(scope, offset + page_size);
    }
    return Response::json(200, out.dump());
}

} // namespace switchboard::sim
