// "Try an action": a dialog that runs one of a connector's actions, as the assistant would,
// with a form generated from the category's contract (served by the host at
// /assets/<category>.schema.json), and shows the result: its links first (a Google Meet
// link, a file's web link), then the whole answer.

import { ApiError, api, runAction } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { actionLabel, humanize } from "./format.js";
import { apiFailure } from "./messages.js";
import { announce } from "./notices.js";
import { createSchemaForm, localDateTimeValue } from "./schema_form.js";

const contracts = new Map();

/** The category's contract file, fetched once. */
function contract(category) {
  if (!contracts.has(category)) {
    const loading = api(`/assets/${encodeURIComponent(category)}.schema.json`, { authenticated: false });
    loading.catch(() => contracts.delete(category));
    contracts.set(category, loading);
  }
  return contracts.get(category);
}

function definitionLookup(file) {
  return (ref) => {
    const prefix = "#/definitions/";
    return typeof ref === "string" && ref.startsWith(prefix)
      ? file.definitions?.[ref.slice(prefix.length)] ?? {}
      : {};
  };
}

// Starting values that make a first try quick: an event from the next full hour for an hour,
// a time range over the coming week.
function suggestedValue(path, schema) {
  if (schema.format !== "date-time") return undefined;
  const hour = new Date();
  hour.setMinutes(0, 0, 0);
  hour.setHours(hour.getHours() + 1);
  const names = path.join("/");
  if (names === "start/date_time") return localDateTimeValue(hour);
  if (names === "end/date_time") return localDateTimeValue(new Date(hour.getTime() + 3600_000));
  if (names === "time_min") return localDateTimeValue(hour);
  if (names === "time_max") return localDateTimeValue(new Date(hour.getTime() + 7 * 86400_000));
  return undefined;
}

// What the links of the contracts' results are, in words; others go by their field's name.
const linkLabels = new Map([
  ["video_conference_link", "Video meeting"],
  ["html_link", "Web page"],
  ["web_link", "Web page"],
  ["url", "Web page"],
]);

// Every http(s) link in a result, with the name of the field that holds it.
function linksIn(value, name = "", found = []) {
  if (typeof value === "string" && /^https?:\/\//.test(value) && name) {
    found.push({ name, url: value });
  } else if (Array.isArray(value)) {
    value.forEach((item) => linksIn(item, name, found));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) linksIn(item, key, found);
  }
  return found.slice(0, 10);
}

// The links worth the first look first: a meeting's join link before its web page.
function byInterest(a, b) {
  const rank = (link) => (link.name === "video_conference_link" ? 0 : 1);
  return rank(a) - rank(b);
}

export class ActionDialog {
  /** `onClose()` runs when the dialog closes: an action may have changed the connector. */
  constructor({ onClose = () => {} } = {}) {
    this.dialog = document.getElementById("action-dialog");
    this.select = document.getElementById("action-select");
    this.description = document.getElementById("action-description");
    this.fields = document.getElementById("action-fields");
    this.outcome = document.getElementById("action-outcome");
    this.runButton = document.getElementById("action-run");
    this.form = null;
    this.opener = null;
    document.getElementById("action-close").addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("close", () => {
      if (this.opener?.isConnected) this.opener.focus();
      onClose();
    });
    this.select.addEventListener("change", () => this.showAction());
    document.getElementById("action-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
  }

  /** Opens the dialog for `connector` (of `provider`, whose actions it lists). */
  async open(connector, provider) {
    this.connector = connector;
    this.provider = provider;
    this.opener = document.activeElement;
    const about = [connector.name === provider.name ? null : provider.name, connector.account_identity]
      .filter(Boolean).join(", ");
    document.getElementById("action-target").textContent =
      `On ${connector.name}${about ? ` (${about})` : ""}`;
    replaceChildren(this.select, (provider.actions ?? []).map((action) =>
      h("option", { value: action }, actionLabel(action))));
    this.outcome.replaceChildren();
    this.dialog.showModal();
    this.select.focus();
    await this.showAction();
  }

  async showAction() {
    const action = this.select.value;
    this.outcome.replaceChildren();
    replaceChildren(this.fields, h("p", { class: "hint" }, "Loading the action’s fields…"));
    this.description.textContent = "";
    this.form = null;
    try {
      const file = await contract(this.connector.type);
      if (this.select.value !== action) return; // another action was chosen meanwhile
      const entry = file["x-actions"]?.[action];
      if (!entry) {
        replaceChildren(this.fields, h("p", { class: "field-error" },
          `The ${this.connector.type} contract has no action “${action}”.`));
        return;
      }
      this.description.textContent = entry.description ?? "";
      this.form = createSchemaForm(entry.params, {
        lookup: definitionLookup(file),
        idPrefix: `param-${action}`,
        initialValue: suggestedValue,
      });
      replaceChildren(this.fields, this.form.element);
    } catch (error) {
      replaceChildren(this.fields, h("p", { class: "field-error" },
        error instanceof ApiError ? apiFailure(error) : "The action’s fields could not be loaded."));
    }
  }

  async run() {
    if (!this.form) return;
    this.form.clearProblems();
    const { value, problems } = this.form.read();
    if (problems.length > 0) {
      this.form.showProblems(problems);
      this.showOutcome("error", "Check the highlighted values.", null);
      return;
    }
    const action = this.select.value;
    this.runButton.disabled = true;
    this.runButton.textContent = "Running…";
    this.outcome.replaceChildren(h("p", { class: "hint", role: "status" }, `Running ${actionLabel(action).toLowerCase()}…`));
    try {
      const answer = await runAction(this.connector.id, action, value);
      this.showOutcome("success", `${actionLabel(action)}: done.`, answer?.result ?? answer);
    } catch (error) {
      const text = error instanceof ApiError
        ? apiFailure(error, { provider: this.provider.name, doing: "action" })
        : "The action could not be run.";
      if (error instanceof ApiError && error.field) {
        const pointer = error.field.replace(/^\/params(?=\/|$)/, "");
        this.form.showProblems([{ pointer, message: text }]);
      }
      this.showOutcome("error", text, null);
    } finally {
      this.runButton.disabled = false;
      this.runButton.textContent = "Run the action";
    }
  }

  showOutcome(kind, title, result) {
    const links = result ? linksIn(result).sort(byInterest) : [];
    const json = result === null || result === undefined ? null : JSON.stringify(result, null, 2);
    replaceChildren(this.outcome,
      h("div", { class: `result result-${kind}`, role: kind === "error" ? "alert" : "status" },
        h("p", { class: "result-title" }, title),
        links.length > 0
          ? h("ul", { class: "result-links" }, links.map(({ name, url }) =>
            h("li", {}, h("span", { class: "result-link-name" }, `${linkLabels.get(name) ?? humanize(name)}: `),
              h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url))))
          : null,
        json
          ? h("details", { class: "result-json", open: true },
            h("summary", {}, "The full result"),
            h("pre", { tabindex: "0", "aria-label": "The full result, as JSON" }, h("code", {}, json)))
          : null));
    if (kind === "success") announce(title);
    // Below a long form: bring the outcome into view (the focus stays on the Run button).
    this.outcome.scrollIntoView({ block: "nearest" });
  }
}
