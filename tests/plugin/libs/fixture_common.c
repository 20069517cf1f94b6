#include "fixture_common.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if SB_ABI_VERSION_MINOR >= 1
#include <switchboard/ext/deadline.h>
#endif

static const char *const sbt_scopes[] = {"https://example.test/auth/read",
                                         "https://example.test/auth/write"};
static const sb_pair sbt_offline = {sizeof(sb_pair), "access_type", "offline"};
static const sb_pair *const sbt_extra[] = {&sbt_offline};
static const char *const sbt_identity_scopes[] = {"email"};

const sb_oauth_desc sbt_oauth = {
    sizeof(sb_oauth_desc),
    "https://auth.example.test/authorize",
    "https://auth.example.test/token",
    "https://auth.example.test/revoke",
    SB_REVOKE_POST_FORM,
    sbt_scopes,
    2,
    sbt_extra,
    1,
    1,
    SB_CLIENT_AUTH_POST,
    "https://auth.example.test/userinfo",
    "/email",
    sbt_identity_scopes,
    1,
#if SB_ABI_VERSION_MINOR >= 1
    NULL, /* identity_account_field */
#endif
};

static const sb_host *g_host = NULL;
static int g_init_count = 0;
static int g_deinit_count = 0;
/* Connectors are made and destroyed on the host's threads at once: counted atomically. */
static int g_live_connectors = 0;

int sbtest_init_count(void) { return g_init_count; }
int sbtest_deinit_count(void) { return g_deinit_count; }
int sbtest_live_connectors(void) { return __atomic_load_n(&g_live_connectors, __ATOMIC_RELAXED); }
const sb_host *sbt_host(void) { return g_host; }

typedef struct sbt_connector {
    const sb_provider_desc *provider;
    char connector_id[64];
} sbt_connector;

static void sbt_log(sb_log_level level, const char *message) {
    if (g_host != NULL && SB_HAS_FIELD(sb_host, g_host, log) && g_host->log != NULL) {
        g_host->log(g_host, level, message);
    }
}

sb_status sbt_init(const sb_plugin *plugin, const sb_host *host) {
    (void)plugin;
    if (host == NULL || !SB_HAS_FIELD(sb_host, host, http)) {
        return SB_STATUS_INTERNAL;
    }
    g_host = host;
    ++g_init_count;
    sbt_log(SB_LOG_INFO, "sbt: init");
    return SB_STATUS_OK;
}

void sbt_deinit(const sb_plugin *plugin) {
    (void)plugin;
    ++g_deinit_count;
    sbt_log(SB_LOG_INFO, "sbt: deinit");
    g_host = NULL;
}

size_t sbt_get_providers(const sb_plugin *plugin, const sb_provider_desc *const **providers) {
    (void)plugin;
    *providers = sbt_providers;
    return sbt_provider_count;
}

sb_status sbt_create_connector(const sb_plugin *plugin, const sb_connector_info *info,
                               sb_connector **connector) {
    size_t i;
    (void)plugin;
    for (i = 0; i < sbt_provider_count; ++i) {
        if (strcmp(sbt_providers[i]->id, info->provider_id) == 0) {
            sbt_connector *c = (sbt_connector *)calloc(1, sizeof *c);
            if (c == NULL) {
                return SB_STATUS_INTERNAL;
            }
            c->provider = sbt_providers[i];
            snprintf(c->connector_id, sizeof c->connector_id, "%s", info->connector_id);
            __atomic_fetch_add(&g_live_connectors, 1, __ATOMIC_RELAXED);
            sbt_log(SB_LOG_INFO, "sbt: create_connector");
            *connector = (sb_connector *)c;
            return SB_STATUS_OK;
        }
    }
    return SB_STATUS_NOT_FOUND;
}

void sbt_destroy_connector(const sb_plugin *plugin, sb_connector *connector) {
    (void)plugin;
    free(connector);
    __atomic_fetch_sub(&g_live_connectors, 1, __ATOMIC_RELAXED);
    sbt_log(SB_LOG_INFO, "sbt: destroy_connector");
}

void sbt_write_error(const sb_sink *sink, const char *code, const char *message,
                     const char *field) {
    char buffer[512];
    int n;
    if (field != NULL) {
        n = snprintf(buffer, sizeof buffer, "{\"code\":\"%s\",\"message\":\"%s\",\"field\":\"%s\"}",
                     code, message, field);
    } else {
        n = snprintf(buffer, sizeof buffer, "{\"code\":\"%s\",\"message\":\"%s\"}", code, message);
    }
    if (n > 0 && (size_t)n < sizeof buffer) {
        sink->write(sink, buffer, (size_t)n);
    }
}

/* Which string field each action needs, which method and path prefix fetch it. */
typedef struct sbt_action {
    const char *name;
    const char *key;
    const char *method;
    const char *path_prefix;
} sbt_action;

static const sbt_action sbt_actions[] = {
    {"delete_event", "event_id", "DELETE", "/events/"},
    {"get_contact", "contact_id", "GET", "/contacts/"},
    {"find_contact_by_email", "email", "GET", "/contacts/by-email/"},
    {"download_file", "file_id", "GET", "/files/"},
    {"delete_file", "file_id", "DELETE", "/files/"},
};

static int declares(const sb_provider_desc *provider, const char *action) {
    size_t i;
    for (i = 0; i < provider->action_count; ++i) {
        if (strcmp(provider->actions[i], action) == 0) {
            return 1;
        }
    }
    return 0;
}

static const char *skip_space(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        ++p;
    }
    return p;
}

/* A deliberately small check, enough for a test plugin: params must be a JSON object whose
 * `key` member is a string of [A-Za-z0-9._@-], copied into `value`. */
static int read_key(const char *json, size_t size, const char *key, char *value, size_t cap) {
    const char *end = json + size;
    const char *p = skip_space(json, end);
    char needle[80];
    size_t key_length;
    size_t n = 0;
    if (p >= end || *p != '{' || end[-1] != '}') {
        return 0;
    }
    snprintf(needle, sizeof needle, "\"%s\"", key);
    key_length = strlen(needle);
    for (; p + key_length <= end; ++p) {
        if (memcmp(p, needle, key_length) == 0) {
            break;
        }
    }
    if (p + key_length > end) {
        return 0;
    }
    p = skip_space(p + key_length, end);
    if (p >= end || *p != ':') {
        return 0;
    }
    p = skip_space(p + 1, end);
    if (p >= end || *p != '"') {
        return 0;
    }
    for (++p; p < end && *p != '"'; ++p) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '@' || c == '-';
        if (!ok || n + 1 >= cap) {
            return 0;
        }
        value[n++] = c;
    }
    value[n] = '\0';
    return p < end && n > 0;
}

sb_status sbt_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                     const char *action, const char *params_json, size_t params_size,
                     const sb_sink *result, const sb_sink *error) {
    const sbt_connector *c = (const sbt_connector *)connector;
    const sbt_action *a = NULL;
    char value[128];
    char path[256];
    char field[96];
    size_t i;
    sb_http_request request;
    const sb_pair accept = {sizeof(sb_pair), "Accept", "application/json"};
    const sb_pair authorization = {sizeof(sb_pair), "Authorization", "Bearer stolen"};
    const sb_pair *headers[2];
    const sb_http_response *response = NULL;
    sb_status status;
    (void)plugin;

    for (i = 0; i < sizeof sbt_actions / sizeof sbt_actions[0]; ++i) {
        if (strcmp(sbt_actions[i].name, action) == 0) {
            a = &sbt_actions[i];
        }
    }
    if (a == NULL || !declares(c->provider, action)) {
        sbt_write_error(error, "unsupported_action", "this provider does not implement it", NULL);
        return SB_STATUS_UNSUPPORTED;
    }
    if (!read_key(params_json, params_size, a->key, value, sizeof value)) {
        snprintf(field, sizeof field, "/%s", a->key);
        sbt_write_error(error, "invalid_params", "a required string field is missing or invalid",
                        field);
        return SB_STATUS_INVALID_INPUT;
    }
    if (strcmp(value, "sbt-bad-status") == 0) {
        return 42;
    }
    if (strcmp(value, "sbt-no-error") == 0) {
        return SB_STATUS_UNAVAILABLE;
    }
    if (strcmp(value, "sbt-log") == 0) {
        char message[5000];
        memset(message, 'x', sizeof message - 1);
        message[sizeof message - 1] = '\0';
        memcpy(message, "first line\nforged line", 22);
        sbt_log(SB_LOG_WARNING, message);
        result->write(result, "{}", 2);
        return SB_STATUS_OK;
    }
    if (strcmp(value, "sbt-status-8") == 0) {
        /* SB_STATUS_CONFLICT (ABI 1.1), by its value: the 1.0 build returns it too. */
        sbt_write_error(error, "contact_exists", "the object exists already", NULL);
        return 8;
    }
    if (strcmp(value, "sbt-crash") == 0) {
        raise(SIGSEGV);
    }
    if (strcmp(value, "sbt-hang") == 0) {
        for (;;) {
            usleep(10000);
        }
    }
    if (strcmp(value, "sbt-env") == 0) {
        sbt_log(SB_LOG_INFO, getenv("SBT_SECRET") != NULL ? "sbt: SBT_SECRET is set"
                                                          : "sbt: SBT_SECRET is absent");
        snprintf(path, sizeof path, "{\"deleted\":true,\"event_id\":\"%s\"}", value);
        result->write(result, path, strlen(path));
        return SB_STATUS_OK;
    }
    if (strcmp(value, "sbt-write-fd3") == 0 || strcmp(value, "sbt-big-frame") == 0) {
        static const char garbage[] = "\0\0\0\x05not a frame at all";
        static const char huge[] = "\x40\0\0\0";
        const char *bytes = strcmp(value, "sbt-big-frame") == 0 ? huge : garbage;
        const size_t size = strcmp(value, "sbt-big-frame") == 0 ? sizeof huge - 1
                                                                : sizeof garbage - 1;
        if (write(3, bytes, size) < 0) {
            sbt_log(SB_LOG_WARNING, "sbt: fd 3 is not writable");
        }
        snprintf(path, sizeof path, "{\"deleted\":true,\"event_id\":\"%s\"}", value);
        result->write(result, path, strlen(path));
        return SB_STATUS_OK;
    }
#if SB_ABI_VERSION_MINOR >= 1
    if (strcmp(value, "sbt-deadline") == 0 || strcmp(value, "sbt-wait-cancel") == 0) {
        const sb_host_deadline *ext =
            SB_HAS_FIELD(sb_host, g_host, get_extension) && g_host->get_extension != NULL
                ? (const sb_host_deadline *)g_host->get_extension(g_host, SB_EXT_DEADLINE)
                : NULL;
        char left[40] = "none";
        if (ext != NULL && SB_HAS_FIELD(sb_host_deadline, ext, is_cancelled)) {
            const int64_t ms = ext->remaining_ms(g_host, call);
            if (ms != SB_DEADLINE_NONE) {
                snprintf(left, sizeof left, "r%lld", (long long)ms);
            }
            if (strcmp(value, "sbt-wait-cancel") == 0) {
                char line[80];
                while (ext->is_cancelled(g_host, call) == 0) {
                    usleep(5000);
                }
                memset(&request, 0, sizeof request);
                request.struct_size = sizeof request;
                request.method = "GET";
                request.path = "/events/after-cancel";
                status = g_host->http(g_host, call, &request, &response);
                snprintf(line, sizeof line, "sbt: after cancel, http returned %d", (int)status);
                sbt_log(SB_LOG_INFO, line);
            }
        }
        snprintf(path, sizeof path, "{\"deleted\":true,\"event_id\":\"%s\"}", left);
        result->write(result, path, strlen(path));
        return SB_STATUS_OK;
    }
#endif
    if (strcmp(value, "sbt-big-result") == 0) {
        static const char chunk[] = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]";
        while (result->write(result, chunk, sizeof chunk - 1) == SB_STATUS_OK) {
        }
        return SB_STATUS_OK;
    }
    snprintf(path, sizeof path, "%s%s", a->path_prefix, value);
    memset(&request, 0, sizeof request);
    request.struct_size = sizeof request;
    request.method = a->method;
    request.path = strcmp(value, "sbt-absolute-url") == 0 ? "https://evil.example/steal" : path;
    headers[0] = &accept;
    headers[1] = &authorization;
    request.headers = headers;
    request.header_count = strcmp(value, "sbt-auth-header") == 0 ? 2 : 1;
    status = g_host->http(g_host, call, &request, &response);
    if (status != SB_STATUS_OK) {
        sbt_write_error(error, "http_failed", "the host did not perform the request", NULL);
        return status;
    }
    if (!SB_HAS_FIELD(sb_http_response, response, body_size)) {
        sbt_write_error(error, "bad_response", "the host's response is too small", NULL);
        return SB_STATUS_INTERNAL;
    }
    if (response->status == 404) {
        sbt_write_error(error, "not_found", "the provider has no such object", NULL);
        return SB_STATUS_NOT_FOUND;
    }
    if (response->status < 200 || response->status > 299 || response->body_size == 0) {
        sbt_write_error(error, "provider_error", "the provider answered with an error", NULL);
        return SB_STATUS_UNAVAILABLE;
    }
    result->write(result, response->body, response->body_size);
    return SB_STATUS_OK;
}
