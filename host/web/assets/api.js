// The REST API of the host this page is served by (same origin), with the signed-in
// credential as a Bearer token. Every failure becomes an ApiError carrying the API's stable
// code, so that messages.js can say what happened in words.

import { credential } from "./session.js";

export class ApiError extends Error {
  constructor({ status = 0, code, message, field = null, requestId = null, retryAfter = null }) {
    super(message);
    this.name = "ApiError";
    this.status = status;   // 0: the host did not answer at all
    this.code = code;
    this.field = field;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

/**
 * Calls the API. `body` (an object) is sent as JSON. Answers the parsed JSON body (null for
 * 204) or throws an ApiError.
 */
export async function api(path, { method = "GET", body, authenticated = true } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const token = credential();
  if (authenticated && token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError({ code: "network_error", message: "the host did not answer" });
  }
  if (response.status === 204) return null;
  let payload = null;
  const text = await response.text();
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  if (response.ok) return payload;
  const error = payload?.error ?? {};
  const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  throw new ApiError({
    status: response.status,
    code: typeof error.code === "string" ? error.code : `http_${response.status}`,
    message: typeof error.message === "string" ? error.message : response.statusText,
    field: typeof error.field === "string" ? error.field : null,
    requestId: payload?.request_id ?? response.headers.get("X-Request-Id"),
    retryAfter: Number.isNaN(retryAfter) ? null : retryAfter,
  });
}

const connectors = "/api/v1/connectors";

export const listProviders = () => api(`${connectors}/providers`, { authenticated: false });
// {"connectors": [...]} (this host), or a bare array (the seed's other implementations).
export const listConnectors = async () => {
  const body = await api(connectors);
  return Array.isArray(body) ? body : body?.connectors ?? [];
};
export const startAuthorization = (provider, type, name) =>
  api(`${connectors}/authorize`, { method: "POST", body: { type, provider, name } });
export const completeConnection = (completion) =>
  api(`${connectors}/complete`, { method: "POST", body: { completion } });
export const refreshConnector = (id) =>
  api(`${connectors}/${encodeURIComponent(id)}/refresh`, { method: "POST" });
export const disconnectConnector = (id) =>
  api(`${connectors}/${encodeURIComponent(id)}`, { method: "DELETE" });
export const runAction = (id, action, params) =>
  api(`${connectors}/${encodeURIComponent(id)}/actions/${encodeURIComponent(action)}`, {
    method: "POST",
    body: params,
  });
export const openApiDocument = () => api("/api/v1/openapi.json", { authenticated: false });
