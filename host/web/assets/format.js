// How values read on the page: dates in the reader's locale and time zone, statuses and
// categories in words.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "6 Dec 2025, 10:30", or `fallback` for a missing or unreadable time. */
export function formatTime(iso, fallback = "Never") {
  if (!iso) return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export const statusLabels = {
  active: "Active",
  pending: "Waiting for confirmation",
  expired: "Expired",
  revoked: "Access revoked",
  error: "Error",
  disconnected: "Disconnected",
};

export function statusLabel(status) {
  return statusLabels[status] ?? capitalize(status ?? "unknown");
}

export const categoryLabels = {
  calendar: "Calendar",
  email: "E-mail",
  crm: "CRM",
  drive: "Files",
};

export function categoryLabel(category) {
  return categoryLabels[category] ?? capitalize(category ?? "");
}

export function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

const acronyms = new Map([
  ["id", "ID"], ["ids", "IDs"], ["html", "HTML"], ["url", "URL"], ["mime", "MIME"],
  ["cc", "Cc"], ["bcc", "Bcc"], ["base64", ""],
]);

// Names whose words alone read badly.
const phrases = new Map([["date_time", "Date and time"], ["time_min", "From"], ["time_max", "Until"]]);

/** "video_conference" -> "Video conference", "calendar_id" -> "Calendar ID". */
export function humanize(name) {
  if (phrases.has(name)) return phrases.get(name);
  const words = String(name).split(/[_\s]+/).filter(Boolean)
    .map((word) => (acronyms.has(word.toLowerCase()) ? acronyms.get(word.toLowerCase()) : word))
    .filter(Boolean);
  return capitalize(words.join(" "));
}

/** "create_event" -> "Create event". */
export function actionLabel(action) {
  return humanize(action);
}
