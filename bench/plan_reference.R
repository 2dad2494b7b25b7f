# bench/plan_reference.R: the plan benchmark's problem solved by nloptr SLSQP
# (Robyn's optimiser family), on the same response curves as
# mixmodel.optimize_budget(..., spend_pattern => 'flat').
#   Rscript bench/plan_reference.R problem.csv out.csv
# problem.csv: channel, coef, alpha, k, theta, lower, upper, hist, ours,
#              budget, periods, max_lag (one row per channel)
# out.csv: one line "slsqp_objective,ours_objective,slsqp_ms" where both
# objectives are evaluated by this script's own response function.
# Optional: the project never requires R (bench/plan.sql skips it when absent).
suppressMessages(library(nloptr))
args <- commandArgs(trailingOnly = TRUE)
p <- read.csv(args[1])
p[] <- lapply(p, as.numeric)
P <- p$periods[1]; maxlag <- p$max_lag[1]; B <- p$budget[1]; H <- P + maxlag
C <- nrow(p)
# g[c, t]: adstocked input in week t per unit of channel total, flat pattern
g <- matrix(0, C, H)
for (c in 1:C) for (t in 1:H) for (l in 0:maxlag) {
  u <- t - l
  if (u >= 1 && u <= P) g[c, t] <- g[c, t] + p$theta[c]^l / P
}
hill <- function(a, al, k) ifelse(a > 0, 1 / (1 + exp(al * (log(k) - log(a)))), 0)
dhill <- function(a, al, k) ifelse(a > 0, al * k^al * a^(al - 1) / (a^al + k^al)^2, 0)
total <- function(s) sum(sapply(1:C, function(c) p$coef[c] * sum(hill(s[c] * g[c, ], p$alpha[c], p$k[c]))))
grad <- function(s) sapply(1:C, function(c) p$coef[c] * sum(g[c, ] * dhill(s[c] * g[c, ], p$alpha[c], p$k[c])))
f <- function(s) list(objective = -total(s), gradient = -grad(s))
heq <- function(s) list(constraints = sum(s) - B, jacobian = matrix(1, 1, C))
solve <- function() nloptr(x0 = p$hist, eval_f = f, lb = p$lower, ub = p$upper,
                           eval_g_eq = heq,
                           opts = list(algorithm = "NLOPT_LD_SLSQP", xtol_rel = 1e-10,
                                       ftol_rel = 1e-14, maxeval = 5000))
best <- Inf
for (r in 1:5) {
  t0 <- proc.time()[["elapsed"]]
  sol <- solve()
  best <- min(best, proc.time()[["elapsed"]] - t0)
}
s <- pmin(p$upper, pmax(p$lower, sol$solution))
write(sprintf("%.12g,%.12g,%.6g", total(s), total(p$ours), 1000 * best), args[2])
