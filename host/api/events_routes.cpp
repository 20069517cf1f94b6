#include "host/api/events_routes.hpp"

#include "core/events/event_json.hpp"
#include "core/events/webhook_signer.hpp"
#include "host/api/caller.hpp"
#include "host/api/openapi_document.hpp"
#include "host/server/error_response.hpp"

#include <charconv>

namespace switchboard::api {

namespace http = server::http;
using nlohmann::json;
using server::Request;
using server::Response;

namespace {

Error invalid_query(std::string code, std::string message, std::string field) {
    return Error(ErrorKind::invalid_input, std::move(code), std::move(message), std::move(field));
}

// A decimal number without sign or leading junk, within [min, max].
std::optional<std::int64_t> decimal(std::string_view text, std::int64_t min, std::int64_t max) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        return std::nullopt;
    }
    return value;
}

Response list_events(events::EventFeed* feed, const Request& request,
                     const auth::Principal& caller) {
    if (feed == nullptr) {
        return server::error_response(
            Error(ErrorKind::unsupported, "events_unavailable",
                  "this host serves no events feed"),
            request.request_id);
    }
    std::int64_t after = 0;
    if (auto cursor = request.query.get("after")) {
        auto parsed = decimal(*cursor, 0, std::numeric_limits<std::int64_t>::max());
        if (!parsed) {
            return server::error_response(
                invalid_query("invalid_cursor",
                              "after must be the next_cursor of an earlier page", "after"),
                request.request_id);
        }
        after = *parsed;
    }
    std::size_t limit = events::default_page_size;
    if (auto text = request.query.get("limit")) {
        auto parsed = decimal(*text, 1, static_cast<std::int64_t>(events::max_page_size));
        if (!parsed) {
            return server::error_response(
                invalid_query("invalid_limit",
                              "limit must be an integer between 1 and " +
                                  std::to_string(events::max_page_size),
                              "limit"),
                request.request_id);
        }
        limit = static_cast<std::size_t>(*parsed);
    }
    auto page = feed->page(caller.tenant_id, after, limit);
    if (!page) {
        return server::error_response(page.error(), request.request_id);
    }
    // Ordered like the webhooks' bodies (id, type, sequence, ...).
    nlohmann::ordered_json body;
    body["events"] = nlohmann::ordered_json::array();
    for (const auto& event : page->events) {
        body["events"].push_back(events::event_json(event));
    }
    body["next_cursor"] = std::to_string(page->next_after);
    body["has_more"] = page->has_more;
    Response response;
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

} // namespace

json event_page_schema() {
    return {{"type", "object"},
            {"required", {"events", "next_cursor", "has_more"}},
            {"properties",
             {{"events", {{"type", "array"}, {"items", schema_ref("ConnectorEvent")}}},
              {"next_cursor",
               {{"type", "string"},
                {"description", "Pass it as `after` to read on. With no new events it is the "
                                "cursor given: keep it and ask again later."}}},
              {"has_more",
               {{"type", "boolean"},
                {"description", "Another page is ready now (else the feed is read to its end)."}}}}},
            {"additionalProperties", false}};
}

json webhooks_document() {
    const std::string signature(events::signature_header);
    json operation = {
        {"operationId", "connectorEventWebhook"},
        {"tags", {"events"}},
        {"summary", "A connector event, POSTed to each configured webhook"},
        {"description",
         "One event per request, at least once: answer 2xx once it is stored (deduplicate on "
         "`id`, which a redelivery repeats). Anything else, or no answer within the timeout, "
         "is retried with exponential backoff and jitter until the endpoint takes it; a "
         "connector's events arrive in order (the next one waits until the endpoint took the "
         "previous). Verify " + signature +
             ": t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>, compare in "
             "constant time, and refuse a t older than your tolerance (e.g. 5 minutes)."},
        {"parameters",
         {{{"name", signature},
           {"in", "header"},
           {"required", true},
           {"schema", {{"type", "string"}, {"pattern", "^t=[0-9]+,v1=[0-9a-f]{64}$"}}}},
          {{"name", "Switchboard-Event-Id"},
           {"in", "header"},
           {"required", true},
           {"schema", {{"type", "string"}}}},
          {{"name", "Switchboard-Event-Type"},
           {"in", "header"},
           {"required", true},
           {"schema", {{"type", "string"}}}},
          {{"name", "Switchboard-Delivery-Attempt"},
           {"in", "header"},
           {"required", true},
           {"schema", {{"type", "integer"}, {"minimum", 1}}}}}},
        {"requestBody",
         {{"required", true}, {"content", json_content(schema_ref("ConnectorEvent"))}}},
        {"responses",
         {{"2XX", {{"description", "Taken: the event is not sent to this endpoint again."}}},
          {"default", {{"description", "Not taken: the event is sent again later."}}}}}};
    return {{"connectorEvent", {{"post", std::move(operation)}}}};
}

std::vector<ApiRoute> events_routes(const ApiContext& context) {
    events::EventFeed* feed = context.events;
    std::vector<ApiRoute> routes;
    routes.push_back(ApiRoute{
        http::verb::get, std::string(events_path), server::Execution::worker_pool,
        with_caller(context.authenticator,
                    [feed](const Request& request, const auth::Principal& caller) {
                        return list_events(feed, request, caller);
                    }),
        true, {400, 401, 500, 501, 503},
        {{std::string(events_path),
          {{"operationId", "listEvents"},
           {"tags", {"events"}},
           {"summary", "The tenant's connector events, oldest first"},
           {"description",
            "Every change of a connector's state (connected, refreshed, refresh_failed, "
            "revoked, expired, disconnected) is written as an event in the same transaction "
            "as the change, and numbered per tenant in the order the changes committed "
            "(`sequence`). Page through with `after`: start without it, then pass each "
            "answer's next_cursor; an event that commits later always comes after the cursor "
            "you hold, so polling this way misses none. Events are kept for "
            "events.retention_days (30 by default). The same JSON as the webhooks' bodies."},
           {"security", bearer_security()},
           {"parameters",
            {{{"name", "after"},
              {"in", "query"},
              {"required", false},
              {"description", "The next_cursor of the previous page; absent: from the oldest."},
              {"schema", {{"type", "string"}, {"pattern", "^[0-9]{1,19}$"}}}},
             {{"name", "limit"},
              {"in", "query"},
              {"required", false},
              {"description", "At most this many events (1 to 500)."},
              {"schema",
               {{"type", "integer"},
                {"minimum", 1},
                {"maximum", events::max_page_size},
                {"default", events::default_page_size}}}}}},
           {"responses",
            {{"200",
              {{"description", "A page of events."},
               {"content", json_content(schema_ref("EventPage"))}}}}}}}}});
    return routes;
}

} // namespace switchboard::api
