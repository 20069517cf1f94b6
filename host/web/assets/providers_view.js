// "Available integrations": one card per provider the host serves, with its description,
// category, whether this server is set up for it, what it can do, and a Connect form.

import { categoryIcon } from "./category_icon.js";
import { h, idPart, replaceChildren, visuallyHidden } from "./dom.js";
import { actionLabel, categoryLabel } from "./format.js";

/**
 * Renders `providers` into the list. `signedIn` decides whether Connect is offered;
 * `onConnect(provider, name, ui)` starts the flow (ui.showError(text) reports a failure).
 */
export function renderProviders(list, providers, { signedIn, busyProvider, errors, onConnect }) {
  replaceChildren(list, providers.map((provider) =>
    providerCard(provider, { signedIn, busy: busyProvider === provider.provider, error: errors[provider.provider], onConnect })));
}

function providerCard(provider, { signedIn, busy, error, onConnect }) {
  const key = idPart(provider.provider);
  const titleId = `provider-${key}-title`;
  const ready = provider.configured !== false;
  const badge = ready
    ? h("span", { class: "badge badge-ready" }, "Ready", h("span", { class: "visually-hidden" }, " to connect"))
    : h("span", { class: "badge badge-muted" }, "Not set up");
  const actions = Array.isArray(provider.actions) && provider.actions.length > 0
    ? h("p", { class: "card-caps" }, h("span", { class: "caps-label" }, "Can "),
      provider.actions.map(actionLabel).map((label) => label.toLowerCase()).join(", "))
    : null;

  let footer;
  if (!ready) {
    footer = h("p", { class: "card-note" },
      "This server has no OAuth client for ", provider.name,
      " yet. An administrator adds it (config/README.md, “Environment”).");
  } else if (!signedIn) {
    footer = h("p", { class: "card-note" }, "Sign in to connect an account.");
  } else {
    const inputId = `connect-${key}-name`;
    const errorId = `connect-${key}-error`;
    const input = h("input", { id: inputId, name: "name", type: "text", maxlength: 200, required: true,
      value: provider.name, autocomplete: "off", "aria-describedby": errorId,
      "aria-invalid": error ? "true" : undefined, dataset: { focusKey: `connect-name-${key}` } });
    const errorText = h("p", { id: errorId, class: "field-error", hidden: !error }, error ?? "");
    const button = h("button", { type: "submit", class: "button button-primary",
      "aria-disabled": busy ? "true" : undefined, dataset: { focusKey: `connect-${key}` } },
      busy ? "Opening…" : "Connect", visuallyHidden(` ${provider.name}`));
    footer = h("form", { class: "connect-form", novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        if (busy) return;
        const name = input.value.trim();
        if (!name) {
          errorText.textContent = "Give this connection a name, e.g. “Work calendar”.";
          errorText.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.focus();
          return;
        }
        onConnect(provider, name);
      } },
    h("label", { for: inputId }, "Name for the connection"),
    h("div", { class: "inline-field" }, input, button),
    errorText);
  }

  return h("li", { class: "card provider-card", dataset: { provider: provider.provider } },
    h("article", { "aria-labelledby": titleId, class: "card-inner" },
      h("div", { class: "card-head" },
        categoryIcon(provider.type),
        h("div", { class: "card-title" },
          h("h3", { id: titleId }, provider.name),
          h("p", { class: "card-sub" }, categoryLabel(provider.type))),
        badge),
      h("p", { class: "card-text" }, provider.description),
      actions,
      footer));
}
