// Gmail v1: messages.send (a base64url RFC 2822 `raw`, or the upload endpoint's
// message/rfc822 media), messages.get (formats full, metadata, minimal, raw),
// messages.list (q, labelIds, paging) and labels.list (the system labels). A sent message lands in the sender's mailbox
// (SENT) and in each recipient's (INBOX, UNREAD; Bcc removed), so a test can read it back
// from either side; the parsed message is also available to tests directly.
#pragma once

#include "tests/provider_sim/google/google_api.hpp"
#include "tests/provider_sim/mime/email_message.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard::sim {

// A message in a simulated mailbox.
struct StoredEmail {
    std::string account; // whose mailbox
    std::string id;
    std::string thread_id;
    std::vector<std::string> labels; // "SENT", or "INBOX" and "UNREAD"
    std::string raw;                 // the RFC 2822 bytes
    EmailMessage parsed;             // recipients, subject, text, html, attachments
    TimePoint internal_date;
};

class GmailService {
public:
    explicit GmailService(SimState& state) : state_(state) {}
    void register_with(GoogleApi& api);

    // [thread-safe] `account`'s mailbox, oldest first.
    std::vector<StoredEmail> messages(std::string_view account) const;
    void clear();

private:
    Response send(const GoogleCall& call);
    Response get(const GoogleCall& call);
    Response list(const GoogleCall& call);
    Response labels(const GoogleCall& call) const;

    SimState& state_;
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<StoredEmail>> mailboxes_; // by lowercased e-mail
};

} // namespace switchboard::sim
