#include "plugins/google_drive/actions.hpp"

#include "plugins/google_drive/drive_api.hpp"
#include "switchboard/params.hpp"

namespace switchboard::plugins::google_drive {

sdk::Outcome delete_file(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    const auto id = params.string("file_id", {.required = true, .min_length = 1});
    if (!params.ok()) return params.error();

    const sdk::HttpResponse response = call.del(file_path(*id)); // 204 No Content
    if (!response.ok()) return drive_error(response);
    return sdk::Outcome::success(dump({{"deleted", true}, {"file_id", *id}}));
}

} // namespace switchboard::plugins::google_drive
