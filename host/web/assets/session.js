// The caller's credential (the demo API key, another API key, or a JWT from the product's
// identity provider), kept for this tab only in sessionStorage and sent as a Bearer token.
// A completion code that came back from a provider before anyone signed in waits here too,
// so that signing in can finish the connection.

const credentialKey = "switchboard.credential";
const pendingCompletionKey = "switchboard.pending_completion";
const connectingKey = "switchboard.connecting";

/** The well-known key of the embedded default and the demo (config/README.md). */
export const demoApiKey = "sb-demo-key-for-local-use-only";

export function credential() {
  return sessionStorage.getItem(credentialKey);
}

export function signIn(value) {
  sessionStorage.setItem(credentialKey, value);
}

export function signOut() {
  sessionStorage.removeItem(credentialKey);
  sessionStorage.removeItem(pendingCompletionKey);
}

export function isJwt(value) {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value ?? "");
}

/** Who the page says is signed in: a JWT's subject (read, not verified: the API verifies). */
export function describeCredential(value) {
  if (value === demoApiKey) return "Signed in with the demo API key";
  if (!isJwt(value)) return "Signed in with an API key";
  try {
    const payload = value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
    if (typeof claims.email === "string") return `Signed in as ${claims.email}`;
    if (typeof claims.sub === "string") return `Signed in as ${claims.sub}`;
  } catch {
    // Not readable: the API will say whether it is valid.
  }
  return "Signed in with a token";
}

export function savePendingCompletion(pending) {
  sessionStorage.setItem(pendingCompletionKey, JSON.stringify(pending));
}

export function takePendingCompletion() {
  const text = sessionStorage.getItem(pendingCompletionKey);
  sessionStorage.removeItem(pendingCompletionKey);
  if (!text) return null;
  try {
    const pending = JSON.parse(text);
    return typeof pending?.completion === "string" ? pending : null;
  } catch {
    return null;
  }
}

/**
 * Which provider this tab went to connect: the callback names it on success, and on failure
 * only when it knows it, so the page remembers it across the round trip (15 minutes at most).
 */
export function rememberConnecting(provider) {
  sessionStorage.setItem(connectingKey, JSON.stringify({ provider, at: Date.now() }));
}

export function takeConnecting() {
  const text = sessionStorage.getItem(connectingKey);
  sessionStorage.removeItem(connectingKey);
  try {
    const remembered = JSON.parse(text ?? "null");
    const fresh = remembered && Date.now() - remembered.at < 15 * 60 * 1000;
    return fresh && typeof remembered.provider === "string" ? remembered.provider : null;
  } catch {
    return null;
  }
}
