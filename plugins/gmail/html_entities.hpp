// Gmail's `snippet` is HTML text ("It&#39;s &quot;done&quot; &amp; shipped"); the contract's
// snippet is plain text.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::plugins::gmail {

// `text` with the character references &amp; &lt; &gt; &quot; &apos; &nbsp; &#NNN; and
// &#xHHH; replaced by their characters; anything else is left as written.
std::string decode_html_entities(std::string_view text);

} // namespace switchboard::plugins::gmail
