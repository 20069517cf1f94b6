/* A well-behaved library with two providers. It also fills fields past the struct_size it
 * declares, which the host must ignore: sb_plugin.get_extension (struct_size stops before
 * it) and the drive provider's OAuth identity fields (its sb_oauth_desc stops before them). */
#include "fixture_common.h"

#include <stdlib.h>

static const char *const crm_actions[] = {"get_contact", "find_contact_by_email"};
static const char *const drive_actions[] = {"download_file", "delete_file"};

static const char *const drive_scopes[] = {"https://example.test/auth/drive"};

static const sb_oauth_desc drive_oauth = {
    offsetof(sb_oauth_desc, identity_url), /* a 1.0 descriptor without the identity fields */
    "https://auth.example.test/authorize",
    "https://auth.example.test/token",
    "https://auth.example.test/revoke/{token}",
    SB_REVOKE_DELETE_PATH,
    drive_scopes,
    1,
    NULL,
    0,
    0,
    SB_CLIENT_AUTH_BASIC,
    /* Past struct_size: the host must not read these. */
    "https://poison.invalid/identity",
    "/poison",
    NULL,
    99,
    "/poison-account",
};

static const sb_provider_desc crm = {
    sizeof(sb_provider_desc), "test_crm", SB_CATEGORY_CRM, "Test CRM",
    "A CRM provider for the loader's tests.", &sbt_oauth, "https://api.example.test/crm",
    crm_actions, 2,
};

static const sb_provider_desc drive = {
    sizeof(sb_provider_desc), "test_drive", SB_CATEGORY_DRIVE, "Test Drive",
    "A drive provider for the loader's tests.", &drive_oauth, "https://api.example.test/drive",
    drive_actions, 2,
};

const sb_provider_desc *const sbt_providers[] = {&crm, &drive};
const size_t sbt_provider_count = 2;

static const void *poisoned_get_extension(const sb_plugin *plugin, const char *id) {
    (void)plugin;
    (void)id;
    abort(); /* the host must never call a function past struct_size */
}

static const sb_plugin plugin = {
    offsetof(sb_plugin, get_extension), /* declares the table without get_extension */
    {SB_ABI_VERSION_MAJOR, SB_ABI_VERSION_MINOR},
    "good_two",
    "2.0.0",
    sbt_init,
    sbt_deinit,
    sbt_get_providers,
    sbt_create_connector,
    sbt_destroy_connector,
    sbt_invoke,
    poisoned_get_extension,
};

SB_PLUGIN_ENTRY { return &plugin; }
