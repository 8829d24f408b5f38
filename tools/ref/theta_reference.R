# Reference values for tests/numeric/test_baselines.c from R forecast::thetaf
# (8.20). Usage: Rscript tools/ref/theta_reference.R > tests/numeric/data/theta_reference.txt
# Each block: series name, period, length, horizon, the data, whether the
# seasonality test chose the multiplicative decomposition, the SES alpha
# and the drift (half the linear-trend slope), then the means and 80% /
# 95% bounds. Numbers with 17 digits.
suppressMessages(library(forecast))

fmt <- function(v) paste(formatC(as.numeric(v), digits = 17, format = "g"), collapse = " ")

emit <- function(name, y, m, h) {
  y <- ts(as.numeric(y), frequency = m)
  fc <- suppressWarnings(thetaf(y, h = h, level = c(80, 95)))
  # The seasonal decision as thetaf makes it (fitted values are scaled
  # by the seasonal indexes only when seasonal).
  fit0 <- ses(y, h = 1)
  seasonal <- !isTRUE(all.equal(as.numeric(fc$fitted), as.numeric(fit0$fitted)))
  cat("series", name, m, length(y), h, "\n")
  cat("y", fmt(y), "\n")
  cat("seasonal", as.integer(seasonal), "\n")
  cat("alpha", fmt(fc$model$alpha), "\n")
  cat("drift", fmt(fc$model$drift), "\n")
  cat("mean", fmt(fc$mean), "\n")
  cat("lo80", fmt(fc$lower[, 1]), "\n")
  cat("hi80", fmt(fc$upper[, 1]), "\n")
  cat("lo95", fmt(fc$lower[, 2]), "\n")
  cat("hi95", fmt(fc$upper[, 2]), "\n")
  cat("end\n")
}

emit("AirPassengers", AirPassengers, 12, 24)
emit("USAccDeaths", USAccDeaths, 12, 24)
emit("nottem", nottem, 12, 24)
emit("UKgas", UKgas, 4, 8)
emit("WWWusage", WWWusage, 1, 10)
emit("Nile", Nile, 1, 10)
# seasonal period but too short for the test (n <= 2m): not seasonal
emit("short20", AirPassengers[1:20], 12, 12)
# odd period (moving average of m points)
emit("odd7", 50 + 10 * sin(2 * pi * (1:70) / 7) + (1:70) * 0.3 + ((1:70) %% 5), 7, 14)
# a period where the autocorrelation test says seasonal (|r_4| / se just
# above qnorm(0.95)) and one where it says no (lh with m = 3)
emit("Nile4", Nile, 4, 8)
emit("lh3", lh, 3, 6)
