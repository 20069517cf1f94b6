// What the REST routes are built from: the services behind them (ConnectorRuntime provides
// them in production, GoogleMock fakes in tests), the caller authentication, and the few
// settings the routes themselves need.
#pragma once

#include "core/auth/authenticator.hpp"
#include "core/common/error.hpp"
#include "core/connectors/action_service.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/connectors/proxy_service.hpp"
#include "core/events/event_feed.hpp"
#include "core/plugin/contract_catalog.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace switchboard::api {

struct ApiContext {
    // Both outlive the server (the runtime that owns them is destroyed after it stops).
    connectors::ConnectorService& connectors;
    connectors::ActionService& actions;
    std::shared_ptr<const auth::Authenticator> authenticator;
    // GET /readyz: the database and the state store answer.
    std::function<Result<void>()> check_ready;
    // The only place the OAuth callback may send a browser (FRONTEND_URL, else the API base
    // URL), without a trailing slash.
    std::string frontend_url;
    // The category contracts: which tools exist, and the schemas of the OpenAPI document.
    const plugin::ContractCatalog& catalog;
    // GET /api/v1/events (null: the route answers 501 events_unavailable). Outlives the server.
    events::EventFeed* events = nullptr;
    // The credentialed proxy (outlives the server like the services above); null: no proxy
    // routes. Its route takes request bodies up to proxy_max_request_bytes.
    connectors::ProxyService* proxy = nullptr;
    std::uint64_t proxy_max_request_bytes = 0;
};

} // namespace switchboard::api
