// Coming back from a provider: the OAuth callback sent the browser here with the outcome in
// the query (success, provider, error, and in the confirm mode a one-time `completion` code).
// The query is read once and removed from the address bar and the history, so that a reload
// or a bookmark never replays it and no code stays in sight.

export function takeOAuthReturn() {
  const query = new URLSearchParams(window.location.search);
  if (!query.has("success") && !query.has("error") && !query.has("completion")) return null;
  const outcome = {
    success: query.get("success") === "true",
    provider: query.get("provider"),
    error: query.get("error"),
    completion: query.get("completion"),
  };
  window.history.replaceState(null, "", window.location.pathname);
  return outcome;
}
