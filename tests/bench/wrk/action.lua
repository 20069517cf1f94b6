-- POST the JSON in $BENCH_BODY to the URL given to wrk, as the caller $BENCH_TOKEN:
-- an action through the host (POST /api/v1/actions/<category>.<action>).
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
require("common")

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
