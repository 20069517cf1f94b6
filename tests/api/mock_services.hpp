// GoogleMock fakes of the services behind the REST routes (core/connectors interfaces).
#pragma once

#include "core/connectors/action_service.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/connectors/proxy_service.hpp"

#include <gmock/gmock.h>

#include <ostream>

namespace switchboard {

// How GoogleMock prints a Result (boost::system::result's own operator<< needs both sides
// printable, which the service types are not).
template <class T>
void PrintTo(const Result<T>& result, std::ostream* os) {
    if (result) {
        *os << "success";
    } else {
        *os << "error " << result.error().code << ": " << result.error().message;
    }
}

} // namespace switchboard

namespace switchboard::api::testing {

using auth::Principal;
using connectors::ActionRequest;
using connectors::AccessTokenConnection;
using connectors::ActionResult;
using connectors::AuthorizationRequest;
using connectors::AuthorizationStart;
using connectors::CallbackOutcome;
using connectors::CallbackQuery;
using connectors::DisconnectOptions;
using connectors::DisconnectOutcome;
using connectors::ProviderInfo;
using store::ConnectorSummary;

class MockConnectorService : public connectors::ConnectorService {
public:
    MOCK_METHOD(std::vector<ProviderInfo>, providers, (), (const, override));
    MOCK_METHOD(Result<AuthorizationStart>, start_authorization,
                (const Principal&, const AuthorizationRequest&), (override));
    MOCK_METHOD(CallbackOutcome, complete_authorization, (const CallbackQuery&), (override));
    MOCK_METHOD(Result<ConnectorSummary>, confirm_connection, (const Principal&, std::string_view),
                (override));
    MOCK_METHOD(Result<ConnectorSummary>, connect_with_access_token,
                (const Principal&, const AccessTokenConnection&), (override));
    MOCK_METHOD(Result<std::vector<ConnectorSummary>>, list, (const Principal&), (override));
    MOCK_METHOD(Result<ConnectorSummary>, get, (const Principal&, std::string_view), (override));
    MOCK_METHOD(Result<DisconnectOutcome>, disconnect,
                (const Principal&, std::string_view, const DisconnectOptions&), (override));
    MOCK_METHOD(Result<ConnectorSummary>, refresh, (const Principal&, std::string_view),
                (override));
    MOCK_METHOD(Result<nlohmann::json>, invoke,
                (const Principal&, std::string_view, std::string_view, std::string_view),
                (override));
};

class MockActionService : public connectors::ActionService {
public:
    MOCK_METHOD(Result<ActionResult>, run, (const Principal&, const ActionRequest&), (override));
};

class MockProxyService : public connectors::ProxyService {
public:
    MOCK_METHOD(Result<connectors::ProxyResponse>, forward,
                (const Principal&, const connectors::ProxyRequest&), (override));
};

} // namespace switchboard::api::testing
