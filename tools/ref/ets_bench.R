# R side of bench/bench_ets_vs_r.c: fit forecast::ets on every series of a
# wide train CSV (M4 layout: id, values...), forecast h steps with 80%
# intervals, and write one line per series:
#   id model cpu_seconds mean[h] lo80[h] hi80[h]
# Usage: Rscript tools/ref/ets_bench.R train.csv m h stride out.txt
suppressMessages(library(forecast))
a <- commandArgs(trailingOnly = TRUE)
train <- read.csv(a[1], stringsAsFactors = FALSE, header = TRUE)
m <- as.integer(a[2]); h <- as.integer(a[3]); stride <- as.integer(a[4])
out <- file(a[5], "w")
rows <- seq(1, nrow(train), by = stride)
for (r in rows) {
  v <- as.numeric(train[r, -1]); v <- v[!is.na(v)]
  y <- ts(v, frequency = m)
  t0 <- proc.time()
  fit <- suppressWarnings(ets(y))
  fc <- forecast(fit, h = h, level = 80)
  t1 <- proc.time() - t0
  cat(train[r, 1], gsub(" ", "", fit$method), t1[["user.self"]] + t1[["sys.self"]],
      formatC(c(fc$mean, fc$lower[, 1], fc$upper[, 1]), digits = 17, format = "g"),
      "\n", file = out)
}
close(out)
