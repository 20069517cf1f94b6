#include "tests/provider_sim/google/google_api.hpp"

#include "tests/provider_sim/common/random.hpp"
#include "tests/provider_sim/google/google_errors.hpp"
#include "tests/provider_sim/google/partial_response.hpp"
#include "tests/provider_sim/mime/mime_part.hpp"
#include "tests/provider_sim/oauth/http_auth.hpp"
#include "tests/provider_sim/validation/google_catalog.hpp"

#include <algorithm>
#include <charconv>

namespace switchboard::sim {
namespace {

bool media_type_accepted(const std::vector<std::string>& accept, const std::string& type) {
    if (accept.empty()) {
        return true;
    }
    return std::any_of(accept.begin(), accept.end(), [&](const std::string& pattern) {
        if (pattern == "*/*") {
            return true;
        }
        if (pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0) {
            return type.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
        }
        return pattern == type;
    });
}

std::string lower_media_type(std::string_view value) {
    value = value.substr(0, value.find(';'));
    std::string out;
    for (const char c : value) {
        if (c != ' ') {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

Response issues_response(const std::vector<ValidationIssue>& issues) {
    std::vector<GoogleErrorItem> items;
    for (const auto& issue : issues) {
        GoogleErrorItem item;
        item.message = issue.message;
        item.reason = issue.reason;
        if (issue.location == "query" || issue.location == "path") {
            item.location = issue.field;
            item.location_type = "parameter";
        }
        items.push_back(std::move(item));
    }
    return google_error(400, issues.front().message, std::move(items));
}

// Reads a JSON request body; `what` names it in messages ("body", "metadata part").
std::optional<nlohmann::json> read_json(std::string_view text, std::string_view what,
                                        std::vector<ValidationIssue>& issues) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return nlohmann::json::object();
    }
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        issues.push_back({"body", "", "Invalid JSON payload received in the " + std::string(what) + ". " + e.what(),
                          "parseError"});
        return std::nullopt;
    }
}

} // namespace

std::optional<std::string> GoogleCall::param(std::string_view name) const {
    return sim::param(query, name);
}

std::string GoogleCall::path(std::string_view name) const {
    const auto it = path_params.find(std::string(name));
    return it == path_params.end() ? std::string{} : it->second;
}

void GoogleApi::add(std::string method_id, GoogleHandler handler) {
    handlers_[std::move(method_id)] = std::move(handler);
}

void GoogleApi::clear() {
    std::lock_guard lock(sessions_mutex_);
    sessions_.clear();
}

Response GoogleApi::handle(const Request& request, RecordedRequest& record) {
    record.provider = "google";
    if (param(request.query, "upload_id")) {
        return continue_upload(request, record);
    }
    const GoogleCatalog& catalog = state_.google();
    const auto match = catalog.match(request.method, request.segments);
    if (!match) {
        record.errors.push_back("no method of the Google discovery documents matches " + request.method +
                                " " + request.path);
        return google_error(404, "Not Found");
    }
    const DiscoveryMethod& method = *match->method;
    record.description = method.document;
    record.method_id = method.id;

    std::vector<ValidationIssue> issues = catalog.validate_parameters(*match, request.query);
    GoogleCall call{request, method, match->path_params, request.query, {}, nullptr, std::nullopt,
                    request.base_url()};

    bool resumable_start = false;
    std::optional<std::size_t> announced_size;
    if (match->route == GoogleCatalog::Route::rest) {
        if (!method.request_schema.empty()) {
            if (!request.body.empty() && request.media_type() != "application/json") {
                issues.push_back({"header", "Content-Type",
                                  "Content-Type must be application/json, not '" +
                                      std::string(request.header("Content-Type")) + "'",
                                  "invalid"});
            } else if (auto body = read_json(request.body, "body", issues)) {
                call.body = std::move(*body);
                auto body_issues = catalog.validate_body(method, call.body, false);
                issues.insert(issues.end(), body_issues.begin(), body_issues.end());
            }
        }
    } else {
        // Without uploadType, the path and the body say which protocol the client speaks.
        std::string upload_type = "media";
        if (match->route == GoogleCatalog::Route::resumable_upload) {
            upload_type = "resumable";
        } else if (request.media_type() == "multipart/related") {
            upload_type = "multipart";
        }
        upload_type = param(request.query, "uploadType").value_or(upload_type);
        std::string metadata_text;
        if (upload_type == "media") {
            call.media = GoogleMedia{lower_media_type(request.header("Content-Type")), request.body};
            if (call.media->content_type.empty()) {
                call.media->content_type = "application/octet-stream";
            }
        } else if (upload_type == "multipart") {
            if (request.media_type() != "multipart/related") {
                issues.push_back({"header", "Content-Type", "uploadType=multipart needs a multipart/related body",
                                  "invalid"});
            } else if (auto parts = parse_mime_body(request.header("Content-Type"), request.body); !parts) {
                issues.push_back({"body", "", "the multipart/related body is malformed: " + parts.error().message,
                                  "invalid"});
            } else if (parts->parts.size() != 2 || parts->parts[0].media_type != "application/json") {
                issues.push_back({"body", "",
                                  "a multipart upload has exactly two parts: JSON metadata, then the media",
                                  "invalid"});
            } else {
                metadata_text = parts->parts[0].body;
                call.media = GoogleMedia{parts->parts[1].media_type, parts->parts[1].body};
            }
        } else if (upload_type == "resumable") {
            resumable_start = true;
            metadata_text = request.body;
            if (!request.body.empty() && request.media_type() != "application/json") {
                issues.push_back({"header", "Content-Type", "the resumable upload's first request carries JSON metadata",
                                  "invalid"});
            }
            if (const auto length = request.header("X-Upload-Content-Length"); !length.empty()) {
                std::size_t n = 0;
                const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
                if (ec != std::errc() || end != length.data() + length.size()) {
                    issues.push_back({"header", "X-Upload-Content-Length", "not a byte count", "invalid"});
                } else {
                    announced_size = n;
                }
            }
        } else {
            issues.push_back({"query", "uploadType", "Invalid uploadType '" + upload_type +
                                                         "': media, multipart or resumable expected",
                              "invalid"});
        }
        if (!metadata_text.empty() || resumable_start) {
            if (auto metadata = read_json(metadata_text, "metadata part", issues)) {
                call.body = std::move(*metadata);
                auto body_issues = catalog.validate_body(method, call.body, true);
                issues.insert(issues.end(), body_issues.begin(), body_issues.end());
            }
        }
        const DiscoveryMediaUpload& upload = *method.media_upload;
        const std::string media_type = resumable_start
                                           ? lower_media_type(request.header("X-Upload-Content-Type"))
                                           : (call.media ? call.media->content_type : "");
        if (!media_type.empty() && !media_type_accepted(upload.accept, media_type)) {
            issues.push_back({"header", "Content-Type", "Media type '" + media_type + "' is not supported by " +
                                                            method.id,
                              "badContent"});
        }
        const std::size_t size = call.media ? call.media->bytes.size() : announced_size.value_or(0);
        if (upload.max_size > 0 && size > upload.max_size) {
            issues.push_back({"body", "", "Media is larger than the method's maxSize", "uploadTooLarge"});
        }
    }
    if (call.body.is_null() && !method.request_schema.empty()) {
        call.body = nlohmann::json::object(); // e.g. a media-only upload: no metadata
    }
    for (const auto& issue : issues) {
        record.errors.push_back(issue.to_string());
    }

    // Credentials first, then scopes, then the request itself: Google's order.
    std::optional<std::string> token = bearer_token(request);
    if (!token) {
        token = param(request.query, "access_token");
    }
    if (!token) {
        return google_unauthenticated(true);
    }
    const auto access = state_.tokens.find_access(Provider::google, *token);
    if (access.state != TokenStore::AccessState::valid) {
        return google_unauthenticated(false);
    }
    call.caller = access.token.grant;
    const bool scoped = std::any_of(method.scopes.begin(), method.scopes.end(),
                                    [&](const std::string& s) { return call.caller.has_scope(s); });
    if (!scoped) {
        return google_insufficient_scope(method.scopes);
    }
    if (!issues.empty()) {
        return issues_response(issues);
    }
    if (resumable_start) {
        UploadSession session{method.id, call.path_params, call.query, call.caller, call.body,
                              lower_media_type(request.header("X-Upload-Content-Type")), announced_size, {},
                              call.base_url};
        if (session.content_type.empty()) {
            session.content_type = "application/octet-stream";
        }
        const std::string id = random_token(24);
        {
            std::lock_guard lock(sessions_mutex_);
            sessions_[id] = std::move(session);
        }
        std::string location = call.base_url + request.path;
        location = append_query(location, {{"uploadType", "resumable"}, {"upload_id", id}});
        Response r = Response::empty(200);
        r.set_header("Location", location);
        r.set_header("X-GUploader-UploadID", id);
        return r;
    }
    return invoke(call);
}

Response GoogleApi::continue_upload(const Request& request, RecordedRequest& record) {
    const std::string id = *param(request.query, "upload_id");
    std::unique_lock lock(sessions_mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) {
        record.errors.push_back("unknown upload_id");
        return google_error(404, "Not Found");
    }
    UploadSession& session = it->second;
    record.method_id = session.method_id;
    const DiscoveryMethod* method = state_.google().method(session.method_id);
    record.description = method->document;
    if (request.method != "PUT" && request.method != "POST") {
        record.errors.push_back("resumable upload data must be sent with PUT");
        return google_error(400, "Resumable upload data must be sent with PUT");
    }
    const std::string_view range = request.header("Content-Range");
    std::optional<std::size_t> total = session.total;
    bool status_query = false;
    if (!range.empty()) {
        // "bytes 0-524287/2000000", "bytes */2000000" (status query) or "bytes 0-99/*".
        const auto space = range.find(' ');
        const auto slash = range.find('/');
        if (range.substr(0, space) != "bytes" || slash == std::string_view::npos) {
            record.errors.push_back("malformed Content-Range: " + std::string(range));
            return google_error(400, "Failed to parse Content-Range header.");
        }
        const std::string_view span = range.substr(space + 1, slash - space - 1);
        const std::string_view total_text = range.substr(slash + 1);
        if (total_text != "*") {
            std::size_t t = 0;
            std::from_chars(total_text.data(), total_text.data() + total_text.size(), t);
            total = t;
        }
        if (span == "*") {
            status_query = true;
        } else {
            std::size_t first = 0;
            std::from_chars(span.data(), span.data() + span.size(), first);
            if (first != session.bytes.size()) {
                record.errors.push_back("Content-Range does not continue where the upload stands");
                return google_error(400, "Content-Range does not continue at byte " +
                                             std::to_string(session.bytes.size()));
            }
        }
    } else {
        total = session.bytes.size() + request.body.size();
    }
    if (!status_query) {
        session.bytes += request.body;
    }
    session.total = total;
    if (!total || session.bytes.size() < *total) {
        Response r = Response::empty(308);
        if (!session.bytes.empty()) {
            r.set_header("Range", "bytes=0-" + std::to_string(session.bytes.size() - 1));
        }
        return r;
    }
    UploadSession done = std::move(session);
    sessions_.erase(it);
    lock.unlock();
    GoogleCall call{request, *method, done.path_params, done.query, done.caller, done.metadata,
                    GoogleMedia{done.content_type, std::move(done.bytes)}, done.base_url};
    return invoke(call);
}

Response GoogleApi::invoke(const GoogleCall& call) {
    const auto handler = handlers_.find(call.method.id);
    if (handler == handlers_.end()) {
        return google_unimplemented(call.method.id);
    }
    // A malformed selector is refused before the method takes effect.
    const auto fields = call.param("fields");
    if (fields) {
        if (auto checked = select_fields(nlohmann::json::object(), *fields); !checked) {
            return google_error(400, checked.error().message,
                                {{checked.error().message, "invalidParameter", "global", "fields", "parameter"}});
        }
    }
    Response response = handler->second(call);
    const bool json = response.header("Content-Type").rfind("application/json", 0) == 0;
    if (fields && json && response.status < 300 && !response.body.empty()) {
        response.body = select_fields(nlohmann::json::parse(response.body), *fields)->dump();
    }
    return response;
}

} // namespace switchboard::sim
