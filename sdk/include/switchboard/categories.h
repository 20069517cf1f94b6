/*
 * switchboard/categories.h — the category ids and action names of the category contracts.
 *
 * One macro per action of sdk/schemas/<category>.schema.json (`x-actions`), named
 * SB_ACTION_<CATEGORY>_<ACTION>, so a plugin's descriptor and dispatch use the contract's
 * exact spelling. A test keeps this file and the schemas in step.
 *
 * The SB_<CATEGORY>_ACTIONS(X) lists ("X-macros") expand X(action) once per action, in the
 * schema's order, for code that walks every action of a category in C or C++:
 *   #define NAME(action) action,
 *   static const char *const calendar_actions[] = {SB_CALENDAR_ACTIONS(NAME)};
 *
 * SB_CONTRACT_REVISION_<CATEGORY> is the revision of the category's contract the schemas of
 * this SDK describe.
 *
 * C99, compiles as C++; no declarations, only macros.
 */
#ifndef SWITCHBOARD_CATEGORIES_H
#define SWITCHBOARD_CATEGORIES_H

#include "switchboard/plugin.h" /* SB_CATEGORY_CALENDAR, SB_CATEGORY_EMAIL, ... */

/* The revision of each category's contract this SDK ships (the schema's `x-revision`): what a
 * provider written against these headers and schemas declares in
 * sb_provider_desc.contract_revision. A host honours older revisions too (plugin.h). */
#define SB_CONTRACT_REVISION_CALENDAR 1u
#define SB_CONTRACT_REVISION_EMAIL 1u
#define SB_CONTRACT_REVISION_CRM 1u
#define SB_CONTRACT_REVISION_DRIVE 1u

/* Every category, in the order of the SB_CATEGORY_* definitions. */
#define SB_CATEGORIES(X) \
    X(SB_CATEGORY_CALENDAR) X(SB_CATEGORY_EMAIL) X(SB_CATEGORY_CRM) X(SB_CATEGORY_DRIVE)

/* calendar (calendar.schema.json) */
#define SB_ACTION_CALENDAR_CREATE_EVENT "create_event"
#define SB_ACTION_CALENDAR_UPDATE_EVENT "update_event"
#define SB_ACTION_CALENDAR_DELETE_EVENT "delete_event"
#define SB_ACTION_CALENDAR_LIST_EVENTS "list_events"
#define SB_ACTION_CALENDAR_GET_AVAILABILITY "get_availability"
#define SB_CALENDAR_ACTIONS(X)                                                           \
    X(SB_ACTION_CALENDAR_CREATE_EVENT) X(SB_ACTION_CALENDAR_UPDATE_EVENT)                \
    X(SB_ACTION_CALENDAR_DELETE_EVENT) X(SB_ACTION_CALENDAR_LIST_EVENTS)                 \
    X(SB_ACTION_CALENDAR_GET_AVAILABILITY)

/* email (email.schema.json) */
#define SB_ACTION_EMAIL_SEND_EMAIL "send_email"
#define SB_ACTION_EMAIL_GET_EMAIL "get_email"
#define SB_ACTION_EMAIL_LIST_EMAILS "list_emails"
#define SB_EMAIL_ACTIONS(X) \
    X(SB_ACTION_EMAIL_SEND_EMAIL) X(SB_ACTION_EMAIL_GET_EMAIL) X(SB_ACTION_EMAIL_LIST_EMAILS)

/* crm (crm.schema.json) */
#define SB_ACTION_CRM_CREATE_CONTACT "create_contact"
#define SB_ACTION_CRM_UPDATE_CONTACT "update_contact"
#define SB_ACTION_CRM_GET_CONTACT "get_contact"
#define SB_ACTION_CRM_LIST_CONTACTS "list_contacts"
#define SB_ACTION_CRM_FIND_CONTACT_BY_EMAIL "find_contact_by_email"
#define SB_ACTION_CRM_CREATE_DEAL "create_deal"
#define SB_CRM_ACTIONS(X)                                                                \
    X(SB_ACTION_CRM_CREATE_CONTACT) X(SB_ACTION_CRM_UPDATE_CONTACT)                      \
    X(SB_ACTION_CRM_GET_CONTACT) X(SB_ACTION_CRM_LIST_CONTACTS)                          \
    X(SB_ACTION_CRM_FIND_CONTACT_BY_EMAIL) X(SB_ACTION_CRM_CREATE_DEAL)

/* drive (drive.schema.json) */
#define SB_ACTION_DRIVE_UPLOAD_FILE "upload_file"
#define SB_ACTION_DRIVE_DOWNLOAD_FILE "download_file"
#define SB_ACTION_DRIVE_LIST_FILES "list_files"
#define SB_ACTION_DRIVE_CREATE_FOLDER "create_folder"
#define SB_ACTION_DRIVE_DELETE_FILE "delete_file"
#define SB_DRIVE_ACTIONS(X)                                                              \
    X(SB_ACTION_DRIVE_UPLOAD_FILE) X(SB_ACTION_DRIVE_DOWNLOAD_FILE)                      \
    X(SB_ACTION_DRIVE_LIST_FILES) X(SB_ACTION_DRIVE_CREATE_FOLDER)                       \
    X(SB_ACTION_DRIVE_DELETE_FILE)

#endif /* SWITCHBOARD_CATEGORIES_H */
