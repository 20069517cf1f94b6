// A deal created without a stage goes where HubSpot's own "Create deal" form puts it: the
// first stage (lowest displayOrder, not archived) of the pipeline the caller named, or of the
// account's default pipeline (id "default", else the one listed first by displayOrder). The
// stage ids differ per account, so they are read from HubSpot's pipelines API
// (GET /crm/v3/pipelines/deals, scope crm.objects.deals.read) rather than guessed.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace switchboard::plugins::hubspot {

struct PipelineStage {
    std::string pipeline;
    std::string stage;
};

// From the answer of GET /crm/v3/pipelines/deals ({"results": [Pipeline...]}): the first
// stage of `pipeline` (or of the default pipeline when nullopt). nullopt when that pipeline
// is not listed or has no usable stage.
std::optional<PipelineStage> first_stage(const nlohmann::json& pipelines,
                                         const std::optional<std::string>& pipeline);

} // namespace switchboard::plugins::hubspot
