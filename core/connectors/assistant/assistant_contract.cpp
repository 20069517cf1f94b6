#include "core/connectors/assistant/assistant_contract.hpp"

#include "core/plugin/embedded_schemas.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace switchboard::connectors::assistant {

const plugin::ContractCatalog& assistant_contract() {
    static const std::shared_ptr<const plugin::ContractCatalog> contract = [] {
        std::string_view common;
        for (const auto& schema : plugin::embedded_schemas()) {
            if (std::string_view(schema.file_name) == "common.schema.json") common = schema.text();
        }
        auto built = plugin::ContractCatalog::from_documents({assistant_schema_text()}, common);
        if (!built) {
            std::fprintf(stderr, "switchboard: the embedded assistant schema is invalid: %s\n",
                         built.error().message.c_str());
            std::abort();
        }
        return *built;
    }();
    return *contract;
}

} // namespace switchboard::connectors::assistant
