// The e2e programs' main: the shared host, simulator and servers end with the program (an
// Environment's TearDown), after every fixture that used them; the host's log is printed
// when something failed.
#include "tests/e2e/e2e_suite.hpp"

#include <iostream>

namespace switchboard::e2e {
namespace {

// The servers are E2E's static members; a class derived from E2E may reach them. It is never
// instantiated: a testing::Test made outside a test restores GoogleTest's flags when destroyed,
// and gtest destroys its environments after the flags' own strings are gone at exit.
struct SharedServers : E2E {
    static void stop() {
        if (host_ && ::testing::UnitTest::GetInstance()->failed_test_count() > 0) {
            std::cerr << "---- switchboard log (tail) ----\n";
            const std::string log = host_->log();
            std::cerr << (log.size() > 20000 ? log.substr(log.size() - 20000) : log) << "\n";
        }
        database_.reset();
        host_.reset();
        redis_.reset();
        postgres_.reset();
        certificates_.reset();
        sim_.reset();
        dir_.reset();
    }
};

class StopSharedServersAtTheEnd : public ::testing::Environment {
public:
    void TearDown() override { SharedServers::stop(); }
};

} // namespace
} // namespace switchboard::e2e

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new switchboard::e2e::StopSharedServersAtTheEnd);
    return RUN_ALL_TESTS();
}
