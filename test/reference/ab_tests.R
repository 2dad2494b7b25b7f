# test/reference/ab_tests.R: R's fixed-horizon tests on the configurations of
# test/pgtap/70_experiment_r.sql (run by that test when R is installed).
#   Rscript test/reference/ab_tests.R props.csv props_out.csv welch.csv welch_out.csv
# props.csv: id, n0, x0, n1, x1 (control first) -> id, p_value, ci_low, ci_high of
#   prop.test(c(x1, x0), c(n1, n0), correct = FALSE): the pooled z test and the
#   unpooled interval of rate1 - rate0.
# welch.csv: id, arm (0 control, 1 treatment), value -> id, t, df, p_value, ci_low,
#   ci_high of t.test(treatment, control) (Welch).
# Numbers are written with 17 significant digits so they round-trip.
args <- commandArgs(trailingOnly = TRUE)
g <- function(v) sprintf("%.17g", v)

p <- read.csv(args[1])
rows <- vapply(seq_len(nrow(p)), function(i) {
  r <- suppressWarnings(prop.test(c(p$x1[i], p$x0[i]), c(p$n1[i], p$n0[i]), correct = FALSE))
  paste(p$id[i], g(r$p.value), g(r$conf.int[1]), g(r$conf.int[2]), sep = ",")
}, "")
writeLines(c("id,p_value,ci_low,ci_high", rows), args[2])

w <- read.csv(args[3])
rows <- vapply(sort(unique(w$id)), function(i) {
  d <- w[w$id == i, ]
  r <- t.test(d$value[d$arm == 1], d$value[d$arm == 0], var.equal = FALSE)
  paste(i, g(r$statistic), g(r$parameter), g(r$p.value), g(r$conf.int[1]), g(r$conf.int[2]), sep = ",")
}, "")
writeLines(c("id,t,df,p_value,ci_low,ci_high", rows), args[4])
