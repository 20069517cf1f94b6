/*
 * Shared code of the test plugins (tests/plugin/libs). Each library defines its own
 * sb_plugin table, entry function and provider descriptors, and takes its behaviour from
 * here: a well-behaved connector whose actions each need one string field
 * (delete_event: event_id, get_contact: contact_id, find_contact_by_email: email,
 * download_file and delete_file: file_id), which it fetches through sb_host.http.
 *
 * Special values of that field make the plugin misbehave on purpose, so the host's checks
 * can be tested with real plugin code:
 *   sbt-absolute-url  asks the host for "https://evil.example/steal"
 *   sbt-auth-header   sends an Authorization header
 *   sbt-big-result    writes result bytes until the sink refuses, then returns OK
 *   sbt-bad-status    returns status 42
 *   sbt-no-error      returns SB_STATUS_UNAVAILABLE without writing an error
 *   sbt-log           logs a long message with line breaks
 *   sbt-status-8      fails with status 8 (SB_STATUS_CONFLICT since ABI 1.1), code
 *                     contact_exists
 *   sbt-crash         raises SIGSEGV
 *   sbt-hang          never returns (sleeps in a loop, so that tests do not burn a core)
 *   sbt-deadline      answers OK with event_id "r<ms>": the time left that the
 *                     switchboard.deadline/1 extension reports ("none" without one)
 *   sbt-wait-cancel   waits until the extension says the call is cancelled, then tries an
 *                     HTTP request and logs "sbt: after cancel, http returned <status>"
 *   sbt-env           logs "sbt: SBT_SECRET is set" or "sbt: SBT_SECRET is absent"
 *   sbt-write-fd3     writes bytes that are no frame to file descriptor 3 (in a plugin-host
 *                     child: its channel to the host), then answers OK
 *   sbt-big-frame     announces a 1 GiB frame on file descriptor 3, then answers OK
 */
#ifndef SBT_FIXTURE_COMMON_H
#define SBT_FIXTURE_COMMON_H

#include <switchboard/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Defined by each library. */
extern const sb_provider_desc *const sbt_providers[];
extern const size_t sbt_provider_count;

/* A complete, valid OAuth descriptor the libraries share. */
extern const sb_oauth_desc sbt_oauth;

sb_status sbt_init(const sb_plugin *plugin, const sb_host *host);
void sbt_deinit(const sb_plugin *plugin);
size_t sbt_get_providers(const sb_plugin *plugin, const sb_provider_desc *const **providers);
sb_status sbt_create_connector(const sb_plugin *plugin, const sb_connector_info *info,
                               sb_connector **connector);
void sbt_destroy_connector(const sb_plugin *plugin, sb_connector *connector);
sb_status sbt_invoke(const sb_plugin *plugin, sb_connector *connector, sb_call *call,
                     const char *action, const char *params_json, size_t params_size,
                     const sb_sink *result, const sb_sink *error);

/* The host the library was initialised with (NULL before init and after deinit). */
const sb_host *sbt_host(void);

/* Writes {"code": code, "message": message} (and "field" when not NULL) into `sink`. */
void sbt_write_error(const sb_sink *sink, const char *code, const char *message,
                     const char *field);

/* Counters only tests read: the second exported symbols of a test library. */
SB_EXPORT int sbtest_init_count(void);
SB_EXPORT int sbtest_deinit_count(void);
SB_EXPORT int sbtest_live_connectors(void);

/* The usual table: every function from this file, struct_size = sizeof(sb_plugin). */
#define SBT_PLUGIN_TABLE(var, plugin_name, abi_major, abi_minor, size, init_fn)                  \
    static const sb_plugin var = {(uint32_t)(size),     {abi_major, abi_minor}, plugin_name,     \
                                  "1.0.0",              init_fn,                sbt_deinit,      \
                                  sbt_get_providers,    sbt_create_connector,                    \
                                  sbt_destroy_connector, sbt_invoke,            NULL}

#ifdef __cplusplus
}
#endif

#endif /* SBT_FIXTURE_COMMON_H */
