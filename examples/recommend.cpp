// examples/recommend.cpp: the Amazon Personalize workflow with libtsrec
// from C++17.
//
//   dataset group -> Interactions dataset -> rows import -> aws-sims
//   solution -> solution version (offline metrics) -> campaign ->
//   GetRecommendations -> PutEvents -> GetRecommendations again
//
// Each libtsrec handle lives in a std::unique_ptr with a deleter that calls
// its tsrec_*_free, so every path frees everything, in reverse order of
// creation (children before their parents, the ctx last). Failures become
// exceptions carrying the library's message.
//
// Build against the installed library:
//   c++ -std=c++17 recommend.cpp $(pkg-config --cflags --libs libtsrec) -o recommend
#include <tsrec/tsrec.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// ---- RAII -------------------------------------------------------------------

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Ctx = Handle<tsrec_ctx, tsrec_ctx_free>;
using Schema = Handle<tsrec_schema, tsrec_schema_free>;
using Group = Handle<tsrec_dataset_group, tsrec_dataset_group_free>;
using Solution = Handle<tsrec_solution, tsrec_solution_free>;
using Campaign = Handle<tsrec_campaign, tsrec_campaign_free>;
using Tracker = Handle<tsrec_event_tracker, tsrec_event_tracker_free>;

// Throw with the message recorded on `handle` (the one the call was made
// on); a few failures (e.g. of const queries) are only in the thread's
// last error.
void check(int status, const void *handle, const char *what)
{
    if (status == TSREC_OK)
        return;
    std::string msg = handle != nullptr ? tsrec_errmsg(handle) : "";
    if (msg.empty())
        msg = tsrec_last_error();
    throw std::runtime_error(std::string(what) + ": " + tsrec_status_str(status) + ": " + msg);
}

// Two-call pattern of the JSON answers: ask the size, then fill.
template <typename Obj, typename Call>
std::string json_call(const Obj *obj, const char *what, Call call)
{
    std::size_t len = 0;
    check(call(nullptr, 0, &len), obj, what);
    std::string out(len + 1, '\0');
    check(call(out.data(), out.size(), &len), obj, what);
    out.resize(len);
    return out;
}

// ---- data -------------------------------------------------------------------

const char INTERACTIONS_SCHEMA[] =
    R"({"type":"record","name":"Interactions",)"
    R"("namespace":"com.amazonaws.personalize.schema","fields":[)"
    R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
    R"({"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"}],)"
    R"("version":"1.0"})";

// 120 users and 40 items in 4 "genres" (item j has genre j % 4). User u
// watches the 10 items of genre u % 4 and 2 items of the next genre, so
// items of one genre co-occur and SIMS finds them similar. 1440 rows: above
// the AWS training minimums (1000 interactions, 25 users with 2 or more).
struct Rows {
    std::vector<std::string> text;   // owns the cell strings
    std::vector<const char *> cells; // row-major, 4 per row, into text
    std::int64_t n_rows = 0;
};

Rows make_interactions()
{
    Rows r;
    for (int u = 0; u < 120; u++) {
        int genre = u % 4;
        std::vector<int> items;
        for (int k = 0; k < 10; k++)
            items.push_back(genre + 4 * k);
        items.push_back((genre + 1) % 4 + 4 * (u % 10));
        items.push_back((genre + 1) % 4 + 4 * ((u + 3) % 10));
        int t = 0;
        for (int j : items) {
            r.text.push_back("user" + std::to_string(u));
            r.text.push_back("item" + std::to_string(j));
            r.text.push_back(std::to_string(1700000000 + u * 100 + t++));
            r.text.push_back("watch");
            r.n_rows++;
        }
    }
    for (const std::string &s : r.text) // text no longer grows: pointers stay valid
        r.cells.push_back(s.c_str());
    return r;
}

// Print up to 5 recommendations and return their item ids.
std::vector<std::string> print_recommendations(const tsrec_campaign *c, const char *user,
                                               const char *item)
{
    const char *items[5];
    double scores[5];
    std::int64_t n = 0;
    check(tsrec_campaign_recommend(c, user, item, 5, items, scores, &n), c,
          "tsrec_campaign_recommend");
    std::cout << "  for " << (user ? user : "-") << " viewing " << (item ? item : "-") << ":";
    for (std::int64_t i = 0; i < n; i++) {
        char score[32];
        std::snprintf(score, sizeof score, "%.3f", scores[i]);
        std::cout << ' ' << items[i] << " (" << score << ')';
    }
    std::cout << '\n';
    return std::vector<std::string>(items, items + n);
}

void run()
{
    tsrec_ctx_options opts;
    tsrec_ctx_options_init(&opts);
    opts.n_threads = 2;
    tsrec_ctx *raw_ctx = nullptr;
    check(tsrec_ctx_new(&opts, &raw_ctx), nullptr, "tsrec_ctx_new");
    Ctx ctx(raw_ctx);

    tsrec_schema *raw_schema = nullptr;
    check(tsrec_schema_parse(ctx.get(), TSREC_SERVICE_PERSONALIZE, INTERACTIONS_SCHEMA,
                             sizeof INTERACTIONS_SCHEMA - 1, &raw_schema),
          ctx.get(), "tsrec_schema_parse");
    Schema schema(raw_schema);

    tsrec_dataset_group *raw_group = nullptr;
    check(tsrec_dataset_group_new(ctx.get(), "example_movies", TSREC_SERVICE_PERSONALIZE,
                                  nullptr, &raw_group),
          ctx.get(), "tsrec_dataset_group_new");
    Group group(raw_group);

    tsrec_dataset *interactions = nullptr; // owned by the group
    check(tsrec_dataset_group_create_dataset(group.get(), "example_interactions", "Interactions",
                                             schema.get(), nullptr, &interactions),
          group.get(), "tsrec_dataset_group_create_dataset");

    Rows rows = make_interactions();
    check(tsrec_dataset_import_rows(interactions, rows.cells.data(), rows.n_rows, 4, nullptr,
                                    nullptr),
          interactions, "tsrec_dataset_import_rows");
    std::cout << "imported " << rows.n_rows << " interactions\n";

    const std::string sol_req = R"({"name":"example_sims","recipeArn":)"
                                R"("arn:aws:personalize:::recipe/aws-sims"})";
    tsrec_solution *raw_sol = nullptr;
    check(tsrec_solution_create(group.get(), sol_req.data(), sol_req.size(), &raw_sol),
          group.get(), "tsrec_solution_create");
    Solution solution(raw_sol);

    tsrec_solution_version *version = nullptr; // owned by the solution
    check(tsrec_solution_train(solution.get(), TSREC_TRAINING_FULL, &version), solution.get(),
          "tsrec_solution_train");
    std::string metrics = json_call(version, "tsrec_solution_version_metrics_json",
                                    [&](char *buf, std::size_t cap, std::size_t *len) {
                                        return tsrec_solution_version_metrics_json(version, buf,
                                                                                   cap, len);
                                    });
    std::cout << "GetSolutionMetrics: " << metrics << '\n';

    const std::string camp_req = R"({"name":"example_campaign","minProvisionedTPS":1})";
    tsrec_campaign *raw_camp = nullptr;
    check(tsrec_campaign_create(version, camp_req.data(), camp_req.size(), &raw_camp), version,
          "tsrec_campaign_create");
    Campaign campaign(raw_camp);

    // SIMS is a related-items recipe: it needs an item; with a user as well,
    // the user's own items are left out.
    std::cout << "GetRecommendations (items like item4):\n";
    print_recommendations(campaign.get(), nullptr, "item4");
    std::vector<std::string> before = print_recommendations(campaign.get(), "user1", "item4");
    if (before.empty())
        throw std::runtime_error("no recommendations for user1");

    // The same request as AWS JSON.
    const std::string rec_req = R"({"userId":"user1","itemId":"item4","numResults":3})";
    std::string rec = json_call(campaign.get(), "tsrec_campaign_recommend_json",
                                [&](char *buf, std::size_t cap, std::size_t *len) {
                                    return tsrec_campaign_recommend_json(
                                        campaign.get(), rec_req.data(), rec_req.size(), buf,
                                        cap, len);
                                });
    std::cout << "  JSON: " << rec << '\n';

    // PutEvents: user1 watches the first item recommended. The campaign sees
    // the event at once, so that item leaves user1's recommendations (the
    // model itself changes only when retrained, as in AWS).
    const std::string trk_req = R"({"name":"example_tracker"})";
    tsrec_event_tracker *raw_trk = nullptr;
    check(tsrec_event_tracker_create(group.get(), trk_req.data(), trk_req.size(), &raw_trk),
          group.get(), "tsrec_event_tracker_create");
    Tracker tracker(raw_trk);
    check(tsrec_event_tracker_attach(tracker.get(), campaign.get()), tracker.get(),
          "tsrec_event_tracker_attach");
    const std::string events = R"({"trackingId":"example","sessionId":"session-1",)"
                               R"("userId":"user1","eventList":[{"eventType":"watch",)"
                               R"("sentAt":1800000000,"itemId":")" +
                               before[0] + R"("}]})";
    check(tsrec_event_tracker_put_events(tracker.get(), events.data(), events.size()),
          tracker.get(), "tsrec_event_tracker_put_events");
    std::int64_t n_rows = 0;
    check(tsrec_dataset_row_count(interactions, &n_rows), interactions, "tsrec_dataset_row_count");
    std::cout << "PutEvents: user1 watched " << before[0] << " (" << n_rows
              << " interactions now)\n";
    std::vector<std::string> after = print_recommendations(campaign.get(), "user1", "item4");
    for (const std::string &id : after)
        if (id == before[0])
            throw std::runtime_error("PutEvents: " + id + " is still recommended to user1");
    // tracker, campaign, solution, group, schema, ctx are freed here in
    // that order by their destructors.
}

} // namespace

int main()
{
    std::cout << "libtsrec " << tsrec_version_string() << '\n';
    try {
        run();
    } catch (const std::exception &e) {
        std::cerr << "recommend: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
