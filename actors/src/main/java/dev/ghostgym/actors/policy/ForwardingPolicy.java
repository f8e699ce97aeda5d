package dev.ghostgym.actors.policy;

/**
 * A policy that wraps another and answers every question by asking it; a wrapper overrides only
 * what it changes. One place forwards every {@link Policy} method, so a method added to the
 * interface (as {@code sliceStyle} was) cannot be silently left at its default by one wrapper.
 */
public abstract class ForwardingPolicy implements Policy {
  protected final Policy inner;

  protected ForwardingPolicy(Policy inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Model model() {
    return inner.model();
  }

  @Override
  public boolean oracle() {
    return inner.oracle();
  }

  @Override
  public long sliceNs() {
    return inner.sliceNs();
  }

  @Override
  public SliceStyle sliceStyle() {
    return inner.sliceStyle();
  }

  @Override
  public long decisionCostNs() {
    return inner.decisionCostNs();
  }

  @Override
  public boolean preemptsOnArrival() {
    return inner.preemptsOnArrival();
  }

  @Override
  public boolean followsPrioTable() {
    return inner.followsPrioTable();
  }

  @Override
  public int decide(DecisionRequest request) {
    return inner.decide(request);
  }
}
