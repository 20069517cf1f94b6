/*
 * switchboard/ext/deadline.h — extension "switchboard.deadline/1": a call's deadline and
 * whether the host has given up on it.
 *
 * A host service (the host implements it, a plugin uses it), reached with
 *   const sb_host_deadline *ext =
 *       (const sb_host_deadline *)host->get_extension(host, SB_EXT_DEADLINE);
 * NULL means the host does not offer it (hosts before Switchboard 0.1 with ABI 1.1): the
 * plugin then assumes no deadline. Check ext->struct_size with SB_HAS_FIELD before using a
 * member, as for every ABI struct.
 *
 * Why: every invoke has a deadline (the provider's call timeout in the host's config). At
 * the deadline the host answers its caller without the plugin and ignores whatever the
 * plugin does next. A plugin loaded into the host process cannot be stopped, so a plugin
 * that loops (paging through results, retrying, waiting) should read the time left before
 * each step and stop when it is gone or the call is cancelled. In isolated mode the host
 * kills the plugin's process at the deadline; the extension still lets it stop cleanly
 * before that.
 *
 * Revisions: /1 is the first. A later revision gets a new id and header; /1 stays.
 */
#ifndef SWITCHBOARD_EXT_DEADLINE_H
#define SWITCHBOARD_EXT_DEADLINE_H

#include "switchboard/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_EXT_DEADLINE "switchboard.deadline/1"

/* Returned by remaining_ms for a call without a deadline. */
#define SB_DEADLINE_NONE INT64_MAX

/* The host's table. Host-owned and static: valid until sb_plugin.deinit returns. */
typedef struct sb_host_deadline {
    uint32_t struct_size;

    /* [call-thread] Milliseconds left until `call`'s deadline, by the host's monotonic clock:
     * 0 when it has passed, SB_DEADLINE_NONE when the call has none. `call` is the sb_call
     * the current invoke received; for any other value the host returns 0. */
    int64_t (*remaining_ms)(const sb_host *host, const sb_call *call);

    /* [call-thread] 1 when the host has given up on `call` (its deadline passed, or the host
     * cancelled it, e.g. while shutting down), else 0. Once 1, it stays 1: the plugin should
     * return at once; what it writes is discarded and its sb_host.http requests are refused.
     * For an sb_call other than the current invoke's the host returns 1. */
    int32_t (*is_cancelled)(const sb_host *host, const sb_call *call);
} sb_host_deadline;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_EXT_DEADLINE_H */
