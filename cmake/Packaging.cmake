# The Debian package (CPack DEB), built from the `package` preset:
#   cmake --preset package && cmake --build --preset package && (cd build-package && cpack)
# gives build-package/switchboard_<version>_<arch>.deb: /usr/bin/switchboard, the plugins in
# /usr/lib/switchboard/plugins, /etc/switchboard/switchboard.json (a conffile), the systemd
# unit, the SDK (headers, schemas, CMake package) and the docs; its postinst creates the
# `switchboard` system user, /var/lib/switchboard and /etc/switchboard/switchboard.env (a new
# encryption key and JWT secret), then enables and starts the service. The package's
# dependencies are computed from the binaries (dpkg-shlibdeps). The debug info goes to a
# separate package, switchboard-dbgsym_<version>_<arch>.ddeb (/usr/lib/debug/.build-id/...),
# which is why the preset builds RelWithDebInfo and turns SB_SPLIT_DEBUG_ON_INSTALL off:
# CPack splits the unstripped files itself. docs/deployment.md says how to use it.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "switchboard")
set(CPACK_PACKAGE_VENDOR "Switchboard")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Connector host: tenants' OAuth connections to third-party providers, behind a REST API")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Switchboard keeps the OAuth tokens of a SaaS product's tenants at third-party providers\n"
    "(Google Calendar, Gmail, Google Drive, HubSpot) encrypted and fresh, and acts on those\n"
    "accounts through a REST API and MCP. Providers are plugins loaded through a C ABI.")
set(CPACK_PACKAGE_CONTACT "Switchboard maintainers <switchboard@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES OFF) # the dbgsym package needs them unstripped; CPack strips after

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Beside what dpkg-shlibdeps finds: adduser for the postinst.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, redis-server")
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst"
    "${PROJECT_SOURCE_DIR}/packaging/debian/prerm"
    "${PROJECT_SOURCE_DIR}/packaging/debian/postrm"
    "${PROJECT_SOURCE_DIR}/packaging/debian/conffiles")

include(CPack)
