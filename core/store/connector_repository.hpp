// ConnectorRepository: the connected accounts of each tenant, tokens encrypted at rest.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"
#include "core/store/event_outbox.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace switchboard::store {

// Every method takes the tenant, and every statement filters on it: another tenant's
// connector id is `not_found`, exactly like an id that does not exist. Tokens are encrypted
// with the primary key of `keys` on write and decrypted (any key) on read; only
// get_credentials() returns them. Every change of a connector's state (its status, a refresh,
// a failed refresh, its removal) goes through record_status_change()
// (connector_status_change.hpp) in the transaction that makes it, which writes its event to
// `outbox`. Thread-safe.
//
// Errors: `invalid_input` (with `field`) for bad arguments; `not_found` / code
// `connector_not_found`; `conflict` / `connector_exists` (an active connector for the same
// tenant, provider and account: identity and account id) or `credential_version_conflict`;
// from the
// database `database_unavailable`, `database_busy`, `database_error`; and
// `credentials_unreadable` (internal) when no configured key opens a stored token.
class ConnectorRepository {
public:
    // `outbox` null: events are written with no webhook deliveries.
    ConnectorRepository(std::shared_ptr<Database> database,
                        std::shared_ptr<const crypto::MultiFernet> keys, WallClock clock = {},
                        std::shared_ptr<const EventOutbox> outbox = nullptr);

    // Stores a new connector (id: a random UUID) with its tokens; an active one is announced
    // (connector.connected).
    Result<ConnectorSummary> create(std::string_view tenant_id, const NewConnector& connector);

    Result<ConnectorSummary> get(std::string_view tenant_id, std::string_view connector_id);

    // The tenant's connectors, oldest first.
    Result<std::vector<ConnectorSummary>> list(std::string_view tenant_id,
                                               const ConnectorFilter& filter = {});

    // The decrypted tokens and the credential version to pass to update_tokens().
    Result<ConnectorCredentials> get_credentials(std::string_view tenant_id,
                                                 std::string_view connector_id);

    // Stores refreshed tokens if the credential version is still `expected_version`
    // (optimistic concurrency: two refreshers cannot overwrite each other). Marks the
    // connector active, clears its last error, its background-refresh lease and its failure
    // count. Announces connector.refreshed, or connector.connected when update.cause is a
    // reconnect. Returns the new version.
    Result<std::int64_t> update_tokens(std::string_view tenant_id, std::string_view connector_id,
                                       std::int64_t expected_version, const TokenUpdate& update);

    // Sets the status and the last error (empty clears it; never put a secret in it) if the
    // credential version is still `expected_version`, like every write about a connector's
    // credentials: a status decided on old tokens (say `revoked`, after the provider refused
    // them) must not land on newer ones stored meanwhile. Leaves the version as it is, so a
    // refresh that read the old version can still store its tokens. conflict /
    // `credential_version_conflict` when the version moved. A change of status is announced
    // (see ConnectorStatusChange), with `error_code` (the failure behind it) in its event.
    Result<void> set_status(std::string_view tenant_id, std::string_view connector_id,
                            std::int64_t expected_version, ConnectorStatus status,
                            std::string_view last_error = {}, std::string_view error_code = {});

    // A refresh of the tokens read at `expected_version` failed and left the status as it is
    // (the provider unreachable or erring): stores `message` as the last error and announces
    // connector.refresh_failed with `error_code`. Does nothing when the version moved (newer
    // tokens were stored meanwhile: the failure is about tokens that are gone).
    Result<void> record_refresh_failure(std::string_view tenant_id, std::string_view connector_id,
                                        std::int64_t expected_version,
                                        std::string_view error_code, std::string_view message);

    // Records the provider-side account of a connector stored before account ids were (a
    // reconnect learns it).
    Result<void> set_account_id(std::string_view tenant_id, std::string_view connector_id,
                                std::string_view account_id);

    // Deletes the connector and announces connector.disconnected.
    Result<void> remove(std::string_view tenant_id, std::string_view connector_id);

private:
    std::chrono::system_clock::time_point now() const;
    Result<std::string> encrypt(std::string_view plaintext) const;

    std::shared_ptr<Database> database_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    WallClock clock_;
    std::shared_ptr<const EventOutbox> outbox_;
};

} // namespace switchboard::store
