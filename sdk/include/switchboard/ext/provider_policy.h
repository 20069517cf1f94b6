/*
 * switchboard/ext/provider_policy.h — extension "switchboard.provider-policy/1": what the host
 * must know about a provider beyond its descriptor to talk to it well, as data.
 *
 * A plugin capability (the plugin implements it, the host reads it), reached with
 *   const sb_plugin_provider_policy *ext = (const sb_plugin_provider_policy *)
 *       plugin->get_extension(plugin, SB_EXT_PROVIDER_POLICY);
 * between init and deinit. NULL (or a plugin without get_extension, or one built before the
 * extension existed) means none of its providers has a policy: the host applies its generic
 * rules, which are complete for a provider that follows the standards (Retry-After, RFC 6749
 * error bodies). Every struct begins with struct_size; the host reads a field only when
 * struct_size covers it (SB_HAS_FIELD), as for every ABI struct.
 *
 * Why: the host runs the HTTP retries, the OAuth token requests, the outbound rate limits and
 * the credential configuration for every provider, and some providers speak a dialect there:
 * HubSpot announces its limits in X-HubSpot-RateLimit-* headers and answers token errors as
 * {"status": "BAD_REFRESH_TOKEN"}; Google's three APIs share one OAuth client. That knowledge
 * belongs to the provider's plugin, so a new provider needs no change in the host. The policy
 * is declarative (no callbacks): the host validates it once at load, and it crosses the
 * process boundary of isolated mode like the descriptors do.
 *
 * The host refuses a plugin whose policy is malformed (an unknown provider id, a header name
 * that is not an HTTP token, a wait beyond an hour, an unknown error meaning, a rate bucket
 * that is not positive...), naming the provider and the field, as it refuses a bad descriptor.
 *
 * Revisions: /1 is the first. A later revision gets a new id and header; /1 stays. Within /1
 * fields are only appended (each reader checks struct_size).
 */
#ifndef SWITCHBOARD_EXT_PROVIDER_POLICY_H
#define SWITCHBOARD_EXT_PROVIDER_POLICY_H

#include "switchboard/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_EXT_PROVIDER_POLICY "switchboard.provider-policy/1"

/* The longest wait a rate-limit rule may ask for, in milliseconds (one hour). */
#define SB_POLICY_MAX_WAIT_MS 3600000u

/* One rate-limit header pair of a provider. On an HTTP 429 whose `remaining_header` holds 0
 * (the budget it counts is exhausted), the host either gives up at once (give_up = 1: the
 * limit resets too late to be worth waiting for, e.g. a daily limit) or waits before the next
 * attempt: the number in `wait_header` times `wait_header_unit_ms`, else `default_wait_ms`,
 * at most SB_POLICY_MAX_WAIT_MS, and never less than what Retry-After asks (the host always
 * honours Retry-After, for every provider). Header names are matched case-insensitively. */
typedef struct sb_rate_limit_header_rule {
    uint32_t struct_size;
    const char *remaining_header; /* required, e.g. "X-HubSpot-RateLimit-Daily-Remaining" */
    const char *wait_header;      /* optional (NULL), e.g. "X-HubSpot-RateLimit-Interval-Milliseconds" */
    uint32_t wait_header_unit_ms; /* 1 (milliseconds) or 1000 (seconds); 0 with wait_header NULL */
    uint32_t default_wait_ms;     /* used when wait_header is NULL, absent or not a number; 0: none */
    int32_t give_up;              /* 1: an exhausted budget ends the retries; 0: wait */
} sb_rate_limit_header_rule;

/* What a provider-specific OAuth error code means (beyond RFC 6749's own codes, which the
 * host always knows). */
typedef int32_t sb_oauth_error_meaning;
/* The grant (code, verifier or refresh token) is invalid, expired or revoked: the user must
 * connect again. RFC 6749's invalid_grant. */
#define SB_OAUTH_ERROR_INVALID_GRANT 1
/* The provider refused the host's client credentials: the operator must fix them. RFC 6749's
 * invalid_client. */
#define SB_OAUTH_ERROR_INVALID_CLIENT 2

typedef struct sb_oauth_error_code {
    uint32_t struct_size;
    const char *code; /* required; as the provider writes it, e.g. "BAD_REFRESH_TOKEN" */
    sb_oauth_error_meaning meaning;
} sb_oauth_error_code;

/* A token bucket: at most capacity + refill_per_second x T requests in any T seconds.
 * Both must be positive and finite. */
typedef struct sb_rate_limit_bucket {
    uint32_t struct_size;
    double capacity;
    double refill_per_second;
} sb_rate_limit_bucket;

/* The policy of one provider of the plugin. Plugin-owned, static between init and deinit. */
typedef struct sb_provider_policy {
    uint32_t struct_size;
    const char *provider_id; /* required; one of the plugin's providers, each at most once */

    /* The prefix of the provider's default credential variables (<PREFIX>_CLIENT_ID,
     * <PREFIX>_CLIENT_SECRET): [A-Z][A-Z0-9_]{0,63}, e.g. "GOOGLE" where several providers
     * share one OAuth client. NULL: the generic rule, the provider id up to its first '_' in
     * upper case (an id starting with '_' or a digit: "PROVIDER_" and the whole id). The
     * operator's config (client_id_env, client_secret_env) still wins. */
    const char *credential_prefix;

    /* The provider's rate-limit headers (see sb_rate_limit_header_rule); at most 16. */
    const sb_rate_limit_header_rule *const *rate_limit_headers;
    size_t rate_limit_header_count;

    /* Where the provider's token endpoint puts its error code when it does not use RFC 6749's
     * "error" member: a top-level member name, e.g. "status"; and its description, e.g.
     * "message". NULL: RFC 6749 only ("error", "error_description"). */
    const char *oauth_error_member;
    const char *oauth_error_description_member;
    /* The provider's own error codes and what they mean; at most 64. A code not listed (and
     * not one of RFC 6749's) is a generic provider error. */
    const sb_oauth_error_code *const *oauth_error_codes;
    size_t oauth_error_code_count;

    /* The provider's published outbound limits as token buckets, the host's defaults for
     * rate_limits.providers.<id> (an entry in the operator's config replaces them): every
     * tenant's calls together (the app's quota), and one tenant's calls (the per-user or
     * per-account quota). NULL: no bucket of that kind. */
    const sb_rate_limit_bucket *provider_rate_limit;
    const sb_rate_limit_bucket *tenant_rate_limit;

    /* Header names that carry the provider's own credentials, e.g. "X-Goog-Api-Key": the
     * host's credentialed proxy never forwards them from a caller (Authorization, Cookie and
     * X-Api-Key it drops for every provider); at most 16. */
    const char *const *credential_headers;
    size_t credential_header_count;
} sb_provider_policy;

/* The extension's table. Plugin-owned and static: valid until sb_plugin.deinit returns. */
typedef struct sb_plugin_provider_policy {
    uint32_t struct_size;
    const sb_provider_policy *const *policies; /* policy_count pointers; NULL when 0 */
    size_t policy_count;                       /* at most one per provider of the plugin */
} sb_plugin_provider_policy;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_EXT_PROVIDER_POLICY_H */
