#include "plugins/google_drive/actions.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/google_drive/drive_api.hpp"
#include "plugins/google_drive/file_mapping.hpp"
#include "switchboard/params.hpp"

namespace switchboard::plugins::google_drive {
namespace {

// RFC 2045 type/subtype as the contract's MimeType pattern allows; the value goes into a
// header of the multipart body, so the plugin checks it itself too.
bool is_mime_type(std::string_view text) {
    const auto token_char = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
    };
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size() || text.size() > 255) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i != slash && !token_char(text[i])) return false;
    }
    return true;
}

} // namespace

sdk::Outcome upload_file(sdk::Call& call, std::string_view params_json, const UploadSettings& settings) {
    sdk::Params params(params_json);
    const auto name = params.string("name", {.required = true, .min_length = 1});
    const auto mime_type = params.string("mime_type", {.required = true});
    const auto content_base64 = params.string("content_base64", {.required = true});
    const auto parent_id = params.string("parent_id", {.min_length = 1});
    const auto description = params.string("description");
    if (params.ok() && !is_mime_type(*mime_type)) params.fail("mime_type", "'mime_type' is not a MIME type");
    std::optional<std::string> content;
    if (params.ok()) {
        content = base64::decode(*content_base64);
        if (!content) params.fail("/content_base64", "'content_base64' is not base64");
    }
    if (!params.ok()) return params.error();

    nlohmann::json metadata = {{"name", *name}, {"mimeType", *mime_type}};
    if (parent_id) metadata["parents"] = {*parent_id};
    if (description) metadata["description"] = *description;

    const UploadResult result = upload(call, metadata, *mime_type, *content, settings);
    if (!result.ok()) return result.error();
    const auto file = file_to_contract(result.value());
    if (!file) return unreadable_response("the uploaded file lacks an id of 1 to 1024 characters, a name or a mimeType");
    return sdk::Outcome::success(dump(*file));
}

} // namespace switchboard::plugins::google_drive
