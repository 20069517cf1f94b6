// The picture beside a provider or a connector: its category's icon (decorative: the text
// next to it says the same).

import { h } from "./dom.js";

const known = new Set(["calendar", "email", "crm", "drive"]);

export function categoryIcon(category) {
  const name = known.has(category) ? category : "other";
  return h("span", { class: `tile tile-${name}` },
    h("img", { src: `/assets/icon-${name}.svg`, alt: "", width: 24, height: 24 }));
}
