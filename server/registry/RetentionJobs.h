#pragma once
// Retention runs started through the admin API or by the schedule, and previews, in the
// background with progress and cancelling like garbage collections: a preview of a large
// registry reads every tag the rules apply to, which no request should wait for. Every tag
// and manifest a run removes is logged as it goes ("retention removed tag"), and so is how
// the run ended.

#include "registry/BackgroundJobs.h"
#include "registry/RetentionRuleStore.h"
#include "registry/RetentionRunner.h"
#include "support/Logger.h"

#include <string>

namespace berth::registry {

struct RetentionRunOptions
{
    RetentionRules rules;
    std::string trigger; // "api", "schedule": said in the log lines
};

using RetentionJob = BackgroundJob<RetentionRunOptions, RetentionProgress, RetentionReport>;

class RetentionJobs final : public BackgroundJobs<RetentionRunOptions, RetentionProgress, RetentionReport>
{
public:
    RetentionJobs(Registry& registry, Logger& logger);
};

struct RetentionPreviewOptions
{
    RetentionRules rules;
    RetentionRuleStore::Source source; // of the rules: in force, or those a request came with
};

using RetentionPreviewJob = BackgroundJob<RetentionPreviewOptions, RetentionProgress, RetentionPreview>;

class RetentionPreviews final
    : public BackgroundJobs<RetentionPreviewOptions, RetentionProgress, RetentionPreview>
{
public:
    explicit RetentionPreviews(Registry& registry);
};

} // namespace berth::registry
