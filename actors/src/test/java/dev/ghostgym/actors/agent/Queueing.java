package dev.ghostgym.actors.agent;

/** Closed forms from docs/KERNEL-MODEL.md section 4, for checking the simulator against theory. */
final class Queueing {
  private Queueing() {}

  /** Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda/mu. */
  static double erlangC(int c, double a) {
    double sum = 0, term = 1;
    for (int k = 0; k < c; k++) {
      if (k > 0) term *= a / k;
      sum += term;
    }
    double top = term * a / c * c / (c - a); // a^c/c! * c/(c-a)
    return top / (sum + top);
  }

  /** M/M/c mean response time for mean service s at per-server utilisation rho. */
  static double mmcResponse(int c, double rho, double s) {
    double mu = 1 / s;
    double lambda = rho * c * mu;
    double a = lambda / mu;
    return erlangC(c, a) / (c * mu - lambda) + s;
  }

  /** M/G/1 (Pollaczek-Khinchine) mean response for E[S], E[S^2] at utilisation rho. */
  static double pkResponse(double rho, double es, double es2) {
    double lambda = rho / es;
    return lambda * es2 / (2 * (1 - rho)) + es;
  }
}
