# bench/posterior_reference.R: the same posterior as mixmodel's default Bayesian model, sampled by
# Stan's NUTS (Debian r-cran-rstan), for bench/posterior.sql: the additive model with Robyn's
# recursive geometric adstock (normalised), Hill saturation on the input over its training mean,
# ROAS parameterisation with the model's resolved LogNormal prior, Beta(1, 3) decay on (0, 0.99),
# Gamma(3, 2) Hill shape, Gamma(2, 2) half saturation, intercept N(1, 5) and fixed terms N(0, 1)
# on the standardised columns of the KPI over its mean, noise half-normal(1).  mixmodel integrates
# the intercept and fixed terms out; Stan samples them: the posterior of the rest is the same.
#   Rscript bench/posterior_reference.R inputs.csv out.csv [cores]
# inputs.csv: kind, index, value with kinds meta (C, T, F, t0, nt), x (C x T), z (F x nt),
# y (nt), spend (C), mu, sigma (the ROAS prior of each channel).
# out.csv: "seconds,min_bulk_ess,compile_seconds,roas_1,...,roas_C" (4 chains of 1000 + 1000 on
# `cores` processes, as many as mixmodel's sampler threads, default 1; seconds is the wall time of
# the sampling; the posterior medians of the channels' ROAS, to check the posterior is the same).
# Optional: the project never requires R (bench/posterior.sql skips it when absent).
suppressMessages(library(rstan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], header = FALSE, col.names = c("kind", "i", "v"))
meta <- d$v[d$kind == "meta"]
C <- meta[1]; T <- meta[2]; F <- meta[3]; t0 <- meta[4]; nt <- meta[5]
x <- matrix(d$v[d$kind == "x"], nrow = C, byrow = TRUE)
z <- matrix(d$v[d$kind == "z"], nrow = F, byrow = TRUE)
y <- d$v[d$kind == "y"]
spend <- d$v[d$kind == "spend"]
mu <- d$v[d$kind == "mu"]; sg <- d$v[d$kind == "sigma"]
yscale <- mean(abs(y))
Zs <- matrix(0, nt, F)
for (j in 1:F) { v <- z[j, ]; s <- sqrt(mean((v - mean(v))^2)); Zs[, j] <- if (s > 0) (v - mean(v)) / s else 0 }
code <- "
data {
  int<lower=1> T; int<lower=1> nt; int<lower=0> t0; int<lower=1> C; int<lower=0> F;
  matrix[C, T] x; vector[nt] ys; matrix[nt, F] Zs; vector[C] scale; vector[C] spendk;
  vector[C] rmu; vector[C] rsg;
}
parameters {
  vector<lower=0, upper=0.99>[C] theta; vector<lower=0>[C] alpha; vector<lower=0>[C] k;
  vector<lower=0>[C] roas; real icpt; vector[F] gam; real<lower=0> sigma;
}
model {
  vector[nt] m = icpt + Zs * gam;
  for (c in 1:C) {
    real a = 0;
    vector[nt] s;
    for (t in 1:(t0 + nt)) {
      a = (t == 1) ? x[c, t] : x[c, t] + theta[c] * a;
      if (t > t0) {
        real v = a * (1 - theta[c]) / scale[c];
        s[t - t0] = v > 0 ? 1 / (1 + pow(k[c] / v, alpha[c])) : 0;
      }
    }
    m += roas[c] * spendk[c] / sum(s) * s;
  }
  target += beta_lpdf(theta / 0.99 | 1, 3);
  alpha ~ gamma(3, 2); k ~ gamma(2, 2); roas ~ lognormal(rmu, rsg);
  icpt ~ normal(1, 5); gam ~ normal(0, 1); sigma ~ normal(0, 1);
  ys ~ normal(m, sigma);
}"
scale <- sapply(1:C, function(c) mean(x[c, (t0 + 1):(t0 + nt)]))
data <- list(T = t0 + nt, nt = nt, t0 = t0, C = C, F = F, x = x[, 1:(t0 + nt), drop = FALSE], ys = y / yscale, Zs = Zs,
             scale = scale, spendk = spend / yscale, rmu = mu, rsg = sg)
c0 <- Sys.time()
# Debian ships Boost in /usr/include (r-cran-bh is a virtual package without R/BH/include)
boost <- if (file.exists(rstan_options("boost_lib"))) NULL else "/usr/include"
sm <- stan_model(model_code = code, boost_lib = boost)
compile <- as.numeric(difftime(Sys.time(), c0, units = "secs"))
cores <- if (length(args) >= 3) as.integer(args[3]) else 1L
s0 <- Sys.time()
fit <- sampling(sm, data = data, chains = 4, iter = 2000, warmup = 1000, cores = cores, refresh = 0, seed = 1)
secs <- as.numeric(difftime(Sys.time(), s0, units = "secs"))
arr <- as.array(fit)
ess <- min(sapply(dimnames(arr)[[3]][grepl("^(theta|alpha|k|roas)\\[", dimnames(arr)[[3]])],
                  function(p) ess_bulk(arr[, , p])))
roas <- sapply(1:C, function(c) median(arr[, , sprintf("roas[%d]", c)]))
write(paste(sprintf("%.3f,%.1f,%.1f", secs, ess, compile), paste(sprintf("%.4f", roas), collapse = ","), sep = ","), args[2])
