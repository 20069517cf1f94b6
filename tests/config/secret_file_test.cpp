// Secrets from files (`<VARIABLE>_FILE`, as Docker and Kubernetes mount them): the value, the
// trimmed newline, and every refusal — both variables set, a file others may read, a missing
// or odd file — with messages that name the variables and never the value.
#include "core/config/environment.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace switchboard {
namespace {

namespace fs = std::filesystem;
using Vars = std::map<std::string, std::string>;

class SecretFile : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device random;
        directory_ = fs::temp_directory_path() /
                     ("sb-secret-file-test-" + std::to_string(random()) + std::to_string(random()));
        fs::create_directories(directory_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(directory_, ec);
    }

    // A file holding `content`, with permissions `mode`.
    std::string write(const std::string& name, const std::string& content, mode_t mode = 0600) {
        const fs::path path = directory_ / name;
        std::ofstream(path, std::ios::binary) << content;
        EXPECT_EQ(::chmod(path.c_str(), mode), 0);
        return path.string();
    }

    fs::path directory_;
};

constexpr const char* kSecret = "s3cr3t-value-never-in-a-message";

void expect_no_secret_in(const Error& error) {
    EXPECT_EQ(error.message.find(kSecret), std::string::npos) << error.message;
}

TEST_F(SecretFile, PlainVariableIsReadAsBefore) {
    config::MapEnvironment env(Vars{{"DB_PASSWORD", "plain"}});
    auto value = config::read_secret(env, "DB_PASSWORD");
    ASSERT_TRUE(value);
    EXPECT_EQ(*value, std::optional<std::string>("plain"));
}

TEST_F(SecretFile, NeitherSetIsNullopt) {
    auto value = config::read_secret(config::MapEnvironment(), "DB_PASSWORD");
    ASSERT_TRUE(value);
    EXPECT_FALSE(value->has_value());
}

TEST_F(SecretFile, FileContentWithItsTrailingNewlineTrimmed) {
    config::MapEnvironment env(
        Vars{{"DB_PASSWORD_FILE", write("password", std::string(kSecret) + "\n")}});
    auto value = config::read_secret(env, "DB_PASSWORD");
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(*value, std::optional<std::string>(kSecret));
}

TEST_F(SecretFile, CrLfAndSeveralNewlinesTrimmedButInnerSpacesKept) {
    config::MapEnvironment env(Vars{{"K_FILE", write("k", " a b \r\n\n")}});
    auto value = config::read_secret(env, "K");
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(**value, " a b ");
}

TEST_F(SecretFile, ReadOnlyByOwnerIsAccepted) {
    config::MapEnvironment env(Vars{{"K_FILE", write("k", kSecret, 0400)}});
    auto value = config::read_secret(env, "K");
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(**value, kSecret);
}

TEST_F(SecretFile, ThroughASymlinkAsKubernetesMountsThem) {
    const std::string target = write("..data-key", kSecret);
    const fs::path link = directory_ / "key";
    fs::create_symlink(target, link);
    config::MapEnvironment env(Vars{{"K_FILE", link.string()}});
    auto value = config::read_secret(env, "K");
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(**value, kSecret);
}

TEST_F(SecretFile, BothSetIsAConflictNamingBothVariables) {
    config::MapEnvironment env(Vars{{"CONNECTOR_ENCRYPTION_KEY", kSecret},
                                    {"CONNECTOR_ENCRYPTION_KEY_FILE", write("key", kSecret)}});
    auto value = config::read_secret(env, "CONNECTOR_ENCRYPTION_KEY");
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(value.error().code, "secret_variable_conflict");
    EXPECT_EQ(value.error().field, "CONNECTOR_ENCRYPTION_KEY");
    EXPECT_EQ(value.error().message,
              "both CONNECTOR_ENCRYPTION_KEY and CONNECTOR_ENCRYPTION_KEY_FILE are set; set only "
              "one of them");
    expect_no_secret_in(value.error());
}

// Whoever may write the file may replace the key with one they know.
TEST_F(SecretFile, AFileOthersMayWriteIsRefused) {
    for (mode_t mode : {mode_t{0620}, mode_t{0602}, mode_t{0660}, mode_t{0666}, mode_t{0622}}) {
        const std::string path = write("key", kSecret, mode);
        config::MapEnvironment env(Vars{{"K_FILE", path}});
        auto value = config::read_secret(env, "K");
        ASSERT_FALSE(value) << "mode " << std::oct << mode << " was accepted";
        EXPECT_EQ(value.error().code, "secret_file_unsafe");
        EXPECT_NE(value.error().message.find("K_FILE (" + path + ")"), std::string::npos)
            << value.error().message;
        EXPECT_NE(value.error().message.find("chmod 600"), std::string::npos);
        expect_no_secret_in(value.error());
    }
}

// As Docker (0444) and Kubernetes (0644, 0440 under fsGroup) mount secrets.
TEST_F(SecretFile, ContainerSecretMountsThatOthersMayOnlyReadAreAccepted) {
    for (mode_t mode : {mode_t{0400}, mode_t{0600}, mode_t{0440}, mode_t{0444}, mode_t{0644}}) {
        const std::string path = write("key", kSecret, mode);
        config::MapEnvironment env(Vars{{"K_FILE", path}});
        auto value = config::read_secret(env, "K");
        ASSERT_TRUE(value) << "mode " << std::oct << mode << ": " << value.error().message;
        EXPECT_EQ(*value, std::optional<std::string>(kSecret));
    }
}

TEST_F(SecretFile, MissingFileIsAClearError) {
    const std::string path = (directory_ / "absent").string();
    config::MapEnvironment env(Vars{{"K_FILE", path}});
    auto value = config::read_secret(env, "K");
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().code, "secret_file_unreadable");
    EXPECT_EQ(value.error().field, "K");
    EXPECT_EQ(value.error().message,
              "cannot read the secret file K_FILE (" + path + "): No such file or directory");
}

TEST_F(SecretFile, UnreadableFileIsAClearError) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root reads a file whatever its mode";
    }
    config::MapEnvironment env(Vars{{"K_FILE", write("key", kSecret, 0200)}});
    auto value = config::read_secret(env, "K");
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().code, "secret_file_unreadable");
    expect_no_secret_in(value.error());
}

TEST_F(SecretFile, DirectoryEmptyPathAndFifoAreRefused) {
    const fs::path fifo = directory_ / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const std::string& path : {directory_.string(), std::string(), fifo.string()}) {
        config::MapEnvironment env(Vars{{"K_FILE", path}});
        auto value = config::read_secret(env, "K");
        ASSERT_FALSE(value) << "'" << path << "' was accepted";
        EXPECT_EQ(value.error().code, "secret_file_unreadable") << value.error().message;
    }
}

TEST_F(SecretFile, OversizedFileIsRefused) {
    config::MapEnvironment env(
        Vars{{"K_FILE", write("big", std::string(config::max_secret_file_bytes + 1, 'x'))}});
    auto value = config::read_secret(env, "K");
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().code, "secret_file_unreadable");
    EXPECT_NE(value.error().message.find("larger than"), std::string::npos);
}

} // namespace
} // namespace switchboard
