// The integrations page: sign-in, the providers, the tenant's connectors, the OAuth round trip
// (Connect, the return with its outcome, the confirmation call), Refresh, Disconnect and
// Try an action. State lives here; the views only draw it.

import { ActionDialog } from "./action_dialog.js";
import {
  ApiError, completeConnection, disconnectConnector, listConnectors, listProviders,
  refreshConnector, startAuthorization,
} from "./api.js";
import { confirmAction } from "./confirm_dialog.js";
import { idPart } from "./dom.js";
import { renderConnectors } from "./connectors_view.js";
import { apiFailure, connectFailure } from "./messages.js";
import { announce, clearNotices, notify } from "./notices.js";
import { takeOAuthReturn } from "./oauth_return.js";
import { renderProviders } from "./providers_view.js";
import {
  credential, demoApiKey, describeCredential, rememberConnecting, savePendingCompletion, signIn,
  signOut, takeConnecting, takePendingCompletion,
} from "./session.js";

const state = {
  providers: [],
  connectors: [],
  signedIn: false,
  connecting: null,       // the provider whose Connect is under way
  connectErrors: {},      // provider id -> message
  cardMessages: {},       // connector id -> { kind, text }
  busy: {},               // connector id -> "refresh" | "disconnect"
};

const $ = (id) => document.getElementById(id);
// After an action the connector may have changed (its token refreshed on use, or found
// revoked): its card is brought up to date.
const actionDialog = new ActionDialog({
  onClose: async () => {
    if (state.signedIn && (await loadConnectors())) render();
  },
});

function providerOf(id) {
  return state.providers.find((p) => p.provider === id) ?? { provider: id, name: id, actions: [] };
}

function providerName(id) {
  return id ? providerOf(id).name : "the provider";
}

// Redraws, keeping the keyboard focus on the "same" control when its element was replaced.
function render() {
  const focusKey = document.activeElement?.dataset?.focusKey;
  const count = state.connectors.length;
  $("session").hidden = !state.signedIn;
  $("session-label").textContent = state.signedIn ? describeCredential(credential()) : "";
  $("sign-in").hidden = state.signedIn;
  $("connected").hidden = !state.signedIn;
  $("connected-empty").hidden = count > 0;
  $("connected-count").textContent = count === 0 ? "" : count === 1 ? "1 account" : `${count} accounts`;
  renderConnectors($("connector-list"), state.connectors, {
    providerName,
    messages: state.cardMessages,
    busy: state.busy,
    onTry: (connector) => actionDialog.open(connector, providerOf(connector.provider)),
    onRefresh: refresh,
    onDisconnect: disconnect,
  });
  renderProviders($("provider-list"), state.providers, {
    signedIn: state.signedIn,
    busyProvider: state.connecting,
    errors: state.connectErrors,
    onConnect: connect,
  });
  if (focusKey && (!document.activeElement?.isConnected || document.activeElement === document.body)) {
    focusByKey(focusKey);
  }
}

function focusByKey(key) {
  document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}

// Calendars first: booking a meeting is what most people come for.
const categoryOrder = ["calendar", "email", "crm", "drive"];
function categoryRank(category) {
  const rank = categoryOrder.indexOf(category);
  return rank < 0 ? categoryOrder.length : rank;
}

async function loadProviders() {
  const status = $("providers-status");
  try {
    const providers = await listProviders();
    const list = Array.isArray(providers) ? providers : providers?.providers ?? [];
    state.providers = list.sort((a, b) => categoryRank(a.type) - categoryRank(b.type) || a.name.localeCompare(b.name));
    status.hidden = state.providers.length > 0;
    status.textContent = state.providers.length > 0 ? "" : "This server offers no integration yet.";
  } catch (error) {
    status.hidden = false;
    status.textContent = `The integrations could not be loaded. ${apiFailure(error)}`;
  }
}

/** Loads the tenant's connectors; false when the credential is refused. */
async function loadConnectors() {
  try {
    state.connectors = await listConnectors();
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut();
      state.signedIn = false;
      state.connectors = [];
      notify("error", "Please sign in again", apiFailure(error));
      return false;
    }
    notify("error", "Your connected accounts could not be loaded", apiFailure(error));
    return true;
  }
}

async function connect(provider, name) {
  state.connecting = provider.provider;
  delete state.connectErrors[provider.provider];
  render();
  try {
    const { authorization_url: url } = await startAuthorization(provider.provider, provider.type, name);
    rememberConnecting(provider.provider);
    announce(`Opening ${provider.name}…`);
    window.location.assign(url);
  } catch (error) {
    state.connecting = null;
    state.connectErrors[provider.provider] = apiFailure(error, { provider: provider.name, doing: "connect" });
    render();
    focusByKey(`connect-name-${idPart(provider.provider)}`);
  }
}

async function refresh(connector) {
  const name = providerName(connector.provider);
  state.busy[connector.id] = "refresh";
  delete state.cardMessages[connector.id];
  render();
  try {
    const updated = await refreshConnector(connector.id);
    state.connectors = state.connectors.map((c) => (c.id === updated.id ? updated : c));
    state.cardMessages[connector.id] = { kind: "success", text: "Access renewed just now." };
    announce(`${connector.name}: access renewed.`);
  } catch (error) {
    const text = apiFailure(error, { provider: name, doing: "refresh" });
    state.cardMessages[connector.id] = { kind: "error", text };
    announce(`${connector.name}: ${text}`);
    await loadConnectors();
  } finally {
    delete state.busy[connector.id];
    render();
  }
}

async function disconnect(connector) {
  const name = providerName(connector.provider);
  const confirmed = await confirmAction({
    title: `Disconnect ${connector.name}?`,
    text: `Switchboard revokes its access to ${connector.account_identity ?? "this account"} at ${name} ` +
      "and forgets its tokens. The assistant can no longer use it; you can connect it again later.",
    confirmLabel: "Disconnect",
  });
  if (!confirmed) return;
  state.busy[connector.id] = "disconnect";
  render();
  try {
    await disconnectConnector(connector.id);
    state.connectors = state.connectors.filter((c) => c.id !== connector.id);
    delete state.cardMessages[connector.id];
    notify("success", `${connector.name} is disconnected`,
      `${name} no longer gives Switchboard access to ${connector.account_identity ?? "this account"}.`);
    delete state.busy[connector.id];
    render();
    $("connected-title").setAttribute("tabindex", "-1");
    $("connected-title").focus();
  } catch (error) {
    delete state.busy[connector.id];
    state.cardMessages[connector.id] = { kind: "error", text: apiFailure(error, { provider: name, doing: "disconnect" }) };
    if (error instanceof ApiError && error.code === "connector_not_found") await loadConnectors();
    render();
  }
}

// Back from a provider: say what happened; in the confirm mode, confirm the connection first.
async function finishReturn(outcome) {
  const name = providerName(outcome.provider);
  if (!outcome.success) {
    notify("error", `${outcome.provider ? name : "The account"} was not connected`,
      connectFailure(outcome.error, name), { focus: true });
    return;
  }
  if (!outcome.completion) {
    notify("success", `${name} is connected`, "You can try its actions below.", { focus: true });
    return;
  }
  if (!state.signedIn) {
    savePendingCompletion(outcome);
    notify("info", `Sign in to finish connecting ${name}`,
      "The connection waits for you to confirm it by signing in, for a few minutes.", { focus: true });
    return;
  }
  try {
    const connector = await completeConnection(outcome.completion);
    await loadConnectors();
    render();
    const account = connector?.account_identity ? ` as ${connector.account_identity}` : "";
    notify("success", `${name} is connected${account}`, "You can try its actions below.", { focus: true });
  } catch (error) {
    await loadConnectors();
    render();
    notify("error", `${name} was not connected`,
      error instanceof ApiError ? apiFailure(error, { provider: name, doing: "complete" }) : String(error),
      { focus: true });
  }
}

async function enterSignedIn() {
  state.signedIn = true;
  if (!(await loadConnectors())) {
    render();
    return false;
  }
  render();
  const pending = takePendingCompletion();
  if (pending) await finishReturn(pending);
  return true;
}

function wireSignIn() {
  const input = $("credential");
  const error = $("credential-error");
  const showError = (text) => {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  };
  const tryCredential = async (value) => {
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    if (!value) {
      showError("Paste an API key or a token.");
      return;
    }
    signIn(value);
    try {
      state.connectors = await listConnectors();
    } catch (failure) {
      signOut();
      showError(apiFailure(failure, { doing: "sign-in" }));
      return;
    }
    input.value = "";
    clearNotices();
    await enterSignedIn();
    announce(describeCredential(value));
    // A notice that took the focus (a finished connection) keeps it.
    if (!document.activeElement?.closest("#notices")) {
      $("connected-title").setAttribute("tabindex", "-1");
      $("connected-title").focus();
    }
  };
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    tryCredential(input.value.trim());
  });
  $("use-demo-key").addEventListener("click", () => tryCredential(demoApiKey));
  $("sign-out").addEventListener("click", () => {
    signOut();
    state.signedIn = false;
    state.connectors = [];
    state.cardMessages = {};
    clearNotices();
    render();
    input.focus();
    announce("Signed out.");
  });
}

async function boot() {
  wireSignIn();
  const returned = takeOAuthReturn();
  const connecting = takeConnecting();
  if (returned && !returned.provider) returned.provider = connecting;
  await loadProviders();
  if (credential()) {
    await enterSignedIn();
  } else {
    render();
  }
  if (returned) await finishReturn(returned);
}

boot();
