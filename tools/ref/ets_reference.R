# Reference values for tests/numeric/test_ets.c from R forecast::ets.
# Usage: Rscript tools/ref/ets_reference.R [m4-hourly-dir] > tests/numeric/data/ets_reference.txt
# Each block: series name, period, the data, the chosen model, its
# parameters, loglik / AICc (NA for the Holt-Winters fallbacks), and
# forecast(fit, h) means with 80% / 95% bounds. Numbers with 17 digits.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
m4dir <- if (length(args) >= 1) args[1] else "../shared/data/m4-hourly"

fmt <- function(v) paste(formatC(as.numeric(v), digits = 17, format = "g"), collapse = " ")
num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) "nan" else fmt(x)

emit <- function(name, y, m, h) {
  y <- ts(as.numeric(y), frequency = m)
  fit <- suppressWarnings(ets(y))
  fc <- forecast(fit, h = h, level = c(80, 95))
  p <- fit$par
  cat("series", name, m, length(y), h, "\n")
  cat("y", fmt(y), "\n")
  cat("model", fit$method, "\n")
  cat("par", num(p["alpha"]), num(p["beta"]), num(p["gamma"]), num(p["phi"]), "\n")
  cat("loglik", num(fit$loglik), "\n")
  cat("aicc", num(fit$aicc), "\n")
  cat("sigma2", num(fit$sigma2), "\n")
  cat("mean", fmt(fc$mean), "\n")
  cat("lo80", fmt(fc$lower[, 1]), "\n")
  cat("hi80", fmt(fc$upper[, 1]), "\n")
  cat("lo95", fmt(fc$lower[, 2]), "\n")
  cat("hi95", fmt(fc$upper[, 2]), "\n")
  cat("end\n")
}

emit("AirPassengers", AirPassengers, 12, 24)
emit("USAccDeaths", USAccDeaths, 12, 24)
emit("ldeaths", ldeaths, 12, 24)
emit("nottem", nottem, 12, 24)
emit("WWWusage", WWWusage, 1, 10)
emit("Nile", Nile, 1, 10)
# a series with zeros (multiplicative models excluded)
emit("zeros", c(0, 3, 1, 0, 4, 2, 5, 0, 3, 6, 2, 7, 4, 0, 5, 8, 3, 6, 9, 4, 7, 0, 8, 10), 4, 8)
# short series: 16 monthly points (Fourier start, n < 3m), 6 points (Holt/SES fallback)
emit("short16", AirPassengers[1:16], 12, 12)
emit("tiny6", c(112, 118, 132, 129, 121, 135), 1, 5)
train <- read.csv(file.path(m4dir, "Hourly-train.csv"), stringsAsFactors = FALSE)
for (id in c("H1", "H150", "H300")) {
  row <- train[train$V1 == id, -1]
  y <- as.numeric(row[!is.na(row)])
  emit(id, y, 24, 48)
}
