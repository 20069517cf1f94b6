#include "plugins/gmail/actions.hpp"

#include "plugins/gmail/gmail_api.hpp"
#include "plugins/gmail/message_fields.hpp"

#include "switchboard/params.hpp"
#include "switchboard/url.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::gmail {

using nlohmann::json;

// The contract's default page size (ListEmailsParams.max_results) and Gmail's maximum.
inline constexpr std::int64_t default_max_results = 20;
inline constexpr std::int64_t max_max_results = 500;
// The contract's longest page_token: a longer next page token could not be handed back.
inline constexpr std::size_t max_page_token_length = 4096;

sdk::Outcome list_emails(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    const auto query = params.string("query");
    const auto label = params.string("label");
    const auto page_token = params.string("page_token");
    const std::int64_t max_results =
        params.integer("max_results", {.min = 1, .max = max_max_results}).value_or(default_max_results);
    if (!params.ok()) return params.error();

    sdk::Query q;
    q.add("maxResults", std::to_string(max_results));
    if (query && !query->empty()) q.add("q", *query);
    if (label && !label->empty()) q.add("labelIds", *label);
    if (page_token && !page_token->empty()) q.add("pageToken", *page_token);
    const sdk::HttpResponse listed = call.get(std::string(messages_path) + q.str());
    if (!listed.ok()) return gmail_error(listed);
    const json page = json::parse(listed.body, nullptr, false);
    if (!page.is_object()) return unreadable_response("the message list is not a JSON object");
    const auto next = page.find("nextPageToken");
    const bool has_next = next != page.end() && next->is_string() && !next->get_ref<const std::string&>().empty();
    if (has_next && next->get_ref<const std::string&>().size() > max_page_token_length) {
        return unreadable_response("a page token too long to hand on");
    }

    json emails = json::array();
    const auto messages = page.find("messages"); // absent when nothing matches
    if (messages != page.end() && messages->is_array()) {
        for (const auto& m : *messages) {
            if (emails.size() >= static_cast<std::size_t>(max_results)) break;
            if (!m.is_object() || !m.contains("id") || !m["id"].is_string()) {
                return unreadable_response("a listed message has no id");
            }
            const sdk::HttpResponse got = call.get(message_path(m["id"].get<std::string>(), "metadata"));
            // Deleted between the list and this request: it is no longer in the list either.
            if (got.host_status == SB_STATUS_OK && (got.status == 404 || got.status == 410)) continue;
            if (!got.ok()) return gmail_error(got);
            auto summary = common_fields(json::parse(got.body, nullptr, false), /*with_defaults=*/false);
            if (!summary) return unreadable_response("a message has no id of 1 to 1024 characters");
            emails.push_back(std::move(*summary));
        }
    }
    json result = {{"emails", std::move(emails)}};
    if (has_next) result["next_page_token"] = *next;
    return sdk::Outcome::success(dump(result));
}

} // namespace switchboard::plugins::gmail
