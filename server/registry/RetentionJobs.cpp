#include "registry/RetentionJobs.h"

#include <algorithm>

namespace berth::registry {

namespace {

void logRemoval(Logger& logger, const std::string& trigger, const RetentionDecision& removed)
{
    const auto digest = removed.digest.toString();
    const std::int64_t rule = removed.rule ? static_cast<std::int64_t>(*removed.rule) : -1;
    if (removed.tag.empty()) {
        logger.info("retention removed manifest", {{"repository", removed.repository},
                                                   {"digest", digest},
                                                   {"rule", rule},
                                                   {"reason", removed.reason},
                                                   {"trigger", trigger}});
    } else {
        logger.info("retention removed tag", {{"repository", removed.repository},
                                              {"tag", removed.tag},
                                              {"digest", digest},
                                              {"rule", rule},
                                              {"reason", removed.reason},
                                              {"trigger", trigger}});
    }
}

void logOutcome(Logger& logger, const std::string& trigger, const oci::Result<RetentionReport>& report)
{
    if (!report) {
        logger.error(
            "retention run failed",
            {{"trigger", trigger}, {"error", report.error().message + ": " + report.error().detail}});
        return;
    }
    const auto tags = std::count_if(report->removed.begin(), report->removed.end(),
                                    [](const RetentionDecision& removed) { return !removed.tag.empty(); });
    logger.info(report->cancelled ? "retention run cancelled" : "retention run finished",
                {{"trigger", trigger},
                 {"tags_removed", static_cast<std::int64_t>(tags)},
                 {"manifests_removed", static_cast<std::int64_t>(report->removed.size()) - tags},
                 {"skipped", report->skipped.size()}});
}

} // namespace

RetentionJobs::RetentionJobs(Registry& registry, Logger& logger)
    : BackgroundJobs([&registry, &logger](const RetentionRunOptions& options,
                                          const ProgressCallback& progress, const std::atomic<bool>& cancel) {
          const auto removed = [&logger, &options](const RetentionDecision& decision) {
              logRemoval(logger, options.trigger, decision);
          };
          auto report = RetentionRunner(registry).run(options.rules, progress, &cancel, removed);
          logOutcome(logger, options.trigger, report);
          return report;
      })
{
}

RetentionPreviews::RetentionPreviews(Registry& registry)
    : BackgroundJobs([&registry](const RetentionPreviewOptions& options, const ProgressCallback& progress,
                                 const std::atomic<bool>& cancel) {
          return RetentionRunner(registry).preview(options.rules, progress, &cancel);
      })
{
}

} // namespace berth::registry
