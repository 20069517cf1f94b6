// A form generated from an action's params JSON Schema (the category contracts the host
// serves in its OpenAPI document), so that "Try an action" works for every action of every
// category without a hand-written form. It reads back a params object, checks what a browser
// can check (required fields, numbers), and shows the API's own validation errors next to the
// field its JSON Pointer names.
//
// Covered: objects (nested as fieldsets), string maps, arrays of objects (add/remove rows),
// arrays of strings (one per line), enums, booleans, integers and numbers, strings with the
// formats date-time, date and email, long texts, and base64 contents (a file picker).

import { h, idPart } from "./dom.js";
import { humanize } from "./format.js";

/** Follows $ref (through `lookup`) and merges allOf, so a field sees one flat schema. */
export function resolveSchema(schema, lookup, depth = 0) {
  if (!schema || typeof schema !== "object" || depth > 32) return schema ?? {};
  let current = schema;
  if (current.$ref) {
    const { $ref, ...rest } = current;
    current = { ...resolveSchema(lookup($ref), lookup, depth + 1), ...rest };
  }
  if (Array.isArray(current.allOf)) {
    const { allOf, ...rest } = current;
    let merged = { ...rest };
    for (const part of allOf) {
      const resolved = resolveSchema(part, lookup, depth + 1);
      merged = {
        ...resolved,
        ...merged,
        properties: { ...(resolved.properties ?? {}), ...(merged.properties ?? {}) },
        required: [...(resolved.required ?? []), ...(merged.required ?? [])],
      };
    }
    if (Object.keys(merged.properties).length === 0) delete merged.properties;
    current = merged;
  }
  return current;
}

function typeOf(schema) {
  if (Array.isArray(schema.enum)) return "enum";
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null") ?? "string";
  if (schema.type) return schema.type;
  if (schema.properties) return "object";
  if (schema.items) return "array";
  return "string";
}

const longTextNames = /(^|_)(body|description|text|notes?)$/;

/** datetime-local's "YYYY-MM-DDTHH:MM" for a Date, in the reader's time zone. */
export function localDateTimeValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

class FieldContext {
  constructor(lookup, idPrefix, initialValue) {
    this.lookup = lookup;
    this.idPrefix = idPrefix;
    this.initialValue = initialValue;
    this.counter = 0;
  }

  id(path) {
    this.counter += 1;
    return `${this.idPrefix}-${idPart(path.join("-") || "root")}-${this.counter}`;
  }
}

// The parts every leaf field shares: label, hint, error message, and their ids.
function leafParts(context, path, schema, labelText, required) {
  const id = context.id(path);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hint = schema.description ? h("p", { class: "hint", id: hintId }, schema.description) : null;
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const label = h("label", { for: id }, labelText,
    required ? h("span", { class: "required-mark" }, " (required)") : null);
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(" ");
  return { id, hint, error, label, describedBy };
}

function leafField({ element, control, error, read, focusTarget }) {
  const target = focusTarget ?? control;
  return {
    element,
    read,
    showError(message) {
      error.textContent = message;
      error.hidden = false;
      target.setAttribute("aria-invalid", "true");
    },
    clearErrors() {
      error.textContent = "";
      error.hidden = true;
      target.removeAttribute("aria-invalid");
    },
    find() {
      return this;
    },
    focus() {
      target.focus();
    },
  };
}

// A required value left empty. Marked, so that an optional object left wholly empty (say a
// reply-to address) drops its members' "missing" problems instead of refusing the form.
function missing(problems, pointer, label) {
  problems.push({ pointer, message: `Fill in ${label.toLowerCase()}.`, missing: true });
}

function stringField(context, path, schema, label, required) {
  const parts = leafParts(context, path, schema, label, required);
  const name = path[path.length - 1] ?? "";
  const format = schema.format;
  let control;
  if (schema.contentEncoding === "base64") {
    return fileField(context, path, schema, label, required, parts);
  }
  if (format !== "date-time" && format !== "date" &&
      ((schema.maxLength ?? 0) > 2048 || longTextNames.test(String(name)))) {
    control = h("textarea", { id: parts.id, rows: 4, "aria-describedby": parts.describedBy,
      maxlength: schema.maxLength, required });
  } else {
    const type = format === "date-time" ? "datetime-local"
      : format === "date" ? "date"
        : format === "email" ? "email"
          : format === "uri" ? "url" : "text";
    control = h("input", { id: parts.id, type, "aria-describedby": parts.describedBy,
      maxlength: type === "text" || type === "email" ? schema.maxLength : undefined,
      autocomplete: type === "email" ? "email" : "off", required,
      spellcheck: type === "text" ? undefined : "false" });
  }
  const initial = context.initialValue(path, schema);
  if (initial !== undefined) control.value = initial;
  const zone = format === "date-time"
    ? h("p", { class: "hint" }, "In your time zone (", Intl.DateTimeFormat().resolvedOptions().timeZone, ").")
    : null;
  const element = h("div", { class: "field" }, parts.label, parts.hint, zone, control, parts.error);
  return leafField({
    element,
    control,
    error: parts.error,
    read(problems, pointer) {
      const raw = control.value;
      if (raw === "" || (raw.trim() === "" && control.tagName === "INPUT")) {
        if (required) missing(problems, pointer, label);
        return undefined;
      }
      if (format === "date-time") {
        const date = new Date(raw);
        if (Number.isNaN(date.getTime())) {
          problems.push({ pointer, message: `${label} is not a date and time.` });
          return undefined;
        }
        return date.toISOString().replace(/\.000Z$/, "Z");
      }
      return control.tagName === "INPUT" ? raw.trim() : raw;
    },
  });
}

// A file picker whose content is sent in base64; picking a file also fills the sibling
// fields its object may have for the file's name and media type, when they are empty.
function fileField(context, path, schema, label, required, parts) {
  const control = h("input", { id: parts.id, type: "file", "aria-describedby": parts.describedBy,
    required });
  let content;
  control.addEventListener("change", async () => {
    content = undefined;
    const file = control.files?.[0];
    if (!file) return;
    const buffer = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < buffer.length; i += 0x8000) {
      binary += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
    }
    content = btoa(binary);
    control.dispatchEvent(new CustomEvent("sb-file-picked", {
      bubbles: true, detail: { name: file.name, type: file.type || "application/octet-stream" },
    }));
  });
  const element = h("div", { class: "field" }, parts.label, parts.hint, control, parts.error);
  return leafField({
    element,
    control,
    error: parts.error,
    read(problems, pointer) {
      if (content === undefined) {
        if (required) problems.push({ pointer, message: `Choose a file for ${label.toLowerCase()}.` });
        return undefined;
      }
      return content;
    },
  });
}

function numberField(context, path, schema, label, required, integer) {
  const parts = leafParts(context, path, schema, label, required);
  const control = h("input", { id: parts.id, type: "number", inputmode: integer ? "numeric" : "decimal",
    step: integer ? "1" : "any", min: schema.minimum, max: schema.maximum,
    "aria-describedby": parts.describedBy, required });
  const initial = context.initialValue(path, schema);
  if (initial !== undefined) control.value = String(initial);
  const element = h("div", { class: "field field-short" }, parts.label, parts.hint, control, parts.error);
  return leafField({
    element,
    control,
    error: parts.error,
    read(problems, pointer) {
      const raw = control.value.trim();
      if (raw === "") {
        if (control.validity?.badInput) {
          problems.push({ pointer, message: `${label} must be a number.` });
        } else if (required) {
          missing(problems, pointer, label);
        }
        return undefined;
      }
      const value = Number(raw);
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        problems.push({ pointer, message: `${label} must be ${integer ? "a whole number" : "a number"}.` });
        return undefined;
      }
      return value;
    },
  });
}

function booleanField(context, path, schema, label) {
  const id = context.id(path);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const control = h("input", { id, type: "checkbox",
    "aria-describedby": [schema.description ? hintId : null, errorId].filter(Boolean).join(" "),
    checked: context.initialValue(path, schema) ?? schema.default === true });
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const element = h("div", { class: "field field-check" },
    h("div", { class: "check-row" }, control, h("label", { for: id }, label)),
    schema.description ? h("p", { class: "hint", id: hintId }, schema.description) : null,
    error);
  return leafField({
    element,
    control,
    error,
    // Unticked means "not given": the contract's default applies (for an update, "unchanged").
    read: () => (control.checked ? true : undefined),
  });
}

function enumField(context, path, schema, label, required) {
  const parts = leafParts(context, path, schema, label, required);
  const control = h("select", { id: parts.id, "aria-describedby": parts.describedBy, required },
    h("option", { value: "" }, required ? "Choose…" : "(not set)"),
    schema.enum.map((value) => h("option", { value: JSON.stringify(value) }, humanize(String(value)))));
  const element = h("div", { class: "field field-short" }, parts.label, parts.hint, control, parts.error);
  return leafField({
    element,
    control,
    error: parts.error,
    read(problems, pointer) {
      if (control.value === "") {
        if (required) missing(problems, pointer, label);
        return undefined;
      }
      return JSON.parse(control.value);
    },
  });
}

// One entry per line: "value" (a list of strings, or of numbers when the items are) or
// "name=value" (a map of strings).
function linesField(context, path, schema, label, required, asMap, itemType = "string") {
  const parts = leafParts(context, path, schema, label, required);
  const control = h("textarea", { id: parts.id, rows: 3, "aria-describedby": parts.describedBy,
    spellcheck: "false", required });
  const format = h("p", { class: "hint" }, asMap ? "One name=value per line." : "One per line.");
  const element = h("div", { class: "field" }, parts.label, parts.hint, format, control, parts.error);
  return leafField({
    element,
    control,
    error: parts.error,
    read(problems, pointer) {
      const lines = control.value.split("\n").map((line) => line.trim()).filter(Boolean);
      if (lines.length === 0) {
        if (required) missing(problems, pointer, label);
        return undefined;
      }
      if (!asMap) {
        if (itemType !== "integer" && itemType !== "number") return lines;
        const numbers = lines.map(Number);
        if (numbers.some((n) => !Number.isFinite(n) || (itemType === "integer" && !Number.isInteger(n)))) {
          problems.push({ pointer, message: `${label}: each line must be ${itemType === "integer" ? "a whole number" : "a number"}.` });
          return undefined;
        }
        return numbers;
      }
      const map = {};
      for (const line of lines) {
        const equals = line.indexOf("=");
        if (equals <= 0) {
          problems.push({ pointer, message: `"${line}" is not name=value.` });
          return undefined;
        }
        map[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
      }
      return map;
    },
  });
}

function singularOf(label) {
  return /[^s]s$/i.test(label) ? label.slice(0, -1) : null;
}

// What one row of a list is called: "Attendees" -> "Attendee"; a list not named in the
// plural ("To", "Cc") of objects with an e-mail address holds recipients; else "Item".
function itemNoun(label, itemSchema) {
  if (/[^s]s$/i.test(label)) return label.slice(0, -1);
  return itemSchema.properties?.email ? "Recipient" : "Item";
}

// Rows of an object each; "Add" appends one (and moves focus into it), "Remove" takes one out.
function repeaterField(context, path, schema, label, required) {
  const itemSchema = resolveSchema(schema.items, context.lookup);
  const itemLabel = itemNoun(label, itemSchema);
  const noun = itemLabel.toLowerCase();
  const list = h("ol", { class: "repeat-list" });
  const error = h("p", { class: "field-error", hidden: true });
  const rows = [];
  // The visible text may repeat across lists (To, Cc, Bcc); the accessible name does not.
  const addButton = h("button", { type: "button", class: "button button-small" },
    `Add ${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`,
    itemLabel === singularOf(label) ? null : h("span", { class: "visually-hidden" }, ` (${label})`));
  const fieldset = h("fieldset", { class: "group" },
    h("legend", {}, label, required ? h("span", { class: "required-mark" }, " (required)") : null),
    schema.description ? h("p", { class: "hint" }, schema.description) : null,
    list, error, addButton);

  function renumber() {
    rows.forEach((row, index) => {
      row.legend.textContent = `${itemLabel} ${index + 1}`;
      row.remove.replaceChildren(`Remove ${noun} ${index + 1}`,
        itemLabel === singularOf(label) ? null : h("span", { class: "visually-hidden" }, ` (${label})`));
    });
  }

  function addRow(focus) {
    const rowPath = [...path, String(context.counter)];
    const legend = h("legend", {});
    const inner = objectField(context, rowPath, itemSchema, null, false, { bare: true });
    const remove = h("button", { type: "button", class: "button button-small button-quiet" });
    const item = h("li", {}, h("fieldset", { class: "group group-row" }, legend, inner.element, remove));
    const row = { legend, remove, item, field: inner };
    remove.addEventListener("click", () => {
      const index = rows.indexOf(row);
      rows.splice(index, 1);
      item.remove();
      renumber();
      (rows[Math.min(index, rows.length - 1)]?.remove ?? addButton).focus();
    });
    rows.push(row);
    list.append(item);
    renumber();
    if (focus) inner.focus();
  }

  addButton.addEventListener("click", () => addRow(true));
  if ((schema.minItems ?? 0) > 0) addRow(false);

  return {
    element: fieldset,
    read(problems, pointer) {
      const values = [];
      for (const row of rows) {
        // A row left wholly empty is no row.
        const value = row.field.read(problems, `${pointer}/${values.length}`);
        if (value !== undefined) values.push(value);
      }
      if (values.length === 0) {
        if (required || (schema.minItems ?? 0) > 0) {
          problems.push({ pointer, message: `Add at least one ${noun}.` });
        }
        return undefined;
      }
      return values;
    },
    showError(message) {
      error.textContent = message;
      error.hidden = false;
    },
    clearErrors() {
      error.hidden = true;
      error.textContent = "";
      rows.forEach((row) => row.field.clearErrors());
    },
    find(segments) {
      if (segments.length === 0) return this;
      const row = rows[Number(segments[0])];
      return row ? row.field.find(segments.slice(1)) : this;
    },
    focus() {
      (rows[0]?.field ?? addButton).focus();
    },
  };
}

function objectField(context, path, schema, label, required, { bare = false, root = false } = {}) {
  const requiredNames = new Set(schema.required ?? []);
  const children = [];
  for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
    children.push({ name, field: field(context, [...path, name], propertySchema, humanize(name), requiredNames.has(name)) });
  }
  const error = h("p", { class: "field-error", hidden: true });
  const content = children.map((child) => child.field.element);
  const element = bare || label === null
    ? h("div", { class: "group-body" }, error, content)
    : h("fieldset", { class: "group" },
      h("legend", {}, label, required ? h("span", { class: "required-mark" }, " (required)") : null),
      schema.description ? h("p", { class: "hint" }, schema.description) : null,
      error, content);
  // A file picked here fills this object's name and media type fields if they are empty.
  element.addEventListener("sb-file-picked", (event) => {
    for (const [name, value] of [["name", event.detail.name], ["mime_type", event.detail.type]]) {
      const input = children.find((child) => child.name === name)?.field.element.querySelector("input");
      if (input && input.value === "") input.value = value;
    }
  });
  return {
    element,
    read(problems, pointer) {
      const value = {};
      const own = [];
      for (const child of children) {
        const childValue = child.field.read(own, `${pointer}/${child.name}`);
        if (childValue !== undefined) value[child.name] = childValue;
      }
      const empty = Object.keys(value).length === 0 && own.every((problem) => problem.missing);
      if (empty && !root) {
        if (required) missing(problems, pointer, label ?? "this");
        return undefined;
      }
      problems.push(...own);
      return value;
    },
    showError(message) {
      error.textContent = message;
      error.hidden = false;
    },
    clearErrors() {
      error.hidden = true;
      error.textContent = "";
      children.forEach((child) => child.field.clearErrors());
    },
    find(segments) {
      if (segments.length === 0) return this;
      const child = children.find((c) => c.name === segments[0]);
      return child ? child.field.find(segments.slice(1)) : this;
    },
    focus() {
      children[0]?.field.focus();
    },
  };
}

function field(context, path, rawSchema, label, required) {
  const schema = resolveSchema(rawSchema, context.lookup);
  switch (typeOf(schema)) {
    case "object":
      if (!schema.properties && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return linesField(context, path, schema, label, required, true);
      }
      return objectField(context, path, schema, label, required);
    case "array": {
      const items = resolveSchema(schema.items ?? {}, context.lookup);
      return typeOf(items) === "object"
        ? repeaterField(context, path, schema, label, required)
        : linesField(context, path, schema, label, required, false, typeOf(items));
    }
    case "enum":
      return enumField(context, path, schema, label, required);
    case "boolean":
      return booleanField(context, path, schema, label);
    case "integer":
      return numberField(context, path, schema, label, required, true);
    case "number":
      return numberField(context, path, schema, label, required, false);
    default:
      return stringField(context, path, schema, label, required);
  }
}

/**
 * The form for `schema` (an object schema). `lookup($ref)` resolves references;
 * `initialValue(path, schema)` may suggest a starting value (path: property names from the
 * root). Answers { element, read(), showProblems(), clearProblems() }: read() gives
 * { value, problems } with problems as [{ pointer, message }] (JSON Pointers into value).
 */
export function createSchemaForm(schema, { lookup, idPrefix = "param", initialValue = () => undefined }) {
  const context = new FieldContext(lookup, idPrefix, initialValue);
  const root = objectField(context, [], resolveSchema(schema, lookup), null, false, { bare: true, root: true });
  const generalErrors = h("ul", { class: "form-errors", hidden: true });
  const element = h("div", { class: "schema-form" }, generalErrors, root.element,
    Object.keys(resolveSchema(schema, lookup).properties ?? {}).length === 0
      ? h("p", { class: "hint" }, "This action takes no values.")
      : null);
  return {
    element,
    read() {
      const problems = [];
      const value = root.read(problems, "") ?? {};
      return { value, problems };
    },
    clearProblems() {
      root.clearErrors();
      generalErrors.hidden = true;
      generalErrors.replaceChildren();
    },
    /** Shows each problem beside its field; ones no field claims go in a list on top. */
    showProblems(problems) {
      let first = null;
      for (const problem of problems) {
        const segments = problem.pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
        const target = segments.length > 0 ? root.find(segments) : null;
        if (target && target !== root) {
          target.showError(problem.message);
          first ??= target;
        } else {
          generalErrors.append(h("li", {}, problem.message));
          generalErrors.hidden = false;
        }
      }
      if (first) first.focus();
      return first !== null;
    },
  };
}

