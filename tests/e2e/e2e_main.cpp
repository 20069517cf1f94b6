// The e2e programs' main: the shared host, simulator and servers end with the program (an
// Environment's TearDown), after every fixture that used them; the host's log is printed
// when something failed.
#include "tests/e2e/e2e_suite.hpp"

#include <iostream>

namespace switchboard::e2e {
namespace {

class SharedServers : public ::testing::Environment, private E2E {
public:
    void TestBody() override {}
    void TearDown() override {
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

} // namespace
} // namespace switchboard::e2e

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new switchboard::e2e::SharedServers);
    return RUN_ALL_TESTS();
}
