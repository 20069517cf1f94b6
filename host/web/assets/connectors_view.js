// "Your connected accounts": one card per connector of the signed-in tenant, with a status
// indicator (word, colour and shape, never colour alone), the account, its times and last
// error, and the buttons Try an action, Refresh and Disconnect.

import { categoryIcon } from "./category_icon.js";
import { h, idPart, replaceChildren, visuallyHidden } from "./dom.js";
import { categoryLabel, formatTime, statusLabel } from "./format.js";

/**
 * Renders `connectors`. `providerName(id)` names a provider; `messages[id]` is a card's last
 * message ({kind, text}); `busy[id]` what a card is doing ("refresh", "disconnect").
 */
export function renderConnectors(list, connectors, { providerName, messages, busy, onTry, onRefresh, onDisconnect }) {
  replaceChildren(list, connectors.map((connector) =>
    connectorCard(connector, {
      providerName: providerName(connector.provider),
      message: messages[connector.id],
      busy: busy[connector.id],
      onTry, onRefresh, onDisconnect,
    })));
}

function fact(term, value, className) {
  return h("div", { class: `fact ${className ?? ""}`.trim() }, h("dt", {}, term), h("dd", {}, ...[value].flat()));
}

// An e-mail address may break after its "@" (and nowhere else) in a narrow card.
function identity(text) {
  const at = text.indexOf("@");
  return at < 0 ? text : [text.slice(0, at + 1), h("wbr"), text.slice(at + 1)];
}

function time(iso, fallback) {
  return iso ? h("time", { datetime: iso }, formatTime(iso)) : fallback;
}

function connectorCard(connector, { providerName, message, busy, onTry, onRefresh, onDisconnect }) {
  const key = idPart(connector.id);
  const titleId = `connector-${key}-title`;
  const status = connector.status ?? "unknown";
  const whose = ` ${connector.name} (${providerName})`;
  const usable = status === "active";
  const pending = status === "pending";

  const facts = h("dl", { class: "facts" },
    fact("Account", connector.account_identity ? identity(connector.account_identity)
      : pending ? "Shown once confirmed" : "Unknown", "fact-account"),
    fact("Connected", time(connector.created_at, "Unknown")),
    fact("Last refreshed", time(connector.last_refreshed_at, "Not yet")),
    connector.token_expires_at ? fact("Access until", time(connector.token_expires_at)) : null,
    connector.last_error ? fact("Last error", connector.last_error, "fact-error") : null);
  const note = pending
    ? h("p", { class: "card-note" }, "Not usable until confirmed: this page confirms it when the " +
      "browser comes back from the provider. If that tab was closed, connect again.")
    : null;

  // While the card is busy its buttons stay focusable (aria-disabled, clicks ignored), so the
  // keyboard focus is not thrown out of the card; `disabled` is for what cannot apply at all.
  const button = (label, action, options = {}) => h("button", {
    type: "button",
    class: `button button-small ${options.className ?? ""}`.trim(),
    disabled: options.disabled,
    "aria-disabled": busy ? "true" : undefined,
    dataset: { focusKey: `${action}-${key}`, action },
    onclick: () => { if (!busy) options.onClick(connector); },
  }, label, visuallyHidden(whose));

  return h("li", { class: `card connector-card connector-${idPart(status)}`, dataset: { connectorId: connector.id, provider: connector.provider } },
    h("article", { "aria-labelledby": titleId, class: "card-inner" },
      h("div", { class: "card-head" },
        categoryIcon(connector.type),
        h("div", { class: "card-title" },
          h("h3", { id: titleId }, connector.name),
          h("p", { class: "card-sub" }, providerName,
            h("span", { class: "visually-hidden" }, `, ${categoryLabel(connector.type)}`))),
        h("span", { class: `status status-${idPart(status)}` },
          h("span", { class: "status-mark", "aria-hidden": "true" }),
          h("span", { class: "visually-hidden" }, "Status: "),
          statusLabel(status))),
      facts,
      note,
      message ? h("p", { class: `card-message card-message-${message.kind}` }, message.text) : null,
      h("div", { class: "button-row card-actions" },
        button("Try an action", "try", { className: "button-primary", disabled: !usable, onClick: onTry }),
        button(busy === "refresh" ? "Refreshing…" : "Refresh", "refresh", { disabled: pending, onClick: onRefresh }),
        button(busy === "disconnect" ? "Disconnecting…" : "Disconnect", "disconnect", {
          className: "button-danger-quiet", onClick: onDisconnect }))));
}
