// Every failure the page can meet, in words a person understands: the OAuth callback's
// `error` codes, the completion call's, and the REST API's. A code not listed here falls back
// to the API's own message (written for people), so nothing is ever shown as a bare code.

import { capitalize } from "./format.js";

const tryAgainLater = "Try again in a few minutes.";

/** Why connecting `providerName` failed, from the callback's `error` code. */
export function connectFailure(code, providerName = "the provider") {
  const name = providerName;
  const Name = capitalize(name);
  switch (code) {
    case "access_denied":
      return `You declined access at ${name}, so nothing was connected. Connect again if that was a mistake.`;
    case "invalid_state":
      return "This connection attempt expired or was already used (each one is good for a few minutes, once). Start again with Connect.";
    case "invalid_scope":
      return `${Name} did not grant the access Switchboard asks for. Connect again and allow every permission.`;
    case "provider_error":
      return `${Name} reported an error during sign-in. Try again in a moment.`;
    case "provider_unavailable":
    case "temporarily_unavailable":
      return `${Name} is not available right now. ${tryAgainLater}`;
    case "invalid_callback":
      return `${Name} sent the browser back without an authorization. Connect again.`;
    case "provider_not_configured":
      return `${Name} is not set up on this server (it has no OAuth client for it). Ask your administrator.`;
    case "token_exchange_failed":
      return `${Name} did not finish the sign-in: Switchboard could not get access from it. ${Name} may be down. ${tryAgainLater}`;
    case "identity_failed":
      return `${Name} did not say which account was signed in, so nothing was saved. Connect again.`;
    case "already_connected":
      return `This ${name} account is already connected.`;
    case "state_store_unavailable":
      return `Switchboard could not check this connection attempt: its storage is not reachable. ${tryAgainLater}`;
    case "storage_failed":
      return `Switchboard could not save the connection: its database is not reachable. ${tryAgainLater}`;
    case "completion_not_found":
      return "This connection could not be confirmed: the confirmation expired or was already used. Connect again.";
    case "completion_forbidden":
      return "This connection was started by someone else, so it was discarded. Connect again while signed in as yourself.";
    case "internal_error":
      return "Something went wrong inside Switchboard. Try again; if it keeps happening, tell your administrator.";
    default:
      return `Connecting ${name} did not work (${code || "no reason given"}). Connect again.`;
  }
}

/**
 * What an ApiError means for the person. `context.provider` names the provider concerned,
 * `context.doing` what they tried ("refresh", "disconnect", "action", "connect", "sign-in").
 */
export function apiFailure(error, context = {}) {
  const name = context.provider ?? "the provider";
  const Name = capitalize(name);
  const wait = error.retryAfter ? `Wait ${error.retryAfter} seconds, then try again.` : tryAgainLater;
  switch (error.code) {
    case "network_error":
      return "Switchboard is not answering. Check that it is still running, then try again.";
    case "missing_token":
      return "Sign in first.";
    case "token_expired":
      return "Your sign-in token has expired. Sign in again with a new one.";
    case "invalid_api_key":
    case "invalid_token":
    case "token_not_yet_valid":
    case "unsupported_auth_scheme":
    case "missing_tenant_claim":
    case "missing_user_claim":
      return context.doing === "sign-in"
        ? "This key or token was not accepted. Check it and try again."
        : "Your sign-in was not accepted any more. Sign in again.";
    case "connector_not_found":
      return "This connection no longer exists. The list has been brought up to date.";
    case "connector_revoked":
      return `${Name} no longer accepts this connection: access was revoked. Disconnect it and connect again.`;
    case "connector_expired":
      return `This ${name} connection has expired. Disconnect it and connect again.`;
    case "connector_not_active":
      return `This ${name} connection is not active, so it cannot be used. Connect it again.`;
    case "provider_unavailable":
    case "upstream_connect_failed":
    case "upstream_io_failed":
    case "upstream_timeout":
    case "upstream_tls_failed":
    case "plugin_timeout":
      return `${Name} is not reachable right now. ${wait}`;
    case "provider_error":
    case "upstream_protocol_error":
    case "upstream_response_too_large":
    case "plugin_contract_violation":
      return `${Name} answered with something Switchboard could not use. ${tryAgainLater}`;
    case "rate_limited":
      return `${Name} is receiving too many requests. ${wait}`;
    case "invalid_params":
      return `Some values are not accepted: ${sentence(error.message)}`;
    case "not_implemented":
    case "unknown_action":
      return `${Name} cannot do this action.`;
    case "provider_not_configured":
      return `${Name} is not set up on this server (it has no OAuth client for it). Ask your administrator.`;
    case "provider_not_found":
      return `${Name} is not offered by this server any more. Reload the page.`;
    case "revocation_unsupported":
      return `${Name} cannot revoke access from here; remove Switchboard in your ${name} account settings.`;
    case "database_unavailable":
    case "database_busy":
    case "state_store_unavailable":
      return `Switchboard's storage is not reachable right now. ${tryAgainLater}`;
    case "completion_not_found":
    case "completion_forbidden":
    case "already_connected":
      return connectFailure(error.code, name);
    default:
      break;
  }
  if (error.status >= 500) {
    return `Something went wrong inside Switchboard${error.requestId ? ` (reference ${error.requestId})` : ""}. ${tryAgainLater}`;
  }
  return sentence(error.message) || `The request failed (${error.code}).`;
}

/** The API's message as a sentence: capitalised, with a full stop. */
export function sentence(message) {
  if (!message) return "";
  const text = capitalize(String(message).trim());
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
