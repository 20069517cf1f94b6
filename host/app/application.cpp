#include "host/app/application.hpp"

namespace switchboard::app {

Result<std::unique_ptr<Application>> Application::create(ApplicationOptions options) {
    std::unique_ptr<Application> app(new Application(std::move(options)));
    plugin::IsolationSettings isolation; // plugin-host children are this executable
    isolation.limits = app->options_.output_limits;
    plugin::PluginLoader loader(app->contracts(), app->options_.services, isolation);
    auto registry = std::make_shared<plugin::ProviderRegistry>();
    auto report = loader.load_directory(app->options_.plugins_directory,
                                        app->options_.config.providers, *registry);
    if (!report) {
        return report.error();
    }
    app->report_ = std::move(*report);
    app->registry_ = registry;
    app->factory_ = std::make_shared<plugin::RegistryConnectorFactory>(
        app->registry_, app->contracts(), app->options_.output_limits);
    return app;
}

} // namespace switchboard::app
