#include "core/plugin/raw_invoke.hpp"

#include <string>

namespace switchboard::plugin {

namespace {

// A host-owned sb_sink buffer with a size cap.
struct SinkBuffer {
    std::string data;
    std::size_t limit = 0;
    bool overflowed = false;
};

sb_status sink_write(const sb_sink* sink, const char* data, size_t size) noexcept {
    if (sink == nullptr || sink->context == nullptr) {
        return SB_STATUS_INVALID_INPUT;
    }
    auto* buffer = static_cast<SinkBuffer*>(sink->context);
    if (size == 0) {
        return SB_STATUS_OK;
    }
    if (data == nullptr) {
        return SB_STATUS_INVALID_INPUT;
    }
    if (size > buffer->limit - buffer->data.size()) {
        buffer->overflowed = true;
        return SB_STATUS_INVALID_INPUT;
    }
    try {
        buffer->data.append(data, size);
    } catch (...) {
        buffer->overflowed = true;
        return SB_STATUS_INVALID_INPUT;
    }
    return SB_STATUS_OK;
}

} // namespace

RawInvocation run_plugin_invoke(const PluginLibrary& library, sb_connector* connector,
                               CallScope& scope, std::string_view action, std::string_view params,
                               const OutputLimits& limits) noexcept {
    RawInvocation raw;
    try {
        SinkBuffer result{{}, limits.max_result_bytes, false};
        SinkBuffer error{{}, limits.max_error_bytes, false};
        const sb_sink result_sink{sizeof(sb_sink), &result, &sink_write};
        const sb_sink error_sink{sizeof(sb_sink), &error, &sink_write};
        const std::string action_text(action);
        const char* params_bytes = params.empty() ? "" : params.data();
        try {
            raw.status = library.table().invoke(library.plugin(), connector, scope.call(),
                                                action_text.c_str(), params_bytes, params.size(),
                                                &result_sink, &error_sink);
        } catch (const std::exception& e) {
            raw.thrown = std::string("threw an exception: ") + e.what();
        } catch (...) {
            raw.thrown = "threw an exception";
        }
        raw.result = std::move(result.data);
        raw.error = std::move(error.data);
        raw.result_overflowed = result.overflowed;
        raw.error_overflowed = error.overflowed;
    } catch (...) {
        raw.thrown = "the host ran out of memory around the call";
    }
    scope.close();
    raw.http_requests = scope.http_requests() + scope.refused_http_requests();
    return raw;
}

} // namespace switchboard::plugin
