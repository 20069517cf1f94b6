/*
 * switchboard/plugin.h — the Switchboard plugin ABI.
 *
 * This header is the whole contract between the Switchboard host and a provider plugin.
 * It is C99 (and compiles as C++), uses only fixed-width integers and plain pointers, and
 * is the only thing a plugin author must compile against.
 *
 * Rules that hold for every declaration below (the CLAP conventions):
 *
 *  - Versioning. The ABI has a {major, minor} version; see "Compatibility" below.
 *  - Ownership. Whoever allocates frees. Pointers passed into a function are valid for the
 *    duration of that call only unless its documentation says otherwise; copy what you keep.
 *    Results travel through host-owned sinks (sb_sink). No C++ type, exception or allocator
 *    crosses this boundary; a plugin must not let an exception escape any function.
 *  - Strings are NUL-terminated UTF-8 unless a size is given next to them.
 *  - Status codes are sb_status (int32_t), never C enums, so their width is fixed.
 *  - Threads. Each function states where it may be called:
 *      [main-thread]  only from the host's main (loader) thread, never concurrently;
 *      [thread-safe]  from any thread, concurrently with itself and other [thread-safe] calls;
 *      [call-thread]  only from the thread running the sb_plugin.invoke that received the
 *                     sb_call, and only before that invoke returns.
 *
 * A plugin library exports exactly one symbol: the entry function SB_ENTRY_SYMBOL
 * (a function, because dlsym is only reliable for functions), declared by SB_PLUGIN_ENTRY.
 * Build plugins with -fvisibility=hidden so that nothing else is exported.
 *
 * Compatibility (the CLAP and Vulkan rules; the history is in the SDK's README):
 *
 *  - Major. Another major may lay any struct out differently. The host reads sb_plugin.abi
 *    first (its offset never changes) and refuses a plugin of another major, naming both
 *    versions; the C++ helper's init refuses a host of another major the same way.
 *  - Minor. A minor only adds: fields appended at the end of a struct, new status codes,
 *    new constants, new extensions. Nothing is removed, reordered or re-typed, and the
 *    meaning of what exists does not change. The layout of ABI 1.0 is frozen (the SDK's
 *    tests compare every size and offset with a committed table). So both directions work:
 *      * a plugin built for an older 1.x loads on a newer 1.y host: its structs are shorter,
 *        and the fields it does not know read as zero/NULL;
 *      * a plugin built for a newer 1.y loads on an older 1.x host: the host reads only the
 *        fields it knows, and ignores the rest of each struct.
 *  - Both sides state their version (sb_plugin.abi, sb_host.abi) and the lower one wins:
 *    a side may only use what both know. In particular a plugin returns only the status
 *    codes of min(its minor, the host's minor) (the C++ helper maps a newer code to the
 *    nearest older one, e.g. SB_STATUS_CONFLICT to SB_STATUS_INVALID_INPUT for a 1.0 host),
 *    and a host reads a field only when the plugin's struct_size covers it.
 *  - struct_size. Every struct begins with `struct_size`, set to sizeof by the side that
 *    fills it; a reader checks that a field lies inside it (SB_HAS_FIELD) before reading the
 *    field. The host copies each struct a plugin hands it into its own zero-initialised copy
 *    of at most its own sizeof, so trailing fields either side does not know are harmless.
 *  - Fields marked [since 1.N] exist from that minor on; a reader checks them with
 *    SB_HAS_FIELD and treats them as absent otherwise.
 *  - Optional capabilities are extensions, looked up by a revisioned string id
 *    ("switchboard.deadline/1") with sb_host.get_extension (host services) or
 *    sb_plugin.get_extension (plugin capabilities); each is declared in its own header
 *    under switchboard/ext/. A new revision of an extension gets a new id; a host or plugin
 *    without it returns NULL, and the caller falls back.
 */
#ifndef SWITCHBOARD_PLUGIN_H
#define SWITCHBOARD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------ */
/* Version, status codes, helpers                                                        */
/* ------------------------------------------------------------------------------------ */

#define SB_ABI_VERSION_MAJOR 1u
#define SB_ABI_VERSION_MINOR 3u

typedef struct sb_abi_version {
    uint32_t major;
    uint32_t minor;
} sb_abi_version;

/* Result of every fallible call. Values are stable: new ones may be added, none change. */
typedef int32_t sb_status;
#define SB_STATUS_OK 0            /* success */
#define SB_STATUS_INVALID_INPUT 1 /* the params (or the provider's view of them) are invalid */
#define SB_STATUS_AUTH 2          /* credentials missing, expired, revoked or insufficient */
#define SB_STATUS_NOT_FOUND 3     /* the object the params name does not exist */
#define SB_STATUS_RATE_LIMITED 4  /* the provider asked to slow down; retrying later may work */
#define SB_STATUS_UNAVAILABLE 5   /* the provider or the network failed; retrying may work */
#define SB_STATUS_UNSUPPORTED 6   /* this plugin does not implement the action or option */
#define SB_STATUS_INTERNAL 7      /* a bug or unexpected state inside the plugin or host */
/* [since 1.1] The request conflicts with the provider's state, e.g. HubSpot's "contact already
 * exists" (HTTP 409). The host answers 409 with the plugin's error code. Return it only to a
 * host of ABI 1.1 or later (sb_host.abi.minor >= 1); an older host expects
 * SB_STATUS_INVALID_INPUT instead. */
#define SB_STATUS_CONFLICT 8

/* Log levels for sb_host.log. */
typedef int32_t sb_log_level;
#define SB_LOG_DEBUG 0
#define SB_LOG_INFO 1
#define SB_LOG_WARNING 2
#define SB_LOG_ERROR 3

/* True when `ptr` (a pointer to struct `type`) is large enough to hold `field`.
 * Example: if (SB_HAS_FIELD(sb_host, host, http)) host->http(...); */
#define SB_HAS_FIELD(type, ptr, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((const type *)0)->field))

/* The name of the one symbol a plugin library exports. */
#define SB_ENTRY_SYMBOL "switchboard_plugin_entry"

#if defined(_WIN32)
#define SB_EXPORT __declspec(dllexport)
#else
#define SB_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------------------ */
/* Shared small types                                                                    */
/* ------------------------------------------------------------------------------------ */

/* A name/value pair: an HTTP header, or an extra OAuth authorize parameter. */
typedef struct sb_pair {
    uint32_t struct_size;
    const char *name;
    const char *value;
} sb_pair;

/* A host-owned byte sink. The plugin appends bytes; the host owns the buffer.
 * Sinks are valid for the duration of the call that received them. */
typedef struct sb_sink {
    uint32_t struct_size;
    void *context; /* host's; the plugin must not touch it */

    /* [call-thread] Appends `size` bytes from `data` (which need not be NUL-terminated).
     * `data` is borrowed for the call. Returns SB_STATUS_OK, or SB_STATUS_INVALID_INPUT when
     * the output would exceed the host's size limit (the sink then keeps what it had). */
    sb_status (*write)(const struct sb_sink *sink, const char *data, size_t size);
} sb_sink;

/* ------------------------------------------------------------------------------------ */
/* HTTP through the host                                                                 */
/* ------------------------------------------------------------------------------------ */

/* A request the plugin asks the host to perform against its provider. The host resolves
 * `path` against the provider's configured API base URL, adds the connector's credentials
 * (the plugin never sees a refresh token and need not see the access token), applies
 * timeouts and retries (429 and 5xx with backoff, honouring Retry-After), and records
 * metrics. Every pointer is borrowed for the duration of sb_host.http. */
typedef struct sb_http_request {
    uint32_t struct_size;
    const char *method; /* "GET", "POST", "PATCH", "PUT", "DELETE" */
    /* Path and query relative to the API base URL, starting with '/', already
     * percent-encoded, e.g. "/calendar/v3/calendars/primary/events?maxResults=50".
     * Absolute URLs are refused: a plugin cannot send credentials elsewhere. */
    const char *path;
    const sb_pair *const *headers; /* array of header_count pointers; may be NULL if 0 */
    size_t header_count;           /* Authorization is set by the host and refused here */
    const char *body;              /* may be NULL when body_size is 0 */
    size_t body_size;
} sb_http_request;

/* The provider's answer. Host-owned: valid until the sb_plugin.invoke that made the
 * request returns. Read fields only after checking SB_HAS_FIELD. */
typedef struct sb_http_response {
    uint32_t struct_size;
    int32_t status;                /* the HTTP status code, e.g. 200, 404, 429 */
    const sb_pair *const *headers; /* names in lower case */
    size_t header_count;
    const char *body; /* not NUL-terminated; may be NULL when body_size is 0 */
    size_t body_size;
} sb_http_response;

/* One action invocation, as the host sees it. Opaque to the plugin. */
typedef struct sb_call sb_call;

/* ------------------------------------------------------------------------------------ */
/* Host services                                                                         */
/* ------------------------------------------------------------------------------------ */

/* The table of services the host hands the plugin in sb_plugin.init. Host-owned; it stays
 * valid, unchanged, until sb_plugin.deinit returns. */
typedef struct sb_host {
    uint32_t struct_size;
    sb_abi_version abi;       /* the host's ABI version */
    const char *host_name;    /* e.g. "switchboard" */
    const char *host_version; /* e.g. "0.1.0" */
    void *host_data;          /* host's; the plugin must not touch it */

    /* [thread-safe] Writes one log line. `message` is borrowed; it must never contain a
     * secret (token, code, key). The host adds the plugin and provider to the line. */
    void (*log)(const struct sb_host *host, sb_log_level level, const char *message);

    /* [thread-safe] Wall-clock time, milliseconds since the Unix epoch. Plugins use this
     * instead of the system clock so tests can control time. */
    int64_t (*now_unix_ms)(const struct sb_host *host);

    /* [call-thread] Performs `request` for the connector of `call` and stores a pointer to
     * the host-owned response in *response (valid until the current invoke returns).
     * Returns SB_STATUS_OK when the provider answered, whatever its HTTP status; otherwise
     * *response is set to NULL and the status says why: SB_STATUS_INVALID_INPUT (malformed
     * request, e.g. an absolute URL or an Authorization header), SB_STATUS_AUTH (no usable
     * credentials: the connector is not connected or its refresh failed),
     * SB_STATUS_UNAVAILABLE (connect/read failure or timeout after the host's retries, or
     * the call is past its deadline). The request's timeouts and retries never run past the
     * call's deadline. */
    sb_status (*http)(const struct sb_host *host, sb_call *call, const sb_http_request *request,
                      const sb_http_response **response);

    /* [thread-safe] Returns the host's extension with revisioned id `id` (for example
     * SB_EXT_DEADLINE, "switchboard.deadline/1", in switchboard/ext/deadline.h), or NULL when
     * the host has none. The returned table is host-owned, static, and valid until
     * sb_plugin.deinit returns; its first member is a struct_size (check it). */
    const void *(*get_extension)(const struct sb_host *host, const char *id);
} sb_host;

/* ------------------------------------------------------------------------------------ */
/* Provider descriptors (data)                                                           */
/* ------------------------------------------------------------------------------------ */

/* How the client authenticates at the token endpoint. */
typedef int32_t sb_client_auth;
#define SB_CLIENT_AUTH_POST 0  /* client_id and client_secret in the form body */
#define SB_CLIENT_AUTH_BASIC 1 /* HTTP Basic with client_id:client_secret */

/* How a token is revoked at `revoke_url`. */
typedef int32_t sb_revoke_style;
#define SB_REVOKE_NONE 0        /* the provider has no revocation endpoint */
#define SB_REVOKE_POST_FORM 1   /* RFC 7009: POST form `token=<token>` to revoke_url */
#define SB_REVOKE_DELETE_PATH 2 /* DELETE revoke_url with "{token}" replaced by the token */

/* OAuth 2.0 metadata the host needs to run the authorization-code flow generically. */
typedef struct sb_oauth_desc {
    uint32_t struct_size;
    const char *authorize_url; /* required, absolute https URL */
    const char *token_url;     /* required, absolute https URL */
    const char *revoke_url;    /* required unless revoke_style is SB_REVOKE_NONE */
    sb_revoke_style revoke_style;
    const char *const *default_scopes; /* scopes requested on authorize */
    size_t default_scope_count;
    const sb_pair *const *extra_authorize_params; /* e.g. access_type=offline, prompt=consent */
    size_t extra_authorize_param_count;
    int32_t pkce; /* 1: send an S256 code_challenge and the code_verifier; 0: no PKCE */
    sb_client_auth client_auth;
    /* Where the host reads the account identity (e.g. the e-mail address) after the code
     * exchange: a GET on identity_url with the new access token as a bearer token, or,
     * when identity_url contains "{access_token}", with the token substituted into the URL
     * and no Authorization header. identity_field is a JSON Pointer (RFC 6901) into the
     * response, e.g. "/email". Both NULL when the provider exposes no identity. */
    const char *identity_url;
    const char *identity_field;
    const char *const *identity_scopes; /* added to default_scopes for identity_url */
    size_t identity_scope_count;
    /* [since 1.1] A JSON Pointer (RFC 6901) into the same identity response naming the
     * provider-side account the user connected, e.g. HubSpot's portal "/hub_id": one person
     * may connect several accounts of a provider, and (identity, account) tells them apart.
     * NULL when the identity alone names the account; requires identity_url. */
    const char *identity_account_field;
} sb_oauth_desc;

/* [since 1.2] An access token the provider issues to an account outside OAuth (an API key,
 * HubSpot's private-app access token). A user hands it to the host once; the host checks it
 * with a GET on identity_url (the token as a bearer token), reads the account there, stores
 * the token encrypted like any other, and sends it as a bearer token. It never expires at the
 * host and is never refreshed: when the provider refuses it, the user replaces it.
 * Plugin-owned, with the same life as the sb_provider_desc that points to it. */
typedef struct sb_access_token_desc {
    uint32_t struct_size;
    const char *label;        /* required; what the provider calls it, for people */
    const char *identity_url; /* required; absolute https URL */
    /* required; a JSON Pointer (RFC 6901) into identity_url's answer naming the account for
     * people (a string or a number), e.g. "/portalId" */
    const char *identity_field;
    /* a JSON Pointer into the same answer naming the provider-side account, as
     * sb_oauth_desc.identity_account_field does for OAuth (e.g. HubSpot's "/portalId");
     * NULL when the identity alone names it */
    const char *identity_account_field;
} sb_access_token_desc;

/* Categories: every provider belongs to exactly one; each has a fixed set of actions
 * whose params and results are JSON Schemas shipped with the SDK
 * (sdk/schemas/<category>.schema.json, installed in share/switchboard/schemas/).
 * switchboard/categories.h names every action (SB_ACTION_<CATEGORY>_<ACTION>).
 *
 * A category's contract carries a revision ("calendar/1"). Within a revision only optional
 * params and optional result members are ever added, so a plugin written against a revision
 * keeps working with every later host that honours it; anything else is a new revision. The
 * released revisions are kept as schemas/<category>/<revision>.schema.json, and a host keeps
 * every revision it still honours. categories.h names the revision the SDK ships
 * (SB_CONTRACT_REVISION_<CATEGORY>). */
#define SB_CATEGORY_CALENDAR "calendar"
#define SB_CATEGORY_EMAIL "email"
#define SB_CATEGORY_CRM "crm"
#define SB_CATEGORY_DRIVE "drive"

/* One provider a plugin ships. Plugin-owned; must stay valid and unchanged until
 * sb_plugin.deinit returns. */
typedef struct sb_provider_desc {
    uint32_t struct_size;
    const char *id;           /* required; [a-z0-9_]{1,64}, unique across all plugins */
    const char *category;     /* required; one of the SB_CATEGORY_* strings */
    const char *display_name; /* required; e.g. "Google Calendar" */
    const char *description;  /* required; one sentence for people */
    const sb_oauth_desc *oauth; /* required for every provider in ABI 1.0 */
    const char *api_base_url;   /* required; absolute https URL, no trailing slash */
    const char *const *actions; /* the category's actions this provider implements */
    size_t action_count;
    /* [since 1.2] Where the host's credentialed proxy (/api/v1/connectors/{id}/proxy/...)
     * may send this provider's credentials: absolute https URLs without a trailing slash,
     * query or fragment, e.g. "https://www.googleapis.com/drive/v3". A proxied path resolves
     * against api_base_url and must fall under one of them (segment by segment). NULL with
     * count 0: api_base_url alone. The host moves them as a config override moves
     * api_base_url (the provider simulator is reached that way). */
    const char *const *allowed_base_urls;
    size_t allowed_base_url_count;
    /* [since 1.2] How an account connects with an access token issued outside OAuth; NULL
     * when the provider has none (OAuth only). */
    const sb_access_token_desc *access_token;
    /* [since 1.3] The revision of the category's contract this provider implements (the "1" of
     * "calendar/1"); the host validates the provider's params and results against that
     * revision and refuses a revision it does not honour. 0, or a struct that ends before this
     * field (a plugin built for 1.0 to 1.2), means revision 1. */
    uint32_t contract_revision;
} sb_provider_desc;

/* ------------------------------------------------------------------------------------ */
/* The plugin                                                                            */
/* ------------------------------------------------------------------------------------ */

/* What the host tells a plugin about a connector it creates. Borrowed for the call. */
typedef struct sb_connector_info {
    uint32_t struct_size;
    const char *provider_id;  /* one of this plugin's provider ids */
    const char *tenant_id;    /* the tenant that owns the connector */
    const char *connector_id; /* the connector's id (a UUID) */
} sb_connector_info;

/* A plugin-owned connector instance, bound to one provider, tenant and connector id. */
typedef struct sb_connector sb_connector;

/* The plugin's table, returned by the entry function. Plugin-owned, static: valid for as
 * long as the library is loaded. */
typedef struct sb_plugin {
    uint32_t struct_size;
    sb_abi_version abi;  /* the ABI the plugin was built against: SB_ABI_VERSION_* */
    const char *name;    /* required; the library's name, e.g. "google_calendar" */
    const char *version; /* required; the plugin's own version, e.g. "1.0.0" */

    /* [main-thread] Called once, first, before any other function of this table.
     * `host` stays valid until deinit returns. Returns SB_STATUS_OK, or an error status
     * after which the host calls nothing else (not even deinit) and unloads the library. */
    sb_status (*init)(const struct sb_plugin *plugin, const sb_host *host);

    /* [main-thread] Called once, last, after every connector has been destroyed. */
    void (*deinit)(const struct sb_plugin *plugin);

    /* [main-thread] The providers this library ships, valid from init until deinit.
     * Returns the number of providers and stores a plugin-owned array of that many
     * descriptor pointers in *providers. */
    size_t (*get_providers)(const struct sb_plugin *plugin,
                            const sb_provider_desc *const **providers);

    /* [thread-safe] Creates a connector for info->provider_id. On SB_STATUS_OK stores a
     * plugin-owned instance in *connector, which the host later passes to
     * destroy_connector exactly once. `info` is borrowed: copy what you keep. */
    sb_status (*create_connector)(const struct sb_plugin *plugin, const sb_connector_info *info,
                                  sb_connector **connector);

    /* [thread-safe] Destroys a connector. No invoke on it is running or will follow. */
    void (*destroy_connector)(const struct sb_plugin *plugin, sb_connector *connector);

    /* [thread-safe] Runs `action` (e.g. "create_event") with `params_json` (a JSON object,
     * params_size bytes, not NUL-terminated, already valid against the category schema).
     * A connector may be invoked from several threads at once.
     * On SB_STATUS_OK the plugin writes one JSON value, valid against the action's result
     * schema, into `result`. On any other status it writes a JSON object
     * {"code": "<stable_snake_case>", "message": "<for people, no secrets>"} into `error`.
     * `call` identifies this invocation to sb_host.http; every pointer is borrowed for the
     * call. An action the plugin does not implement returns SB_STATUS_UNSUPPORTED.
     * Every call has a deadline (the host's per-provider call timeout). At the deadline the
     * host answers the caller without the plugin, refuses the call's further sb_host.http
     * requests (SB_STATUS_UNAVAILABLE), and ignores what the plugin writes afterwards. A
     * plugin in its own process (isolated mode) is then killed; one loaded into the host
     * cannot be, so it should return soon: switchboard/ext/deadline.h tells it the time left
     * and whether the host has given up. */
    sb_status (*invoke)(const struct sb_plugin *plugin, sb_connector *connector, sb_call *call,
                        const char *action, const char *params_json, size_t params_size,
                        const sb_sink *result, const sb_sink *error);

    /* [thread-safe] Returns the plugin's extension with revisioned id `id` (declared in a
     * switchboard/ext/ header), or NULL when the plugin has none. The returned table is
     * plugin-owned and static. This function pointer may itself be NULL. */
    const void *(*get_extension)(const struct sb_plugin *plugin, const char *id);
} sb_plugin;

/* The entry function: returns the plugin's static table. Must be cheap and side-effect
 * free; the host may call it more than once. [main-thread] */
typedef const sb_plugin *(*sb_plugin_entry_fn)(void);

/* The entry function every plugin library defines, exactly once, with SB_PLUGIN_ENTRY:
 *   SB_PLUGIN_ENTRY { return &my_plugin; } */
SB_EXPORT const sb_plugin *switchboard_plugin_entry(void);

#ifdef __cplusplus
#define SB_PLUGIN_ENTRY extern "C" SB_EXPORT const sb_plugin *switchboard_plugin_entry(void)
#else
#define SB_PLUGIN_ENTRY SB_EXPORT const sb_plugin *switchboard_plugin_entry(void)
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_PLUGIN_H */
