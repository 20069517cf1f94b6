// The catalog of the page's files: media types by extension, ETags, and a file the host could
// not serve correctly refused at start-up.
#include "host/web/asset_catalog.hpp"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <string>

namespace switchboard::web {
namespace {

TEST(AssetCatalog, KnowsTheMediaTypeOfEveryKindOfFileThePageShips) {
    EXPECT_EQ(media_type_of("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(media_type_of("app.css"), "text/css; charset=utf-8");
    EXPECT_EQ(media_type_of("main.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(media_type_of("icon-calendar.svg"), "image/svg+xml");
    EXPECT_EQ(media_type_of("calendar.schema.json"), "application/json");
    EXPECT_EQ(media_type_of("archive.tar"), "");
    EXPECT_EQ(media_type_of("js"), "");
}

TEST(AssetCatalog, EtagsAreQuotedAndChangeWithTheBytes) {
    const std::string a = etag_of("body { color: red; }");
    EXPECT_EQ(a.size(), 18u);
    EXPECT_EQ(a.front(), '"');
    EXPECT_EQ(a.back(), '"');
    EXPECT_EQ(a, etag_of("body { color: red; }"));
    EXPECT_NE(a, etag_of("body { color: blue; }"));
    EXPECT_NE(etag_of(""), etag_of(std::string(1, '\0')));
}

TEST(AssetCatalog, FindsFilesByNameAndRefusesAnUnknownExtension) {
    static constexpr unsigned char css[] = {'a', '{', '}'};
    static constexpr unsigned char other[] = {'x'};
    const std::array good{EmbeddedAsset{"app.css", css, sizeof css}};
    const AssetCatalog catalog(good);
    ASSERT_NE(catalog.find("app.css"), nullptr);
    EXPECT_EQ(catalog.find("app.css")->body, "a{}");
    EXPECT_EQ(catalog.find("app.css")->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(catalog.find("missing.css"), nullptr);

    const std::array bad{EmbeddedAsset{"data.bin", other, sizeof other}};
    EXPECT_THROW(AssetCatalog{bad}, std::invalid_argument);
}

TEST(AssetCatalog, TheEmbeddedPageHasItsEntryPointAndTheContracts) {
    const AssetCatalog catalog(embedded_assets());
    for (const char* name : {"index.html", "main.js", "app.css", "calendar.schema.json",
                             "email.schema.json", "crm.schema.json", "drive.schema.json"}) {
        EXPECT_NE(catalog.find(name), nullptr) << name;
    }
}

} // namespace
} // namespace switchboard::web
