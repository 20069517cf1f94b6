// NotifyingConnectorService: the ConnectorService the API edges use, which forwards every call
// to the real one and publishes on ConnectorEvents what changed a tenant's abilities: a
// callback that left a connector active (connect.confirmation "immediate"), a confirmation
// (POST /complete) that made one active, a connection with an access token, a disconnect that
// succeeded.
// Publishing happens after the change is stored, on the request's thread.
#pragma once

#include "core/connectors/connector_events.hpp"
#include "core/connectors/connector_service.hpp"

#include <memory>

namespace switchboard::connectors {

class NotifyingConnectorService final : public ConnectorService {
public:
    // Both outlive this object.
    NotifyingConnectorService(ConnectorService& inner, ConnectorEvents& events)
        : inner_(inner), events_(events) {}

    std::vector<ProviderInfo> providers() const override { return inner_.providers(); }
    Result<AuthorizationStart> start_authorization(const Principal& caller,
                                                   const AuthorizationRequest& request) override {
        return inner_.start_authorization(caller, request);
    }
    CallbackOutcome complete_authorization(const CallbackQuery& query) override;
    Result<store::ConnectorSummary> connect_with_access_token(
        const Principal& caller, const AccessTokenConnection& request) override;
    Result<store::ConnectorSummary> confirm_connection(const Principal& caller,
                                                       std::string_view completion) override;
    Result<std::vector<store::ConnectorSummary>> list(const Principal& caller) override {
        return inner_.list(caller);
    }
    Result<store::ConnectorSummary> get(const Principal& caller, std::string_view id) override {
        return inner_.get(caller, id);
    }
    Result<DisconnectOutcome> disconnect(const Principal& caller, std::string_view id,
                                         const DisconnectOptions& options) override;
    Result<store::ConnectorSummary> refresh(const Principal& caller, std::string_view id) override {
        return inner_.refresh(caller, id);
    }
    Result<nlohmann::json> invoke(const Principal& caller, std::string_view id,
                                  std::string_view action, std::string_view params_json) override {
        return inner_.invoke(caller, id, action, params_json);
    }

private:
    void publish_activated(const store::ConnectorSummary& connector);

    ConnectorService& inner_;
    ConnectorEvents& events_;
};

} // namespace switchboard::connectors
