# bench/train_reference.R: the per-candidate work of mixmodel.train done the
# Robyn way in R, for bench/train.sql: recursive geometric adstock over the
# whole series, Robyn's relative Hill (K = gamma * max over the window),
# glmnet ridge (alpha = 0, media lower limit 0, standardised, intercept) on
# the training rows, prediction, NRMSE and the decomposition shares.
#   Rscript bench/train_reference.R inputs.csv out.csv candidates
# inputs.csv: kind, index, value with kinds meta (C, T, F, n, t0, n_train,
# lambda_max, y_sd), x (C x T row-major), z (F x n), y (n).
# out.csv: one line "candidates,total_ms,ms_per_candidate".
# Optional: the project never requires R (bench/train.sql skips it when absent).
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], header = FALSE, col.names = c("kind", "i", "v"))
N <- as.integer(args[3])
meta <- d$v[d$kind == "meta"]
C <- meta[1]; T <- meta[2]; F <- meta[3]; n <- meta[4]; t0 <- meta[5]; nt <- meta[6]
lmax <- meta[7]; ysd <- meta[8]
x <- matrix(d$v[d$kind == "x"], nrow = C, byrow = TRUE)
z <- matrix(d$v[d$kind == "z"], nrow = F, byrow = TRUE)
y <- d$v[d$kind == "y"]
win <- (t0 + 1):(t0 + n)
set.seed(42)
hp <- matrix(runif(N * (3 * C + 1)), nrow = N)
start <- Sys.time()
for (k in 1:N) {
  S <- matrix(0, n, C)
  for (c in 1:C) {
    theta <- 0.8 * hp[k, 3 * c - 2]
    alpha <- 0.5 + 2.5 * hp[k, 3 * c - 1]
    gamma <- 0.3 + 0.7 * hp[k, 3 * c]
    a <- as.numeric(stats::filter(x[c, ], theta, method = "recursive"))[win]
    K <- gamma * max(a)
    S[, c] <- a^alpha / (a^alpha + K^alpha)
  }
  X <- cbind(S, t(z))
  lam <- (1e-5 * lmax + (0.1 * lmax - 1e-5 * lmax) * hp[k, 3 * C + 1])
  fit <- glmnet(X[1:nt, ], y[1:nt], family = "gaussian", alpha = 0, lambda = lam,
                lower.limits = c(rep(0, C), rep(-Inf, F)), standardize = TRUE, intercept = TRUE)
  b <- as.numeric(coef(fit))
  yhat <- as.numeric(b[1] + X %*% b[-1])
  nrmse <- sqrt(mean((y[1:nt] - yhat[1:nt])^2)) / diff(range(y[1:nt]))
  eff <- colSums(sweep(S[1:nt, , drop = FALSE], 2, b[2:(C + 1)], "*"))
  share <- eff / sum(yhat[1:nt])
}
ms <- as.numeric(difftime(Sys.time(), start, units = "secs")) * 1000
cat(sprintf("%d,%.3f,%.6f\n", N, ms, ms / N), file = args[2])
