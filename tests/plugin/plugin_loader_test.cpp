// Loading real libraries: every way a library can be bad is skipped with one log line naming
// the file and the reason, and the good libraries beside it still load.
#include "core/plugin/plugin_loader.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

namespace switchboard {
namespace {

using testing::CapturingLogger;
using testing::FakeCallContext;
using testing::PluginsDir;
using testing::provider_in;

// Each provider id enabled, naming test library `library` (e.g. "good_one").
std::map<std::string, config::ProviderConfig> enable(
    std::initializer_list<std::pair<std::string, std::string>> ids) {
    std::map<std::string, config::ProviderConfig> providers;
    for (const auto& [id, library] : ids) {
        providers[id] = provider_in(library);
    }
    return providers;
}

class PluginLoaderTest : public ::testing::Test {
protected:
    plugin::PluginLoader loader() const {
        plugin::HostServicesOptions options;
        options.logger = log_.logger();
        return plugin::PluginLoader(plugin::ContractCatalog::embedded(), options);
    }

    // Loads one library by itself and returns the reason it was refused.
    std::string refusal(std::string_view name, std::string_view expected_code) {
        auto file = dir_.add_library(name);
        auto lib = loader().load_library(file);
        EXPECT_FALSE(lib) << name << " loaded";
        if (lib) {
            return {};
        }
        EXPECT_EQ(lib.error().code, expected_code) << lib.error().message;
        return lib.error().message;
    }

    PluginsDir dir_;
    CapturingLogger log_;
};

TEST_F(PluginLoaderTest, LoadsAGoodLibraryIntoOwnedValues) {
    auto file = dir_.add_library("good_one");
    auto lib = loader().load_library(file);
    ASSERT_TRUE(lib) << lib.error().message;
    EXPECT_EQ((*lib)->file(), file);
    EXPECT_EQ((*lib)->name(), "good_one");
    EXPECT_EQ((*lib)->version(), "1.0.0");
    EXPECT_EQ((*lib)->abi().major, 1u);
    EXPECT_EQ((*lib)->abi().minor, static_cast<std::uint32_t>(SB_ABI_VERSION_MINOR));
    ASSERT_EQ((*lib)->providers().size(), 1u);
    const auto& p = (*lib)->providers()[0];
    EXPECT_EQ(p.id, "test_calendar");
    EXPECT_EQ(p.category, "calendar");
    EXPECT_EQ(p.display_name, "Test Calendar");
    EXPECT_EQ(p.api_base_url, "https://api.example.test/calendar");
    EXPECT_EQ(p.actions, std::vector<std::string>{"delete_event"});
    EXPECT_EQ(p.oauth.identity_field, "/email");
    EXPECT_EQ(log_.matching({"[plugin good_one] sbt: init"}).size(), 1u)
        << "init received a working sb_host";
}

TEST_F(PluginLoaderTest, IgnoresFieldsPastTheDeclaredStructSize) {
    auto lib = loader().load_library(dir_.add_library("good_two"));
    ASSERT_TRUE(lib) << lib.error().message;
    EXPECT_EQ((*lib)->table().get_extension, nullptr)
        << "sb_plugin.get_extension lies past struct_size and must read as NULL";
    EXPECT_EQ((*lib)->table().struct_size, offsetof(sb_plugin, get_extension));
    ASSERT_EQ((*lib)->providers().size(), 2u);
    const auto& drive = (*lib)->providers()[1];
    EXPECT_EQ(drive.id, "test_drive");
    EXPECT_TRUE(drive.oauth.identity_url.empty()) << drive.oauth.identity_url;
    EXPECT_TRUE(drive.oauth.identity_field.empty());
    EXPECT_EQ(drive.oauth.revoke_style, plugin::RevokeStyle::delete_path);
}

TEST_F(PluginLoaderTest, RefusesEachKindOfBadLibrary) {
    auto text = dir_.write("sbt_not_a_library.so", "this is a text file, not a shared library\n");
    auto not_lib = loader().load_library(text);
    ASSERT_FALSE(not_lib);
    EXPECT_EQ(not_lib.error().code, "not_a_library");
    EXPECT_NE(not_lib.error().message.find("not a loadable shared library"), std::string::npos);

    EXPECT_NE(refusal("no_entry", "no_entry").find("switchboard_plugin_entry"), std::string::npos);
    EXPECT_NE(refusal("abi_major", "abi_mismatch")
                  .find("built against ABI 2.0, another major version than this host's ABI 1.3"),
              std::string::npos);
    EXPECT_NE(refusal("truncated", "truncated_struct").find("truncated sb_plugin: struct_size"),
              std::string::npos);
    EXPECT_NE(refusal("missing_field", "invalid_descriptor")
                  .find("provider 'test_missing_field': display_name is missing"),
              std::string::npos);
    EXPECT_NE(refusal("unknown_category", "invalid_descriptor").find("unknown category 'chat'"),
              std::string::npos);
    EXPECT_EQ(refusal("future_contract", "unsupported_contract_revision"),
              "provider 'test_future_contract': implements contract calendar/9, which this host "
              "does not honour (it honours calendar/1)");
    EXPECT_NE(refusal("bad_action", "invalid_descriptor")
                  .find("action 'launch_rockets' is not in the 'calendar/1' contract"),
              std::string::npos);
    EXPECT_NE(refusal("init_fails", "init_failed").find("init failed with status 5 (unavailable)"),
              std::string::npos);
    EXPECT_NE(refusal("init_throws", "init_failed")
                  .find("init threw an exception: the test plugin has no configuration"),
              std::string::npos);
}

TEST_F(PluginLoaderTest, AFailedInitIsNeverFollowedByDeinitButALaterFailureIs) {
    // missing_field inits fine and is refused afterwards: the host must deinit it.
    (void)refusal("missing_field", "invalid_descriptor");
    EXPECT_EQ(log_.matching({"[plugin missing_field] sbt: init"}).size(), 1u);
    EXPECT_EQ(log_.matching({"[plugin missing_field] sbt: deinit"}).size(), 1u);
    // init_fails never succeeded: nothing else may be called.
    (void)refusal("init_fails", "init_failed");
    EXPECT_TRUE(log_.matching({"init_fails", "deinit"}).empty());
}

TEST_F(PluginLoaderTest, RefusedLibrariesAreUnloaded) {
    auto file = dir_.add_library("missing_field");
    ASSERT_FALSE(loader().load_library(file));
    EXPECT_EQ(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr);
}

TEST_F(PluginLoaderTest, InspectingSkipsEachBadLibraryWithOneLineAndKeepsTheRest) {
    const char* bad[] = {"no_entry",         "abi_major",  "truncated",  "missing_field",
                         "unknown_category", "bad_action", "init_fails", "init_throws"};
    for (const char* name : bad) {
        dir_.add_library(name);
    }
    auto text = dir_.write("sbt_not_a_library.so", "not a library\n");
    dir_.write("README.txt", "ignored: not a .so file\n");
    auto one = dir_.add_library("good_one");
    auto two = dir_.add_library("good_two");

    auto report = loader().inspect_directory(
        dir_.path(), enable({{"test_calendar", "good_one"}, {"test_crm", "good_two"}}));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->skipped.size(), std::size(bad) + 1);
    ASSERT_EQ(report->providers.size(), 3u);
    std::map<std::string, std::pair<std::filesystem::path, bool>> found;
    for (const auto& p : report->providers) {
        found[p.id] = {p.file, p.enabled};
    }
    EXPECT_EQ(found["test_calendar"], std::make_pair(one, true));
    EXPECT_EQ(found["test_crm"], std::make_pair(two, true));
    EXPECT_EQ(found["test_drive"], std::make_pair(two, false)) << "not enabled in the config";
    EXPECT_TRUE(report->missing.empty());

    for (const auto& skipped : report->skipped) {
        auto lines = log_.matching({skipped.file.string(), "skipped"});
        ASSERT_EQ(lines.size(), 1u) << "exactly one line for " << skipped.file;
        EXPECT_NE(lines[0].find(skipped.reason), std::string::npos) << lines[0];
    }
    auto text_line = log_.matching({text.string()});
    ASSERT_EQ(text_line.size(), 1u);
    EXPECT_NE(text_line[0].find("not a loadable shared library"), std::string::npos);
    EXPECT_TRUE(log_.matching({"README.txt"}).empty());
}

TEST_F(PluginLoaderTest, DuplicateProviderIdIsRefusedNamingBothLibraries) {
    auto first = dir_.add_library("good_one", "a_good_one.so");
    auto second = dir_.add_library("duplicate", "b_duplicate.so");
    plugin::ProviderRegistry registry;
    auto providers = enable({{"test_calendar", "good_one"}});
    providers["test_calendar"].library = "a_good_one.so";
    // A second library shipping test_calendar, named by another enabled provider.
    providers["test_dup_owner"].library = "b_duplicate.so";
    auto report = loader().load_directory(dir_.path(), providers, registry);
    ASSERT_TRUE(report);
    ASSERT_EQ(report->skipped.size(), 1u);
    EXPECT_EQ(report->skipped[0].file, second);
    EXPECT_NE(report->skipped[0].reason.find("duplicate provider id 'test_calendar'"),
              std::string::npos);
    EXPECT_NE(report->skipped[0].reason.find(first.string()), std::string::npos);
    auto lines = log_.matching({"error", second.string(), first.string(), "duplicate"});
    EXPECT_EQ(lines.size(), 1u) << "refused loudly, at error level, naming both libraries";
    EXPECT_EQ(registry.find("test_calendar")->library->file(), first);
    EXPECT_EQ(log_.matching({"[plugin duplicate] sbt: deinit"}).size(), 1u)
        << "the refused library was initialised, so it is deinitialised before unloading";
}

TEST_F(PluginLoaderTest, TwoPathsToOneLibraryLoadItOnce) {
    auto file = dir_.add_library("good_one", "a_good_one.so");
    auto link = dir_.path() / "b_link.so";
    std::filesystem::create_symlink(file, link);
    plugin::ProviderRegistry registry;
    auto providers = enable({{"test_calendar", "good_one"}});
    providers["test_calendar"].library = "a_good_one.so";
    providers["test_other"].library = "b_link.so";
    auto report = loader().load_directory(dir_.path(), providers, registry);
    ASSERT_TRUE(report);
    ASSERT_EQ(report->skipped.size(), 1u);
    EXPECT_EQ(report->skipped[0].file, link);
    EXPECT_NE(report->skipped[0].reason.find("already loaded from " + file.string()),
              std::string::npos)
        << report->skipped[0].reason;
    EXPECT_EQ(log_.matching({"[plugin good_one] sbt: init"}).size(), 1u)
        << "init must not run twice on the same code";
    EXPECT_TRUE(log_.matching({"sbt: deinit"}).empty());
    EXPECT_EQ(registry.size(), 1u);
    // Once the first load is released, the library may be loaded again.
    registry = plugin::ProviderRegistry();
    EXPECT_TRUE(loader().load_library(link));
}

TEST_F(PluginLoaderTest, OnlyEnabledProvidersAreRegistered) {
    dir_.add_library("good_one");
    auto two = dir_.add_library("good_two");
    auto providers =
        enable({{"test_crm", "good_two"}, {"test_drive", "good_two"}, {"test_calendar", "good_one"}});
    providers["google_calendar"] =
        config::ProviderConfig{}; // google_calendar.so: not in the directory
    providers["test_drive"].enabled = false;
    providers["test_calendar"].enabled = false;
    providers["test_crm"].overrides.api_base_url = "http://127.0.0.1:9999/crm";
    plugin::ProviderRegistry registry;
    auto report = loader().load_directory(dir_.path(), providers, registry);
    ASSERT_TRUE(report);
    EXPECT_EQ(registry.size(), 1u);
    ASSERT_NE(registry.find("test_crm"), nullptr);
    EXPECT_EQ(registry.find("test_crm")->descriptor->api_base_url, "http://127.0.0.1:9999/crm")
        << "the config's overrides apply to the registered descriptor";
    EXPECT_EQ(registry.find("test_crm")->library->providers()[0].api_base_url,
              "https://api.example.test/crm")
        << "the plugin's own descriptor is kept as declared";
    EXPECT_EQ(registry.find("test_drive"), nullptr);
    EXPECT_EQ(registry.find("test_calendar"), nullptr);

    std::map<std::string, bool> enabled;
    for (const auto& p : report->providers) {
        enabled[p.id] = p.enabled;
    }
    EXPECT_EQ(enabled, (std::map<std::string, bool>{{"test_crm", true}, {"test_drive", false}}));
    EXPECT_EQ(report->missing, std::vector<std::string>{"google_calendar"});
    EXPECT_EQ(log_.matching({"warning", "provider 'google_calendar' is enabled in the config but "
                                        "not served: its library google_calendar.so is not in"})
                  .size(),
              1u);
    EXPECT_EQ(log_.matching({"test_drive (loaded, not enabled)"}).size(), 1u);
    // A library no enabled provider names is not even opened.
    EXPECT_TRUE(log_.matching({"[plugin good_one]"}).empty());
    EXPECT_EQ(::dlopen((dir_.path() / "sbt_good_one.so").c_str(), RTLD_NOW | RTLD_NOLOAD),
              nullptr);
    EXPECT_TRUE(log_.matching({"[plugin good_two] sbt: deinit"}).empty());
    (void)two;
}

TEST_F(PluginLoaderTest, OnlyTheLibrariesOfEnabledProvidersAreOpened) {
    // Libraries that would crash or hang the host if they were loaded: none is named.
    dir_.add_library("crashes");
    dir_.add_library("init_hangs");
    dir_.add_library("missing_field");
    dir_.add_library("good_one");
    plugin::ProviderRegistry registry;
    auto report =
        loader().load_directory(dir_.path(), enable({{"test_calendar", "good_one"}}), registry);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(registry.size(), 1u);
    EXPECT_TRUE(report->skipped.empty());
    ASSERT_EQ(report->providers.size(), 1u);
    for (const char* name : {"crashes", "init_hangs", "missing_field"}) {
        const auto file = dir_.path() / testing::test_library_file(name);
        EXPECT_EQ(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr) << name;
    }
    EXPECT_TRUE(log_.matching({"missing_field"}).empty());
}

TEST_F(PluginLoaderTest, AProviderNamesItsLibraryByDefaultWithItsId) {
    dir_.add_library("good_one", "test_calendar.so");
    plugin::ProviderRegistry registry;
    std::map<std::string, config::ProviderConfig> providers;
    providers["test_calendar"] = config::ProviderConfig{}; // library: "test_calendar.so"
    providers["test_crm"] = config::ProviderConfig{};      // test_crm.so: none
    auto report = loader().load_directory(dir_.path(), providers, registry);
    ASSERT_TRUE(report);
    EXPECT_NE(registry.find("test_calendar"), nullptr);
    EXPECT_EQ(report->missing, std::vector<std::string>{"test_crm"});
}

TEST_F(PluginLoaderTest, AnEnabledProviderItsLibraryLacksIsReported) {
    dir_.add_library("good_one");
    plugin::ProviderRegistry registry;
    auto report = loader().load_directory(
        dir_.path(), enable({{"test_calendar", "good_one"}, {"test_crm", "good_one"}}), registry);
    ASSERT_TRUE(report);
    EXPECT_EQ(registry.size(), 1u);
    EXPECT_EQ(report->missing, std::vector<std::string>{"test_crm"});
    EXPECT_EQ(log_.matching({"provider 'test_crm'", "its library sbt_good_one.so does not "
                                                     "provide it"})
                  .size(),
              1u);
}

TEST_F(PluginLoaderTest, ProvidersSharingALibraryMustShareItsMode) {
    dir_.add_library("good_two");
    auto providers = enable({{"test_crm", "good_two"}, {"test_drive", "good_two"}});
    providers["test_drive"].mode = config::PluginMode::isolated;
    plugin::ProviderRegistry registry;
    auto report = loader().load_directory(dir_.path(), providers, registry);
    ASSERT_TRUE(report);
    EXPECT_TRUE(registry.empty());
    ASSERT_EQ(report->skipped.size(), 1u);
    EXPECT_NE(report->skipped[0].reason.find("ask for different modes"), std::string::npos)
        << report->skipped[0].reason;
    EXPECT_EQ(report->missing.size(), 2u);
}

TEST_F(PluginLoaderTest, APluginsDirectoryWritableByOthersIsRefused) {
    auto file = dir_.add_library("good_one");
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_write,
                                 std::filesystem::perm_options::add);
    plugin::ProviderRegistry registry;
    auto report =
        loader().load_directory(dir_.path(), enable({{"test_calendar", "good_one"}}), registry);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().kind, ErrorKind::forbidden);
    EXPECT_EQ(report.error().code, "insecure_plugin_path");
    EXPECT_NE(report.error().message.find("plugins directory " + dir_.path().string() +
                                          " is writable by its group or by other users (mode "
                                          "07"),
              std::string::npos)
        << report.error().message;
    EXPECT_NE(report.error().message.find("chmod go-w " + dir_.path().string()),
              std::string::npos);
    EXPECT_FALSE(loader().inspect_directory(dir_.path(), {})) << "plugins list refuses it too";
    EXPECT_EQ(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr) << "nothing was loaded";
}

TEST_F(PluginLoaderTest, ALibraryWritableByOthersOrOwnedByAnotherUserIsRefused) {
    auto writable = dir_.add_library("good_one");
    auto foreign = dir_.add_library("good_two");
    std::filesystem::permissions(writable, std::filesystem::perms::group_write,
                                 std::filesystem::perm_options::add);
    ASSERT_EQ(::chown(foreign.c_str(), 4242, static_cast<gid_t>(-1)), 0)
        << "the test runs as root in CI; chown needs it";
    plugin::ProviderRegistry registry;
    auto report = loader().load_directory(
        dir_.path(), enable({{"test_calendar", "good_one"}, {"test_crm", "good_two"}}), registry);
    ASSERT_TRUE(report);
    EXPECT_TRUE(registry.empty());
    ASSERT_EQ(report->skipped.size(), 2u);
    EXPECT_NE(report->skipped[0].reason.find("plugin library " + writable.string() +
                                             " is writable by its group or by other users "
                                             "(mode 0775)"),
              std::string::npos)
        << report->skipped[0].reason;
    EXPECT_NE(report->skipped[1].reason.find("plugin library " + foreign.string() +
                                             " is owned by uid 4242, neither root nor the user "
                                             "the host runs as"),
              std::string::npos)
        << report->skipped[1].reason;
    EXPECT_EQ(log_.matching({"warning", writable.string(), "skipped", "chmod go-w"}).size(), 1u);
    for (const auto& file : {writable, foreign}) {
        EXPECT_EQ(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr) << file;
    }
}

TEST_F(PluginLoaderTest, ALibraryLinkedFromAWritableDirectoryIsRefused) {
    PluginsDir elsewhere;
    auto target = elsewhere.add_library("good_one");
    std::filesystem::permissions(elsewhere.path(), std::filesystem::perms::others_write,
                                 std::filesystem::perm_options::add);
    std::filesystem::create_symlink(target, dir_.path() / "sbt_good_one.so");
    plugin::ProviderRegistry registry;
    auto report =
        loader().load_directory(dir_.path(), enable({{"test_calendar", "good_one"}}), registry);
    ASSERT_TRUE(report);
    ASSERT_EQ(report->skipped.size(), 1u);
    EXPECT_NE(report->skipped[0].reason.find("the directory of plugin library " +
                                             elsewhere.path().string()),
              std::string::npos)
        << report->skipped[0].reason;
}

TEST_F(PluginLoaderTest, MissingDirectoryIsAnError) {
    plugin::ProviderRegistry registry;
    auto report = loader().load_directory(dir_.path() / "nope", {}, registry);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, "plugins_directory_not_found");
    EXPECT_NE(report.error().message.find("nope"), std::string::npos);
}

} // namespace
} // namespace switchboard
