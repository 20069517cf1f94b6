#include "plugins/google_drive/actions.hpp"

#include "plugins/google_drive/drive_api.hpp"
#include "plugins/common/param_reader.hpp"

namespace switchboard::plugins::google_drive {

sdk::Outcome delete_file(sdk::Call& call, std::string_view params_json) {
    ParamReader params(params_json);
    const auto id = params.string(params.root(), "", "file_id", /*required=*/true);
    if (params.ok() && id->empty()) params.fail("/file_id", "'file_id' must not be empty");
    if (!params.ok()) return params.error();

    const sdk::HttpResponse response = call.del(file_path(*id)); // 204 No Content
    if (!response.ok()) return drive_error(response);
    return sdk::Outcome::success(dump({{"deleted", true}, {"file_id", *id}}));
}

} // namespace switchboard::plugins::google_drive
