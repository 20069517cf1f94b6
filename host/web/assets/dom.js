// Building the page's DOM without HTML strings: the Content-Security-Policy enforces Trusted
// Types ('none'), so innerHTML and friends are refused; every text goes in as a text node.

/**
 * Creates an element. `attrs`: attributes (false/null/undefined ones are left out; `true`
 * sets an empty attribute), plus `class` and `dataset` shortcuts and `on<event>` listeners.
 * `children`: nodes, strings (text), or nested arrays; null/false ones are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (name === "value" && "value" in element) {
      element.value = value;
    } else if (name === "checked" || name === "selected") {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of `parent` with `children`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Text only screen readers read, e.g. which card a "Refresh" button belongs to. */
export function visuallyHidden(text) {
  return h("span", { class: "visually-hidden" }, text);
}

/** A string usable in an id attribute. */
export function idPart(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, "_");
}
