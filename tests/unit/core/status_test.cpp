#include "core/status.h"

#include <gtest/gtest.h>

namespace opcat {
namespace {

TEST(StatusTest, OkIsOkAndPrintsOk) {
  const Status s = Status::ok();
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  const Status s = Status::error(StatusCode::kTampered, "record 42 failed authentication");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::kTampered);
  EXPECT_EQ(s.toString(), "tampered: record 42 failed authentication");
}

Status failsWhenAsked(bool fail) {
  OPCAT_RETURN_IF_ERROR(fail ? Status::error(StatusCode::kIoError, "disk") : Status::ok());
  return Status::error(StatusCode::kInternal, "reached the end");
}

TEST(StatusTest, ReturnIfErrorPropagatesOnlyFailures) {
  EXPECT_EQ(failsWhenAsked(true).code(), StatusCode::kIoError);
  EXPECT_EQ(failsWhenAsked(false).code(), StatusCode::kInternal);
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good(7);
  ASSERT_TRUE(good.isOk());
  EXPECT_EQ(*good, 7);
  Result<int> bad(Status::error(StatusCode::kNotFound, "no such visit"));
  EXPECT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace opcat
